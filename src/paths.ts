import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The project's root (where package.json is), whether running from src/ with tsx or from dist/. */
export function projectRoot(): string {
  let dir = resolve(__dirname);
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export const LOCALES_DIR = join(projectRoot(), 'locales');
