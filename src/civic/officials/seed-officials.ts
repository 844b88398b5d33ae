import type { OfficialStore } from '../../store/ports';
import type { RoutingRules } from './routing-rules';

/**
 * Writes the officials listed in routing.yaml into the store, each only when the store has nobody
 * under that id: the memory store starts empty on every run, and a roster edited since (admin API,
 * linked accounts) is never overwritten. Resolves to the ids it added.
 */
export async function seedOfficials(store: OfficialStore, rules: RoutingRules): Promise<string[]> {
  const added: string[] = [];
  for (const o of rules.officials) {
    if (await store.get(o.id)) continue;
    await store.upsert({ ...o, accounts: [] });
    added.push(o.id);
  }
  return added;
}
