import { decodePostCursor, encodePostCursor } from '../../../../src/plugins/app/posts/post-cursor';

const cursor = { createdAt: '2026-11-22T23:48:51.123456Z', id: '3f0c7a8e-1b2c-4d5e-8f90-123456789abc' };

describe('post cursor', () => {
  it('round-trips the sort key, microseconds included', () => {
    expect(decodePostCursor(encodePostCursor(cursor))).toEqual(cursor);
  });

  it('is URL-safe', () => {
    expect(encodePostCursor(cursor)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['not base64 JSON', 'bm90IGpzb24'],
    ['an object instead of a pair', Buffer.from('{"a":1}').toString('base64url')],
    [
      'a date without microseconds',
      Buffer.from(JSON.stringify(['2026-11-22T23:48:51Z', cursor.id])).toString('base64url'),
    ],
    [
      'an impossible date',
      Buffer.from(JSON.stringify(['2026-13-45T99:99:99.000000Z', cursor.id])).toString('base64url'),
    ],
    [
      'an id that is not a UUID',
      Buffer.from(JSON.stringify([cursor.createdAt, "1' OR '1'='1"])).toString('base64url'),
    ],
  ])('rejects %s with invalid_cursor', (_case, encoded) => {
    expect(() => decodePostCursor(encoded)).toThrow(
      expect.objectContaining({ statusCode: 400, code: 'invalid_cursor' }),
    );
  });
});
