/**
 * The conversation engine: the flow language (schema + loader), the pure `step`, answer validators
 * and text matching. Imports nothing that does I/O except the loader's file read.
 */
export { loadFlowRegistry, FlowRegistry, FlowLoadError, UNDERSTANDING_FILE, type CommuneTexts } from './registry';
export { parseUnderstanding, type Understanding } from './understanding';
export { validateFlowSource, type FlowProblem } from './validate';
export { step, type StepResult, type StepContext, type Effect } from './engine';
export type { Flow, FlowDefinition, Step, Text, Trigger, Target, Input, InputType } from './schema';
export type { Translator, Locale } from './translator';
export { KNOWN_ACTIONS, type ActionName } from './actions';
export { checkFlows, type CheckFinding } from './check';
export { flowJsonSchema } from './json-schema';
