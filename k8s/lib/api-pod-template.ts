// The API pod: probes, hardening, spread and resources, shared by the Rollout and checked by the tests.
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import { API_WORKLOAD } from '../../dashboards/slo/api-workload';
import type { WorkloadConfig } from '../../infra/config/platform-config';
import { LIVENESS_PATH, READINESS_PATH } from '../../service/src/routes/health/index';
import { API_POD_LABELS, HTTP_PORT_NAME } from './api-labels';
import { databaseCaVolume, databaseCaVolumeMount } from './database-ca-bundle';
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
}

/** Returns the API pod template of the Rollout. */
export function apiPodTemplate(props: ApiPodTemplateProps): IPodTemplateSpec {
  const { workload } = props;
  const spreadSelector = { matchLabels: { ...API_POD_LABELS } };
  return {
    metadata: { labels: { ...API_POD_LABELS } },
    spec: {
      serviceAccountName: props.serviceAccountName,
      // The service calls no Kubernetes API; an IRSA token is projected by EKS regardless of this flag.
      automountServiceAccountToken: false,
      // Service discovery variables would be noise in the environment and a source of surprises.
      enableServiceLinks: false,
      priorityClassName: workload.priorityClassName,
      terminationGracePeriodSeconds: terminationGracePeriodSeconds(workload),
      securityContext: {
        runAsNonRoot: true,
        runAsUser: NONROOT_UID,
        runAsGroup: NONROOT_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      topologySpreadConstraints: [
        // Zones are hard: losing one zone must leave two thirds of the pods serving.
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: spreadSelector,
          matchLabelKeys: [API_WORKLOAD.podTemplateHashLabelKey],
        },
        // Nodes are soft, so a small node group never blocks a rollout.
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: spreadSelector,
          matchLabelKeys: [API_WORKLOAD.podTemplateHashLabelKey],
        },
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
          resources: {
            requests: { cpu: workload.resources.cpuRequest, memory: workload.resources.memoryRequest },
            limits: { cpu: workload.resources.cpuLimit, memory: workload.resources.memoryLimit },
          },
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
          // Liveness touches no dependency, and a minute of silence is needed before a restart.
          livenessProbe: {
            httpGet: { path: LIVENESS_PATH, port: HTTP_PORT_NAME },
            periodSeconds: 10,
            timeoutSeconds: 3,
            failureThreshold: 6,
          },
          securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, databaseCaVolumeMount()],
        },
      ],
      // The root filesystem is read-only; Node.js and its libraries may still want a scratch directory.
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }, databaseCaVolume()],
    },
  };
}
