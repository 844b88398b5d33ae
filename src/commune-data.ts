import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadDeskSettings, type DeskSettings } from './civic/appointments/desk-settings';
import { loadCalendar, type Calendar } from './civic/calendar/calendar';
import { CASE_CATEGORY_IDS } from './civic/cases';
import { loadRoutingRules, type RoutingRules } from './civic/officials/routing-rules';
import { loadCatalogue, type Catalogue } from './civic/procedures/catalogue';

/**
 * The commune's admin-editable data in FLOWS_DIR/data: the procedure catalogue, the routing rules
 * and roster, the working-day calendar and the desk settings. What is missing switches its
 * capability off (the actions answer SERVICE_NOT_OPEN) and is named in `missing`; a file that is
 * present but invalid stops the start with the file and the problem.
 */
export interface CommuneData {
  catalogue: Catalogue;
  /** routing + calendar: petitions can be filed */
  cases: { routing: RoutingRules; calendar: Calendar } | null;
  /** desk settings (with the calendar): appointments can be booked */
  desk: DeskSettings | null;
  missing: string[];
}

export function loadCommuneData(flowsDir: string): CommuneData {
  const file = (name: string) => join(flowsDir, 'data', name);
  const missing = ['procedures.yaml', 'routing.yaml', 'holidays.yaml', 'office-hours.yaml', 'desk.yaml'].filter((f) => !existsSync(file(f)));
  const has = (name: string) => !missing.includes(name);
  const catalogue = has('procedures.yaml') ? loadCatalogue(file('procedures.yaml')) : ({ procedures: [] } as unknown as Catalogue);
  const cases =
    has('routing.yaml') && has('holidays.yaml') && has('office-hours.yaml')
      ? { routing: loadRoutingRules(file('routing.yaml'), { categories: CASE_CATEGORY_IDS }), calendar: loadCalendar(file('holidays.yaml'), file('office-hours.yaml')) }
      : null;
  const desk = cases && has('desk.yaml') ? loadDeskSettings(file('desk.yaml')) : null;
  return { catalogue, cases, desk, missing };
}
