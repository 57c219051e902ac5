import { Writable } from 'node:stream';

/** One JSON log line as pino wrote it. */
export type LogLine = Record<string, unknown>;

/** A log destination for `buildApp`'s `logStream` that keeps every line written to it, parsed, for a test to read. */
export class CapturedLogs {
  readonly lines: LogLine[] = [];
  readonly stream = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) this.lines.push(JSON.parse(line));
      done();
    },
  });

  /** Forgets the lines written so far. */
  clear(): void {
    this.lines.length = 0;
  }

  /** The lines written while serving the request with this id (`x-request-id`). */
  ofRequest(requestId: unknown): LogLine[] {
    return this.lines.filter((line) => line.reqId === requestId);
  }
}
