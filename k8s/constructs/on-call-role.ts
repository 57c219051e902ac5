import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';
import { Construct } from 'constructs';
import { ModelObject } from '../lib/model-object';

/**
 * Kubernetes group of the on-call's EKS access entry (`infra/lib/on-call-access.ts`). EKS puts the access entry's
 * groups on the principal's requests, and Kubernetes RBAC binds this one to the role below. EKS refuses groups
 * that start with `system:`.
 */
export const ON_CALL_GROUP = 'api-platform:on-call';

/**
 * What the runbooks make the on-call do in the API's namespace, beyond reading (AmazonEKSViewPolicy, cluster-wide):
 * restart, scale, promote, abort and undo the Rollout (the kubectl plugin patches it and its status), restart or
 * scale the relay Deployment, patch the HPA, force an ExternalSecret to sync (an annotation), delete a stuck pod
 * or a failed migration Job, change the API's ConfigMap, and port-forward to a pod. Secrets stay unreadable.
 */
export const ON_CALL_RULES: readonly IPolicyRule[] = [
  {
    apiGroups: ['argoproj.io'],
    resources: ['rollouts', 'rollouts/status', 'rollouts/scale'],
    verbs: ['get', 'list', 'watch', 'patch', 'update'],
  },
  {
    apiGroups: ['argoproj.io'],
    resources: ['analysisruns', 'analysistemplates', 'experiments'],
    verbs: ['get', 'list', 'watch'],
  },
  { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'], verbs: ['patch', 'update'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['patch', 'update'] },
  {
    apiGroups: ['external-secrets.io'],
    resources: ['externalsecrets'],
    verbs: ['get', 'list', 'watch', 'patch'],
  },
  { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
  { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['patch', 'update'] },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['delete'] },
];

/**
 * What the runbooks make the on-call do in the monitoring add-ons' namespace: port-forward to Grafana, Prometheus
 * and Alertmanager, and delete a stuck Alertmanager or Prometheus pod (AlertmanagerHeartbeatMissing), which its
 * StatefulSet recreates.
 */
export const ON_CALL_MONITORING_RULES: readonly IPolicyRule[] = [
  { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
];

/** Properties of an {@link OnCallRole}. */
export interface OnCallRoleProps {
  /** Namespace the on-call may act in. */
  readonly namespace: string;
  /**
   * What the on-call may do there.
   * @default ON_CALL_RULES, the incident actions in the API's namespace
   */
  readonly rules?: readonly IPolicyRule[];
  /**
   * Kubernetes group bound to the role.
   * @default ON_CALL_GROUP
   */
  readonly group?: string;
}

/** A Role with the on-call's incident actions in one namespace, bound to the on-call's group. */
export class OnCallRole extends Construct {
  constructor(scope: Construct, id: string, props: OnCallRoleProps) {
    super(scope, id);
    const name = 'on-call';
    new ModelObject(this, 'Role', {
      model: new Role({
        metadata: { name, namespace: props.namespace },
        rules: [...(props.rules ?? ON_CALL_RULES)],
      }),
    });
    new ModelObject(this, 'Binding', {
      model: new RoleBinding({
        metadata: { name, namespace: props.namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [
          { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: props.group ?? ON_CALL_GROUP },
        ],
      }),
    });
  }
}
