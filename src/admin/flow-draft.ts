import { checkFlows, validateFlowSource, type CheckFinding } from '../conversation';
import type { FlowPublishing } from './flows';

/** Checks a draft of one flow the way `FlowPublishing.publish` would, without storing anything. */
export type DraftChecker = (flowId: string, source: string) => Promise<{ ok: boolean; problems: CheckFinding[] }>;

/**
 * The same checks as publishing (and `npm run flows:check`): the draft on its own, its id, then
 * together with every other current flow. `ok` is false when any finding is an error; warnings are
 * returned too, for the editor to show.
 */
export function createDraftChecker(deps: { publishing: FlowPublishing; hasViKey: (key: string) => boolean }): DraftChecker {
  return async (flowId, source) => {
    const file = `${flowId} (draft)`;
    const draft = validateFlowSource(source, file);
    if (!draft.ok) return { ok: false, problems: draft.problems.map((p) => ({ severity: 'error' as const, ...p })) };
    if (draft.flow.id !== flowId) return { ok: false, problems: [{ severity: 'error', file, message: `the source declares id "${draft.flow.id}", not "${flowId}"` }] };
    const sources = await deps.publishing.currentSources();
    sources.set(flowId, { file, source });
    const problems = [...checkFlows([...sources.values()], deps.hasViKey), ...deps.publishing.unknownProcedures(file, source)];
    return { ok: !problems.some((p) => p.severity === 'error'), problems };
  };
}
