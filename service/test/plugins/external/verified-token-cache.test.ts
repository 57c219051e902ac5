import { VerifiedTokenCache } from '../../../src/plugins/external/verified-token-cache';

const principal = { tenantId: 'tenant-a', userId: 'user-1' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inSeconds = (seconds: number) => Date.now() / 1000 + seconds;

it('remembers a verified header exactly, and nothing else', () => {
  const cache = new VerifiedTokenCache<typeof principal>({ maxEntries: 10, maxAgeMs: 60_000 });

  cache.remember('Bearer abc', principal, inSeconds(3600));

  expect(cache.get('Bearer abc')).toBe(principal);
  expect(cache.get('Bearer abd')).toBeUndefined();
  expect(cache.get('bearer abc')).toBeUndefined();
});

it('forgets a token when it expires, before its maximum age', async () => {
  const cache = new VerifiedTokenCache<typeof principal>({ maxEntries: 10, maxAgeMs: 60_000 });

  cache.remember('Bearer soon', principal, inSeconds(0.1));
  expect(cache.get('Bearer soon')).toBe(principal);
  await sleep(150);

  expect(cache.get('Bearer soon')).toBeUndefined();
});

it('forgets a token after its maximum age, however far its expiry, and never keeps one already expired', async () => {
  const cache = new VerifiedTokenCache<typeof principal>({ maxEntries: 10, maxAgeMs: 100 });

  cache.remember('Bearer long', principal, inSeconds(3600));
  cache.remember('Bearer no-exp', principal);
  cache.remember('Bearer expired', principal, inSeconds(-1));
  expect(cache.get('Bearer expired')).toBeUndefined();
  await sleep(150);

  expect(cache.get('Bearer long')).toBeUndefined();
  expect(cache.get('Bearer no-exp')).toBeUndefined();
});

it('holds at most maxEntries, dropping the least recently used', () => {
  const cache = new VerifiedTokenCache<typeof principal>({ maxEntries: 2, maxAgeMs: 60_000 });

  cache.remember('Bearer 1', principal);
  cache.remember('Bearer 2', principal);
  cache.get('Bearer 1');
  cache.remember('Bearer 3', principal);

  expect(cache.get('Bearer 2')).toBeUndefined();
  expect(cache.get('Bearer 1')).toBe(principal);
  expect(cache.get('Bearer 3')).toBe(principal);
});
