import { join } from 'node:path';
import { loadCalendar } from '../../src/civic/calendar/calendar';
import { CASE_CATEGORY_IDS } from '../../src/civic/cases';
import { loadRoutingRules } from '../../src/civic/officials/routing-rules';
import { seedOfficials } from '../../src/civic/officials/seed-officials';
import { MemoryCaseStore, MemoryOfficialStore } from '../../src/store/memory';

const DATA = join(__dirname, '../../flows/data');

/** The bundled commune data (routing, roster, calendar) over fresh memory stores. */
export async function communeWorld() {
  const routing = loadRoutingRules(join(DATA, 'routing.yaml'), { categories: CASE_CATEGORY_IDS });
  const calendar = loadCalendar(join(DATA, 'holidays.yaml'), join(DATA, 'office-hours.yaml'));
  const cases = new MemoryCaseStore();
  const officials = new MemoryOfficialStore();
  await seedOfficials(officials, routing);
  return { routing, calendar, cases, officials };
}
