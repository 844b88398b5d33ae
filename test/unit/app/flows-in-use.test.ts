import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFlowsInUse } from '../../../src/flows-in-use';
import type { Logger } from '../../../src/shared/logger';
import { createMemoryStores } from '../../../src/store/memory';

const FLOWS = join(__dirname, '../../../flows');
const mainMenu = readFileSync(join(FLOWS, 'main-menu.yaml'), 'utf8');

function recordingLog() {
  const errors: unknown[] = [];
  const log: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (o) => void errors.push(o), child: () => log };
  return { log, errors };
}

describe('the flows in use', () => {
  it('when a stored version does not load, then the last valid version stays in use and the problem is logged', async () => {
    const { flows: flowStore } = createMemoryStores();
    const { log, errors } = recordingLog();
    const inUse = createFlowsInUse({ dir: FLOWS, flowStore, log });
    await flowStore.publish('main-menu', mainMenu.replace('Kính chào ông/bà!', 'Chào mừng!'), 'admin', 1);
    await inUse.refresh();
    expect(inUse.current().latest('main-menu')?.version).toBe(1);
    // Written past the publishing checks (e.g. straight into the database): it must not reach a citizen.
    await flowStore.publish('main-menu', 'id: main-menu\nsteps: [', 'someone', 2);
    await inUse.refresh();
    expect(inUse.current().versions('main-menu').map((f) => f.version).sort()).toEqual([1, 1]);
    expect(JSON.stringify(inUse.current().latest('main-menu'))).toContain('Chào mừng!');
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain('"version":2');
  });

  it('when an invalid flow file is in the folder, then loading refuses and names it', () => {
    expect(() => createFlowsInUse({ dir: join(__dirname, '../../fixtures/flows-invalid'), flowStore: createMemoryStores().flows, log: recordingLog().log })).toThrow(
      expect.objectContaining({ name: 'FlowLoadError', problems: expect.arrayContaining([expect.objectContaining({ file: 'broken.yaml' })]) }),
    );
  });
});
