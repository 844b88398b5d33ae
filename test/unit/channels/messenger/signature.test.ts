import { signMessengerBody, verifyMessengerSignature } from '../../../../src/channels/messenger/signature';
import { rawFixture } from './fixtures';

const SECRET = 'app-secret-for-tests';

describe('verifyMessengerSignature', () => {
  const raw = rawFixture('text-vietnamese.json');

  it('when the fixture holds Meta escaping, then its bytes really are escaped', () => {
    const text = raw.toString('utf8');
    expect(text).toContain('\\u0110\\u0103ng k\\u00fd');
    expect(text).toContain('https:\\/\\/dichvucong.gov.vn');
    expect(text).toContain('\\u0025');
  });

  it('when the header is the HMAC of the raw bytes, then it is valid', () => {
    expect(verifyMessengerSignature(raw, signMessengerBody(raw, SECRET), SECRET)).toBe('valid');
  });

  it('when the hex is upper case, then it is still valid', () => {
    const header = signMessengerBody(raw, SECRET).replace(/^sha256=/, '');
    expect(verifyMessengerSignature(raw, `sha256=${header.toUpperCase()}`, SECRET)).toBe('valid');
  });

  it('when the body was parsed and re-serialised, then the original signature no longer verifies', () => {
    const header = signMessengerBody(raw, SECRET);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))), 'utf8');
    expect(reserialised.equals(raw)).toBe(false);
    expect(verifyMessengerSignature(reserialised, header, SECRET)).toBe('invalid');
  });

  it('when one byte of the body changed, then it is invalid', () => {
    const header = signMessengerBody(raw, SECRET);
    const tampered = Buffer.from(raw);
    tampered[tampered.length - 3] ^= 1;
    expect(verifyMessengerSignature(tampered, header, SECRET)).toBe('invalid');
  });

  it('when signed with another secret, then it is invalid', () => {
    expect(verifyMessengerSignature(raw, signMessengerBody(raw, 'other'), SECRET)).toBe('invalid');
  });

  it.each([
    ['the sha1 form', `sha1=${'a'.repeat(40)}`],
    ['a short digest', `sha256=${'a'.repeat(62)}`],
    ['a long digest', `sha256=${'a'.repeat(66)}`],
    ['non-hex characters', `sha256=${'z'.repeat(64)}`],
    ['no prefix', 'a'.repeat(64)],
  ])('when the header has %s, then it is invalid without throwing', (_label, header) => {
    expect(verifyMessengerSignature(raw, header, SECRET)).toBe('invalid');
  });

  it.each([undefined, '', '   '])('when the header is %p, then it is missing, not invalid', (header) => {
    expect(verifyMessengerSignature(raw, header, SECRET)).toBe('missing');
  });
});
