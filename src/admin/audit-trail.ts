import type { AuditLog } from '../store/ports/audit';

/**
 * Writes one audit entry for a change made through the console or the API. Awaited before the
 * response: a change whose entry could not be written fails loudly rather than going unrecorded.
 */
export async function recordChange(
  audit: AuditLog | undefined,
  entry: { actor: string; action: string; target: string; before: unknown; after: unknown; at: number },
): Promise<void> {
  if (!audit) return;
  await audit.append({ ...entry, before: entry.before ?? null, after: entry.after ?? null });
}
