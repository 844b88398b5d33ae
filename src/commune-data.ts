import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeskSettings } from './civic/appointments/desk-settings';
import type { Calendar } from './civic/calendar/calendar';
import { calendarOf, checkDataFiles, DATA_FILES, type DataCheckOptions, type DataProblem, type DataSet, type DataSources } from './civic/commune-data/data-files';
import type { RoutingRules } from './civic/officials/routing-rules';
import { communeTexts, EMPTY_PROFILE, weeklyHoursText, type CommuneProfile } from './civic/commune-data/commune-profile';
import { withOfficeFacts, type Catalogue } from './civic/procedures/catalogue';

/**
 * The commune's admin-editable data in FLOWS_DIR/data: the procedure catalogue, the routing rules
 * and roster, the working-day calendar and the desk settings. What is missing switches its
 * capability off (the actions answer SERVICE_NOT_OPEN) and is named in `missing`; a file that is
 * present but invalid stops the start with the file and the problem.
 */
export interface CommuneData {
  /** commune.yaml; every fact unknown when the file is missing */
  profile: CommuneProfile;
  /**
   * The commune's facts as the texts say them, per language (templates read `{{commune.<key>}}`):
   * name, controller, address, phones, disaster line, reception days, the desk's hours.
   */
  texts: Record<'vi' | 'en', Record<string, string>>;
  /** the catalogue, its office's address, phone and hours taken from commune.yaml and office-hours.yaml */
  catalogue: Catalogue;
  /** routing + calendar: petitions can be filed */
  cases: { routing: RoutingRules; calendar: Calendar } | null;
  /** desk settings (with the calendar): appointments can be booked */
  desk: DeskSettings | null;
  missing: string[];
}

/** The data files do not pass: every problem, with its file and line. */
export class CommuneDataError extends Error {
  override readonly name = 'CommuneDataError';
  constructor(readonly problems: DataProblem[]) {
    super(`invalid commune data: ${problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('; ')}`);
  }
}

/** The texts of the data files in FLOWS_DIR/data; a file that is not there is left out. */
export function readDataSources(flowsDir: string): DataSources {
  const sources: DataSources = {};
  for (const name of DATA_FILES) {
    const file = join(flowsDir, 'data', name);
    if (existsSync(file)) sources[name] = readFileSync(file, 'utf8');
  }
  return sources;
}

/** Checks `sources` together and assembles what the services use. Throws CommuneDataError. */
export function communeDataFrom(sources: DataSources, opts: DataCheckOptions = {}): CommuneData {
  const checked = checkDataFiles(sources, opts);
  if (!checked.ok) throw new CommuneDataError(checked.problems);
  return assemble(checked.data);
}

function assemble(set: DataSet): CommuneData {
  const present = { 'commune.yaml': set.profile, 'procedures.yaml': set.catalogue, 'routing.yaml': set.routing, 'holidays.yaml': set.holidays, 'office-hours.yaml': set.hours, 'desk.yaml': set.desk };
  const missing = DATA_FILES.filter((name) => present[name] === undefined);
  const profile = set.profile ?? EMPTY_PROFILE;
  const catalogue = set.catalogue
    ? withOfficeFacts(set.catalogue, {
        ...(set.profile && profile.address.vi ? { address: profile.address } : {}),
        ...(profile.centrePhone ? { phone: profile.centrePhone } : {}),
        ...(set.hours ? { hours: weeklyHoursText(set.hours) } : {}),
        settings: { buildingPermits: profile.buildingPermits },
      })
    : ({ procedures: [] } as unknown as Catalogue);
  const calendar = calendarOf(set);
  const cases = set.routing && calendar ? { routing: set.routing, calendar } : null;
  const desk = cases && set.desk ? set.desk : null;
  return { profile, texts: communeTexts(profile, set.hours), catalogue, cases, desk, missing };
}

/** Reads and checks the files of FLOWS_DIR/data. Throws CommuneDataError naming each file, line and problem. */
export function loadCommuneData(flowsDir: string): CommuneData {
  return communeDataFrom(readDataSources(join(flowsDir)));
}
