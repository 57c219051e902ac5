import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Construct } from 'constructs';
import { RELAY_POD_LABELS } from '../lib/api-labels';
import { ModelObject } from '../lib/model-object';
import { API_EGRESS_PORTS, DNS_EGRESS_RULE } from './api-network-policy';

/** Properties of an OutboxRelayNetworkPolicy. */
export interface OutboxRelayNetworkPolicyProps {
  /** Name of the policy. */
  readonly name: string;
  /** Namespace of the relay pods. */
  readonly namespace: string;
  /** The relay's probe and metrics port. */
  readonly metricsPort: number;
  /** CIDR of the region's VPC: Aurora and the SQS and STS interface endpoints live in it. */
  readonly vpcCidr: string;
  /** Namespace of Prometheus, the only client allowed in. */
  readonly monitoringNamespace: string;
}

/**
 * Default-deny for the relay pods, then only what they need: Prometheus in on the metrics port; DNS, and inside
 * the VPC only PostgreSQL and HTTPS out. HTTPS reaches SQS (the event sink) and STS (the IRSA credentials)
 * through the VPC's interface endpoints, whose private DNS resolves the public names to addresses in the VPC;
 * no Redis, and nothing outside the VPC. Kubelet probes come from the pod's own node, which the VPC CNI's
 * policy agent always admits.
 */
export class OutboxRelayNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: OutboxRelayNetworkPolicyProps) {
    super(scope, id);
    new ModelObject(this, 'Resource', {
      model: new NetworkPolicy({
        metadata: { name: props.name, namespace: props.namespace },
        spec: {
          podSelector: { matchLabels: { ...RELAY_POD_LABELS } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: {
                    matchLabels: { 'kubernetes.io/metadata.name': props.monitoringNamespace },
                  },
                },
              ],
              ports: [{ protocol: 'TCP', port: props.metricsPort }],
            },
          ],
          egress: [
            DNS_EGRESS_RULE,
            {
              to: [{ ipBlock: { cidr: props.vpcCidr } }],
              ports: [
                { protocol: 'TCP', port: API_EGRESS_PORTS.postgres },
                { protocol: 'TCP', port: API_EGRESS_PORTS.https },
              ],
            },
          ],
        },
      }),
    });
  }
}
