/** Formats a fraction as a percentage without float noise: 0.999 gives `99.9%`. */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 1e7) / 1e5}%`;
}
