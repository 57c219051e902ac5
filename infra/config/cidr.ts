/** An IPv4 CIDR block as an inclusive range of 32-bit addresses. */
export interface Ipv4Range {
  /** First address of the block, as an unsigned 32-bit integer. */
  readonly first: number;
  /** Last address of the block, as an unsigned 32-bit integer. */
  readonly last: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses an IPv4 CIDR such as `10.20.0.0/16`, rejecting host bits set below the prefix. */
export function parseIpv4Cidr(cidr: string): Ipv4Range {
  const match = CIDR_PATTERN.exec(cidr);
  if (!match) {
    throw new Error(`'${cidr}' is not an IPv4 CIDR block like 10.20.0.0/16`);
  }
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) {
    throw new Error(`'${cidr}' is not an IPv4 CIDR block like 10.20.0.0/16`);
  }
  // Arithmetic instead of bit operators: JavaScript bit operators are signed 32-bit.
  const address = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) {
    throw new Error(
      `'${cidr}' has host bits set: the network address for /${prefix} must be a multiple of ${size}`,
    );
  }
  return { first: address, last: address + size - 1 };
}

/** Whether two IPv4 CIDR blocks share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const left = parseIpv4Cidr(a);
  const right = parseIpv4Cidr(b);
  return left.first <= right.last && right.first <= left.last;
}
