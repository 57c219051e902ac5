import { Service } from 'kubernetes-models/v1/Service';
import { Construct } from 'constructs';
import { API_POD_LABELS, HTTP_PORT_NAME } from '../lib/api-labels';
import { ModelObject } from '../lib/model-object';

/** Properties of ApiServices. */
export interface ApiServicesProps {
  /** Name of the Service the load balancer targets; the stable and canary Services are named after it. */
  readonly name: string;
  /** Namespace of the pods. */
  readonly namespace: string;
  /** Port of the container, served on the same number. */
  readonly port: number;
}

/**
 * Three ClusterIP Services: one selecting every API pod (the load balancer's target, so traffic splits by
 * replica count), and the stable and canary Services Argo Rollouts narrows to one revision each.
 */
export class ApiServices extends Construct {
  /** Service of every pod. */
  public readonly serviceName: string;
  /** Service of the stable revision. */
  public readonly stableServiceName: string;
  /** Service of the canary revision. */
  public readonly canaryServiceName: string;

  constructor(scope: Construct, id: string, props: ApiServicesProps) {
    super(scope, id);
    this.serviceName = props.name;
    this.stableServiceName = `${props.name}-stable`;
    this.canaryServiceName = `${props.name}-canary`;
    const ports = [
      { name: HTTP_PORT_NAME, port: props.port, targetPort: HTTP_PORT_NAME, protocol: 'TCP' as const },
    ];
    const service = (constructId: string, name: string, labels: Record<string, string>) =>
      new ModelObject(this, constructId, {
        model: new Service({
          metadata: { name, namespace: props.namespace, labels },
          spec: { type: 'ClusterIP', selector: { ...API_POD_LABELS }, ports },
        }),
      });
    // Only the root Service carries the pod labels, so the ServiceMonitor scrapes each pod once.
    service('Service', this.serviceName, { ...API_POD_LABELS });
    service('Stable', this.stableServiceName, { 'app.kubernetes.io/component': 'stable' });
    service('Canary', this.canaryServiceName, { 'app.kubernetes.io/component': 'canary' });
  }
}
