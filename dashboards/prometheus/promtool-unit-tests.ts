// Generates `promtool test rules` unit tests from the same definitions the rules come from: synthetic series
// drive every alert across its threshold, and the expected firings come from the burn-scenario model.
import type { PlatformConfig } from '../../infra/config/platform-config';
import {
  AUTH_TOKEN_VERIFICATIONS,
  CIRCUIT_BREAKER_STATE,
  HTTP_REQUEST_DURATION,
} from '../../service/src/plugins/external/metrics';
import { API_WORKLOAD } from '../slo/api-workload';
import { sliWindows } from '../slo/burn-rate-windows';
import { durationSeconds } from '../slo/duration';
import { NON_USER_ROUTES, apiSlos, type SloDefinition } from '../slo/slo-definition';
import { selector, type Matcher } from '../slo/promql';
import {
  burnScenarios,
  checkMinutes,
  expectedFirings,
  quietNightBudgetSpent,
  quietNightScenario,
  type BurnScenario,
} from './burn-scenario';
import { isAlertingRule, type RuleFile, type RuleGroup } from './rule-group';
import { SERVICE_RULE_FILE, sloRuleFileName } from './prometheus-rule-files';
import {
  ANALYSIS_PHASES,
  ANALYSIS_RUN_INFO,
  ARGO_OBJECT_NAMESPACE_LABEL,
  ROLLOUT_INFO,
  ROLLOUT_PHASES,
} from './argo-rollouts-metrics';
import { DEFAULT_CANARY_STEPS } from '../../k8s/constructs/api-rollout';
import {
  CANARY_ANALYSIS_FAILED_ALERT,
  CANARY_ANALYSIS_FAILED_FOR,
  CANARY_ANALYSIS_INCONCLUSIVE_ALERT,
  CANARY_ANALYSIS_INCONCLUSIVE_FOR,
  ROLLOUT_ABORTED_ALERT,
  SLI_METRICS_ABSENT_ALERT,
  SLI_METRICS_ABSENT_FOR,
  gaugeAlerts,
  rateAlerts,
  unauthorizedShareAlert,
  type GaugeAlert,
  type RateAlert,
} from './service-alert-rules';
import {
  periodErrorRatio,
  sliErrorRecord,
  sliRecordingGroup,
  sloLabels,
  sloSeries,
} from './slo-recording-rules';

/** One input series of a promtool test, in promtool's expanding notation. */
export interface InputSeries {
  /** Series selector with every label. */
  readonly series: string;
  /** Values, one per `interval`, for example `0+100x360`. */
  readonly values: string;
}

/** One alert expected to be firing at `eval_time`. */
export interface ExpectedAlert {
  /** Labels of the alert, `alertname` excepted. */
  readonly exp_labels: Readonly<Record<string, string>>;
  /** Annotations, when the test checks them. */
  readonly exp_annotations?: Readonly<Record<string, string>>;
}

/** One promtool test group. */
export interface PromtoolTestGroup {
  /** Name printed by promtool on failure. */
  readonly name: string;
  /** Scrape interval of the input series. */
  readonly interval: string;
  /** Synthetic series. */
  readonly input_series: readonly InputSeries[];
  /** Alert checks: exactly the alerts firing under a name at a time. */
  readonly alert_rule_test?: readonly {
    readonly eval_time: string;
    readonly alertname: string;
    readonly exp_alerts: readonly ExpectedAlert[];
  }[];
  /** Expression checks on recorded series. */
  readonly promql_expr_test?: readonly {
    readonly expr: string;
    readonly eval_time: string;
    readonly exp_samples: readonly { readonly labels: string; readonly value: number }[];
  }[];
}

/** A promtool unit-test file. */
export interface PromtoolTestFile {
  /** Rule files under test, relative to the test file. */
  readonly rule_files: readonly string[];
  /** Rule evaluation interval. */
  readonly evaluation_interval: string;
  /** Test groups. */
  readonly tests: readonly PromtoolTestGroup[];
}

/** A pod name of the API in the synthetic series. */
const POD = `${API_WORKLOAD.name}-5d8c7b9f4-x2k7q`;
/** Another pod of the same revision. */
const OTHER_POD = `${API_WORKLOAD.name}-5d8c7b9f4-m4p9z`;
/** Values given to the labels a gauge alert keeps, in its synthetic series. */
const EXAMPLE_LABEL_VALUES: Readonly<Record<string, string>> = {
  [API_WORKLOAD.prometheusLabels.namespace]: API_WORKLOAD.namespace,
  [API_WORKLOAD.prometheusLabels.pod]: POD,
  pool: 'writer',
};
/** One synthetic counter of a counter-alert scenario: its extra labels and its growth per minute. */
interface ScenarioCounter {
  /** Labels besides namespace and pod. */
  readonly labels: Readonly<Record<string, string>>;
  /** Increase per minute before the change. */
  readonly before: number;
  /** Increase per minute from the change on. */
  readonly after: number;
}

/**
 * Counters that take each counter alert from healthy to firing, by alert name. The generator throws for an
 * alert without a scenario, so a new counter alert cannot ship untested.
 */
const RATE_ALERT_SCENARIOS: Readonly<Record<string, readonly ScenarioCounter[]>> = {
  // Combined hit ratio 98% (90 memory hits, 8 Redis hits of 100 lookups a minute), then 40%.
  ApiCacheHitRatioLow: [
    { labels: { cache: 'post', level: 'memory', result: 'hit' }, before: 90, after: 30 },
    { labels: { cache: 'post', level: 'memory', result: 'miss' }, before: 10, after: 70 },
    { labels: { cache: 'post', level: 'redis', result: 'hit' }, before: 8, after: 10 },
    { labels: { cache: 'post', level: 'redis', result: 'miss' }, before: 2, after: 60 },
    // Few lookups at a poor ratio: the minimum-lookups guard keeps this cache silent.
    { labels: { cache: 'user', level: 'memory', result: 'hit' }, before: 1, after: 1 },
    { labels: { cache: 'user', level: 'memory', result: 'miss' }, before: 9, after: 9 },
  ],
  // Redis counts every request, then becomes unreachable for half of them.
  ApiRateLimiterDegraded: [
    { labels: { store: 'redis' }, before: 100, after: 50 },
    { labels: { store: 'local' }, before: 0, after: 50 },
  ],
  ApiRequestsShed: [{ labels: { reason: 'eventLoopDelay' }, before: 0, after: 10 }],
};

/** A user route template, as the service labels it. */
const USER_ROUTE = '/v1/posts/:id';

/**
 * Returns the files with alert annotations removed. promtool compares annotations exactly, and the burn-rate
 * descriptions hold values only Prometheus's own formatting produces; the conditions are what these tests check,
 * and `annotationTests` checks the annotations where they are fixed text.
 */
export function withoutAnnotations(files: readonly RuleFile[]): RuleFile[] {
  return files.map((file) => ({
    ...file,
    groups: file.groups.map((group) => ({
      ...group,
      rules: group.rules.map((rule) => (isAlertingRule(rule) ? { ...rule, annotations: {} } : rule)),
    })),
  }));
}

/** A promtool test file and the name to write it under. */
export interface NamedTestFile {
  /** File name, for example `slo-availability.test.yaml`. */
  readonly fileName: string;
  /** Contents. */
  readonly file: PromtoolTestFile;
  /**
   * Rule files the test loads besides the generated ones, to be written where `rulePath` points.
   * @default - none
   */
  readonly ruleFiles?: readonly RuleFile[];
}

/** The SLI group of an SLO narrowed to its shortest window's recordings: what the period ratio reads. */
export function shortWindowGroup(slo: SloDefinition): RuleGroup {
  const group = sliRecordingGroup(slo);
  const short = sliWindows(slo.burnRateWindows, slo.periodDays)[0];
  return { ...group, rules: group.rules.filter((rule) => rule.labels?.sloth_window === short) };
}

/**
 * Returns the test files for every alert's conditions: four burn scenarios per SLO and the service alerts.
 * One file per rule file, each loading only its own rules: promtool evaluates every loaded rule at every
 * step, and the SLO scenarios run for hours of synthetic time.
 * @param rulePath where a test file finds a rule file, by the rule file's name
 */
export function alertConditionTests(
  config: PlatformConfig,
  rulePath: (ruleFile: string) => string,
): NamedTestFile[] {
  const sloFiles = apiSlos(config).map((slo) => ({
    fileName: sloRuleFileName(slo).replace(/\.yaml$/, '.test.yaml'),
    file: {
      rule_files: [rulePath(sloRuleFileName(slo))],
      evaluation_interval: '1m',
      tests: [
        ...burnScenarios(slo).map((scenario) => burnScenarioTest(slo, scenario)),
        regionsTest(slo, [
          config.primaryRegion.region,
          (config.secondaryRegions[0] ?? config.primaryRegion).region,
        ]),
      ],
    },
  }));
  // Its own file, beside a rule file of the short-window recordings alone: promtool evaluates every loaded
  // rule at every step, and a month of steps re-reading a month of samples would take minutes.
  const [availability] = apiSlos(config);
  const quiet = quietNightTest(availability);
  const shortRules: RuleFile = {
    fileName: sloRuleFileName(availability).replace(/\.yaml$/, '.short-window.yaml'),
    groups: [shortWindowGroup(availability)],
  };
  const period = {
    fileName: sloRuleFileName(availability).replace(/\.yaml$/, '.period.test.yaml'),
    file: {
      rule_files: [rulePath(shortRules.fileName)],
      evaluation_interval: quiet.interval,
      tests: [quiet],
    },
    ruleFiles: [shortRules],
  };
  const service = {
    fileName: SERVICE_RULE_FILE.replace(/\.yaml$/, '.test.yaml'),
    file: {
      rule_files: [rulePath(SERVICE_RULE_FILE)],
      evaluation_interval: '1m',
      tests: [
        ...absentTests(),
        ...gaugeAlerts(config).map(gaugeAlertTest),
        ...gaugeAlerts(config)
          .filter((alert) => alert.metric === CIRCUIT_BREAKER_STATE)
          .map(breakerAlertTest),
        ...rateAlerts().map(rateAlertTest),
        ...unauthorizedAlertTests(),
        ...canaryAlertTests(),
      ],
    },
  };
  return [...sloFiles, period, service];
}

/**
 * Returns the test file checking annotations (runbook and dashboard links included) on the published rules,
 * for the alert whose annotations are fixed text.
 */
export function annotationTests(
  files: readonly RuleFile[],
  rulePath: (ruleFile: string) => string,
): NamedTestFile {
  const absent = files
    .flatMap((file) => file.groups.flatMap((group) => group.rules))
    .find((rule) => isAlertingRule(rule) && rule.alert === SLI_METRICS_ABSENT_ALERT);
  if (!absent || !isAlertingRule(absent)) throw new Error(`${SLI_METRICS_ABSENT_ALERT} is not generated`);
  const test = absentTests()[0];
  const firing = test.alert_rule_test?.find((check) => check.exp_alerts.length > 0);
  if (!firing) throw new Error('the absent test has no firing check');
  return {
    fileName: 'annotations.test.yaml',
    file: {
      rule_files: [rulePath(SERVICE_RULE_FILE)],
      evaluation_interval: '1m',
      tests: [
        {
          ...test,
          name: `${SLI_METRICS_ABSENT_ALERT} annotations`,
          alert_rule_test: [
            {
              ...firing,
              exp_alerts: firing.exp_alerts.map((alert) => ({
                ...alert,
                exp_annotations: absent.annotations,
              })),
            },
          ],
        },
      ],
    },
  };
}

function burnScenarioTest(slo: SloDefinition, scenario: BurnScenario): PromtoolTestGroup {
  const firings = expectedFirings(slo, scenario);
  const checks = checkMinutes(firings, scenario).map((minute) => ({
    eval_time: `${minute}m`,
    alertname: slo.alertName,
    exp_alerts: firings
      .filter((f) => f.firesAtMinute !== undefined && f.firesAtMinute <= minute)
      .map((f) => ({
        exp_labels: {
          ...sloLabels(slo),
          sloth_window: f.window.long,
          severity: f.window.severity,
          long: f.window.long,
          short: f.window.short,
        },
      })),
  }));
  const end = `${scenario.durationMinutes}m`;
  const shortest = slo.burnRateWindows.map((w) => w.short).sort(byLength)[0];
  const recorded = Object.entries({ ...sloLabels(slo), sloth_window: shortest });
  return {
    name: `${slo.id}: ${scenario.name} (${round(scenario.badShare * 100)}% bad at ${Number(scenario.requestsPerMinute.toFixed(2))} req/min from minute ${scenario.onsetMinute})`,
    interval: '1m',
    input_series: scenarioSeries(slo, scenario),
    alert_rule_test: checks,
    promql_expr_test: [
      {
        // Scaled and rounded: promtool compares floats exactly.
        expr: `round(${sloSeries(sliErrorRecord(shortest), slo)} * 1000000)`,
        eval_time: end,
        exp_samples: [
          {
            labels: `{${recorded.map(([k, v]) => `${k}="${v}"`).join(',')}}`,
            value: Math.round(scenario.badShare * 1_000_000),
          },
        ],
      },
    ],
  };
}

/**
 * Two regions' series in one store (as a global view would hold them, with the `region` external label): the
 * region burning fast alerts, with its region, and a healthy region with ten times its traffic neither hides
 * it nor alerts. Summed across regions, the burning one's share would drop under every factor.
 */
function regionsTest(slo: SloDefinition, regions: readonly [string, string]): PromtoolTestGroup {
  const [burning, healthy] = regions;
  const [fast] = burnScenarios(slo);
  const busy: BurnScenario = { ...fast, badShare: 0, requestsPerMinute: fast.requestsPerMinute * 10 };
  const region = (value: string): Matcher => ({
    label: API_WORKLOAD.prometheusLabels.region,
    op: '=',
    value,
  });
  const firings = expectedFirings(slo, fast);
  const checks = checkMinutes(firings, fast).map((minute) => ({
    eval_time: `${minute}m`,
    alertname: slo.alertName,
    exp_alerts: firings
      .filter((f) => f.firesAtMinute !== undefined && f.firesAtMinute <= minute)
      .map((f) => ({
        exp_labels: {
          ...sloLabels(slo),
          [API_WORKLOAD.prometheusLabels.region]: burning,
          sloth_window: f.window.long,
          severity: f.window.severity,
          long: f.window.long,
          short: f.window.short,
        },
      })),
  }));
  return {
    name: `${slo.id}: ${fast.name} in ${burning} only, ${healthy} healthy with ten times the traffic`,
    interval: '1m',
    input_series: [
      ...scenarioSeries(slo, fast, [region(burning)]),
      ...scenarioSeries(slo, busy, [region(healthy)]),
    ],
    alert_rule_test: checks,
  };
}

/** Synthetic counters for a scenario, plus noisy probe traffic that the SLI must ignore. */
function scenarioSeries(slo: SloDefinition, s: BurnScenario, extra: readonly Matcher[] = []): InputSeries[] {
  const base: Matcher[] = [
    ...extra,
    { label: 'namespace', op: '=', value: API_WORKLOAD.namespace },
    { label: 'pod', op: '=', value: POD },
    { label: 'route', op: '=', value: USER_ROUTE },
  ];
  const probe: Matcher[] = [
    ...base.filter((matcher) => matcher.label !== 'route'),
    { label: 'route', op: '=', value: NON_USER_ROUTES[1] },
  ];
  const rpm = s.requestsPerMinute;
  const count = `${HTTP_REQUEST_DURATION}_count`;
  const bucket = `${HTTP_REQUEST_DURATION}_bucket`;
  const m = (label: string, value: string): Matcher => ({ label, op: '=', value });
  if (slo.events.kind === 'availability') {
    const get = m('method', 'GET');
    return [
      {
        series: selector(count, [...base, get, m('status_class', '2xx')]),
        values: counter(rpm, rpm * (1 - s.badShare), s),
      },
      {
        series: selector(count, [...base, get, m('status_class', '5xx')]),
        values: counter(0, rpm * s.badShare, s),
      },
      // A failing readiness probe: if the SLI counted it, every scenario would page.
      { series: selector(count, [...probe, get, m('status_class', '5xx')]), values: counter(1000, 1000, s) },
    ];
  }
  // A histogram shift: from the onset, `badShare` of the requests land above the threshold bucket.
  const method = m('method', slo.events.method);
  const le = String(slo.events.thresholdSeconds);
  const ok = m('status_class', '2xx');
  return [
    { series: selector(count, [...base, method, ok]), values: counter(rpm, rpm, s) },
    {
      series: selector(bucket, [...base, method, ok, m('le', le)]),
      values: counter(rpm, rpm * (1 - s.badShare), s),
    },
    { series: selector(bucket, [...base, method, ok, m('le', '+Inf')]), values: counter(rpm, rpm, s) },
    // Slow probes: if the SLI counted them, every latency scenario would page.
    { series: selector(count, [...probe, method, ok]), values: counter(1000, 1000, s) },
    { series: selector(bucket, [...probe, method, ok, m('le', le)]), values: counter(0, 0, s) },
  ];
}

/** Tolerance of the period check: the recorded share of the budget spent may differ from the model's this much. */
const PERIOD_TOLERANCE = 0.01;

/**
 * Over a whole period of busy days and quiet nights with one 5xx per night, the recorded period burn rate (the
 * share of the budget spent) is the model's, counted over requests, within 1%: an average of 5-minute ratios
 * gives the quiet night's 1-in-10 the weight of a busy 5 minutes and reads hundreds of times more.
 */
export function quietNightTest(slo: SloDefinition): PromtoolTestGroup {
  if (slo.events.kind !== 'availability') throw new Error('the quiet-night scenario counts 5xx');
  const s = quietNightScenario(slo);
  const spent = quietNightBudgetSpent(slo, s);
  // One sample and one evaluation per shortest window: each 5m rate then holds exactly one step, and a month
  // fits promtool's limit of 10000 samples per query (a month of 1m samples does not).
  const short = sliWindows(slo.burnRateWindows, slo.periodDays)[0];
  const step = durationSeconds(short) / 60;
  const steps = (minutes: number): number => {
    if (minutes % step !== 0) throw new Error(`the quiet-night scenario needs whole ${step}m steps`);
    return minutes / step;
  };
  const busy = steps(1440 - s.quietMinutes);
  const before = steps(s.quietMinutes / 2) - 1;
  const after = steps(s.quietMinutes) - before - 1;
  const quiet = s.quietRequestsPerMinute * step;
  const day = {
    good: [
      { increase: s.busyRequestsPerMinute * step, steps: busy },
      { increase: quiet, steps: before },
      { increase: quiet - s.badPerNight, steps: 1 },
      { increase: quiet, steps: after },
    ],
    bad: [
      { increase: 0, steps: busy + before },
      { increase: s.badPerNight, steps: 1 },
      { increase: 0, steps: after },
    ],
  };
  const days = <T>(runs: T[]): T[] => Array.from({ length: s.days }, () => runs).flat();
  const m = (label: string, value: string): Matcher => ({ label, op: '=', value });
  const base = [
    m('namespace', API_WORKLOAD.namespace),
    m('pod', POD),
    m('route', USER_ROUTE),
    m('method', 'GET'),
  ];
  const count = `${HTTP_REQUEST_DURATION}_count`;
  const labels = `{${Object.entries({ ...sloLabels(slo), sloth_window: short })
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
  return {
    name: `${slo.id}: ${s.name} (${s.busyRequestsPerMinute} req/min, ${s.quietRequestsPerMinute} req/min for ${s.quietMinutes} minutes a night with ${s.badPerNight} 5xx, ${s.days} days: ${formatShare(spent)} of the budget spent)`,
    interval: `${step}m`,
    input_series: [
      { series: selector(count, [...base, m('status_class', '2xx')]), values: counterRuns(days(day.good)) },
      { series: selector(count, [...base, m('status_class', '5xx')]), values: counterRuns(days(day.bad)) },
    ],
    promql_expr_test: [
      {
        // 1 when the period ratio's share of the budget spent is within the tolerance of the true one.
        expr: `abs((\n${periodErrorRatio(slo)}\n) / ${slo.errorBudget} / ${spent} - 1) < bool ${PERIOD_TOLERANCE}`,
        eval_time: `${s.days}d`,
        exp_samples: [{ labels, value: 1 }],
      },
    ],
  };
}

/** A counter starting at 0 that grows by `increase` per step for `steps` steps, run after run, in promtool's notation. */
export function counterRuns(runs: readonly { increase: number; steps: number }[]): string {
  let value = 0;
  const parts = ['0'];
  for (const run of runs) {
    value += run.increase;
    parts.push(
      run.steps === 1 ? `${round(value)}` : `${round(value)}+${round(run.increase)}x${run.steps - 1}`,
    );
    value += run.increase * (run.steps - 1);
  }
  return parts.join(' ');
}

function formatShare(share: number): string {
  return `${Number((share * 100).toPrecision(2))}%`;
}

/** A counter growing by `before` per minute until the onset and by `after` per minute from then on. */
function counter(before: number, after: number, s: BurnScenario): string {
  const atOnset = before * s.onsetMinute;
  const rest = s.durationMinutes - s.onsetMinute - 1;
  return `0+${round(before)}x${s.onsetMinute} ${round(atOnset + after)}+${round(after)}x${rest}`;
}

/**
 * The request-count series of the test pod for one route; with a status class, of GET requests answered with it,
 * as the service labels them.
 */
function requestCountSeries(route: string, statusClass?: string): string {
  const matchers: Matcher[] = [
    { label: 'namespace', op: '=', value: API_WORKLOAD.namespace },
    { label: 'pod', op: '=', value: POD },
    { label: 'route', op: '=', value: route },
  ];
  if (statusClass !== undefined) {
    matchers.push(
      { label: 'method', op: '=', value: 'GET' },
      { label: 'status_class', op: '=', value: statusClass },
    );
  }
  return selector(`${HTTP_REQUEST_DURATION}_count`, matchers);
}

/** The absent alert fires after its `for` without API series, and stays silent with them. */
function absentTests(): PromtoolTestGroup[] {
  const forMinutes = durationSeconds(SLI_METRICS_ABSENT_FOR) / 60;
  const horizon = forMinutes * 3;
  const labels = { namespace: API_WORKLOAD.namespace, severity: 'page' };
  const present = requestCountSeries(USER_ROUTE);
  return [
    {
      name: `${SLI_METRICS_ABSENT_ALERT}: no API series at all`,
      interval: '1m',
      input_series: [{ series: 'up{job="other"}', values: `1x${horizon}` }],
      alert_rule_test: [
        { eval_time: `${forMinutes - 2}m`, alertname: SLI_METRICS_ABSENT_ALERT, exp_alerts: [] },
        {
          eval_time: `${forMinutes + 2}m`,
          alertname: SLI_METRICS_ABSENT_ALERT,
          exp_alerts: [{ exp_labels: labels }],
        },
      ],
    },
    {
      // The kubelet probes every pod that no user reaches: their series must not count as measured traffic.
      name: `${SLI_METRICS_ABSENT_ALERT}: only probe and scrape series, no user request`,
      interval: '1m',
      input_series: NON_USER_ROUTES.map((route) => ({
        series: requestCountSeries(route, '2xx'),
        values: `0+6x${horizon}`,
      })),
      alert_rule_test: [
        { eval_time: `${forMinutes - 2}m`, alertname: SLI_METRICS_ABSENT_ALERT, exp_alerts: [] },
        {
          eval_time: `${forMinutes + 2}m`,
          alertname: SLI_METRICS_ABSENT_ALERT,
          exp_alerts: [{ exp_labels: labels }],
        },
      ],
    },
    {
      name: `${SLI_METRICS_ABSENT_ALERT}: API series present`,
      interval: '1m',
      input_series: [{ series: present, values: `0+100x${horizon}` }],
      alert_rule_test: [{ eval_time: `${horizon}m`, alertname: SLI_METRICS_ABSENT_ALERT, exp_alerts: [] }],
    },
  ];
}

/**
 * The 401 alert stays silent at a steady small share of refused tokens (and ignores requests without a token and
 * probe traffic), fires after a jump, and stays silent when the same jump comes from a handful of requests.
 */
function unauthorizedAlertTests(): PromtoolTestGroup[] {
  const alert = unauthorizedShareAlert();
  const forMinutes = durationSeconds(alert.for) / 60;
  const windowMinutes = durationSeconds(alert.window) / 60;
  const changeAt = 30;
  const horizon = changeAt + windowMinutes + forMinutes * 2;
  const m = (label: string, value: string): Matcher => ({ label, op: '=', value });
  const pod = [m('namespace', API_WORKLOAD.namespace), m('pod', POD)];
  const grows = (before: number, after: number) =>
    `0+${round(before)}x${changeAt} ${round(before * changeAt + after)}+${round(after)}x${horizon - changeAt - 1}`;
  // Per minute: users send `rpm`; 2% of them present a token refused, then 60%. Half as many again arrive with no
  // token at all, and the probes outnumber everything: neither may move the share.
  const scenario = (rpm: number): InputSeries[] => [
    {
      series: requestCountSeries(USER_ROUTE, '2xx'),
      values: grows(rpm * 0.98, rpm * 0.4),
    },
    {
      series: requestCountSeries(USER_ROUTE, '4xx'),
      values: grows(rpm * 0.52, rpm * 1.1),
    },
    {
      series: requestCountSeries(NON_USER_ROUTES[1], '2xx'),
      values: grows(rpm * 5, rpm * 5),
    },
    {
      series: selector(AUTH_TOKEN_VERIFICATIONS, [...pod, m('outcome', 'accepted')]),
      values: grows(rpm * 0.98, rpm * 0.4),
    },
    {
      series: selector(AUTH_TOKEN_VERIFICATIONS, [...pod, m('outcome', 'expired')]),
      values: grows(rpm * 0.02, rpm * 0.3),
    },
    {
      series: selector(AUTH_TOKEN_VERIFICATIONS, [...pod, m('outcome', 'invalid')]),
      values: grows(0, rpm * 0.3),
    },
    {
      series: selector(AUTH_TOKEN_VERIFICATIONS, [...pod, m('outcome', 'missing')]),
      values: grows(rpm * 0.5, rpm * 0.5),
    },
  ];
  const busy = alert.minWholePerSecond! * 60 * 10;
  const quiet = (alert.minWholePerSecond! * 60) / 4;
  return [
    {
      name: `${alert.alert}: 2% of ${busy} req/min refused, then 60% from minute ${changeAt}`,
      interval: '1m',
      input_series: scenario(busy),
      alert_rule_test: [
        { eval_time: `${changeAt - 1}m`, alertname: alert.alert, exp_alerts: [] },
        { eval_time: `${changeAt + forMinutes - 2}m`, alertname: alert.alert, exp_alerts: [] },
        {
          eval_time: `${changeAt + windowMinutes + forMinutes + 2}m`,
          alertname: alert.alert,
          exp_alerts: [{ exp_labels: { namespace: API_WORKLOAD.namespace, severity: alert.severity } }],
        },
      ],
    },
    {
      name: `${alert.alert}: the same jump at ${quiet} req/min`,
      interval: '1m',
      input_series: scenario(quiet),
      alert_rule_test: [{ eval_time: `${horizon}m`, alertname: alert.alert, exp_alerts: [] }],
    },
  ];
}

/** One example series of the alert's gauge: a value for each label it groups by, and its matchers' values. */
function exampleSeries(alert: GaugeAlert): { labels: Record<string, string>; series: string } {
  // Every series is a pod's, even when the alert aggregates the pods away.
  const labels: Record<string, string> = { [API_WORKLOAD.prometheusLabels.pod]: POD };
  for (const label of alert.by) labels[label] = EXAMPLE_LABEL_VALUES[label] ?? 'example';
  for (const matcher of alert.matchers) labels[matcher.label] = matcher.value;
  const series = selector(
    alert.metric,
    Object.entries(labels).map(([label, value]) => ({ label, op: '=', value })),
  );
  return { labels, series };
}

/** A gauge alert stays silent below its threshold and fires `for` after the gauge crosses it. */
function gaugeAlertTest(alert: GaugeAlert): PromtoolTestGroup {
  const forMinutes = durationSeconds(alert.for) / 60;
  const riseAt = 30;
  const below = alert.threshold / 2;
  const above = alert.threshold > 0 ? alert.threshold * 2 : 3;
  const { labels, series } = exampleSeries(alert);
  const expLabels = Object.fromEntries(alert.by.map((label) => [label, labels[label]]));
  return {
    name: `${alert.alert}: ${alert.metric} rises from ${below} to ${above} at minute ${riseAt}`,
    interval: '1m',
    input_series: [{ series, values: `${below}x${riseAt - 1} ${above}x${riseAt + forMinutes * 2}` }],
    alert_rule_test: [
      { eval_time: `${riseAt - 1}m`, alertname: alert.alert, exp_alerts: [] },
      { eval_time: `${riseAt + forMinutes - 2}m`, alertname: alert.alert, exp_alerts: [] },
      {
        eval_time: `${riseAt + forMinutes + 2}m`,
        alertname: alert.alert,
        exp_alerts: [{ exp_labels: { ...expLabels, severity: alert.severity } }],
      },
    ],
  };
}

/** Breaker states as the service exports them in `circuit_breaker_state`. */
const BREAKER_STATES = { closed: 0, halfOpen: 1, open: 2 } as const;

/**
 * A breaker alert stays silent while its breaker is closed or half-open however long, and while it opens for
 * less than `for` (a trial call failed, then succeeded); it fires once the breaker stays open for `for`. A
 * second pod's breaker opens and closes all along: an alert that aggregates pods still fires once.
 */
function breakerAlertTest(alert: GaugeAlert): PromtoolTestGroup {
  const forMinutes = durationSeconds(alert.for) / 60;
  const { closed, halfOpen, open } = BREAKER_STATES;
  const { labels, series } = exampleSeries(alert);
  // Minutes 0-19 closed, 20-39 half-open, a brief opening shorter than `for`, half-open, then open for good.
  const brief = Math.max(forMinutes - 1, 0);
  const openAt = 40 + brief + 10;
  const values = [
    `${closed}x19`,
    `${halfOpen}x19`,
    ...(brief > 0 ? [`${open}x${brief - 1}`] : []),
    `${halfOpen}x9`,
    `${open}x${forMinutes * 3}`,
  ].join(' ');
  // A second pod's breaker opens for good at the same minute: an alert per pod fires twice, an alert that
  // aggregates the pods fires once.
  const expected = [labels, { ...labels, [API_WORKLOAD.prometheusLabels.pod]: OTHER_POD }].map((l) =>
    JSON.stringify({
      ...Object.fromEntries(alert.by.map((label) => [label, l[label]])),
      severity: alert.severity,
    }),
  );
  const exp_alerts = [...new Set(expected)].map((json) => ({
    exp_labels: JSON.parse(json) as Record<string, string>,
  }));
  return {
    name: `${alert.alert}: breaker closed, half-open${brief > 0 ? `, open for ${brief}m (less than ${alert.for})` : ''}, then open for good at minute ${openAt}, with a second pod (${exp_alerts.length} alert${exp_alerts.length > 1 ? 's' : ''})`,
    interval: '1m',
    input_series: [
      { series, values },
      { series: series.replace(POD, OTHER_POD), values: `${closed}x${openAt - 1} ${open}x${forMinutes * 3}` },
    ],
    alert_rule_test: [
      { eval_time: '19m', alertname: alert.alert, exp_alerts: [] },
      { eval_time: '39m', alertname: alert.alert, exp_alerts: [] },
      { eval_time: `${openAt - 1}m`, alertname: alert.alert, exp_alerts: [] },
      { eval_time: `${openAt + forMinutes - 1}m`, alertname: alert.alert, exp_alerts: [] },
      { eval_time: `${openAt + forMinutes + 1}m`, alertname: alert.alert, exp_alerts },
    ],
  };
}

/**
 * A counter alert stays silent while its counters are healthy and until `for` after they change, then fires
 * with the labels of the series that changed.
 */
function rateAlertTest(alert: RateAlert): PromtoolTestGroup {
  const counters = RATE_ALERT_SCENARIOS[alert.alert];
  if (!counters) throw new Error(`${alert.alert} has no scenario in RATE_ALERT_SCENARIOS`);
  const forMinutes = durationSeconds(alert.for) / 60;
  const windowMinutes = durationSeconds(alert.window) / 60;
  const changeAt = 30;
  const horizon = changeAt + windowMinutes + forMinutes * 2;
  // The scenarios are series of one counter: a ratio of two different counters needs its own scenario shape.
  if (alert.whole && alert.whole.metric !== alert.part.metric) {
    throw new Error(`${alert.alert}: scenarios only cover a ratio within one counter`);
  }
  const { namespace, pod } = API_WORKLOAD.prometheusLabels;
  const input_series = counters.map((c) => {
    const labels = { [namespace]: API_WORKLOAD.namespace, [pod]: POD, ...c.labels };
    const rest = horizon - changeAt - 1;
    return {
      series: selector(
        alert.part.metric,
        Object.entries(labels).map(([label, value]) => ({ label, op: '=', value })),
      ),
      values: `0+${round(c.before)}x${changeAt} ${round(c.before * changeAt + c.after)}+${round(c.after)}x${rest}`,
    };
  });
  // The first counter of a scenario carries the labels of the one alert expected to fire.
  const firing: Record<string, string> = {
    [namespace]: API_WORKLOAD.namespace,
    [pod]: POD,
    ...counters[0].labels,
  };
  const expLabels = Object.fromEntries(alert.by.map((label) => [label, firing[label]]));
  return {
    name: `${alert.alert}: ${alert.part.metric} changes at minute ${changeAt}`,
    interval: '1m',
    input_series,
    alert_rule_test: [
      { eval_time: `${changeAt - 1}m`, alertname: alert.alert, exp_alerts: [] },
      { eval_time: `${changeAt + forMinutes - 2}m`, alertname: alert.alert, exp_alerts: [] },
      {
        eval_time: `${changeAt + windowMinutes + forMinutes + 2}m`,
        alertname: alert.alert,
        exp_alerts: [{ exp_labels: { ...expLabels, severity: alert.severity } }],
      },
    ],
  };
}

/**
 * The canary alerts, on series as Prometheus stores the controller's: a failed analysis that aborts the rollout
 * raises ApiCanaryAnalysisFailed alone; a rollout that times out and aborts with no failed run (pods never ready)
 * raises ApiRolloutAborted alone; an inconclusive run holding the rollout paused raises
 * ApiCanaryAnalysisInconclusive once the pause outlasts every pause step, and an old inconclusive run during a
 * planned pause does not.
 */
function canaryAlertTests(): PromtoolTestGroup[] {
  const forMinutes = durationSeconds(CANARY_ANALYSIS_FAILED_FOR) / 60;
  const failAt = 20;
  const horizon = failAt + forMinutes + 10;
  const run = `${API_WORKLOAD.name}-5d8c7b9f4-3-2`;
  const oldRun = `${API_WORKLOAD.name}-7f6b5c4d3-2-2`;
  // As Prometheus stores them: the controller's own namespace on `namespace`, the object's renamed.
  const series = (metric: string, labels: Record<string, string>) =>
    selector(metric, [
      { label: 'namespace', op: '=', value: 'argo-rollouts' },
      { label: ARGO_OBJECT_NAMESPACE_LABEL, op: '=', value: API_WORKLOAD.namespace },
      ...Object.entries(labels).map(([label, value]) => ({ label, op: '=' as const, value })),
    ]);
  const rollout = (phase: string) => series(ROLLOUT_INFO, { name: API_WORKLOAD.name, phase });
  const analysis = (name: string, phase: string) => series(ANALYSIS_RUN_INFO, { name, phase });
  // A gauge of value 1 from minute `from` up to, not including, `to` (the phase label changed), else absent.
  // Marked stale when it ends, as Prometheus does when a scrape no longer has the series.
  const during = (from: number, to: number, end: number) =>
    [from > 0 ? `_x${from}` : '', `1x${to - from - 1}`, end >= to ? `stale _x${end - to}` : '']
      .filter(Boolean)
      .join(' ');
  const silent = (alertname: string, eval_time: string) => ({ eval_time, alertname, exp_alerts: [] });
  const aborted = ROLLOUT_PHASES.aborted;
  const timeoutAt = failAt;
  const abortAt = failAt + 1;
  const inconclusiveFor = durationSeconds(CANARY_ANALYSIS_INCONCLUSIVE_FOR) / 60;
  const pauseEnd = horizon + inconclusiveFor + 10;
  const plannedPause = Math.max(...DEFAULT_CANARY_STEPS.map((step) => durationSeconds(step.pause) / 60));
  return [
    {
      name: `${CANARY_ANALYSIS_FAILED_ALERT}: the analysis fails at minute ${failAt} and the rollout aborts`,
      interval: '1m',
      input_series: [
        { series: analysis(run, 'Running'), values: during(0, failAt, horizon) },
        { series: analysis(run, ANALYSIS_PHASES.failed), values: during(failAt, horizon + 1, horizon) },
        { series: rollout('Progressing'), values: during(0, failAt, horizon) },
        { series: rollout(aborted), values: during(failAt, horizon + 1, horizon) },
      ],
      alert_rule_test: [
        silent(CANARY_ANALYSIS_FAILED_ALERT, `${failAt - 1}m`),
        {
          eval_time: `${failAt + forMinutes + 2}m`,
          alertname: CANARY_ANALYSIS_FAILED_ALERT,
          exp_alerts: [
            {
              exp_labels: {
                [ARGO_OBJECT_NAMESPACE_LABEL]: API_WORKLOAD.namespace,
                name: run,
                phase: ANALYSIS_PHASES.failed,
                severity: 'ticket',
              },
            },
          ],
        },
        silent(ROLLOUT_ABORTED_ALERT, `${failAt + forMinutes + 2}m`),
      ],
    },
    {
      name: `${CANARY_ANALYSIS_FAILED_ALERT}: an earlier failed run is still listed, the rollout is healthy`,
      interval: '1m',
      input_series: [
        { series: analysis(run, ANALYSIS_PHASES.failed), values: `1x${horizon}` },
        { series: rollout('Completed'), values: `1x${horizon}` },
      ],
      alert_rule_test: [
        silent(CANARY_ANALYSIS_FAILED_ALERT, `${horizon}m`),
        silent(ROLLOUT_ABORTED_ALERT, `${horizon}m`),
      ],
    },
    {
      name: `${ROLLOUT_ABORTED_ALERT}: the canary pods never become ready, the rollout times out at minute ${timeoutAt} and aborts, no analysis ran`,
      interval: '1m',
      input_series: [
        { series: rollout('Progressing'), values: during(0, timeoutAt, horizon) },
        { series: rollout(ROLLOUT_PHASES.timedOut), values: during(timeoutAt, abortAt, horizon) },
        { series: rollout(aborted), values: during(abortAt, horizon + 1, horizon) },
      ],
      alert_rule_test: [
        silent(ROLLOUT_ABORTED_ALERT, `${timeoutAt - 1}m`),
        {
          eval_time: `${abortAt + forMinutes + 2}m`,
          alertname: ROLLOUT_ABORTED_ALERT,
          exp_alerts: [
            {
              exp_labels: {
                [ARGO_OBJECT_NAMESPACE_LABEL]: API_WORKLOAD.namespace,
                name: API_WORKLOAD.name,
                phase: aborted,
                severity: 'ticket',
              },
            },
          ],
        },
        silent(CANARY_ANALYSIS_FAILED_ALERT, `${abortAt + forMinutes + 2}m`),
      ],
    },
    {
      name: `${CANARY_ANALYSIS_INCONCLUSIVE_ALERT}: the analysis is inconclusive at minute ${failAt} and the rollout pauses`,
      interval: '1m',
      input_series: [
        { series: analysis(run, 'Running'), values: during(0, failAt, pauseEnd) },
        {
          series: analysis(run, ANALYSIS_PHASES.inconclusive),
          values: during(failAt, pauseEnd + 1, pauseEnd),
        },
        { series: rollout('Progressing'), values: during(0, failAt, pauseEnd) },
        { series: rollout(ROLLOUT_PHASES.paused), values: during(failAt, pauseEnd + 1, pauseEnd) },
      ],
      alert_rule_test: [
        silent(CANARY_ANALYSIS_INCONCLUSIVE_ALERT, `${failAt + inconclusiveFor - 2}m`),
        {
          eval_time: `${failAt + inconclusiveFor + 2}m`,
          alertname: CANARY_ANALYSIS_INCONCLUSIVE_ALERT,
          exp_alerts: [
            {
              exp_labels: {
                [ARGO_OBJECT_NAMESPACE_LABEL]: API_WORKLOAD.namespace,
                name: run,
                phase: ANALYSIS_PHASES.inconclusive,
                severity: 'ticket',
              },
            },
          ],
        },
      ],
    },
    {
      name: `${CANARY_ANALYSIS_INCONCLUSIVE_ALERT}: an old inconclusive run is still listed while the next rollout pauses ${plannedPause}m at a step`,
      interval: '1m',
      input_series: [
        { series: analysis(oldRun, ANALYSIS_PHASES.inconclusive), values: `1x${pauseEnd}` },
        {
          series: rollout('Progressing'),
          values: `1x${failAt - 1} stale _x${plannedPause - 1} 1x${pauseEnd - failAt - plannedPause}`,
        },
        { series: rollout(ROLLOUT_PHASES.paused), values: during(failAt, failAt + plannedPause, pauseEnd) },
      ],
      alert_rule_test: [silent(CANARY_ANALYSIS_INCONCLUSIVE_ALERT, `${failAt + plannedPause + 1}m`)],
    },
  ];
}

function byLength(a: string, b: string): number {
  return durationSeconds(a) - durationSeconds(b);
}

/** Rounds away float noise (0.30000000000000004) before a number is printed into a test. */
function round(value: number): number {
  return Number(value.toPrecision(12));
}
