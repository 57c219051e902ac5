import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { Construct } from 'constructs';
import type { OutboxRelayConfig } from '../../infra/config/platform-config';
import { LIVENESS_PATH, READINESS_PATH } from '../../service/src/probe-paths';
import { DATA_CLIENT_POD_LABELS, RELAY_POD_LABELS, RELAY_PORT_NAME } from '../lib/api-labels';
import {
  containerResources,
  livenessProbe,
  RESTRICTED_CONTAINER_SECURITY_CONTEXT,
  RESTRICTED_POD_SECURITY_CONTEXT,
  TMP_VOLUME,
  topologySpread,
} from '../lib/api-pod-template';
import { ModelObject } from '../lib/model-object';
import { schemaWaitInitContainer } from '../lib/schema-step-containers';
import { RELAY_SECRET_ENVIRONMENT } from '../lib/relay-environment';

/** Entry point of the relay in the service image (distroless: no shell, so the node binary is named). */
export const RELAY_COMMAND = ['/nodejs/bin/node', 'relay.js'] as const;

/**
 * Seconds from SIGTERM to SIGKILL. The relay only finishes the batch in progress, which its timeouts bound
 * (connect, four statements, one SQS publish deadline: about 33 s with the service defaults); the test checks it.
 */
export const RELAY_TERMINATION_GRACE_SECONDS = 40;

/** Label Kubernetes sets on a Deployment's pods to the hash of their template (one revision). */
const DEPLOYMENT_REVISION_LABEL = 'pod-template-hash';

/** Properties of an OutboxRelayDeployment. */
export interface OutboxRelayDeploymentProps {
  /** Name of the Deployment, its PodDisruptionBudget and its container. */
  readonly name: string;
  /** Namespace of the API (the relay reads the API's Secret). */
  readonly namespace: string;
  /** The API image, tag included: the relay is another entry point of the same build. */
  readonly image: string;
  /** Relay pods; 0 in a region that must not publish (a secondary region). */
  readonly replicas: number;
  /** Port, resources of the relay. */
  readonly relay: OutboxRelayConfig;
  /** ServiceAccount to run as. */
  readonly serviceAccountName: string;
  /** ConfigMap holding the relay's non-secret environment. */
  readonly configMapName: string;
  /** Secret (written by External Secrets) holding the relay's database URL (RELAY_SECRET_ENVIRONMENT). */
  readonly secretName: string;
  /** TLS and sign-in variables of its schema-wait init container (lib/database-environment.ts). */
  readonly databaseEnvironment: Readonly<Record<string, string>>;
  /** PriorityClass of the pods. */
  readonly priorityClassName: string;
  /**
   * Annotations of the Deployment object (for example an Argo CD sync wave).
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * The outbox relay as a Deployment of the API image running `relay.js`, with probes on its own port and a
 * PodDisruptionBudget. Any number of replicas may run: each batch is locked with `FOR UPDATE SKIP LOCKED`.
 */
export class OutboxRelayDeployment extends Construct {
  /** The Deployment name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: OutboxRelayDeploymentProps) {
    super(scope, id);
    if (!Number.isInteger(props.replicas) || props.replicas < 0) {
      throw new Error(`OutboxRelayDeployment: replicas must be a whole number, got ${props.replicas}`);
    }
    this.name = props.name;
    new ModelObject(this, 'Resource', {
      model: new Deployment({
        metadata: {
          name: props.name,
          namespace: props.namespace,
          annotations: props.annotations && { ...props.annotations },
        },
        spec: {
          replicas: props.replicas,
          selector: { matchLabels: { ...RELAY_POD_LABELS } },
          revisionHistoryLimit: 5,
          progressDeadlineSeconds: 600,
          // A new relay starts before an old one stops: the outbox never goes without a publisher.
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template: relayPodTemplate(props),
        },
      }),
    });
    new ModelObject(this, 'DisruptionBudget', {
      model: new PodDisruptionBudget({
        metadata: { name: props.name, namespace: props.namespace },
        spec: {
          // A drain takes one relay at a time; the others keep publishing.
          maxUnavailable: 1,
          selector: { matchLabels: { ...RELAY_POD_LABELS } },
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      }),
    });
  }
}

function relayPodTemplate(props: OutboxRelayDeploymentProps): IPodTemplateSpec {
  return {
    metadata: { labels: { ...RELAY_POD_LABELS, ...DATA_CLIENT_POD_LABELS } },
    spec: {
      serviceAccountName: props.serviceAccountName,
      // The relay calls no Kubernetes API: no Kubernetes token. Its AWS credentials come from the web identity
      // token the EKS pod identity webhook mounts for the ServiceAccount's role (IRSA), which this does not stop.
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      priorityClassName: props.priorityClassName,
      terminationGracePeriodSeconds: RELAY_TERMINATION_GRACE_SECONDS,
      securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
      topologySpreadConstraints: topologySpread(RELAY_POD_LABELS, DEPLOYMENT_REVISION_LABEL),
      // The relay's queries expect this build's schema.
      initContainers: [
        schemaWaitInitContainer(props.image, {
          secretName: props.secretName,
          secretKey: RELAY_SECRET_ENVIRONMENT.DATABASE_URL,
          environment: props.databaseEnvironment,
        }),
      ],
      containers: [
        {
          name: props.name,
          image: props.image,
          imagePullPolicy: 'IfNotPresent',
          command: [...RELAY_COMMAND],
          ports: [{ name: RELAY_PORT_NAME, containerPort: props.relay.healthPort, protocol: 'TCP' }],
          envFrom: [{ configMapRef: { name: props.configMapName } }],
          // Only the writer URL, as the relay's own database role: nothing else of the Secret.
          env: Object.entries(RELAY_SECRET_ENVIRONMENT).map(([name, key]) => ({
            name,
            valueFrom: { secretKeyRef: { name: props.secretName, key } },
          })),
          resources: containerResources(props.relay.resources),
          // The listener opens before any connection is made, so start-up is quick.
          startupProbe: {
            httpGet: { path: LIVENESS_PATH, port: RELAY_PORT_NAME },
            periodSeconds: 2,
            timeoutSeconds: 2,
            failureThreshold: 15,
          },
          // Unready while the database or the queue is unreachable: shows in `kubectl get pods` and holds a rollout.
          readinessProbe: {
            httpGet: { path: READINESS_PATH, port: RELAY_PORT_NAME },
            periodSeconds: 10,
            timeoutSeconds: 2,
            failureThreshold: 3,
          },
          // An outage makes the relay unready, never restarts it.
          livenessProbe: livenessProbe(RELAY_PORT_NAME),
          securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
          volumeMounts: [{ name: TMP_VOLUME.name, mountPath: '/tmp' }],
        },
      ],
      volumes: [TMP_VOLUME],
    },
  };
}
