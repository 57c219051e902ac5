/**
 * Counts, within a window, the reads of an id never read before (since the counter was created): no cache can
 * answer those, so `1 - firstReadShare` is the highest hit ratio any cache could reach in that window.
 */
export class FirstReadCounter {
  private readonly seen = new Set<string>();
  private reads = 0;
  private firstReads = 0;

  /** Records one read of `id`. */
  record(id: string): void {
    this.reads++;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.firstReads++;
  }

  /** Starts a new window; ids read before it stay seen. */
  startWindow(): void {
    this.reads = 0;
    this.firstReads = 0;
  }

  /** Share of the window's reads that were first reads; NaN when the window had none. */
  firstReadShare(): number {
    return this.reads === 0 ? Number.NaN : this.firstReads / this.reads;
  }
}
