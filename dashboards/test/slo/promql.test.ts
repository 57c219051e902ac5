import { anyOf, selector } from '../../slo/promql';

describe('selector', () => {
  it('quotes values as PromQL strings', () => {
    expect(selector('m', [{ label: 'route', op: '!~', value: 'a"b' }])).toBe('m{route!~"a\\"b"}');
  });
});

describe('anyOf', () => {
  it('escapes regular-expression characters so each value matches only itself', () => {
    expect(anyOf(['/metrics', '/v1/posts/:id', 'a.b'])).toBe('/metrics|/v1/posts/:id|a\\.b');
  });
});
