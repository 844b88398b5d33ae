import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { createConsoleRouter } from '../../../src/admin/api/console';
import { CASE_CATEGORIES } from '../../../src/civic/cases/categories';
import { LOCALES_DIR } from '../../../src/paths';
import { CASE_EVENT_KINDS, CASE_STATUSES } from '../../../src/store/ports/cases';
import { OFFICIAL_ROLES } from '../../../src/store/ports/officials';
import { USER_ROLES } from '../../../src/store/ports/users';

const words = (lng: string) => JSON.parse(readFileSync(join(LOCALES_DIR, lng, 'console.json'), 'utf8')) as Record<string, string>;

describe('the console words (locales/<lng>/console.json)', () => {
  const vi = words('vi');
  const en = words('en');

  it('when a key has Vietnamese words, then it has English ones too, and the other way round', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    for (const [k, v] of Object.entries({ ...vi, ...en })) expect(typeof v === 'string' && v.length > 0 ? k : `${k} is empty`).toBe(k);
  });

  it('when the console shows a status, kind, role or history line, then it has words for it in both languages', () => {
    const needed = [
      ...CASE_STATUSES.map((s) => `status.${s}`),
      ...CASE_EVENT_KINDS.map((k) => `event.${k}`),
      ...OFFICIAL_ROLES.map((r) => `role.${r}`),
      ...USER_ROLES.map((r) => `userRole.${r}`),
      'kind.petition',
      ...['window_closed', 'template_sender_missing', 'no_phone', 'no_linked_account'].map((r) => `why.${r}`),
    ];
    for (const lng of [vi, en]) expect(needed.filter((k) => !lng[k])).toEqual([]);
    // Rejected and resolved never read alike.
    expect(vi['status.rejected']).not.toBe(vi['status.resolved']);
    expect(en['status.rejected']).not.toBe(en['status.resolved']);
  });

  it('when the page names a word by its key (app.js t(...), index.html data-i18n), then both languages have it', () => {
    const ui = join(__dirname, '../../../src/admin/ui');
    const js = ['app.js', 'governance.js'].map((f) => readFileSync(join(ui, f), 'utf8')).join('\n');
    const html = readFileSync(join(ui, 'index.html'), 'utf8');
    const keys = new Set([
      ...[...js.matchAll(/\bt\('([^']+)'\)/g)].map((m) => m[1]),
      ...[...js.matchAll(/'data-i18n': '([^']+)'/g)].map((m) => m[1]),
      ...[...html.matchAll(/data-i18n(?:-placeholder|-label)?="([^"]+)"/g)].map((m) => m[1]),
    ]);
    expect(keys.size).toBeGreaterThan(100);
    for (const lng of [vi, en]) expect([...keys].filter((k) => !lng[k])).toEqual([]);
  });

  it('when a category is shown, then its words are the ones citizens read in the chat', () => {
    for (const c of CASE_CATEGORIES) {
      expect(vi[`category.${c.id}`]).toBe(c.vi);
      expect(en[`category.${c.id}`]).toBe(c.en);
    }
    expect(Object.keys(vi).filter((k) => k.startsWith('category.'))).toHaveLength(CASE_CATEGORIES.length);
  });

  it('when the page asks for its words or the charting library, then they are served from this origin; anything else is not found', async () => {
    const app = express().use(createConsoleRouter());
    const r = await request(app).get('/admin/i18n/en.json');
    expect(r.status).toBe(200);
    expect(r.body['status.rejected']).toBe(en['status.rejected']);
    const lib = await request(app).get('/admin/vendor/echarts.min.js');
    expect(lib.status).toBe(200);
    expect(lib.headers['content-type']).toMatch(/javascript/);
    expect(lib.headers['content-security-policy']).toContain("script-src 'self'");
    for (const path of ['/admin/i18n/fr.json', '/admin/i18n/vi', '/admin/vendor/__proto__', '/admin/vendor/zrender.js']) expect((await request(app).get(path)).status).toBe(404);
  });
});
