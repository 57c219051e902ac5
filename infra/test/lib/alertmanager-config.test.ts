import { ENVIRONMENT_NAMES, loadPlatformConfig } from '../../config/platform-config';
import { alertNames, prometheusRuleFiles } from '../../../dashboards/prometheus/prometheus-rule-files';
import {
  alertmanagerConfig,
  ALERT_GROUP_BY,
  type AlertmanagerDestinations,
} from '../../lib/alertmanager-config';
import {
  requireAlertmanager,
  runAmtool,
  startAlertmanager,
  writeConfigFile,
  type AlertmanagerServer,
} from '../helpers/alertmanager';
import { startSnsPublishEndpoint, type SnsPublishEndpoint } from '../helpers/sns-publish-endpoint';

const DESTINATIONS: AlertmanagerDestinations = {
  region: 'eu-west-1',
  topicArns: {
    page: 'arn:aws:sns:eu-west-1:111111111111:api-platform-dev-eu-west-1-page',
    ticket: 'arn:aws:sns:eu-west-1:111111111111:api-platform-dev-eu-west-1-ticket',
  },
  heartbeatTopicArn: 'arn:aws:sns:us-east-1:111111111111:api-platform-dev-eu-west-1-heartbeat',
  heartbeatRegion: 'us-east-1',
};

/** Every Prometheus alert any environment generates: the longest name must still make a valid SNS subject. */
const ALERT_NAMES = [
  ...new Set(ENVIRONMENT_NAMES.flatMap((env) => alertNames(prometheusRuleFiles(loadPlatformConfig(env))))),
];
const LONGEST_ALERT_NAME = ALERT_NAMES.reduce((a, b) => (b.length > a.length ? b : a));

type Receiver = { name: string; sns_configs?: Record<string, unknown>[] };

/**
 * The generated configuration pointed at the local SNS stand-in, with static test credentials (the pods sign with
 * their IRSA role instead) and 1-second grouping so a test does not wait the production 30 seconds. Routes,
 * receivers, templates and inhibition are the generated ones.
 */
function againstLocalSns(config: Record<string, unknown>, snsUrl: string): Record<string, unknown> {
  const route = config.route as Record<string, unknown> & { routes: Record<string, unknown>[] };
  return {
    ...config,
    route: {
      ...route,
      group_wait: '1s',
      routes: route.routes.map((child) => ({ ...child, group_wait: '1s' })),
    },
    receivers: (config.receivers as Receiver[]).map((receiver) => ({
      ...receiver,
      sns_configs: receiver.sns_configs?.map((sns) => ({
        ...sns,
        api_url: snsUrl,
        sigv4: { ...(sns.sigv4 as object), access_key: 'AKIDEXAMPLE', secret_key: 'test-secret' },
      })),
    })),
  };
}

async function eventually(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('alertmanagerConfig', () => {
  const config = alertmanagerConfig(DESTINATIONS);
  let configFile: ReturnType<typeof writeConfigFile>;

  beforeAll(() => {
    requireAlertmanager();
    configFile = writeConfigFile(config);
  });
  afterAll(() => configFile.remove());

  test('is a configuration the real Alertmanager accepts, as generated', () => {
    // WHEN
    const result = runAmtool(['check-config', configFile.file]);
    // THEN
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  test.each([
    [
      'the always-firing Watchdog, to the heartbeat in the watching region',
      'heartbeat',
      { alertname: 'Watchdog', severity: 'none' },
    ],
    ['severity page', 'page', { alertname: 'ApiAvailabilityErrorBudgetBurn', severity: 'page' }],
    ['severity ticket', 'ticket', { alertname: 'ApiCacheHitRatioLow', severity: 'ticket' }],
    ["the chart's critical rules, as tickets", 'ticket', { alertname: 'KubeAPIDown', severity: 'critical' }],
    [
      "the chart's warning rules, as tickets",
      'ticket',
      { alertname: 'KubePodCrashLooping', severity: 'warning' },
    ],
    ['an alert with no severity, as a ticket rather than nowhere', 'ticket', { alertname: 'Unlabelled' }],
    ["the chart's info rules, to no one", 'discard', { alertname: 'KubeQuotaAlmostFull', severity: 'info' }],
  ])('routes %s', (_what, receiver, labels) => {
    // WHEN
    const result = runAmtool([
      'config',
      'routes',
      'test',
      `--config.file=${configFile.file}`,
      `--verify.receivers=${receiver}`,
      ...Object.entries(labels).map(([name, value]) => `${name}=${value}`),
    ]);
    // THEN
    expect(result.stdout.trim()).toBe(receiver);
    expect(result.code).toBe(0);
  });

  describe('delivering to SNS', () => {
    let sns: SnsPublishEndpoint;
    let alertmanager: AlertmanagerServer;
    const common = { region: 'eu-west-1', cluster: 'api-platform-dev-api' };

    beforeAll(async () => {
      sns = await startSnsPublishEndpoint();
      alertmanager = await startAlertmanager(againstLocalSns(config, sns.url));
      // GIVEN the same alert as a page and as a ticket, another ticket, and the heartbeat
      await alertmanager.post([
        {
          labels: { ...common, alertname: LONGEST_ALERT_NAME, severity: 'page' },
          annotations: { summary: 'Budget burning fast.', runbook_url: 'https://runbooks.example/Long.md' },
        },
        { labels: { ...common, alertname: LONGEST_ALERT_NAME, severity: 'ticket' } },
        {
          labels: { ...common, alertname: 'ApiCacheHitRatioLow', severity: 'ticket' },
          annotations: { summary: 'Cache hit ratio low.', runbook_url: 'https://runbooks.example/Cache.md' },
        },
        { labels: { ...common, alertname: 'Watchdog', severity: 'none' } },
      ]);
      await eventually(() => sns.published.length >= 3, 'three notifications');
      // Long enough for an inhibited ticket to have been sent, were it not inhibited.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }, 30_000);
    afterAll(async () => {
      await alertmanager?.stop();
      await sns?.close();
    });

    const toTopic = (arn: string) => sns.published.filter((message) => message.topicArn === arn);

    test('pages on the page topic with a subject SNS accepts for the longest alert name, and the runbook in the message', () => {
      // THEN
      const [page] = toTopic(DESTINATIONS.topicArns.page);
      expect(page.subject).toBe(`[FIRING] ${LONGEST_ALERT_NAME} in eu-west-1`);
      expect(page.message).toContain('Budget burning fast.');
      expect(page.message).toContain('Runbook: https://runbooks.example/Long.md');
      expect(page.message).toContain('cluster api-platform-dev-api');
    });

    test('does not also ticket an alert that pages for the same region and cluster', () => {
      // THEN
      const tickets = toTopic(DESTINATIONS.topicArns.ticket);
      expect(tickets.map((ticket) => ticket.subject)).toEqual(['[FIRING] ApiCacheHitRatioLow in eu-west-1']);
      expect(ALERT_GROUP_BY).toEqual(['alertname', 'region', 'cluster']);
    });

    test('signs each publish for the region of its topic: the heartbeat goes to the watching region', () => {
      // THEN
      const [heartbeat] = toTopic(DESTINATIONS.heartbeatTopicArn);
      expect(heartbeat.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/sns\//,
      );
      const [page] = toTopic(DESTINATIONS.topicArns.page);
      expect(page.authorization).toMatch(/\/eu-west-1\/sns\//);
    });
  });
});
