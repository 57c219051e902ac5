// The Alertmanager configuration of one regional cluster: who each alert reaches. Prometheus alerts use one
// severity vocabulary (`page` or `ticket`, dashboards/slo/burn-rate-windows.ts), the same as the CloudWatch
// alarms, and reach the same SNS topics of the region; the always-firing Watchdog goes to the heartbeat topic in
// the region that watches this one.
import type { Severity } from '../../dashboards/slo/burn-rate-windows';

/** Where the region's alerts go. */
export interface AlertmanagerDestinations {
  /** Region of the cluster (the SNS topics of each severity are in it). */
  readonly region: string;
  /** ARN of the topic of each severity. */
  readonly topicArns: Readonly<Record<Severity, string>>;
  /** ARN of the heartbeat topic, in `heartbeatRegion`. */
  readonly heartbeatTopicArn: string;
  /** Region of the heartbeat topic: another region, so a whole region lost is still noticed. */
  readonly heartbeatRegion: string;
}

/** How often the Watchdog heartbeat is published: several times per 5-minute CloudWatch period of the topic. */
export const HEARTBEAT_INTERVAL = '1m';

/** Labels alerts are grouped by: one notification per alert, region and cluster (Prometheus' external labels). */
export const ALERT_GROUP_BY = ['alertname', 'region', 'cluster'] as const;

/** Name of the receiver that drops what nobody acts on (the kube-prometheus-stack rules' `severity: info`). */
const DISCARD = 'discard';

// SNS refuses a Subject of 100 characters or more (Publish API reference), and Alertmanager's default subject
// lists every common label, so the subject is short by construction: status, alert name, region.
const SUBJECT = '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} in {{ .CommonLabels.region }}';

// What a person reads first: per alert, its summary and the two links they need.
const MESSAGE = [
  '{{ range .Alerts }}{{ .Status | toUpper }} {{ .Labels.alertname }} ({{ .Labels.severity }}) in {{ .Labels.region }}, cluster {{ .Labels.cluster }}',
  '{{ .Annotations.summary }}',
  '{{ if .Annotations.description }}{{ .Annotations.description }}{{ end }}',
  'Runbook: {{ .Annotations.runbook_url }}',
  '{{ if .Annotations.dashboard_url }}Dashboard: {{ .Annotations.dashboard_url }}{{ end }}',
  'Since: {{ .StartsAt }}',
  '',
  '{{ end }}',
].join('\n');

/** One SNS receiver: SigV4 with the pod's own credentials (IRSA), never a key in the configuration. */
function snsReceiver(name: string, topicArn: string, region: string, sendResolved: boolean) {
  return {
    name,
    sns_configs: [
      {
        topic_arn: topicArn,
        sigv4: { region },
        subject: SUBJECT,
        message: MESSAGE,
        send_resolved: sendResolved,
      },
    ],
  };
}

/**
 * The Alertmanager configuration (the `alertmanager.config` value of kube-prometheus-stack, which replaces the
 * chart's default route to a `null` receiver). Pages repeat every hour until resolved; tickets once a day.
 */
export function alertmanagerConfig(destinations: AlertmanagerDestinations): Record<string, unknown> {
  const { region, topicArns } = destinations;
  return {
    global: { resolve_timeout: '5m' },
    route: {
      // Anything not routed below (the chart's own `critical` and `warning` rules) is a ticket: seen by a person
      // in working hours, never silently dropped.
      receiver: 'ticket',
      group_by: [...ALERT_GROUP_BY],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '24h',
      routes: [
        {
          receiver: 'heartbeat',
          matchers: ['alertname = "Watchdog"'],
          group_wait: '0s',
          group_interval: HEARTBEAT_INTERVAL,
          repeat_interval: HEARTBEAT_INTERVAL,
        },
        { receiver: 'page', matchers: ['severity = "page"'], repeat_interval: '1h' },
        { receiver: 'ticket', matchers: ['severity = "ticket"'] },
        { receiver: DISCARD, matchers: ['severity = "info"'] },
      ],
    },
    inhibit_rules: [
      // A ticket adds nothing while the same alert pages for the same region and cluster.
      {
        source_matchers: ['severity = "page"'],
        target_matchers: ['severity = "ticket"'],
        equal: [...ALERT_GROUP_BY],
      },
    ],
    receivers: [
      snsReceiver('page', topicArns.page, region, true),
      snsReceiver('ticket', topicArns.ticket, region, true),
      // The heartbeat's only reader is a CloudWatch alarm counting messages: a resolved one would be a lie.
      snsReceiver('heartbeat', destinations.heartbeatTopicArn, destinations.heartbeatRegion, false),
      { name: DISCARD },
    ],
    templates: ['/etc/alertmanager/config/*.tmpl'],
  };
}
