import { createHash } from 'node:crypto';
import { requestFingerprint } from '../../../../src/plugins/app/idempotency/request-fingerprint';

const body = { title: 't', body: 'b' };

it('hashes a request without path parameters as before they were included, so stored keys still match', () => {
  const before = createHash('sha256').update('POST /v1/posts\n{"body":"b","title":"t"}').digest('base64url');

  expect(requestFingerprint('POST', '/v1/posts', {}, body)).toBe(before);
});

it('matches the same request whatever the order of its parameters and body keys', () => {
  expect(requestFingerprint('POST', '/v1/a/:x/b/:y', { x: '1', y: '2' }, { title: 't', body: 'b' })).toBe(
    requestFingerprint('POST', '/v1/a/:x/b/:y', { y: '2', x: '1' }, { body: 'b', title: 't' }),
  );
});

it('tells apart requests to other resources, routes or methods with the same body', () => {
  const fingerprints = [
    requestFingerprint('POST', '/v1/users/:id/posts', { id: '1' }, body),
    requestFingerprint('POST', '/v1/users/:id/posts', { id: '2' }, body),
    requestFingerprint('POST', '/v1/posts/:id/posts', { id: '1' }, body),
    requestFingerprint('PUT', '/v1/users/:id/posts', { id: '1' }, body),
  ];

  expect(new Set(fingerprints).size).toBe(fingerprints.length);
});
