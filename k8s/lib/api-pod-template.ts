// The API pod: probes, hardening, spread and resources, shared by the Rollout and checked by the tests.
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
import { API_WORKLOAD } from '../../dashboards/slo/api-workload';
import type { ContainerResources, WorkloadConfig } from '../../infra/config/platform-config';
import { LIVENESS_PATH, READINESS_PATH } from '../../service/src/probe-paths';
import { API_POD_LABELS, DATA_CLIENT_POD_LABELS, HTTP_PORT_NAME } from './api-labels';
import { schemaWaitInitContainer } from './schema-step-containers';
import { terminationGracePeriodSeconds } from './workload-sizing';

/** User and group of the distroless `nonroot` image. */
export const NONROOT_UID = 65532;

/** Container security context meeting the Pod Security "restricted" profile. */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT: ISecurityContext = {
  runAsNonRoot: true,
  runAsUser: NONROOT_UID,
  runAsGroup: NONROOT_UID,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Pod security context meeting the Pod Security "restricted" profile; every pod of the chart uses it. */
export const RESTRICTED_POD_SECURITY_CONTEXT: IPodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: NONROOT_UID,
  runAsGroup: NONROOT_UID,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Scratch directory under the read-only root filesystem (Node.js and its libraries may want one). */
export const TMP_VOLUME = { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } } as const;

/**
 * Zone spread is hard (losing one zone must leave two thirds of the pods), node spread soft (a small node group
 * never blocks a rollout); both count only the pods of the same revision, named by `revisionLabelKey`.
 */
export function topologySpread(
  labels: Readonly<Record<string, string>>,
  revisionLabelKey: string,
): ITopologySpreadConstraint[] {
  const labelSelector = { matchLabels: { ...labels } };
  return [
    {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector,
      matchLabelKeys: [revisionLabelKey],
    },
    {
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector,
      matchLabelKeys: [revisionLabelKey],
    },
  ];
}

/** Requests and limits of a container, from the configuration's quantities. */
export function containerResources(resources: ContainerResources): IResourceRequirements {
  return {
    requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
    limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit },
  };
}

/** Liveness on the named port: touches no dependency, and a minute of silence is needed before a restart. */
export function livenessProbe(port: string): IProbe {
  return {
    httpGet: { path: LIVENESS_PATH, port },
    periodSeconds: 10,
    timeoutSeconds: 3,
    failureThreshold: 6,
  };
}

/** What the pod template needs besides the workload configuration. */
export interface ApiPodTemplateProps {
  /** Sizes, ports and timings. */
  readonly workload: WorkloadConfig;
  /** Full image reference, tag included. */
  readonly image: string;
  /** ServiceAccount the pods run as. */
  readonly serviceAccountName: string;
  /** ConfigMap holding the non-secret environment. */
  readonly configMapName: string;
  /** Secret (written by External Secrets) holding the credentials. */
  readonly secretName: string;
  /** TLS and sign-in variables of its schema-wait init container (lib/database-environment.ts). */
  readonly databaseEnvironment: Readonly<Record<string, string>>;
}

/** Returns the API pod template of the Rollout. */
export function apiPodTemplate(props: ApiPodTemplateProps): IPodTemplateSpec {
  const { workload } = props;
  return {
    metadata: { labels: { ...API_POD_LABELS, ...DATA_CLIENT_POD_LABELS } },
    spec: {
      serviceAccountName: props.serviceAccountName,
      // The service calls no Kubernetes API; an IRSA token is projected by EKS regardless of this flag.
      automountServiceAccountToken: false,
      // Service discovery variables would be noise in the environment and a source of surprises.
      enableServiceLinks: false,
      priorityClassName: workload.priorityClassName,
      terminationGracePeriodSeconds: terminationGracePeriodSeconds(workload),
      securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
      topologySpreadConstraints: topologySpread(API_POD_LABELS, API_WORKLOAD.podTemplateHashLabelKey),
      // Never serve against an older schema than this build's.
      initContainers: [
        schemaWaitInitContainer(props.image, {
          secretName: props.secretName,
          secretKey: 'DATABASE_URL',
          environment: props.databaseEnvironment,
        }),
      ],
      containers: [
        {
          name: API_WORKLOAD.name,
          image: props.image,
          imagePullPolicy: 'IfNotPresent',
          ports: [{ name: HTTP_PORT_NAME, containerPort: workload.containerPort, protocol: 'TCP' }],
          envFrom: [
            { configMapRef: { name: props.configMapName } },
            { secretRef: { name: props.secretName } },
          ],
          resources: containerResources(workload.resources),
          // Up to 60 s to start (migrations run elsewhere), then liveness takes over.
          startupProbe: {
            httpGet: { path: LIVENESS_PATH, port: HTTP_PORT_NAME },
            periodSeconds: 2,
            timeoutSeconds: 2,
            failureThreshold: 30,
          },
          // Readiness checks the database: a slow database takes the pod out of rotation, never restarts it.
          readinessProbe: {
            httpGet: { path: READINESS_PATH, port: HTTP_PORT_NAME },
            periodSeconds: 5,
            timeoutSeconds: 2,
            failureThreshold: 2,
          },
          livenessProbe: livenessProbe(HTTP_PORT_NAME),
          securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
          volumeMounts: [{ name: TMP_VOLUME.name, mountPath: '/tmp' }],
        },
      ],
      volumes: [TMP_VOLUME],
    },
  };
}
