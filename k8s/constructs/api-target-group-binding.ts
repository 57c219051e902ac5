import { Construct } from 'constructs';
import { TargetGroupBinding } from '../imports/aws-load-balancer-controller/elbv2.k8s.aws/v1beta1/TargetGroupBinding';
import { ModelObject } from '../lib/model-object';

/** Properties of an ApiTargetGroupBinding. */
export interface ApiTargetGroupBindingProps {
  /** Name of the binding. */
  readonly name: string;
  /** Namespace of the Service and its pods. */
  readonly namespace: string;
  /** Service whose ready pods are registered. */
  readonly serviceName: string;
  /** Port of that Service. */
  readonly servicePort: number;
  /** ARN of the IP target group the infrastructure created in front of the pods. */
  readonly targetGroupArn: string;
}

/**
 * Registers the API pods in a target group created outside the cluster (by the CDK app), through the AWS
 * Load Balancer Controller: its DNS name is known at synth, unlike an ALB the controller would create from
 * an Ingress. Pod IPs are registered directly (IP targets); security group rules stay with the CDK app.
 */
export class ApiTargetGroupBinding extends Construct {
  constructor(scope: Construct, id: string, props: ApiTargetGroupBindingProps) {
    super(scope, id);
    if (props.targetGroupArn === '') {
      throw new Error('ApiTargetGroupBinding: targetGroupArn must not be empty');
    }
    new ModelObject(this, 'Resource', {
      model: new TargetGroupBinding({
        metadata: { name: props.name, namespace: props.namespace },
        spec: {
          targetGroupARN: props.targetGroupArn,
          targetType: 'ip',
          serviceRef: { name: props.serviceName, port: props.servicePort },
        },
      }),
    });
  }
}
