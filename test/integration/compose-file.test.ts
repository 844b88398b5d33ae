import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');

/** Debian's docker-compose 1.29 (.ci/run installs it): the oldest Compose a stock server may have. */
function composeConfig(env: string | null): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'compose-'));
  try {
    copyFileSync(join(ROOT, 'docker-compose.yml'), join(dir, 'docker-compose.yml'));
    copyFileSync(join(ROOT, 'Dockerfile'), join(dir, 'Dockerfile'));
    if (env !== null) writeFileSync(join(dir, '.env'), env);
    const r = spawnSync('docker-compose', ['config'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    if (r.error) throw new Error(`docker-compose is needed for this test (apt-get install docker-compose): ${r.error.message}`);
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Service { ports?: string[]; depends_on?: Record<string, { condition: string }>; command?: string[]; healthcheck?: unknown; environment?: Record<string, string> }

describe('docker-compose.yml on a stock Docker', () => {
  it('when docker-compose 1.29 reads it with a .env, then it is valid: the app waits for healthy Redis and MongoDB, only the web port is published, Redis has a memory cap', () => {
    const r = composeConfig('METRICS_TOKEN=metrics-token-0123456789\n');
    expect(r.status).toBe(0);
    const { services } = parse(r.output) as { services: Record<string, Service> };
    for (const app of ['web', 'worker']) {
      expect(services[app].depends_on).toEqual({ redis: { condition: 'service_healthy' }, mongo: { condition: 'service_healthy' } });
      expect(services[app].environment?.METRICS_TOKEN).toBe('metrics-token-0123456789');
    }
    expect(Object.entries(services).filter(([, s]) => s.ports).map(([name]) => name)).toEqual(['web']);
    expect(services.redis.command).toEqual(expect.arrayContaining(['--maxmemory', '512mb', '--maxmemory-policy', 'noeviction']));
    expect(services.redis.healthcheck).toBeDefined();
    expect(JSON.stringify(services.mongo.healthcheck)).toContain('rs.initiate');
  });

  it('when METRICS_TOKEN is missing, then compose refuses to start and says what to set', () => {
    const r = composeConfig('ADMIN_TOKEN=admin-token-0123456789\n');
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('set METRICS_TOKEN');
  });

  it('when the image is built, then .env stays out of it', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toContain('.env');
  });

  it('when the first admin is made inside the image, then the runtime stage holds the compiled command, and no TypeScript loader is needed', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    // The compiled tree comes from the build stage, whose `npm run build` compiles all of src/ (cli included).
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    expect(build.include).toContain('src');
    // The README gives that command; tsx is for development only (npm ci --omit=dev leaves it out).
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('docker compose exec web node dist/src/cli/create-admin.js');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(Object.keys(pkg.devDependencies)).toContain('tsx');
    // The console's static page is in the image where the server looks for it.
    expect(runtime).toMatch(/^COPY src\/admin\/ui \.\/src\/admin\/ui$/m);
  });
});
