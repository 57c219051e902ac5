import { Testing } from 'cdk8s';
import { grafanaDashboards } from '../../../dashboards/grafana/write-grafana-dashboards';
import { canaryAnalysisQueries } from '../../../dashboards/prometheus/canary-analysis-queries';
import { prometheusRuleFiles } from '../../../dashboards/prometheus/prometheus-rule-files';
import { API_WORKLOAD } from '../../../dashboards/slo/api-workload';
import { apiSlos } from '../../../dashboards/slo/slo-definition';
import {
  allRegions,
  ENVIRONMENT_NAMES,
  loadPlatformConfig,
  type PlatformConfig,
  type RegionConfig,
} from '../../../infra/config/platform-config';
import { parseConfig, parseRelayConfig } from '../../../service/src/config';
import { LIVENESS_PATH, METRICS_PATH, READINESS_PATH } from '../../../service/src/probe-paths';
import { ApiChart, POD_READINESS_GATE_LABEL } from '../../charts/api-chart';
import { CANARY_HASH_ARG } from '../../constructs/canary-analysis-template';
import { MIGRATION_COMMAND } from '../../constructs/migration-job';
import { RELAY_COMMAND } from '../../constructs/outbox-relay-deployment';
import { sqsPublishBoundMs } from '../../../service/src/outbox/sqs-event-sink';
import { SECRET_ENVIRONMENT_KEYS } from '../../lib/api-environment';
import { DATA_CLIENT_POD_LABELS } from '../../lib/api-labels';
import { CLUSTER_ADDONS } from '../../lib/cluster-addons';
import { placeholderSecretSources } from '../../lib/placeholder-secret-sources';
import { RELAY_SECRET_ENVIRONMENT } from '../../lib/relay-environment';
import { REQUESTS_PER_SECOND_METRIC } from '../../lib/requests-per-second-metric';
import { maxOldSpaceSizeMb, mebibytes } from '../../lib/workload-sizing';
import { validateManifest, type Manifest } from '../helpers/validate-manifest';

// Loose views of the synthesized objects: the tests read fields, the schema check vouches for shapes.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

const TARGET_GROUP_ARN =
  'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/api/0123456789abcdef';

function synth(
  config: PlatformConfig,
  region: RegionConfig,
  extra: {
    serviceAccountRoleArn?: string;
    relayServiceAccountRoleArn?: string;
    eventQueueUrl?: string;
    targetGroupArn?: string;
  } = {},
) {
  const chart = new ApiChart(Testing.app(), 'api', {
    config,
    region,
    secretSources: placeholderSecretSources(config, region),
    ...extra,
  });
  return Testing.synth(chart) as Manifest[];
}

/** Dashboards keep their file names and rule groups their rule names: dashboards/ tests their content. */
function elideGolden(manifest: Manifest): Manifest {
  const m = manifest as Any;
  if (m.metadata.labels?.grafana_dashboard === '1') return { ...m, data: Object.keys(m.data) };
  if (m.kind === 'PrometheusRule') {
    const groups = m.spec.groups.map((g: Any) => ({
      name: g.name,
      rules: g.rules.map((r: Any) => r.alert ?? r.record),
    }));
    return { ...m, spec: { groups } };
  }
  return manifest;
}

function find(manifests: readonly Manifest[], kind: string, name?: string): Any {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
}

const cases = ENVIRONMENT_NAMES.flatMap((envName) => {
  const config = loadPlatformConfig(envName);
  return allRegions(config).map((region) => [`${envName}/${region.region}`, config, region] as const);
});

describe.each(cases)('ApiChart %s', (_name, config, region) => {
  // GIVEN
  const { workload } = config;
  // WHEN
  const manifests = synth(config, region);
  const rollout = find(manifests, 'Rollout');
  const pod = rollout.spec.template.spec;
  const container = pod.containers[0];

  test('every object validates against its Kubernetes or CRD schema', () => {
    // GIVEN the chart as the CDK app builds it too, with the objects only it gets (the TargetGroupBinding)
    const inCdkApp = synth(config, region, {
      serviceAccountRoleArn: 'arn:aws:iam::111111111111:role/api',
      targetGroupArn: TARGET_GROUP_ARN,
    });
    // THEN
    expect(manifests.length).toBeGreaterThan(10);
    expect(inCdkApp.map((m) => m.kind)).toContain('TargetGroupBinding');
    for (const manifest of [...manifests, ...inCdkApp])
      expect(() => validateManifest(manifest)).not.toThrow();
  });

  test('emits no Secret and no credential: secrets come from the ExternalSecret', () => {
    // THEN
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    const text = JSON.stringify(manifests);
    expect(text).not.toMatch(/postgres(ql)?:\/\/[^{"]*:[^{"]*@/);
    const env = find(manifests, 'ConfigMap', `${API_WORKLOAD.name}-config`).data;
    for (const key of SECRET_ENVIRONMENT_KEYS) expect(env).not.toHaveProperty(key);
    const external = find(manifests, 'ExternalSecret', `${API_WORKLOAD.name}-secrets`);
    expect(Object.keys(external.spec.target.template.data).sort()).toEqual(
      [...SECRET_ENVIRONMENT_KEYS].sort(),
    );
    // Only the migration Job's Secret carries the master password, and only the Job reads it.
    const migration = find(manifests, 'ExternalSecret', `${API_WORKLOAD.name}-migration-secrets`);
    expect(JSON.stringify(external)).not.toContain('dbPassword');
    expect(JSON.stringify(migration)).toContain('dbPassword');
    const readers = manifests.filter((m) =>
      JSON.stringify(m).includes(`"name":"${migration.metadata.name}"`),
    );
    expect(readers.map((m) => m.kind).sort()).toEqual(['ExternalSecret', 'Job']);
    expect(external.spec.secretStoreRef).toEqual({
      kind: 'ClusterSecretStore',
      name: CLUSTER_ADDONS.clusterSecretStoreName,
    });
  });

  test('the ConfigMap plus the secret keys form an environment the service accepts', () => {
    // GIVEN
    const env = find(manifests, 'ConfigMap', `${API_WORKLOAD.name}-config`).data;
    const secrets = {
      DATABASE_URL: 'postgresql://u:p@writer:5432/postgres',
      DATABASE_READER_URL: 'postgresql://u:p@reader:5432/postgres',
      REDIS_URL: 'rediss://:t@cache:6379',
    };
    // WHEN
    const parsed = parseConfig({ ...env, ...secrets });
    // THEN
    expect(parsed.server).toMatchObject({
      host: '0.0.0.0',
      port: workload.containerPort,
      shutdownDrainDelayMs: workload.shutdownDrainDelayMs,
      shutdownTimeoutMs: workload.shutdownTimeoutMs,
    });
    // The client-side bound on a query follows the server's statement_timeout (the cluster parameter group).
    expect(parsed.database.statementTimeoutMs).toBe(config.database.statementTimeoutMs);
    expect(env.NODE_OPTIONS).toBe(
      `--max-old-space-size=${maxOldSpaceSizeMb(workload.resources.memoryLimit)}`,
    );
  });

  test('probes use the service routes on the container port, and no probe depends on the database but readiness', () => {
    // THEN
    expect(container.ports).toEqual([
      { name: 'http', containerPort: workload.containerPort, protocol: 'TCP' },
    ]);
    expect(container.readinessProbe.httpGet).toEqual({ path: READINESS_PATH, port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: LIVENESS_PATH, port: 'http' });
    expect(container.startupProbe.httpGet).toEqual({ path: LIVENESS_PATH, port: 'http' });
    const startupBudget = container.startupProbe.periodSeconds * container.startupProbe.failureThreshold;
    expect(startupBudget).toBeLessThanOrEqual(120);
    // A restart needs longer silence than a slow database makes readiness wait.
    const livenessBudget = container.livenessProbe.periodSeconds * container.livenessProbe.failureThreshold;
    expect(livenessBudget).toBeGreaterThanOrEqual(30);
  });

  test('the grace period covers the drain delay and the shutdown timeout', () => {
    // THEN
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(
      workload.shutdownDrainDelayMs + workload.shutdownTimeoutMs,
    );
    // Distroless: no shell, so no exec preStop hook that would fail.
    expect(container.lifecycle).toBeUndefined();
  });

  test('pods meet the restricted Pod Security profile with a pinned image', () => {
    // THEN
    expect(find(manifests, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe(
      'restricted',
    );
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    const job = find(manifests, 'Job');
    for (const c of [container, job.spec.template.spec.containers[0]]) {
      expect(c.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(c.image).toMatch(
        new RegExp(`\\.dkr\\.ecr\\.${region.region}\\.amazonaws\\.com/.+:${workload.image.tag}$`),
      );
      expect(c.image).not.toMatch(/:latest$/);
    }
    expect(job.spec.template.spec.containers[0].command).toEqual([...MIGRATION_COMMAND]);
  });

  test('the migration job reaches Aurora over verify-full TLS too, with no volume to mount', () => {
    // GIVEN
    const jobPod = find(manifests, 'Job').spec.template.spec;
    const env = Object.fromEntries(
      jobPod.containers[0].env.map((variable: Any) => [variable.name, variable.value ?? variable.valueFrom]),
    );
    // THEN
    expect(env).toMatchObject({ DATABASE_SSL_MODE: 'verify-full' });
    expect(Object.keys(env).sort()).toEqual(['DATABASE_SSL_MODE', 'DATABASE_URL']);
    expect(jobPod.volumes).toBeUndefined();
    expect(jobPod.containers[0].volumeMounts).toBeUndefined();
  });

  test('resources, priority and spread come from the workload configuration', () => {
    // THEN
    expect(container.resources).toEqual({
      requests: { cpu: workload.resources.cpuRequest, memory: workload.resources.memoryRequest },
      limits: { cpu: workload.resources.cpuLimit, memory: workload.resources.memoryLimit },
    });
    expect(maxOldSpaceSizeMb(workload.resources.memoryLimit)).toBeLessThan(
      mebibytes(workload.resources.memoryLimit),
    );
    expect(pod.priorityClassName).toBe(workload.priorityClassName);
    expect(find(manifests, 'PriorityClass', workload.priorityClassName)).toBeDefined();
    expect(pod.topologySpreadConstraints.map((c: Any) => c.topologyKey)).toEqual([
      'topology.kubernetes.io/zone',
      'kubernetes.io/hostname',
    ]);
    expect(find(manifests, 'PodDisruptionBudget', API_WORKLOAD.name).spec.maxUnavailable).toBe(1);
  });

  test('the HPA scales the Rollout between the configured bounds on CPU and requests per second', () => {
    // WHEN
    const hpa = find(manifests, 'HorizontalPodAutoscaler');
    // THEN
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: API_WORKLOAD.name,
    });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([
      workload.replicas.min,
      workload.replicas.max,
    ]);
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(workload.targetCpuUtilizationPercent);
    expect(hpa.spec.metrics[1].pods).toEqual({
      metric: { name: REQUESTS_PER_SECOND_METRIC },
      target: { type: 'AverageValue', averageValue: String(workload.targetRequestsPerSecondPerPod) },
    });
    expect(hpa.spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
    // The HPA owns the replica count.
    expect(rollout.spec.replicas).toBeUndefined();
  });

  test('the canary is analysed with exactly the SLO queries from dashboards/', () => {
    // GIVEN
    const expected = canaryAnalysisQueries(apiSlos(config), {
      podTemplateHash: `{{args.${CANARY_HASH_ARG}}}`,
    });
    // WHEN
    const template = find(manifests, 'AnalysisTemplate');
    // THEN
    expect(
      template.spec.metrics.map((m: Any) => [
        m.name,
        m.provider.prometheus.query,
        m.successCondition,
        m.failureCondition,
      ]),
    ).toEqual(expected.map((q) => [q.name, q.query, q.successCondition, q.failureCondition]));
    for (const metric of template.spec.metrics) {
      expect(metric.failureLimit).toBeGreaterThanOrEqual(0);
      expect(metric.inconclusiveLimit).toBeGreaterThan(0);
    }
    const canary = rollout.spec.strategy.canary;
    expect(canary.analysis.templates).toEqual([{ templateName: template.metadata.name }]);
    expect(canary.analysis.args).toEqual([
      { name: CANARY_HASH_ARG, valueFrom: { podTemplateHashValue: 'Latest' } },
    ]);
    const weights = canary.steps.filter((s: Any) => s.setWeight !== undefined).map((s: Any) => s.setWeight);
    expect(weights).toEqual([...weights].sort((a, b) => a - b));
    expect(canary.stableService).toBe(
      find(manifests, 'Service', `${API_WORKLOAD.name}-stable`).metadata.name,
    );
    expect(canary.canaryService).toBe(
      find(manifests, 'Service', `${API_WORKLOAD.name}-canary`).metadata.name,
    );
  });

  test('Prometheus scrapes each pod once, with the revision label the analysis selects by', () => {
    // WHEN
    const monitor = find(manifests, 'ServiceMonitor');
    const scraped = manifests.filter(
      (m) =>
        m.kind === 'Service' &&
        Object.entries(monitor.spec.selector.matchLabels).every(
          ([k, v]) => (m.metadata.labels as Any)?.[k] === v,
        ),
    );
    // THEN
    expect(scraped.map((s) => s.metadata.name)).toEqual([API_WORKLOAD.name]);
    expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: METRICS_PATH, interval: '30s' }]);
    expect(monitor.spec.podTargetLabels).toContain(API_WORKLOAD.podTemplateHashLabelKey);
    const rules = manifests.filter((m) => m.kind === 'PrometheusRule');
    expect(rules.map((r) => (r as Any).spec.groups)).toEqual(
      prometheusRuleFiles(config).map((file) => JSON.parse(JSON.stringify(file.groups))),
    );
    const dashboards = manifests.filter(
      (m) => m.kind === 'ConfigMap' && (m.metadata.labels as Any)?.grafana_dashboard === '1',
    );
    expect(dashboards.map((m) => m.metadata.name).sort()).toEqual(
      grafanaDashboards(config)
        .map((d) => `grafana-dashboard-${d.uid}`)
        .sort(),
    );
    // The data-tier dashboard (CloudWatch) ships with the Prometheus ones.
    expect(dashboards.map((m) => m.metadata.name)).toContain(
      `grafana-dashboard-${config.platformName}-${config.envName}-data-tier`,
    );
  });

  test('the NetworkPolicy admits the VPC and Prometheus on the port, and egress only to DNS, PostgreSQL, Redis and HTTPS', () => {
    // WHEN
    const policy = find(manifests, 'NetworkPolicy', API_WORKLOAD.name).spec;
    // THEN
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.ingress[0].from[0]).toEqual({ ipBlock: { cidr: region.vpcCidr } });
    expect(policy.ingress[0].ports).toEqual([{ protocol: 'TCP', port: workload.containerPort }]);
    const egressPorts = policy.egress.flatMap((rule: Any) => rule.ports.map((p: Any) => p.port));
    expect([...new Set(egressPorts)].sort()).toEqual([443, 53, 5432, 6379].sort());
  });

  describe('the outbox relay', () => {
    // GIVEN
    const { outboxRelay } = config;
    const deployment = find(manifests, 'Deployment', API_WORKLOAD.relayName);
    const relayPod = deployment.spec.template.spec;
    const relay = relayPod.containers[0];
    const isPrimary = region.region === config.primaryRegion.region;

    test('runs the API image with the relay entry point, at least two replicas in the primary region only', () => {
      // THEN
      expect(relay.image).toBe(container.image);
      expect(relay.command).toEqual([...RELAY_COMMAND]);
      expect(deployment.spec.replicas).toBe(isPrimary ? outboxRelay.replicas : 0);
      if (isPrimary) expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
      expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
      const budget = find(manifests, 'PodDisruptionBudget', API_WORKLOAD.relayName).spec;
      expect(budget.maxUnavailable).toBe(1);
      expect(budget.selector).toEqual(deployment.spec.selector);
      // The relay pods are not API pods: no API Service, PDB or HPA counts them.
      expect(deployment.spec.template.metadata.labels[API_WORKLOAD.appLabelKey]).toBe(API_WORKLOAD.relayName);
    });

    test('probes the service routes on its own port, which its config parser reads from the ConfigMap', () => {
      // GIVEN
      const env = find(manifests, 'ConfigMap', `${API_WORKLOAD.relayName}-config`).data;
      // WHEN
      const parsed = parseRelayConfig({
        ...env,
        DATABASE_URL: 'postgresql://u:p@writer:5432/postgres',
      });
      // THEN
      expect(relay.ports).toEqual([
        { name: 'metrics', containerPort: outboxRelay.healthPort, protocol: 'TCP' },
      ]);
      expect(parsed.server).toEqual({ host: '0.0.0.0', port: outboxRelay.healthPort });
      expect(outboxRelay.healthPort).not.toBe(workload.containerPort);
      expect(relay.readinessProbe.httpGet).toEqual({ path: READINESS_PATH, port: 'metrics' });
      expect(relay.livenessProbe.httpGet).toEqual({ path: LIVENESS_PATH, port: 'metrics' });
      expect(relay.startupProbe.httpGet).toEqual({ path: LIVENESS_PATH, port: 'metrics' });
      expect(parsed.database.statementTimeoutMs).toBe(config.database.statementTimeoutMs);
      expect(env.NODE_OPTIONS).toBe(
        `--max-old-space-size=${maxOldSpaceSizeMb(outboxRelay.resources.memoryLimit)}`,
      );
      // The grace period covers the batch in progress at its slowest: connect, four statements, one publish.
      if (parsed.outbox.sink.kind !== 'sqs') throw new Error('the chart publishes to SQS');
      const batchMs =
        parsed.database.connectTimeoutMs +
        4 * (parsed.database.statementTimeoutMs + 1000) +
        sqsPublishBoundMs(parsed.outbox.sink.requestTimeoutMs);
      expect(relayPod.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(batchMs);
    });

    test('reads only the writer URL as its own database role, from the ExternalSecret, and no variable of the API', () => {
      // THEN
      expect(relay.env).toEqual(
        Object.entries(RELAY_SECRET_ENVIRONMENT).map(([name, key]) => ({
          name,
          valueFrom: {
            secretKeyRef: { name: find(manifests, 'ExternalSecret', 'api-secrets').metadata.name, key },
          },
        })),
      );
      expect(relay.envFrom).toEqual([{ configMapRef: { name: `${API_WORKLOAD.relayName}-config` } }]);
      const env = find(manifests, 'ConfigMap', `${API_WORKLOAD.relayName}-config`).data;
      for (const key of SECRET_ENVIRONMENT_KEYS) expect(env).not.toHaveProperty(key);
      expect(relay.env.map((variable: Any) => variable.name)).toEqual(['DATABASE_URL']);
    });

    test("publishes to the region's event queue, whose URL the standalone manifest derives from the config", () => {
      // WHEN
      const env = find(manifests, 'ConfigMap', `${API_WORKLOAD.relayName}-config`).data;
      // THEN
      expect(env).toMatchObject({
        OUTBOX_SINK: 'sqs',
        OUTBOX_SQS_QUEUE_URL: `https://sqs.${region.region}.amazonaws.com/${config.account}/${config.platformName}-${config.envName}-${region.region}-events`,
        AWS_REGION: region.region,
      });
    });

    test('is hardened exactly like the API, under its own ServiceAccount with no token', () => {
      // THEN
      expect(relay.securityContext).toEqual(container.securityContext);
      expect(relayPod.securityContext).toEqual(pod.securityContext);
      expect(relayPod.serviceAccountName).toBe(API_WORKLOAD.relayName);
      expect(relayPod.automountServiceAccountToken).toBe(false);
      expect(find(manifests, 'ServiceAccount', API_WORKLOAD.relayName).automountServiceAccountToken).toBe(
        false,
      );
      expect(relayPod.priorityClassName).toBe(workload.priorityClassName);
      expect(relay.resources).toEqual({
        requests: { cpu: outboxRelay.resources.cpuRequest, memory: outboxRelay.resources.memoryRequest },
        limits: { cpu: outboxRelay.resources.cpuLimit, memory: outboxRelay.resources.memoryLimit },
      });
    });

    test('admits only Prometheus, on the metrics port, and reaches only DNS, and PostgreSQL and HTTPS in the VPC', () => {
      // WHEN
      const policy = find(manifests, 'NetworkPolicy', API_WORKLOAD.relayName).spec;
      // THEN
      expect(policy.podSelector).toEqual(deployment.spec.selector);
      expect(policy.ingress).toEqual([
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': CLUSTER_ADDONS.monitoringNamespace },
              },
            },
          ],
          ports: [{ protocol: 'TCP', port: outboxRelay.healthPort }],
        },
      ]);
      const egressPorts = policy.egress.flatMap((rule: Any) => rule.ports.map((p: Any) => p.port));
      expect([...new Set(egressPorts)].sort()).toEqual([53, 5432, 443].sort());
      // HTTPS (SQS, STS) only to the VPC's interface endpoints, never to the internet.
      const https = policy.egress.filter((rule: Any) => rule.ports.some((p: Any) => p.port === 443));
      expect(https.flatMap((rule: Any) => rule.to)).toEqual([{ ipBlock: { cidr: region.vpcCidr } }]);
    });

    test('is scraped by a PodMonitor on its metrics port and path', () => {
      // WHEN
      const monitor = find(manifests, 'PodMonitor', API_WORKLOAD.relayName);
      // THEN
      expect(monitor.metadata.labels).toEqual(CLUSTER_ADDONS.prometheusSelectorLabels);
      expect(monitor.spec.selector).toEqual(deployment.spec.selector);
      expect(monitor.spec.podMetricsEndpoints).toEqual([
        { port: relay.ports[0].name, path: METRICS_PATH, interval: '30s' },
      ]);
    });
  });

  test("every pod that connects to the database carries the label that gets it the data stores' security group", () => {
    // GIVEN
    const templates = [rollout, find(manifests, 'Deployment'), find(manifests, 'Job')].map(
      (owner) => owner.spec.template,
    );
    // THEN
    for (const template of templates) expect(template.metadata.labels).toMatchObject(DATA_CLIENT_POD_LABELS);
  });
});

describe('ApiChart', () => {
  const dev = loadPlatformConfig('dev');

  test('annotates each ServiceAccount with its own IRSA role only when one is given', () => {
    // WHEN
    const withRole = synth(dev, dev.primaryRegion, {
      serviceAccountRoleArn: 'arn:aws:iam::111111111111:role/api',
      relayServiceAccountRoleArn: 'arn:aws:iam::111111111111:role/api-relay',
    });
    const without = synth(dev, dev.primaryRegion);
    // THEN
    expect(find(withRole, 'ServiceAccount', API_WORKLOAD.name).metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/api',
    });
    expect(find(without, 'ServiceAccount', API_WORKLOAD.name).metadata.annotations).toBeUndefined();
    // The relay's account gets the relay's role (publish events), never the API's (read secrets).
    expect(find(withRole, 'ServiceAccount', API_WORKLOAD.relayName).metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/api-relay',
    });
    expect(find(without, 'ServiceAccount', API_WORKLOAD.relayName).metadata.annotations).toBeUndefined();
  });

  test('passes the queue URL the infrastructure gives to the relay', () => {
    // GIVEN
    const eventQueueUrl = 'https://sqs.eu-west-1.amazonaws.com/111111111111/from-the-stack';
    // WHEN
    const manifests = synth(dev, dev.primaryRegion, { eventQueueUrl });
    // THEN
    expect(find(manifests, 'ConfigMap', `${API_WORKLOAD.relayName}-config`).data.OUTBOX_SQS_QUEUE_URL).toBe(
      eventQueueUrl,
    );
  });

  test('binds the pods to the target group only when one is given, with readiness gates on the namespace', () => {
    // GIVEN
    // WHEN
    const bound = synth(dev, dev.primaryRegion, { targetGroupArn: TARGET_GROUP_ARN });
    const unbound = synth(dev, dev.primaryRegion);
    // THEN
    const binding = find(bound, 'TargetGroupBinding');
    const service = bound.find(
      (m) => m.kind === 'Service' && m.metadata.name === binding.spec.serviceRef.name,
    );
    expect(binding.spec).toEqual({
      targetGroupARN: TARGET_GROUP_ARN,
      targetType: 'ip',
      serviceRef: { name: service?.metadata.name, port: dev.workload.containerPort },
    });
    expect(find(bound, 'Namespace').metadata.labels[POD_READINESS_GATE_LABEL]).toBe('enabled');
    expect(unbound.some((m) => m.kind === 'TargetGroupBinding')).toBe(false);
    expect(find(unbound, 'Namespace').metadata.labels[POD_READINESS_GATE_LABEL]).toBeUndefined();
  });

  test('rejects a region outside the configuration and an image without a release tag', () => {
    // GIVEN
    const foreign = { ...dev.primaryRegion, region: 'sa-east-1' };
    const sources = placeholderSecretSources(dev, dev.primaryRegion);
    // THEN
    expect(
      () => new ApiChart(Testing.app(), 'a', { config: dev, region: foreign, secretSources: sources }),
    ).toThrow(/region 'sa-east-1' is not a region of the 'dev' config/);
    expect(
      () =>
        new ApiChart(Testing.app(), 'b', {
          config: dev,
          region: dev.primaryRegion,
          secretSources: sources,
          image: 'example/api:latest',
        }),
    ).toThrow(/must carry a release tag/);
  });

  test('a deliberately broken object is caught by the schema check', () => {
    // GIVEN
    const manifests = synth(dev, dev.primaryRegion);
    const hpa = find(manifests, 'HorizontalPodAutoscaler');
    const broken = { ...hpa, spec: { ...hpa.spec, maxReplicas: 'many' } };
    const binding = find(
      synth(dev, dev.primaryRegion, {
        targetGroupArn: TARGET_GROUP_ARN,
      }),
      'TargetGroupBinding',
    );
    // THEN
    expect(() => validateManifest(broken)).toThrow();
    expect(() => validateManifest({ ...binding, spec: { ...binding.spec, targetType: 'pod' } })).toThrow(
      /spec\/targetType must be equal to one of the allowed values/,
    );
    expect(() => validateManifest({ ...hpa, kind: 'Unknown' })).toThrow(/no schema model/);
  });

  test.each(cases)(
    '%s synthesizes stably (dashboards and rule expressions, golden-tested in dashboards/, are elided)',
    (_name, config, region) => {
      // WHEN
      const manifests = synth(config, region).map((m) => elideGolden(m));
      // THEN
      expect(manifests).toMatchSnapshot();
    },
  );
});
