import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import { Construct } from 'constructs';
import { API_POD_LABELS } from '../lib/api-labels';
import { ModelObject } from '../lib/model-object';

/** Ports the API pods open connections to. */
export const API_EGRESS_PORTS = { dns: 53, postgres: 5432, redis: 6379, https: 443 } as const;

/** Egress to the cluster DNS in kube-system, UDP and TCP. */
export const DNS_EGRESS_RULE: INetworkPolicyEgressRule = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
  ports: [
    { protocol: 'UDP', port: API_EGRESS_PORTS.dns },
    { protocol: 'TCP', port: API_EGRESS_PORTS.dns },
  ],
};

/** Egress to PostgreSQL and Redis, only inside the region's VPC (Aurora and ElastiCache). */
export function dataStoreEgressRule(vpcCidr: string): INetworkPolicyEgressRule {
  return {
    to: [{ ipBlock: { cidr: vpcCidr } }],
    ports: [
      { protocol: 'TCP', port: API_EGRESS_PORTS.postgres },
      { protocol: 'TCP', port: API_EGRESS_PORTS.redis },
    ],
  };
}

/** Properties of an ApiNetworkPolicy. */
export interface ApiNetworkPolicyProps {
  /** Namespace of the pods. */
  readonly namespace: string;
  /** Container port clients reach. */
  readonly port: number;
  /** CIDR of the region's VPC: the load balancer, the kubelet, Aurora and ElastiCache live in it. */
  readonly vpcCidr: string;
  /** Namespace of Prometheus, allowed to scrape the port. */
  readonly monitoringNamespace: string;
}

/**
 * Default-deny for the API pods, then only what they need: the load balancer and Prometheus in; DNS,
 * PostgreSQL and Redis inside the VPC, and HTTPS (AWS APIs, the identity provider's keys) out.
 */
export class ApiNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: ApiNetworkPolicyProps) {
    super(scope, id);
    const inVpc = [{ ipBlock: { cidr: props.vpcCidr } }];
    new ModelObject(this, 'Resource', {
      model: new NetworkPolicy({
        metadata: { name: 'api', namespace: props.namespace },
        spec: {
          podSelector: { matchLabels: { ...API_POD_LABELS } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            {
              from: [
                ...inVpc,
                {
                  namespaceSelector: {
                    matchLabels: { 'kubernetes.io/metadata.name': props.monitoringNamespace },
                  },
                },
              ],
              ports: [{ protocol: 'TCP', port: props.port }],
            },
          ],
          egress: [
            DNS_EGRESS_RULE,
            dataStoreEgressRule(props.vpcCidr),
            {
              to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
              ports: [{ protocol: 'TCP', port: API_EGRESS_PORTS.https }],
            },
          ],
        },
      }),
    });
  }
}
