/**
 * A regular expression matching the decimal integers strictly greater than `limit` (leading zeros allowed).
 *
 * WAF cannot compare numbers, and on CloudFront it inspects at most the first 64 KB of a body, so a body
 * size limit above that is enforced on the Content-Length header's digits instead.
 */
export function integerAbovePattern(limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new Error(`limit must be a non-negative safe integer, got ${limit}`);
  }
  const digits = String(limit);
  // Any number with more significant digits than the limit is larger.
  const alternatives = [`[1-9][0-9]{${digits.length},}`];
  // Same length: equal up to position i, then a larger digit, then anything.
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[i]);
    if (digit === 9) continue;
    const rest = digits.length - i - 1;
    const larger = digit === 8 ? '9' : `[${digit + 1}-9]`;
    alternatives.push(`${digits.slice(0, i)}${larger}${rest > 0 ? `[0-9]{${rest}}` : ''}`);
  }
  return `^0*(${alternatives.join('|')})$`;
}
