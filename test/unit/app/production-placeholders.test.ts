import { resolve } from 'node:path';
import { PlaceholderError } from '../../../src/civic/commune-data/placeholders';
import { loadConfig } from '../../../src/config';
import { startApp } from '../../../src/main';
import { silentLogger } from '../../../src/shared/logger';

describe('a production start with the demo commune data', () => {
  it('refuses, naming the file and line of a placeholder, before anything listens', async () => {
    const config = loadConfig({ NODE_ENV: 'production', PORT: '0', FLOWS_DIR: resolve(__dirname, '..', '..', '..', 'flows') });
    const started = startApp(config, { log: silentLogger });
    await expect(started).rejects.toBeInstanceOf(PlaceholderError);
    await expect(started).rejects.toThrow(/routing\.yaml:\d+ placeholder: a value that is only an example/);
  });

  it('is a production start only when NODE_ENV says production', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).production).toBe(true);
    expect(loadConfig({}).production).toBe(false);
  });
});
