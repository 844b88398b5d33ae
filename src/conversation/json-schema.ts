import { z } from 'zod';
import { FlowSchema } from './schema';

/** The flow language as JSON Schema, for editors (flows/flow.schema.json; a test keeps it current). */
export function flowJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(FlowSchema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input', reused: 'ref' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://commune-chatbot.local/flow.schema.json', title: 'Conversation flow' };
}
