import {
  LINK_CODE_ALPHABET,
  issueLinkCode,
  linkAccount,
  parseLinkCommand,
  randomLinkCode,
} from '../../../../src/civic/officials/link-account';
import { isAppError } from '../../../../src/shared/app-error';
import { fixedClock } from '../../../../src/shared/clock';
import { MemoryOfficialStore } from '../../../../src/store/memory';
import type { ChatAccount, OfficialInput } from '../../../../src/store/ports';

const T0 = Date.UTC(2026, 2, 2, 1, 0, 0);
const HOUR = 3_600_000;
const PHONE: ChatAccount = { channel: 'zalo', userId: 'zalo-uid-1' };
const DIA_CHINH: OfficialInput = { id: 'dia-chinh-1', name: 'Ví dụ: Phạm Văn D', role: 'official', villages: ['Thôn 1'], categories: ['land'], onDuty: false, active: true };

async function setup(codes: string[] = ['7K3M9Q2A']) {
  const officials = new MemoryOfficialStore();
  await officials.upsert(DIA_CHINH);
  const clock = fixedClock(T0);
  const queue = [...codes];
  const deps = { officials, now: clock.now, randomCode: () => queue.shift() ?? 'ZZZZZZZZ' };
  return { officials, clock, deps };
}

describe('parseLinkCommand', () => {
  test.each([
    ['LIENKET 7K3M9Q', '7K3M9Q'],
    ['liên kết 7k3m9q', '7K3M9Q'],
    ['Liên Kết: 7k3m-9q2a', '7K3M9Q2A'],
    ['lien ket 7K3M9Q2A', '7K3M9Q2A'],
    ['LIÊNKẾT7K3M9Q', '7K3M9Q'],
    // NFD input (some iOS and macOS keyboards) folds like NFC.
    ['lie\u0302n ke\u0302\u0301t 7k3m9q', '7K3M9Q'],
  ])('when the message is "%s", then the code is %s', (text, code) => {
    expect(parseLinkCommand(text)).toBe(code);
  });

  test.each(['xin chào', 'tôi muốn liên kết với cán bộ', '7K3M9Q', 'lien ket'])('when the message is "%s", then it is not a link command', (text) => {
    expect(parseLinkCommand(text)).toBeNull();
  });
});

describe('randomLinkCode', () => {
  test('when codes are drawn, then they are 8 characters of the alphabet without look-alikes', () => {
    for (let i = 0; i < 200; i++) {
      const code = randomLinkCode();
      expect(code).toMatch(new RegExp(`^[${LINK_CODE_ALPHABET}]{8}$`));
      expect(code).not.toMatch(/[01ILO]/);
    }
  });
});

describe('issueLinkCode and linkAccount', () => {
  test('when an official sends the code from their phone, then the account is linked to them', async () => {
    const { officials, deps } = await setup();
    expect(await issueLinkCode(deps, 'dia-chinh-1')).toEqual({ code: '7K3M9Q2A', expiresAt: T0 + 24 * HOUR });
    const result = await linkAccount(deps, 'liên kết 7k3m9q2a', PHONE);
    expect(result).toEqual({ ok: true, official: { ...DIA_CHINH, accounts: [PHONE] } });
    expect((await officials.findByAccount('zalo', PHONE.userId))?.id).toBe('dia-chinh-1');
  });

  test('when the code is sent a second time, then it is refused as unknown', async () => {
    const { deps } = await setup();
    await issueLinkCode(deps, 'dia-chinh-1');
    await linkAccount(deps, 'LIENKET 7K3M9Q2A', PHONE);
    expect(await linkAccount(deps, 'LIENKET 7K3M9Q2A', { channel: 'messenger', userId: 'psid-9' })).toEqual({ ok: false, reason: 'unknown' });
  });

  test('when the code has expired, then the answer is the same as for a wrong code and nothing is linked', async () => {
    const { officials, clock, deps } = await setup();
    await issueLinkCode(deps, 'dia-chinh-1', 2 * HOUR);
    clock.advance(2 * HOUR);
    expect(await linkAccount(deps, 'LIENKET 7K3M9Q2A', PHONE)).toEqual({ ok: false, reason: 'unknown' });
    expect(await linkAccount(deps, 'LIENKET 7K3M9Q2B', PHONE)).toEqual({ ok: false, reason: 'unknown' });
    expect(await officials.findByAccount('zalo', PHONE.userId)).toBeNull();
  });

  test('when the code cannot be a code (look-alike letters, wrong length), then it is unknown without asking the store', async () => {
    const { deps } = await setup();
    await issueLinkCode(deps, 'dia-chinh-1');
    expect(await linkAccount(deps, 'lien ket 7K3M9Q2O', PHONE)).toEqual({ ok: false, reason: 'unknown' });
    expect(await linkAccount(deps, 'lien ket 7K3M9', PHONE)).toEqual({ ok: false, reason: 'unknown' });
  });

  test('when the message is not a link command, then linkAccount returns null so the conversation handles it', async () => {
    const { deps } = await setup();
    expect(await linkAccount(deps, 'Tôi muốn làm giấy khai sinh', PHONE)).toBeNull();
  });

  test('when the drawn code is already taken, then another is drawn', async () => {
    const { officials, deps } = await setup(['7K3M9Q2A', '7K3M9Q2A', 'HJK23456']);
    await officials.upsert({ ...DIA_CHINH, id: 'tu-phap' });
    await issueLinkCode(deps, 'tu-phap');
    expect((await issueLinkCode(deps, 'dia-chinh-1')).code).toBe('HJK23456');
  });

  test('when the generator gives a code outside the alphabet, then issuing fails loudly', async () => {
    const { deps } = await setup(['abc']);
    await expect(issueLinkCode(deps, 'dia-chinh-1')).rejects.toThrow('not 6 to 8 characters');
  });

  test('when the official is unknown, then issuing is refused with NOT_FOUND', async () => {
    const { deps } = await setup();
    const refusal = await issueLinkCode(deps, 'nobody').catch((e: unknown) => e);
    expect(isAppError(refusal) && refusal.code).toBe('NOT_FOUND');
  });
});
