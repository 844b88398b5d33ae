import { z } from 'zod';
import type { Json } from '../shared/json';

/**
 * The flow language: one flow a YAML file, validated by these schemas. Exported as JSON Schema in
 * flows/flow.schema.json so editors can check a file as it is typed (a test keeps the file current).
 */

const json = z.json() as unknown as z.ZodType<Json>;

/** A text shown to the citizen: plain Vietnamese, per-language texts, or a key in locales/. */
export const TextSchema = z.union([
  z.string().min(1),
  z.strictObject({ vi: z.string().min(1), en: z.string().min(1).optional() }),
  z.strictObject({ key: z.string().regex(/^[a-z][\w-]*(\.[\w-]+)+$/, 'a locale key looks like "engine.help"') }),
]);
export type Text = z.infer<typeof TextSchema>;

const ID = /^[a-z][a-z0-9_-]*$/;
export const StepIdSchema = z.string().regex(ID, 'ids are lowercase letters, digits, "_" or "-"');
const VarName = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a variable name is lowercase letters, digits or "_"');
const VarPath = z.string().regex(/^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$/i, 'a variable path looks like "result.data.items"');
const Payload = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'payloads are UPPER_SNAKE_CASE');

/** Where to go: a step of this flow, or another flow (optionally at a step; `return: true` comes back after it ends). */
export const TargetSchema = z.union([
  StepIdSchema,
  z.strictObject({ flow: StepIdSchema, step: StepIdSchema.optional(), return: z.boolean().optional() }),
]);
export type Target = z.infer<typeof TargetSchema>;

export const ChoiceSchema = z.strictObject({
  title: TextSchema,
  payload: Payload,
  /** what to save instead of the payload */
  value: json.optional(),
  goto: TargetSchema.optional(),
  /** words or phrases that also mean this choice when typed ("khai sinh", "kết hôn" for "Hộ tịch"), matched without diacritics */
  keywords: z.array(z.string().min(1)).min(1).optional(),
  /** the choice a typed yes or no stands for ("ok", "uk", "không"); a choice whose value is true or false means that already */
  means: z.enum(['yes', 'no']).optional(),
});

/** A link a citizen may be sent: https only (no javascript:, ftp:, plain http); a phone is a `phone` button. */
const SafeUrl = z.url({ protocol: /^https$/, error: 'a button link must be an https:// address' });

const ButtonSchema = z.union([
  z.strictObject({ title: TextSchema, url: SafeUrl }),
  z.strictObject({ title: TextSchema, phone: z.string().regex(/^\+?[0-9]{3,15}$/) }),
  z.strictObject({ title: TextSchema, payload: Payload }),
]);

const common = { optional: z.boolean().optional(), help: TextSchema.optional() };

export const InputSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), min_length: z.int().min(0).optional(), max_length: z.int().min(1).max(2000).optional(), ...common }),
  z.strictObject({
    type: z.literal('choice'),
    choices: z.array(ChoiceSchema).min(1).max(13).optional(),
    /** choices built from a list variable, e.g. { list: result.data.items, title: name, payload: id } */
    choices_from: z
      .strictObject({
        list: VarPath,
        title: z.string().min(1),
        payload: z.string().min(1),
        goto: TargetSchema.optional(),
        limit: z.int().min(1).max(13).optional(),
        /** an item's field whose value also means the item when typed (an appointment's code) */
        keywords: z.string().min(1).optional(),
      })
      .optional(),
    /** where typed text that names no choice goes (kept in `trigger_text`), instead of the help message */
    otherwise: TargetSchema.optional(),
    /** quick replies (default) or buttons (Messenger button template takes at most 3) */
    style: z.enum(['quick_replies', 'buttons']).optional(),
    ...common,
  }),
  z.strictObject({ type: z.literal('yes_no'), ...common }),
  z.strictObject({ type: z.literal('number'), min: z.number().optional(), max: z.number().optional(), integer: z.boolean().optional(), ...common }),
  z.strictObject({ type: z.literal('phone'), ...common }),
  z.strictObject({
    type: z.literal('date'),
    not_past: z.boolean().optional(),
    max_days_ahead: z.int().min(0).optional(),
    ...common,
  }),
  z.strictObject({ type: z.literal('cccd'), ...common }),
  z.strictObject({ type: z.literal('image'), ...common }),
  z.strictObject({ type: z.literal('location'), /** a typed description of the place is accepted too */ allow_text: z.boolean().optional(), ...common }),
]);
export type Input = z.infer<typeof InputSchema>;
export type InputType = Input['type'];

const SimpleCondition = z.strictObject({
  var: VarPath,
  equals: json.optional(),
  not_equals: json.optional(),
  in: z.array(json).optional(),
  exists: z.boolean().optional(),
  gt: z.number().optional(),
  lt: z.number().optional(),
});
export const ConditionSchema = z.union([
  SimpleCondition,
  z.strictObject({ all: z.array(SimpleCondition).min(1) }),
  z.strictObject({ any: z.array(SimpleCondition).min(1) }),
]);
export type Condition = z.infer<typeof ConditionSchema>;
export type SimpleCondition = z.infer<typeof SimpleCondition>;

const base = { id: StepIdSchema, next: TargetSchema.optional() };

export const SayStepSchema = z.strictObject({
  ...base,
  say: TextSchema,
  /** quick replies offered with the text; their payloads start flows or commands */
  choices: z.array(z.strictObject({ title: TextSchema, payload: Payload })).min(1).max(13).optional(),
  buttons: z.array(ButtonSchema).min(1).max(3).optional(),
});
export const AskStepSchema = z.strictObject({
  ...base,
  ask: TextSchema,
  input: InputSchema,
  save: VarName.optional(),
  /**
   * words already said that may answer the question, e.g. "{{trigger_text}}" ("đặt lịch thứ 5 lúc 9h"):
   * when they read as an answer the question is not asked; tried once per flow
   */
  prefill: z.string().min(1).optional(),
});
export const SetStepSchema = z.strictObject({
  ...base,
  set: z.record(VarName, json),
  /** true: these values are also the conversation's topic, kept after the flow ends for follow-up questions */
  topic: z.boolean().optional(),
});
export const BranchStepSchema = z.strictObject({
  ...base,
  branch: z.array(z.strictObject({ if: ConditionSchema, goto: TargetSchema })).min(1),
  else: TargetSchema.optional(),
});
export const CallStepSchema = z.strictObject({
  ...base,
  call: z.string().regex(/^[a-z]+\.[a-z_]+$/, 'an action looks like "case.create"'),
  args: z.record(z.string(), json).optional(),
  /** where the action_result goes; default "result" */
  save: VarName.optional(),
});
export const GotoStepSchema = z.strictObject({ id: StepIdSchema, goto: TargetSchema });
export const EndStepSchema = z.strictObject({ id: StepIdSchema, end: z.union([z.literal(true), TextSchema]) });

export const StepSchema = z.union([SayStepSchema, AskStepSchema, SetStepSchema, BranchStepSchema, CallStepSchema, GotoStepSchema, EndStepSchema]);
export type SayStep = z.infer<typeof SayStepSchema>;
export type AskStep = z.infer<typeof AskStepSchema>;
export type SetStep = z.infer<typeof SetStepSchema>;
export type BranchStep = z.infer<typeof BranchStepSchema>;
export type CallStep = z.infer<typeof CallStepSchema>;
export type GotoStep = z.infer<typeof GotoStepSchema>;
export type EndStep = z.infer<typeof EndStepSchema>;
export type Step = z.infer<typeof StepSchema>;

/** The key that names a step's kind, in the order they are checked. */
export const STEP_KINDS = ['say', 'ask', 'set', 'branch', 'call', 'goto', 'end'] as const;
export type StepKind = (typeof STEP_KINDS)[number];
export const STEP_SCHEMAS = {
  say: SayStepSchema,
  ask: AskStepSchema,
  set: SetStepSchema,
  branch: BranchStepSchema,
  call: CallStepSchema,
  goto: GotoStepSchema,
  end: EndStepSchema,
} as const;

export const TriggerSchema = z
  .strictObject({
    /** words or phrases found anywhere in the message as whole words, ignoring diacritics, case and spacing */
    keywords: z.array(z.string().min(1)).min(1).optional(),
    /** keywords must be the whole message ("chào"), not a word inside a longer one */
    whole_message: z.boolean().optional(),
    /** postback or quick-reply payloads */
    payload: z.union([Payload, z.array(Payload).min(1)]).optional(),
    /**
     * first_contact: a new conversation or a follow; unknown: nothing else matched; free_text: a question
     * in words; referral: a link's ref (m.me ?ref=, QR code) that is no trigger payload, given as `ref`;
     * code: a message that is or holds a tracking code (PA-…, LH-…, HT-…), given as `trigger_text`;
     * follow_up: a question about the topic just answered ("mất bao lâu"), with the topic's values and `aspect`
     */
    event: z.enum(['first_contact', 'unknown', 'free_text', 'referral', 'code', 'follow_up']).optional(),
    /** free_text only: the fewest words a message needs (default 2) unless it holds a hint */
    min_words: z.int().min(1).optional(),
    /** free_text only: words that make a message a question for this flow whatever its length */
    hints: z.array(z.string().min(1)).optional(),
    /** the step to start at (default the flow's first step) */
    step: StepIdSchema.optional(),
  })
  .refine((t) => t.keywords !== undefined || t.payload !== undefined || t.event !== undefined, {
    message: 'a trigger needs keywords, payload or event',
  });
export type Trigger = z.infer<typeof TriggerSchema>;

export const FlowSchema = z.strictObject({
  id: StepIdSchema,
  title: TextSchema,
  /** file flows are version 1 unless stated; published versions are numbered by the store */
  version: z.int().min(1).optional(),
  description: z.string().optional(),
  triggers: z.array(TriggerSchema).optional(),
  steps: z.array(StepSchema).min(1),
});
export type FlowDefinition = z.infer<typeof FlowSchema>;

/** A validated flow, with its version fixed and steps indexed. */
export interface Flow {
  id: string;
  version: number;
  /** a short hash of the source: tells two flows with the same version number apart */
  rev: string;
  title: Text;
  triggers: Trigger[];
  steps: Step[];
  stepIndex: ReadonlyMap<string, number>;
}

export function stepKind(step: Step): StepKind {
  for (const k of STEP_KINDS) if (k in step) return k;
  /* c8 ignore next */
  throw new Error('step without a kind');
}
