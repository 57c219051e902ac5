// Prometheus durations (`5m`, `6h`, `3d`) as the rules write them, with the arithmetic the burn-rate policy needs.

/** A Prometheus duration with a single unit, for example `30m`. */
export type Duration = `${number}${'s' | 'm' | 'h' | 'd'}`;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** Returns the length of a single-unit Prometheus duration in seconds, or throws naming the bad value. */
export function durationSeconds(duration: string): number {
  const match = /^(\d+)([smhd])$/.exec(duration);
  if (!match) throw new Error(`'${duration}' is not a duration like 5m, 6h or 3d`);
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

/** Returns the shortest single-unit duration for a whole number of seconds (`86400` gives `1d`). */
export function formatDuration(seconds: number): Duration {
  if (!Number.isInteger(seconds) || seconds <= 0)
    throw new Error(`${seconds} s is not a positive whole duration`);
  for (const unit of ['d', 'h', 'm'] as const) {
    if (seconds % UNIT_SECONDS[unit] === 0) return `${seconds / UNIT_SECONDS[unit]}${unit}`;
  }
  return `${seconds}s`;
}
