import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The bytes of a captured-style Messenger webhook body, exactly as Meta sends them. */
export function rawFixture(name: string): Buffer {
  return readFileSync(join(__dirname, '../../../fixtures/messenger', name));
}

export function jsonFixture(name: string): unknown {
  return JSON.parse(rawFixture(name).toString('utf8'));
}
