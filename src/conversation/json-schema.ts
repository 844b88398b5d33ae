import { z } from 'zod';
import { FlowSchema } from './schema';

/** The flow language as JSON Schema, for editors (flows/flow.schema.json; a test keeps it current). */
export function flowJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(FlowSchema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input', reused: 'ref' }) as Record<string, unknown>;
  tighten(schema);
  return { ...schema, $id: 'https://commune-chatbot.local/flow.schema.json', title: 'Conversation flow' };
}

/**
 * What the zod refinements say and JSON Schema can say too, so editors flag it as flows:check does:
 * a trigger needs something to match; a choice question needs choices or choices_from, not both;
 * a button link is https.
 */
function tighten(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(tighten);
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  const props = o.properties as Record<string, unknown> | undefined;
  if (props && 'keywords' in props && 'payload' in props && 'event' in props && 'min_words' in props) {
    o.anyOf = [{ required: ['keywords'] }, { required: ['payload'] }, { required: ['event'] }];
  }
  const type = props?.type as { const?: unknown } | undefined;
  if (props && type?.const === 'choice' && 'choices_from' in props) {
    o.oneOf = [{ required: ['choices'] }, { required: ['choices_from'] }];
  }
  const url = props?.url as { format?: string; pattern?: string } | undefined;
  if (url?.format === 'uri') url.pattern = '^https://';
  for (const v of Object.values(o)) tighten(v);
}
