import { computeZaloMac, isValidZaloSignature } from '../../../../src/channels/zalo/signature';
import { APP_ID, signatureFor, zaloFixture, zaloTestConfig } from './fakes';

const { oaSecretKey, appSecret } = zaloTestConfig();

function check(raw: Buffer, signature: string, extra: { timestampHeader?: string; key?: string } = {}) {
  return isValidZaloSignature({
    rawBody: raw,
    body: JSON.parse(raw.toString('utf8')),
    signature,
    timestampHeader: extra.timestampHeader,
    oaSecretKey: extra.key ?? oaSecretKey,
  });
}

describe('Zalo webhook signature', () => {
  const text = zaloFixture('user_send_text');

  test('when the body is signed as Zalo does, then the mac matches a value computed outside the code', () => {
    // sha256sum over app_id + raw bytes + timestamp + OA secret key, computed once in a shell.
    expect(computeZaloMac(APP_ID, text, '1751100041636', oaSecretKey)).toBe(
      'dbf143297667bbceaa4cf3675863e5638214b7921c14fd367bafe15984a0d2e6',
    );
    expect(check(text, 'mac=dbf143297667bbceaa4cf3675863e5638214b7921c14fd367bafe15984a0d2e6')).toBe(true);
  });

  test('when the header has no mac= prefix, then the bare hex is accepted too', () => {
    expect(check(text, signatureFor(text).replace(/^mac=/, ''))).toBe(true);
  });

  test('when the hex is upper case, then it is still accepted', () => {
    expect(check(text, signatureFor(text).toUpperCase().replace('MAC=', 'mac='))).toBe(true);
  });

  test('when the body holds oa_id before app_id (follow), then app_id still comes first in the hash', () => {
    const follow = zaloFixture('follow');
    expect(check(follow, 'mac=4aec1797629ff7fd123b4db7b8d31b17448bf4bcc17cf9e8f98b1b9ae82d3bd5')).toBe(true);
  });

  test('when every fixture is signed with the OA secret key, then each verifies over its raw Vietnamese UTF-8 bytes', () => {
    for (const name of ['user_send_image', 'user_send_location', 'user_submit_info', 'unfollow', 'add_user_to_tag']) {
      const raw = zaloFixture(name);
      expect(check(raw, signatureFor(raw))).toBe(true);
    }
  });

  test('when the sender signed with the App Secret instead of the OA secret key, then it fails', () => {
    expect(check(text, signatureFor(text, appSecret))).toBe(false);
  });

  test('when the body is re-serialised (key order or escapes change), then the original signature fails', () => {
    const signature = signatureFor(text);
    const parsed = JSON.parse(text.toString('utf8')) as Record<string, unknown>;
    const reordered = Buffer.from(JSON.stringify({ event_name: parsed.event_name, ...parsed }), 'utf8');
    const escaped = Buffer.from(JSON.stringify(parsed).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    expect(escaped.equals(text)).toBe(false);
    expect(check(reordered, signature)).toBe(false);
    expect(check(escaped, signature)).toBe(false);
  });

  test('when one byte of the body changes, then it fails', () => {
    const signature = signatureFor(text);
    const tampered = Buffer.from(text);
    tampered[tampered.length - 3] ^= 1;
    expect(() => JSON.parse(tampered.toString('utf8'))).not.toThrow();
    expect(check(tampered, signature)).toBe(false);
  });

  test('when the signature is not 64 hex digits, then it fails without throwing', () => {
    expect(check(text, 'mac=')).toBe(false);
    expect(check(text, 'mac=abc')).toBe(false);
    expect(check(text, `mac=${'z'.repeat(64)}`)).toBe(false);
    expect(check(text, `${signatureFor(text)}00`)).toBe(false);
  });

  test('when the body has no timestamp, then the X-ZEvent-Timestamp header is used', () => {
    const raw = Buffer.from(`{"app_id":"${APP_ID}","event_name":"user_send_text","sender":{"id":"1"},"message":{"text":"Chào"}}`);
    const signature = `mac=${computeZaloMac(APP_ID, raw, '1751100041636', oaSecretKey)}`;
    expect(check(raw, signature, { timestampHeader: '1751100041636' })).toBe(true);
    expect(check(raw, signature)).toBe(false);
  });

  test('when the body has a timestamp, then a different header timestamp is not used', () => {
    expect(check(text, signatureFor(text), { timestampHeader: '1' })).toBe(true);
  });
});
