import { Writable } from 'node:stream';
import { createLogger, maskPersonalData } from '../../../src/logging';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { lines, log: createLogger({ level: 'debug', destination }) };
}

describe('logs never hold secrets or personal data (invariant 8)', () => {
  it('when a phone number, a CCCD number or a token is in a message or a field, then it is masked', () => {
    const { lines, log } = capture();
    log.info(
      {
        accessToken: 'EAAGm0PX4ZCpsBA-very-secret',
        nested: { refresh_token: 'rt-123', note: 'gọi cho tôi 0912 345 678 hoặc +84 987.654.321', cccd: '038095001234' },
        detail: 'số định danh 038095001234',
        header: 'Bearer abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP0123456789',
      },
      'người dân để lại số 0987654321',
    );
    const out = lines.join('');
    for (const secret of ['EAAGm0PX4ZCpsBA', 'rt-123', '0912 345 678', '987.654.321', '038095001234', '0987654321', 'abcdefghijklmnopqrstuvwxyz']) {
      expect(out).not.toContain(secret);
    }
    const parsed = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: 'info', accessToken: '[redacted]' });
    expect(parsed.msg).toContain('*******321');
  });

  it('when an error carries a token in its message, then the logged error is masked too', () => {
    const { lines, log } = capture();
    log.error({ err: new Error('request failed for access_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA') }, 'send failed');
    expect(lines.join('')).not.toContain('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  });

  it('when ordinary numbers appear (years, counts, ids of jobs), then they are left alone', () => {
    expect(maskPersonalData('năm 2026, 15 hồ sơ, hàng đợi 1000')).toBe('năm 2026, 15 hồ sơ, hàng đợi 1000');
  });
});
