import { fileCase, isCaseRuleError, type CaseRuleError } from '../../../../src/civic/cases';
import { ASSIGNEE, BACKUP, CITIZEN, DAY, T0, petition, world } from './fixtures';

async function issuesOf(promise: Promise<unknown>): Promise<{ field: string; problem: string }[]> {
  const e = await promise.then(
    () => {
      throw new Error('expected INVALID_CASE_INPUT');
    },
    (err: unknown) => err,
  );
  expect(isCaseRuleError(e)).toBe(true);
  expect((e as CaseRuleError).code).toBe('INVALID_CASE_INPUT');
  return (e as CaseRuleError).details?.issues as { field: string; problem: string }[];
}

describe('fileCase', () => {
  it('when a routed petition is filed, then it is stored as assigned, with the due date, and the assignee is told', async () => {
    const w = world();
    const { case: c, notices } = await fileCase(w.deps, petition());
    expect(c).toMatchObject({
      kind: 'petition',
      petitionType: 'feedback',
      category: 'land',
      village: 'Thôn Phú Lộc',
      status: 'assigned',
      assigneeId: ASSIGNEE,
      backupId: BACKUP,
      dueAt: T0 + 10 * DAY,
      createdAt: T0,
      contact: { name: 'Lê Văn Tám', phone: '+84912345678', consentVersion: '2026-01', consentAt: T0 - 60_000 },
      ...CITIZEN,
      version: 1,
    });
    expect(c.code).toMatch(/^PA-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{5}$/);
    expect(c.history).toEqual([
      { at: T0, by: 'citizen', what: 'received' },
      { at: T0, by: 'system', what: 'assigned', officialId: ASSIGNEE },
    ]);
    expect(notices).toEqual([{ to: 'official', officialId: ASSIGNEE, kind: 'assigned' }]);
    expect(await w.cases.findByCode(c.code)).toEqual(c);
    expect(w.routeCalls).toEqual([{ category: 'land', village: 'Thôn Phú Lộc' }]);
    expect(w.dueCalls).toEqual([{ kind: 'petition', petitionType: 'feedback', category: 'land', receivedAt: T0 }]);
  });

  it('when a kiến nghị is filed, then the case is a proposal, its due date is asked for a proposal, and routing still goes by category and village', async () => {
    const w = world();
    const { case: c } = await fileCase(w.deps, petition({ petitionType: 'proposal' }));
    expect(c.petitionType).toBe('proposal');
    expect(await w.cases.findByCode(c.code)).toMatchObject({ petitionType: 'proposal' });
    expect(w.dueCalls).toEqual([{ kind: 'petition', petitionType: 'proposal', category: 'land', receivedAt: T0 }]);
    expect(w.routeCalls).toEqual([{ category: 'land', village: 'Thôn Phú Lộc' }]);
  });

  it('when the petition type is not phản ánh or kiến nghị, then nothing is filed and the field is named', async () => {
    const w = world();
    for (const petitionType of ['complaint', 'Phản ánh', 42]) {
      expect(await issuesOf(fileCase(w.deps, petition({ petitionType: petitionType as 'feedback' })))).toEqual([{ field: 'petitionType', problem: 'not_allowed' }]);
    }
    expect((await w.cases.list({})).cases).toEqual([]);
  });

  it('when routing finds nobody, then the case is received, unassigned, and a supervisor is asked to assign it', async () => {
    const w = world({ routed: false });
    const { case: c, notices } = await fileCase(w.deps, petition());
    expect(c.status).toBe('received');
    expect(c).not.toHaveProperty('assigneeId');
    expect(c.history).toEqual([{ at: T0, by: 'citizen', what: 'received' }]);
    expect(notices).toEqual([{ to: 'supervisor', kind: 'needs_assignee' }]);
  });

  it('when the text arrives decomposed (NFD) with stray spaces, then it is stored in NFC, trimmed, line breaks kept', async () => {
    const w = world();
    const { case: c } = await fileCase(
      w.deps,
      petition({ village: '  Thôn   Phú Lộc '.normalize('NFD'), content: '  Đường  làng bị sạt lở.\r\nCần sửa gấp trước mùa mưa.  '.normalize('NFD'), name: 'Lê  Văn Tám'.normalize('NFD') }),
    );
    expect(c.village).toBe('Thôn Phú Lộc');
    expect(c.content).toBe('Đường làng bị sạt lở.\nCần sửa gấp trước mùa mưa.');
    expect(c.content).toBe(c.content.normalize('NFC'));
    expect(c.contact?.name).toBe('Lê Văn Tám');
  });

  it.each([
    ['0912345678', '+84912345678'],
    ['0912.345.678', '+84912345678'],
    ['+84 912 345 678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['(+84) 0386 123 456', '+84386123456'],
    ['0237 3 812 345', '+842373812345'],
  ])('when the phone is written %s, then it is stored as %s', async (written, stored) => {
    const w = world();
    const { case: c } = await fileCase(w.deps, petition({ phone: written }));
    expect(c.contact?.phone).toBe(stored);
  });

  it('when no name or phone is given, then the petition is taken anonymously without consent', async () => {
    const w = world();
    const { case: c } = await fileCase(w.deps, petition({ name: undefined, phone: undefined, consent: undefined }));
    expect(c).not.toHaveProperty('contact');
  });

  it('when the flow sends blank name and phone (skipped), then they count as not given', async () => {
    const w = world();
    const { case: c } = await fileCase(w.deps, petition({ name: '  ', phone: '', consent: undefined }));
    expect(c).not.toHaveProperty('contact');
  });

  it('when a photo and a location are attached, then they are kept with only their own fields', async () => {
    const w = world();
    const attachments = [
      { type: 'image' as const, url: 'https://zalo.example/photo/1.jpg', platformId: 'att-9' },
      { type: 'image' as const, platformId: 'mid.42' },
      { type: 'location' as const, lat: 19.93, lng: 105.88, label: 'Cầu Đò' },
    ];
    const { case: c } = await fileCase(w.deps, petition({ attachments }));
    expect(c.attachments).toEqual(attachments);
  });

  it('when a contact detail comes without consent, then it is refused with consent_required and nothing is stored', async () => {
    const w = world();
    expect(await issuesOf(fileCase(w.deps, petition({ consent: undefined })))).toEqual([{ field: 'consent', problem: 'consent_required' }]);
    expect(await issuesOf(fileCase(w.deps, petition({ name: undefined, consent: undefined })))).toEqual([{ field: 'consent', problem: 'consent_required' }]);
    expect((await w.cases.list({})).cases).toEqual([]);
  });

  it.each([
    ['content is too short', { content: 'Hỏng đèn' }, { field: 'content', problem: 'too_short' }],
    ['content is too long', { content: 'a'.repeat(2001) }, { field: 'content', problem: 'too_long' }],
    ['content is only spaces', { content: ' '.repeat(20) }, { field: 'content', problem: 'too_short' }],
    ['category is not in the list', { category: 'khieu_nai' }, { field: 'category', problem: 'not_allowed' }],
    ['village is blank', { village: '   ' }, { field: 'village', problem: 'too_short' }],
    ['phone is not Vietnamese', { phone: '+1 415 555 0100' }, { field: 'phone', problem: 'invalid_phone' }],
    ['phone is too short', { phone: '091234567' }, { field: 'phone', problem: 'invalid_phone' }],
    ['image has neither url nor id', { attachments: [{ type: 'image' }] }, { field: 'attachments.0', problem: 'url_or_id_required' }],
    ['image url is not http', { attachments: [{ type: 'image', url: 'javascript:alert(1)' }] }, { field: 'attachments.0.url', problem: 'invalid_url' }],
    ['location is off the globe', { attachments: [{ type: 'location', lat: 91, lng: 0 }] }, { field: 'attachments.0.lat', problem: 'too_big' }],
  ])('when the %s, then INVALID_CASE_INPUT names the field', async (_what, overrides, issue) => {
    const w = world();
    expect(await issuesOf(fileCase(w.deps, petition(overrides as never)))).toEqual([issue]);
    expect((await w.cases.list({})).cases).toEqual([]);
  });

  it('when several fields are wrong, then every one is listed at once', async () => {
    const w = world();
    const issues = await issuesOf(fileCase(w.deps, { ...CITIZEN } as never));
    expect(issues).toEqual(
      expect.arrayContaining([
        { field: 'category', problem: 'required' },
        { field: 'village', problem: 'required' },
        { field: 'content', problem: 'required' },
      ]),
    );
  });

  it('when a complaint kind is asked for, then it is refused: complaints and denunciations are not taken in chat', async () => {
    const w = world();
    expect(await issuesOf(fileCase(w.deps, petition({ kind: 'complaint' } as never)))).toEqual([{ field: 'kind', problem: 'not_allowed' }]);
  });
});
