import { SourceMap, type SourceMapPayload } from 'node:module';

/** The parts of a V8 `.cpuprofile` (as `node --cpu-prof` writes it) the summary reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
      readonly columnNumber: number;
    };
    readonly hitCount?: number;
    readonly children?: readonly number[];
  }[];
  readonly startTime: number;
  readonly endTime: number;
  /** Node id of each sample, and microseconds since the previous sample. */
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** What to summarize: which bundle to map back to sources, and which stretch of the run. */
export interface SummaryOptions {
  /** URL of the bundle as the profile names it, and its source map. */
  readonly bundle?: { readonly url: string; readonly sourceMap: SourceMapPayload };
  /** Only samples taken in this window (microseconds of the monotonic clock V8 and `process.hrtime` share). */
  readonly windowUs?: readonly [number, number];
  /** Rows per table. @default 15 */
  readonly top?: number;
}

/** V8's pseudo-frames, which have no caller to attribute them to. */
const PSEUDO_FRAMES = new Set(['(garbage collector)', '(idle)', '(program)', '(root)']);

/** Self time of one group (a function or a package), as a share of all samples. */
export interface CostRow {
  readonly name: string;
  readonly share: number;
}

/** Self time grouped two ways: by function and by where the code comes from (package or service file). */
export interface ProfileSummary {
  readonly byFunction: readonly CostRow[];
  readonly byOrigin: readonly CostRow[];
  readonly samples: number;
}

/** Where a source path comes from: `pkg` for node_modules/pkg (or @scope/pkg), else the path itself. */
export function originOf(source: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (match) return match[1];
  const service = /(service\/src\/.*)$/.exec(source);
  if (service) return service[1];
  return source;
}

/**
 * Sums self samples per function and per origin. Frames in the bundle are mapped back to their original
 * file with its source map, so minified code is attributed to the package it came from; a native frame
 * (a C++ builtin such as `writev`) is attributed to the origin of the JavaScript that called it.
 */
export function summarizeProfile(profile: CpuProfile, options: SummaryOptions = {}): ProfileSummary {
  const map = options.bundle ? new SourceMap(options.bundle.sourceMap) : undefined;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

  const origins = new Map<number, string>();
  const originOfNode = (id: number): string => {
    const known = origins.get(id);
    if (known !== undefined) return known;
    const { functionName, url, lineNumber, columnNumber } = nodes.get(id)!.callFrame;
    let origin: string;
    if (url === '') {
      const parent = parents.get(id);
      origin = PSEUDO_FRAMES.has(functionName) || parent === undefined ? functionName : originOfNode(parent);
    } else if (map && url === options.bundle?.url) {
      const entry = map.findEntry(lineNumber, columnNumber) as { originalSource?: string };
      origin = entry.originalSource ? originOf(entry.originalSource) : '(bundle, unmapped)';
    } else {
      origin = originOf(url);
    }
    origins.set(id, origin);
    return origin;
  };

  const hits = new Map<number, number>();
  let time = profile.startTime;
  profile.samples.forEach((id, index) => {
    time += profile.timeDeltas[index] ?? 0;
    if (options.windowUs && (time < options.windowUs[0] || time > options.windowUs[1])) return;
    hits.set(id, (hits.get(id) ?? 0) + 1);
  });

  const byFunction = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  let samples = 0;
  for (const [id, count] of hits) {
    samples += count;
    const origin = originOfNode(id);
    const name = `${nodes.get(id)!.callFrame.functionName || '(anonymous)'} · ${origin}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + count);
  }
  const rank = (groups: Map<string, number>) =>
    [...groups]
      .sort((a, b) => b[1] - a[1])
      .slice(0, options.top ?? 15)
      .map(([name, count]) => ({ name, share: count / Math.max(samples, 1) }));
  return { byFunction: rank(byFunction), byOrigin: rank(byOrigin), samples };
}
