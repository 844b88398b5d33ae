import { insideFreeWindow } from '../../src/jobs/messaging-window';

const H = 3600_000;
const now = 1_780_000_000_000;

describe('free messaging windows', () => {
  it('when the person wrote on Messenger 23 h ago, then a reply may go; at 24 h it may not', () => {
    expect(insideFreeWindow('messenger', now - 23 * H, now)).toBe(true);
    expect(insideFreeWindow('messenger', now - 24 * H, now)).toBe(false);
  });

  it('when the person wrote on Zalo 47 h ago, then the free consultation window is open; at 48 h it is closed', () => {
    expect(insideFreeWindow('zalo', now - 47 * H, now)).toBe(true);
    expect(insideFreeWindow('zalo', now - 48 * H, now)).toBe(false);
  });

  it('when the person never wrote, then nothing is sent on a platform; the terminal chat has no window', () => {
    expect(insideFreeWindow('messenger', null, now)).toBe(false);
    expect(insideFreeWindow('zalo', null, now)).toBe(false);
    expect(insideFreeWindow('console', null, now)).toBe(true);
  });
});
