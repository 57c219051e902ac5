// End-to-end check of the generated rules and dashboards against a real Prometheus: the service runs on
// real PostgreSQL and Redis, Prometheus scrapes it every second with the generated rules loaded, traffic with
// real 5xx (database cut through a TCP proxy, load shedding) flows, and then every recording rule and every
// dashboard panel query must return data, and the fast-burn alert must go pending.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import { loadPlatformConfig } from '../../infra/config/platform-config';
import { METRICS_PATH } from '../../service/src/probe-paths';
import { startAppBehindProxy, type AppBehindProxy } from '../../service/test/helpers/app-behind-proxy';
import type { Fixtures } from '../../service/test/helpers/fixtures';
import type { TcpProxy } from '../../service/test/helpers/tcp-proxy';
import { bearer, claims, signHs256 } from '../../service/test/helpers/tokens';
import { RED_PANEL_IDS, dashboardUid } from '../grafana/dashboard-ids';
import { writeGrafanaDashboards } from '../grafana/write-grafana-dashboards';
import { INSUFFICIENT_TRAFFIC, canaryAnalysisQueries } from '../prometheus/canary-analysis-queries';
import { SLI_METRICS_ABSENT_ALERT } from '../prometheus/service-alert-rules';
import { writePrometheusRules } from '../prometheus/write-prometheus-rules';
import type { RecordingRule, RuleFile } from '../prometheus/rule-group';
import { API_WORKLOAD } from '../slo/api-workload';
import { apiSlos } from '../slo/slo-definition';
import { panelQueries, withGrafanaVariables, type PanelQuery } from './helpers/dashboard-panel-queries';
import {
  requirePrometheus,
  sleep,
  startPrometheus,
  type PrometheusServer,
  type Series,
} from './helpers/prometheus-server';

const CONFIG = loadPlatformConfig('prod');
/** Pod template hash of the scraped "pod", as Argo Rollouts would label it. */
const POD_TEMPLATE_HASH = '5d8c7b9f4';
/** Scrape and evaluation interval: short, so a few seconds of traffic fill every window the rules read. */
const INTERVAL = '1s';
/** What `$__rate_interval` becomes: several scrapes at 1 s, as Grafana computes it for a short range. */
const RATE_INTERVAL = '15s';
/** Requests per tenant per minute before 429: above a steady tenant's share, below the noisy tenant's. */
const RATE_LIMIT_MAX = 300;
const STEADY_TENANTS = 4;
/**
 * Mean event-loop delay above which the app sheds. Well above what a busy test machine causes (other jest
 * workers share the cores), so only the overload phase, which blocks the loop four times as long, is shed.
 */
const SHED_LIMIT_MS = 300;

/**
 * Panels that stay empty here whatever the traffic, each with the reason. Every other panel query must
 * return data; an entry here that names no generated panel fails the suite, so the list cannot rot.
 */
const LEGITIMATELY_EMPTY: readonly { uid: string; panelId?: number; reason: string }[] = [
  {
    uid: dashboardUid(CONFIG, 'data-tier'),
    reason:
      'CloudWatch metrics of Aurora and ElastiCache: no AWS account here, and the queries are not PromQL',
  },
  {
    uid: dashboardUid(CONFIG, 'red'),
    panelId: RED_PANEL_IDS.canaryAnalysis,
    reason: 'Argo Rollouts controller series (analysis runs): no Rollout and no controller run here',
  },
];

let dir: string;
let subject: AppBehindProxy | undefined;
let fixtures: Fixtures;
let proxy: TcpProxy;
let app: FastifyInstance;
let prometheus: PrometheusServer | undefined;
let startedAt: number;
/** Status codes the traffic got back, counted. */
const statuses = new Map<number, number>();

beforeAll(async () => {
  // No Prometheus: fail with the install line. CI must run this check, never skip it.
  requirePrometheus();
  dir = mkdtempSync(path.join(tmpdir(), 'slo-e2e-'));
  // The same generators `npm run synth` runs, into a temporary dist/.
  writePrometheusRules(path.join(dir, 'prometheus'), [CONFIG.envName]);
  writeGrafanaDashboards(path.join(dir, 'grafana'), [CONFIG.envName]);

  subject = await startAppBehindProxy('database', {
    DATABASE_BREAKER_VOLUME_THRESHOLD: '3',
    DATABASE_BREAKER_RESET_MS: '1000',
    DATABASE_CONNECT_TIMEOUT_MS: '500',
    RATE_LIMIT_MAX: String(RATE_LIMIT_MAX),
    // Shedding on, so the shed panel has data: the test makes the event loop lag on purpose.
    LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: String(SHED_LIMIT_MS),
  });
  ({ app, proxy, fixtures } = subject);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port: appPort } = app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${appPort}`;

  const tenants = await seedTenants(STEADY_TENANTS + 1);
  // Series exist before the first scrape, so rates start counting from the first sample.
  await warmUp(baseUrl, tenants[0]);

  const labels = API_WORKLOAD.prometheusLabels;
  prometheus = await startPrometheus({
    ruleFiles: [path.join(dir, 'prometheus', CONFIG.envName, '*.yaml')],
    targets: [
      {
        address: `127.0.0.1:${appPort}`,
        // What the ServiceMonitor puts on the series in the cluster (namespace, pod, pod template hash).
        labels: {
          [labels.namespace]: API_WORKLOAD.namespace,
          [labels.pod]: `${API_WORKLOAD.name}-${POD_TEMPLATE_HASH}-e2e00`,
          [labels.podTemplateHash]: POD_TEMPLATE_HASH,
        },
      },
    ],
    metricsPath: METRICS_PATH,
    interval: INTERVAL,
  });
  await waitFor(prometheus, 'up{job="api"} == 1', 15_000);
  startedAt = Math.floor(Date.now() / 1000);

  // The burst comes first: the breaker judges the share of failures over its last 10 s, which steady
  // traffic just before would dilute below its threshold.
  await databaseOutage(baseUrl, tenants[0]);
  await steadyTraffic(baseUrl, tenants);
  await overload(baseUrl, tenants[0]);
  // A few scrapes and evaluations after the burst, so rates over it have two samples on each side.
  await sleep(4000);
}, 90_000);

afterAll(async () => {
  await prometheus?.stop();
  await subject?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('drove traffic with successes, client errors, rate-limit rejections and real 5xx', () => {
  const count = (predicate: (code: number) => boolean) =>
    [...statuses].filter(([code]) => predicate(code)).reduce((sum, [, n]) => sum + n, 0);
  const seen = Object.fromEntries(statuses);
  expect({ seen, successes: count((code) => code < 300) > 1000 }).toEqual({ seen, successes: true });
  expect({ seen, notFound: statuses.get(404) ?? 0 }).toEqual({ seen, notFound: expect.any(Number) });
  expect(statuses.get(404)).toBeGreaterThan(0);
  expect(statuses.get(429)).toBeGreaterThan(0);
  expect(statuses.get(503)).toBeGreaterThan(50);
});

it('loads every generated rule group and evaluates every rule without error', async () => {
  const generated = generatedRuleFiles().flatMap((file) => file.groups.map((group) => group.name));
  const response = await fetch(`${prometheus!.url}/api/v1/rules`);
  const { data } = (await response.json()) as {
    data: { groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] };
  };
  expect(data.groups.map((group) => group.name).sort()).toEqual([...generated].sort());
  const unhealthy = data.groups.flatMap((g) => g.rules).filter((rule) => rule.health !== 'ok');
  expect(unhealthy).toEqual([]);
});

it('returns data for every recording rule', async () => {
  const recordings = generatedRuleFiles().flatMap((file) =>
    file.groups.flatMap((group) => group.rules.filter((rule): rule is RecordingRule => 'record' in rule)),
  );
  expect(recordings.length).toBeGreaterThan(40);
  const empty: string[] = [];
  for (const rule of recordings) {
    const matchers = Object.entries(rule.labels ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    const selector = `${rule.record}{${matchers.join(',')}}`;
    if (!hasNumbers(await prometheus!.queryRange(selector, startedAt, now(), '1s'))) empty.push(selector);
  }
  expect(empty).toEqual([]);
});

it('returns data for every dashboard panel query, except the panels listed as legitimately empty', async () => {
  const queries = panelQueries(generatedDashboards());
  for (const entry of LEGITIMATELY_EMPTY) {
    expect(queries.some((q) => q.uid === entry.uid && (entry.panelId ?? q.panelId) === q.panelId)).toBe(true);
  }
  const checked = queries.filter((q) => !exempt(q));
  expect(checked.every((q) => q.datasource === 'prometheus' && q.expr)).toBe(true);
  expect(checked.length).toBeGreaterThan(30);
  const empty: string[] = [];
  for (const q of checked) {
    const expr = withGrafanaVariables(q.expr!, RATE_INTERVAL);
    if (!hasNumbers(await prometheus!.queryRange(expr, startedAt, now(), '1s'))) {
      empty.push(`${q.uid} panel ${q.panelId} "${q.title}" query ${q.refId}: ${expr}`);
    }
  }
  expect(empty).toEqual([]);
});

it('sends the availability fast-burn alert pending (or firing) after the error burst, with its value and time left', async () => {
  const fastest = apiSlos(CONFIG)[0].burnRateWindows[0];
  const deadline = Date.now() + 20_000;
  let alert;
  while (!alert && Date.now() < deadline) {
    alert = (await prometheus!.alerts()).find(
      (a) => a.labels.alertname === 'ApiAvailabilityErrorBudgetBurn' && a.labels.long === fastest.long,
    );
    if (!alert) await sleep(500);
  }
  expect(alert?.state).toMatch(/^(pending|firing)$/);
  expect(alert?.labels.severity).toBe(fastest.severity);
  // The templates ran on a real Prometheus: a percentage and an exhaustion time, no template error.
  expect(alert?.annotations.description).toMatch(/\d+(\.\d+)?% of requests failed with a 5xx/);
  expect(alert?.annotations.description).toMatch(/lasts (no time: it is already used up|[\dhms. ]+)\./);
  expect(alert?.annotations.description).not.toMatch(/<no value>|error executing|template:/);
  const alerts = await prometheus!.alerts();
  expect(alerts.filter((a) => a.labels.alertname === SLI_METRICS_ABSENT_ALERT)).toEqual([]);
}, 30_000);

it('judges this pod as a canary with the analysis queries: failing on the 5xx burst, a latency verdict, inconclusive for another revision', async () => {
  const slos = apiSlos(CONFIG);
  const value = async (expr: string) => Number((await prometheus!.query(expr))[0]?.value?.[1]);
  const mine = canaryAnalysisQueries(slos, { podTemplateHash: POD_TEMPLATE_HASH });
  const [availability, ...latency] = mine;
  expect(await value(availability.query)).toBeGreaterThan(availability.maxErrorRatio);
  // Enough traffic for a verdict; which one depends on the machine's speed and the lag the test induces.
  for (const q of latency) {
    const v = await value(q.query);
    expect({ slo: q.name, verdict: v >= 0 && v <= 1 }).toEqual({ slo: q.name, verdict: true });
  }
  for (const q of canaryAnalysisQueries(slos, { podTemplateHash: 'other-revision' })) {
    expect(await value(q.query)).toBe(INSUFFICIENT_TRAFFIC);
  }
});

// --- traffic ---------------------------------------------------------------------------------------------

interface Tenant {
  readonly headers: Record<string, string>;
  /** Posts the steady traffic reads (cached after the first read). */
  readonly posts: readonly string[];
  /** Posts nobody reads before the database is cut: their reads need the database. */
  readonly cold: readonly string[];
}

async function seedTenants(count: number): Promise<Tenant[]> {
  const tenants: Tenant[] = [];
  for (let i = 0; i < count; i++) {
    const tenantId = `tenant-e2e-${i}`;
    const author = await fixtures.user(tenantId);
    const posts = await fixtures.posts(tenantId, author, 80);
    // The newest posts are the ones lists return (and may cache): the cold ones are the oldest.
    tenants.push({
      headers: bearer(signHs256(claims(tenantId, author))),
      posts: posts.slice(60),
      cold: posts.slice(0, 60),
    });
  }
  return tenants;
}

async function warmUp(baseUrl: string, tenant: Tenant): Promise<void> {
  await send(baseUrl, 'GET', `/v1/posts/${tenant.posts[0]}`, tenant.headers);
  await send(baseUrl, 'POST', '/v1/posts', tenant.headers, { title: 'warm', body: 'up' });
}

/** About 1,500 requests: reads (cached), lists, creates, idempotent replays, 404s, coalesced misses, 429s. */
async function steadyTraffic(baseUrl: string, tenants: readonly Tenant[]): Promise<void> {
  const steady = tenants.slice(0, STEADY_TENANTS);
  const noisy = tenants[STEADY_TENANTS];
  const tasks: (() => Promise<unknown>)[] = [];
  for (const tenant of steady) {
    for (let i = 0; i < 200; i++) {
      tasks.push(() =>
        send(baseUrl, 'GET', `/v1/posts/${tenant.posts[i % tenant.posts.length]}`, tenant.headers),
      );
    }
    for (let i = 0; i < 20; i++) tasks.push(() => send(baseUrl, 'GET', '/v1/posts?limit=10', tenant.headers));
    for (let i = 0; i < 10; i++)
      tasks.push(() => send(baseUrl, 'GET', `/v1/posts/${randomUUID()}`, tenant.headers));
    for (let i = 0; i < 25; i++) {
      const key = randomUUID();
      const create = () =>
        send(
          baseUrl,
          'POST',
          '/v1/posts',
          { ...tenant.headers, 'idempotency-key': key },
          { title: `t${i}`, body: 'b' },
        );
      // The retry replays the stored response.
      tasks.push(() => create().then(create));
    }
  }
  await runConcurrently(tasks, 16);
  // Concurrent misses of one key wait for the first load instead of querying again.
  for (const postId of steady[1].cold.slice(0, 3)) {
    await Promise.all(
      Array.from({ length: 10 }, () => send(baseUrl, 'GET', `/v1/posts/${postId}`, steady[1].headers)),
    );
  }
  // One tenant over its limit gets 429s; 4xx are not errors of the service.
  await runConcurrently(
    Array.from(
      { length: RATE_LIMIT_MAX + 20 },
      (_, i) => () => send(baseUrl, 'GET', `/v1/posts/${noisy.posts[i % noisy.posts.length]}`, noisy.headers),
    ),
    16,
  );
}

/** Real 5xx: reads and writes that need the database while it is cut; the breaker opens and refuses the rest. */
async function databaseOutage(baseUrl: string, tenant: Tenant): Promise<void> {
  proxy.cut();
  await runConcurrently(
    tenant.cold.map((postId) => () => send(baseUrl, 'GET', `/v1/posts/${postId}`, tenant.headers)),
    8,
  );
  await runConcurrently(
    Array.from(
      { length: 20 },
      () => () => send(baseUrl, 'POST', '/v1/posts', tenant.headers, { title: 'x', body: 'y' }),
    ),
    8,
  );
  proxy.restore();
  // Past the breaker's reset time, so its trial call finds the database back.
  await sleep(1200);
}

/** Real 5xx of another kind: requests shed while the event loop lags. */
async function overload(baseUrl: string, tenant: Tenant): Promise<void> {
  // Keep the event loop lagging past the shedding limit for over two samples, as CPU-bound work would,
  // while requests arrive: they are shed with 503.
  const lagging = (async () => {
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      busyWait(SHED_LIMIT_MS * 4);
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  await runConcurrently(
    Array.from(
      { length: 60 },
      () => () => send(baseUrl, 'GET', `/v1/posts/${tenant.posts[0]}`, tenant.headers),
    ),
    4,
  );
  await lagging;
}

function busyWait(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // nothing else runs on this loop meanwhile
  }
}

async function send(
  baseUrl: string,
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string>,
  body?: object,
): Promise<number> {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  await response.arrayBuffer();
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  return response.status;
}

async function runConcurrently(
  tasks: readonly (() => Promise<unknown>)[],
  concurrency: number,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

// --- helpers ---------------------------------------------------------------------------------------------

function generatedRuleFiles(): RuleFile[] {
  const envDir = path.join(dir, 'prometheus', CONFIG.envName);
  return readdirSync(envDir).map((fileName) => ({
    fileName,
    ...(parse(readFileSync(path.join(envDir, fileName), 'utf8')) as Omit<RuleFile, 'fileName'>),
  }));
}

function generatedDashboards(): unknown[] {
  const envDir = path.join(dir, 'grafana', CONFIG.envName);
  return readdirSync(envDir).map(
    (file) => JSON.parse(readFileSync(path.join(envDir, file), 'utf8')) as unknown,
  );
}

function exempt(q: PanelQuery): boolean {
  return LEGITIMATELY_EMPTY.some(
    (e) => e.uid === q.uid && (e.panelId === undefined || e.panelId === q.panelId),
  );
}

/** Whether a result holds at least one sample that is a number (NaN draws nothing on a panel). */
function hasNumbers(result: readonly Series[]): boolean {
  return result.some((series) =>
    [...(series.values ?? []), ...(series.value ? [series.value] : [])].some(([, v]) => v !== 'NaN'),
  );
}

async function waitFor(server: PrometheusServer, expr: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await server.query(expr)).length > 0) return;
    await sleep(250);
  }
  throw new Error(`Prometheus never returned data for ${expr} within ${timeoutMs} ms`);
}

function now(): number {
  return Math.ceil(Date.now() / 1000);
}
