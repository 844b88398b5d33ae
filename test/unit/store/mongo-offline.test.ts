import type { Model } from 'mongoose';
import {
  MongoAppointmentStore,
  MongoAuditLog,
  MongoCaseStore,
  MongoConversationStore,
  MongoFlowStore,
  MongoHandoffStore,
  MongoOfficialStore,
  MongoTokenStore,
  MongoUserStore,
} from '../../../src/store/mongo';
import type { NewAppointment } from '../../../src/store/ports/appointments';
import type { NewCase } from '../../../src/store/ports/cases';
import type { TranscriptEntry } from '../../../src/store/ports/conversations';
import type { OfficialInput } from '../../../src/store/ports/officials';
import { fakeMongoConnection, type FakeMongo, type RecordedCall } from '../../helpers/fake-mongo';
import { uncoveredQueries } from './index-coverage';

// The mongo adapters cannot run against a MongoDB server on the machines this is built on (and
// have not in CI: the contract suites' mongo runs need MONGODB_URI). What can be checked without a
// server is checked here, through the real adapters on a real mongoose Connection whose driver is
// an in-memory fake (test/helpers/fake-mongo.ts): every record the contract suites store, written
// and read back through the adapter (its mappers and mongoose's casting), equal both ways; every
// stored document valid for its schema (validateSync); and every query the port methods build
// served by one of the schema's indexes.

const T0 = Date.UTC(2026, 2, 2, 1, 0, 0);
const HOUR = 3_600_000;

function allStores(fake: FakeMongo) {
  const c = fake.connection;
  return {
    cases: new MongoCaseStore(c),
    appointments: new MongoAppointmentStore(c),
    conversations: new MongoConversationStore(c, { transactions: false }),
    flows: new MongoFlowStore(c),
    handoffs: new MongoHandoffStore(c),
    officials: new MongoOfficialStore(c),
    tokens: new MongoTokenStore(c),
    users: new MongoUserStore(c),
    audit: new MongoAuditLog(c),
  };
}

const fullCase: NewCase = {
  kind: 'petition',
  petitionType: 'proposal',
  category: 'infrastructure',
  village: 'Thôn 2',
  content: 'Đề nghị lắp đèn đường ở đoạn ra đồng.',
  attachments: [
    { type: 'image', url: 'https://cdn.example/p.jpg', platformId: 'att-1' },
    { type: 'location', lat: 19.93, lng: 105.88, label: 'Cầu Đá' },
  ],
  contact: { name: 'Lê Văn Tám', phone: '+84912345678', consentVersion: '2026-01', consentAt: T0 - 60_000 },
  channel: 'zalo',
  userId: 'zalo-user-1',
  status: 'assigned',
  assigneeId: 'can-bo-giao-thong',
  backupId: 'pho-chu-tich',
  dueAt: T0 + 10 * 24 * HOUR,
  createdAt: T0,
  history: [
    { at: T0, by: 'citizen', what: 'received' },
    { at: T0, by: 'system', what: 'assigned', officialId: 'can-bo-giao-thong', note: 'theo danh mục' },
  ],
};
const bareCase: NewCase = {
  kind: 'petition',
  petitionType: 'feedback',
  category: 'other',
  village: 'không rõ',
  content: 'Đường hỏng.',
  attachments: [],
  channel: 'messenger',
  userId: 'psid-2',
  status: 'received',
  dueAt: T0 + 5 * 24 * HOUR,
  createdAt: T0 + 1,
  history: [],
};

const appointmentInput = (id: string, code: string, extra: Partial<NewAppointment> = {}): NewAppointment => ({
  id,
  code,
  procedureId: 'khai-sinh',
  service: 'Đăng ký khai sinh',
  name: 'Nguyễn Thị Hoa',
  phone: '+84987654321',
  channel: 'zalo',
  userId: 'zalo-user-1',
  locale: 'vi',
  createdAt: T0,
  ...extra,
});
const slot = (key: string, start: number) => ({ key, day: '2026-03-09', start, end: start + 30 * 60_000 });

const official: OfficialInput = {
  id: 'can-bo-giao-thong',
  name: 'Trần Văn Bình',
  role: 'official',
  supervisorId: 'pho-chu-tich',
  villages: ['Thôn 2', 'Thôn 3'],
  categories: ['infrastructure'],
  onDuty: true,
  accounts: [{ channel: 'zalo', userId: 'zalo-official-1' }],
  active: true,
};

/** Reads that count a whole collection on purpose. */
const STAFF_SIZED = [
  { collection: 'console_users', filter: {}, why: 'the console has a handful of accounts; counted when the first admin is set up' },
  { collection: 'console_users', filter: { role: { $eq: 'admin' } }, why: 'the same handful, counted before the last admin is changed' },
];

/** Plays through every port method, asserting what is read back equals what was written. */
async function roundTrips(s: ReturnType<typeof allStores>): Promise<void> {
  // Cases
  for (const input of [fullCase, bareCase]) {
    const made = await s.cases.create(input);
    expect(made).toMatchObject({ ...input, version: 1, updatedAt: input.createdAt });
    expect(await s.cases.get(made.id)).toEqual(made);
    expect(await s.cases.findByCode(made.code)).toEqual(made);
  }
  const [filed] = (await s.cases.list({ filer: { channel: 'zalo', userId: 'zalo-user-1' } })).cases;
  if (!filed) throw new Error('the filed case is not listed');
  const resolved = await s.cases.update(
    filed.id,
    { status: 'resolved', resolution: { answer: 'Đã lắp đèn.', by: 'can-bo-giao-thong', at: T0 + HOUR }, rating: { score: 5, comment: 'nhanh', trips: 0, at: T0 + 2 * HOUR }, backupId: null, contact: null },
    { at: T0 + HOUR, by: 'can-bo-giao-thong', what: 'resolved', note: 'xong' },
    1,
  );
  expect(resolved).toMatchObject({ status: 'resolved', version: 2, updatedAt: T0 + HOUR });
  expect(resolved).not.toHaveProperty('backupId');
  expect(resolved).not.toHaveProperty('contact');
  expect(await s.cases.get(filed.id)).toEqual(resolved);
  for (const filter of [{}, { status: ['received' as const] }, { assigneeId: 'can-bo-giao-thong' }, { assigneeId: 'can-bo-giao-thong', status: ['assigned' as const, 'in_progress' as const] }, { category: 'other' }, { overdueAt: T0 + 30 * 24 * HOUR }, { village: 'Thôn 2', category: 'infrastructure' }, { petitionType: 'feedback' as const }, { limit: 1 }]) {
    const page = await s.cases.list(filter);
    for (const c of page.cases) expect(await s.cases.get(c.id)).toEqual(c);
    if (page.next) await s.cases.list({ ...filter, after: page.next });
  }

  // Appointments
  const booked = await s.appointments.book(slot('2026-03-09T08:00', T0 + 24 * HOUR), 2, appointmentInput('a-1', 'LH-AAAAA'));
  if (!booked.ok) throw new Error(`not booked: ${booked.reason}`);
  expect(await s.appointments.get('a-1')).toEqual(booked.appointment);
  expect(await s.appointments.findByCode('LH-AAAAA')).toEqual(booked.appointment);
  const bare = await s.appointments.book(slot('2026-03-09T08:30', T0 + 25 * HOUR), 2, { id: 'a-2', code: 'LH-BBBBB', name: 'Bà Tư', channel: 'messenger', userId: 'psid-2', locale: 'en', createdAt: T0 });
  if (!bare.ok) throw new Error('not booked');
  expect(await s.appointments.get('a-2')).toEqual(bare.appointment);
  const moved = await s.appointments.reschedule('a-1', slot('2026-03-09T09:00', T0 + 26 * HOUR), 2, T0 + HOUR);
  if (!moved.ok) throw new Error('not moved');
  expect(moved.appointment).toMatchObject({ reschedules: 1, slot: { key: '2026-03-09T09:00' } });
  expect(await s.appointments.get('a-1')).toEqual(moved.appointment);
  for (const update of [
    { what: 'set' as const, day: '2026-03-20', officialId: 'mot-cua', by: 'mot-cua', at: T0 + 2 * HOUR },
    { what: 'moved' as const, from: '2026-03-20', day: '2026-03-23', by: 'mot-cua', at: T0 + 3 * HOUR, reason: 'chờ xác minh' },
    { what: 'confirmed' as const, by: 'mot-cua', at: T0 + 4 * HOUR },
    { what: 'ready' as const, by: 'mot-cua', at: T0 + 5 * HOUR },
  ]) {
    const r = await s.appointments.changeResultDate('a-1', update);
    if (!r.ok) throw new Error(`result date ${update.what}: ${r.reason}`);
    expect(await s.appointments.get('a-1')).toEqual(r.appointment);
  }
  const marked = await s.appointments.markAttendance('a-1', 'attended', 'mot-cua', T0 + 6 * HOUR);
  if (!marked.ok) throw new Error('not marked');
  expect(await s.appointments.findByCode('LH-AAAAA')).toEqual(marked.appointment);
  expect(await s.appointments.listByDay('2026-03-09')).toEqual([marked.appointment, bare.appointment].sort((x, y) => x.slot.start - y.slot.start));
  expect(await s.appointments.listByPerson('messenger', 'psid-2', T0)).toEqual([bare.appointment]);
  await s.appointments.listPromisedResults();
  await s.appointments.countsByDay('2026-03-09');
  const cancelled = await s.appointments.cancel('a-2', T0 + 7 * HOUR);
  if (!cancelled.ok) throw new Error('not cancelled');
  expect(await s.appointments.get('a-2')).toEqual(cancelled.appointment);

  // Conversations
  const entries: TranscriptEntry[] = [
    { direction: 'in', at: T0, id: 'mid.1', platformMessageId: 'mid.1', text: 'Chào xã' },
    { direction: 'out', at: T0 + 1, id: 'turn-1:0', text: 'Dạ, xã nghe.', status: 'pending' },
  ];
  const state = { flowId: 'greeting', version: 3, step: 'menu', answers: { name: 'Tám', nested: [1, 'hai', { ba: true }] }, topic: null };
  await s.conversations.save({ key: 'zalo:zalo-user-1', channel: 'zalo', userId: 'zalo-user-1', state }, entries, T0 + 2);
  expect(await s.conversations.get('zalo:zalo-user-1')).toEqual({ key: 'zalo:zalo-user-1', channel: 'zalo', userId: 'zalo-user-1', state, updatedAt: T0 + 2 });
  expect(await s.conversations.transcript('zalo:zalo-user-1')).toEqual(entries);
  await s.conversations.appendTranscript('zalo:zalo-user-1', { direction: 'out', at: T0 + 3, id: 'turn-2:0', text: 'Xin mời chọn.', status: 'failed', error: 'window_closed' });
  await s.conversations.updateTranscriptEntry('zalo:zalo-user-1', 'turn-1:0', { status: 'sent', platformMessageId: 'm_OUT1' });
  expect((await s.conversations.transcript('zalo:zalo-user-1', 2)).map((e) => e.id)).toEqual(['turn-1:0', 'turn-2:0']);
  expect((await s.conversations.transcript('zalo:zalo-user-1'))[1]).toEqual({ ...entries[1], status: 'sent', platformMessageId: 'm_OUT1' });
  expect(await s.conversations.hasInbound('zalo:zalo-user-1', 'mid.1')).toBe(true);
  expect(await s.conversations.hasInbound('zalo:zalo-user-1', 'mid.2')).toBe(false);
  await s.conversations.touchInbound('zalo', 'zalo-user-1', T0 + 4);
  await s.conversations.touchInbound('zalo', 'zalo-user-1', T0 + 3);
  expect(await s.conversations.lastInboundAt('zalo', 'zalo-user-1')).toBe(T0 + 4);
  expect(await s.conversations.lastInboundAt('zalo', 'nobody')).toBeNull();
  await s.conversations.countMessagesByDay({ since: T0 - 24 * HOUR, until: T0 + 24 * HOUR });

  // Flows
  const v1 = await s.flows.publish('greeting', 'id: greeting\n', 'admin', T0);
  const v2 = await s.flows.publish('greeting', 'id: greeting # 2\n', 'admin', T0 + 1);
  expect([v1.version, v2.version]).toEqual([1, 2]);
  expect(await s.flows.latest('greeting')).toEqual(v2);
  expect(await s.flows.get('greeting', 1)).toEqual(v1);
  expect(await s.flows.history('greeting')).toEqual([v1, v2]);
  await s.flows.latestAll();

  // Hand-offs
  const opened = await s.handoffs.open({ channel: 'zalo', userId: 'zalo-user-1', topic: 'đất đai', notifiedIds: ['can-bo-dia-chinh'], createdAt: T0, category: 'land', village: 'Thôn 2', locale: 'vi' });
  expect(opened.created).toBe(true);
  expect(await s.handoffs.get(opened.handoff.id)).toEqual(opened.handoff);
  expect(await s.handoffs.findByCode(opened.handoff.code)).toEqual(opened.handoff);
  expect(await s.handoffs.findOpen('zalo', 'zalo-user-1')).toEqual(opened.handoff);
  expect(await s.handoffs.listOpen()).toEqual([opened.handoff]);
  const taken = await s.handoffs.take(opened.handoff.id, 'can-bo-dia-chinh', T0 + 60_000);
  if (!taken.ok) throw new Error(`not taken: ${taken.reason}`);
  expect(taken.handoff).toMatchObject({ status: 'active', officialId: 'can-bo-dia-chinh', takenAt: T0 + 60_000, lastActivityAt: T0 + 60_000 });
  expect(await s.handoffs.get(opened.handoff.id)).toEqual(taken.handoff);
  const said = await s.handoffs.addMessage(opened.handoff.id, { id: 'msg-1', at: T0 + 120_000, from: 'official', officialId: 'can-bo-dia-chinh', text: 'Tôi nghe.' });
  expect(await s.handoffs.get(opened.handoff.id)).toEqual(said);
  const ended = await s.handoffs.end(opened.handoff.id, { reason: 'unanswered', at: T0 + HOUR, caseCode: 'PA-22222', onlyIf: 'active' });
  expect(ended).toMatchObject({ status: 'ended', endReason: 'unanswered', caseCode: 'PA-22222', endedAt: T0 + HOUR });
  expect(await s.handoffs.findByCode(opened.handoff.code)).toEqual(ended);

  // Officials
  const saved = await s.officials.upsert(official);
  expect(saved).toEqual(official);
  const bareOfficial = await s.officials.upsert({ id: 'mot-cua', name: 'Bộ phận một cửa', role: 'desk', villages: [], categories: [], onDuty: false, active: false });
  expect(await s.officials.get('mot-cua')).toEqual(bareOfficial);
  expect(await s.officials.get(official.id)).toEqual(saved);
  expect(await s.officials.findByAccount('zalo', 'zalo-official-1')).toEqual(saved);
  expect(await s.officials.list()).toEqual(expect.arrayContaining([saved, bareOfficial]));
  expect(await s.officials.issueLinkCode('mot-cua', '482913', T0 + HOUR)).toBe(true);
  const redeemed = await s.officials.redeemLinkCode('482913', { channel: 'messenger', userId: 'psid-desk' }, T0);
  if (!redeemed.ok) throw new Error(`not redeemed: ${redeemed.reason}`);
  expect(await s.officials.findByAccount('messenger', 'psid-desk')).toEqual(redeemed.official);
  // One code left unredeemed, so a stored link code is there to validate.
  expect(await s.officials.issueLinkCode(official.id, '771234', T0 + HOUR)).toBe(true);

  // Tokens
  const pair = (n: number) => ({ accessToken: `access-${n}`, refreshToken: `refresh-${n}`, accessExpiresAt: T0 + n * HOUR, obtainedAt: T0 + n });
  await s.tokens.rotate('zalo', pair(1));
  expect(await s.tokens.get('zalo')).toEqual({ current: pair(1) });
  await s.tokens.rotate('zalo', pair(2));
  expect(await s.tokens.get('zalo')).toEqual({ current: pair(2), previous: pair(1) });

  // Users
  const admin = { username: 'admin', role: 'admin' as const, passwordHash: '$2b$10$abcdefghijklmnopqrstuv', active: true, createdAt: T0, updatedAt: T0 };
  const officer = { ...admin, username: 'binh', role: 'official' as const, officialId: 'can-bo-giao-thong' };
  expect(await s.users.create(admin)).toBe(true);
  expect(await s.users.create(officer)).toBe(true);
  expect(await s.users.create(admin)).toBe(false);
  expect(await s.users.get('binh')).toEqual(officer);
  const changed = await s.users.update('binh', { officialId: null, role: 'viewer', active: false }, T0 + 1);
  expect(changed).toEqual({ ...admin, username: 'binh', role: 'viewer', active: false, updatedAt: T0 + 1 });
  expect(await s.users.get('binh')).toEqual(changed);
  expect(await s.users.list()).toEqual(expect.arrayContaining([admin, changed]));
  expect(await s.users.count('admin')).toBe(1);
  expect(await s.users.count()).toBe(2);

  // Audit
  const first = await s.audit.append({ at: T0, actor: 'admin', action: 'case.resolve', target: 'case:PA-22222', before: { status: 'assigned' }, after: { status: 'resolved', list: [1, 2] } });
  const second = await s.audit.append({ at: T0 + 1, actor: 'binh', action: 'flow.publish', target: 'flow:greeting', before: null, after: { version: 2 } });
  expect(await s.audit.list()).toEqual([second, first]);
  for (const filter of [{ actor: 'admin' }, { target: 'flow:greeting' }, { action: 'case.resolve' }, { limit: 1, beforeId: second.id }]) await s.audit.list(filter);
}

describe('mongo adapters, checked without a server', () => {
  test('when every record the contract suites store is written and read back, then each port reads what it wrote', async () => {
    const fake = fakeMongoConnection();
    await roundTrips(allStores(fake));
  });

  test('when the records are stored, then every stored document is valid for its schema (validateSync)', async () => {
    const fake = fakeMongoConnection();
    await roundTrips(allStores(fake));
    const checked: string[] = [];
    for (const model of Object.values(fake.connection.models) as Model<unknown>[]) {
      const docs = fake.collection(model.collection.collectionName).docs;
      for (const doc of docs) {
        const error = new model(doc).validateSync();
        expect({ collection: model.collection.collectionName, doc, error: error?.message }).toEqual({ collection: model.collection.collectionName, doc, error: undefined });
      }
      if (docs.length > 0) checked.push(model.collection.collectionName);
    }
    // Every collection the adapters write to held something to check.
    expect(checked.sort()).toEqual(
      ['appointment_slots', 'appointments', 'audit_log', 'cases', 'console_users', 'contacts', 'conversations', 'flow_versions', 'handoffs', 'official_link_codes', 'officials', 'platform_tokens', 'transcript_counters', 'transcript_entries'].sort(),
    );
  });

  test('when a document breaks its schema, then validateSync says so (the check above can fail)', () => {
    const fake = fakeMongoConnection();
    allStores(fake);
    const Case = fake.connection.models.Case as Model<unknown>;
    expect(new Case({ _id: 'x', code: 'PA-1', kind: 'complaint' }).validateSync()?.message).toMatch(/kind|petitionType|required/);
  });

  test('when the port methods build their queries, then an index of the schema serves each one', async () => {
    const fake = fakeMongoConnection();
    await roundTrips(allStores(fake));
    const reads = fake.calls.filter((c: RecordedCall) => c.filter !== undefined || c.pipeline !== undefined);
    expect(reads.length).toBeGreaterThan(60);
    expect(uncoveredQueries(fake.connection, reads, STAFF_SIZED)).toEqual([]);
  });
});

describe('the index check itself', () => {
  test('when a query has no index for its filter or its order, then the check names it', async () => {
    const fake = fakeMongoConnection();
    const { Schema } = await import('mongoose');
    const schema = new Schema({ _id: String, day: String, at: Number, kind: String }, { collection: 'probe', versionKey: false });
    schema.index({ day: 1, at: 1 }, { name: 'day_at' });
    const Probe = fake.connection.model('Probe', schema);
    await Probe.find({ day: 'x' }).sort({ at: 1 }).lean();
    await Probe.find({ day: 'x' }).sort({ at: -1 }).lean();
    await Probe.find({ kind: 'a' }).lean();
    await Probe.find({ day: 'x' }).sort({ kind: 1 }).lean();
    await Probe.find({ day: 'x', at: { $gt: 1 } }).sort({ at: 1, kind: 1 }).lean();
    expect(uncoveredQueries(fake.connection, fake.calls)).toEqual([
      'probe find {"kind":"a"}',
      'probe find {"day":"x"} sort {"kind":1}',
      'probe find {"day":"x","at":{"$gt":1}} sort {"at":1,"kind":1}',
    ]);
  });
});
