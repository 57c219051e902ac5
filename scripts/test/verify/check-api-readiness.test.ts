import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { READINESS_PATH } from '../../../service/src/probe-paths';
import { checkApiReadiness } from '../../verify/check-api-readiness';
import { settle } from '../../verify/verify-result';

describe('checkApiReadiness', () => {
  const config = loadPlatformConfig('prod');
  const url = `https://${config.domain.apiDomainName}${READINESS_PATH}`;

  test('calls the public readiness URL with a timeout and without following redirects', async () => {
    // GIVEN
    const requests: { url: string; init?: RequestInit }[] = [];
    const fetchFn: typeof fetch = async (input, init) => {
      requests.push({ url: String(input), init });
      return new Response(null, { status: 301, headers: { location: 'https://elsewhere.example/' } });
    };
    // WHEN
    const result = await checkApiReadiness(config, fetchFn);
    // THEN
    expect(requests).toEqual([{ url, init: { redirect: 'manual', signal: expect.any(AbortSignal) } }]);
    expect(result).toEqual({
      ok: false,
      region: 'global',
      name: `cloudfront GET ${url}`,
      detail: 'answered 301',
    });
  });

  test('fails with a TimeoutError when the answer does not come in time', async () => {
    // GIVEN a fetch that answers only when aborted, as the real one does
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    // WHEN
    const [result] = await settle('global', 'readiness', () => checkApiReadiness(config, hanging, 20));
    // THEN
    expect(result).toEqual({
      ok: false,
      region: 'global',
      name: 'readiness',
      detail: expect.stringMatching(/^TimeoutError: /),
    });
  });
});
