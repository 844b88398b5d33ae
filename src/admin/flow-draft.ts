import type { CheckFinding } from '../conversation';
import type { FlowPublishing } from './flows';

/** Checks a draft of one flow the way `FlowPublishing.publish` would, without storing anything. */
export type DraftChecker = (flowId: string, source: string) => Promise<{ ok: boolean; problems: CheckFinding[] }>;

/**
 * The same checks as publishing (and `npm run flows:check`): the draft on its own, its id, then
 * together with every other current flow. `ok` is false when any finding is an error; warnings are
 * returned too, for the editor to show.
 */
export function createDraftChecker(deps: { publishing: FlowPublishing }): DraftChecker {
  return async (flowId, source) => {
    const problems = await deps.publishing.checkDraft(flowId, source);
    return { ok: !problems.some((p) => p.severity === 'error'), problems };
  };
}
