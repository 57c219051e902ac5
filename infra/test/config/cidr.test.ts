import { cidrsOverlap, parseIpv4Cidr } from '../../config/cidr';

describe('parseIpv4Cidr', () => {
  test('returns the first and last address of the block', () => {
    // WHEN
    const range = parseIpv4Cidr('10.20.0.0/16');
    // THEN
    expect(range).toEqual({ first: 10 * 2 ** 24 + 20 * 2 ** 16, last: 10 * 2 ** 24 + 20 * 2 ** 16 + 65_535 });
  });

  test('handles addresses above 2^31 without going negative', () => {
    // THEN
    expect(parseIpv4Cidr('192.168.0.0/16').first).toBeGreaterThan(0);
    expect(parseIpv4Cidr('0.0.0.0/0')).toEqual({ first: 0, last: 2 ** 32 - 1 });
  });

  test.each(['10.0.0/16', '10.0.0.256/24', '10.0.0.0/33', 'ten/8'])('rejects the malformed %s', (cidr) => {
    // THEN
    expect(() => parseIpv4Cidr(cidr)).toThrow(/is not an IPv4 CIDR block/);
  });

  test('rejects host bits below the prefix', () => {
    // THEN
    expect(() => parseIpv4Cidr('10.20.1.0/16')).toThrow(/has host bits set/);
  });
});

describe('cidrsOverlap', () => {
  test.each([
    ['10.10.0.0/16', '10.11.0.0/16', false],
    ['10.10.0.0/16', '10.10.128.0/17', true],
    ['10.0.0.0/8', '10.200.0.0/16', true],
    ['10.10.0.0/16', '10.10.0.0/16', true],
    ['172.16.0.0/12', '10.0.0.0/8', false],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    // THEN
    expect(cidrsOverlap(a, b)).toBe(expected);
    expect(cidrsOverlap(b, a)).toBe(expected);
  });
});
