import { Duration, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';

/** Properties of a {@link ReaderAutoScaling}. */
export interface ReaderAutoScalingProps {
  /** The Aurora cluster whose reader count is scaled; its instances must exist before scaling is registered. */
  readonly cluster: rds.DatabaseCluster;
  /** Fewest Aurora Replicas: the readers the stack creates (Aurora Auto Scaling never removes those). */
  readonly minReaders: number;
  /** Most Aurora Replicas Aurora Auto Scaling may add up to (Aurora allows 15 per cluster). */
  readonly maxReaders: number;
  /** Average reader CPU, in percent, to keep by adding or removing readers. */
  readonly targetCpuPercent: number;
  /**
   * Average database connections per reader to keep, as a second policy (scale out when either is above target).
   * @default - readers scale on CPU only
   */
  readonly targetConnectionsPerReader?: number;
  /**
   * How long after removing a reader before another may be removed.
   * @default Duration.minutes(10)
   */
  readonly scaleInCooldown?: Duration;
  /**
   * How long after adding a reader before another may be added (a new reader takes minutes to be available).
   * @default Duration.minutes(5)
   */
  readonly scaleOutCooldown?: Duration;
}

/** Name of the service-linked role Application Auto Scaling uses for Aurora clusters (it creates it on first use). */
const RDS_SCALING_SERVICE_LINKED_ROLE =
  'aws-service-role/rds.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_RDSCluster';

/**
 * Aurora Auto Scaling of a cluster's readers (Application Auto Scaling on `rds:cluster:ReadReplicaCount`) with
 * target tracking on average reader CPU and, optionally, connections.
 *
 * Replicas it adds are named `application-autoscaling-*`, have the writer's class and the lowest failover
 * priority, and are not in the template: before `cdk destroy` removes a cluster, scale them in (set the maximum
 * to the minimum) or delete them, or the cluster's deletion fails because it still has instances.
 */
export class ReaderAutoScaling extends Construct {
  /** The scalable target of the cluster's reader count. */
  public readonly scalableTarget: appscaling.ScalableTarget;

  constructor(scope: Construct, id: string, props: ReaderAutoScalingProps) {
    super(scope, id);

    if (!Number.isInteger(props.minReaders) || props.minReaders < 0) {
      throw new Error(`minReaders must be a non-negative integer, got ${props.minReaders}`);
    }
    if (
      !Number.isInteger(props.maxReaders) ||
      props.maxReaders <= props.minReaders ||
      props.maxReaders > 15
    ) {
      throw new Error(
        `maxReaders must be an integer above minReaders (${props.minReaders}) and at most 15, got ${props.maxReaders}`,
      );
    }
    if (!(props.targetCpuPercent > 0 && props.targetCpuPercent < 100)) {
      throw new Error(
        `targetCpuPercent must be between 0 and 100 (exclusive), got ${props.targetCpuPercent}`,
      );
    }
    if (props.targetConnectionsPerReader !== undefined && !(props.targetConnectionsPerReader >= 1)) {
      throw new Error(
        `targetConnectionsPerReader must be at least 1, got ${props.targetConnectionsPerReader}`,
      );
    }

    // The service-linked role is what Application Auto Scaling uses for RDS whatever RoleARN says; naming it
    // keeps the L2 from creating an unused role of its own.
    const role = iam.Role.fromRoleArn(
      this,
      'ServiceLinkedRole',
      Stack.of(this).formatArn({
        service: 'iam',
        region: '',
        resource: 'role',
        resourceName: RDS_SCALING_SERVICE_LINKED_ROLE,
      }),
    );
    this.scalableTarget = new appscaling.ScalableTarget(this, 'Target', {
      serviceNamespace: appscaling.ServiceNamespace.RDS,
      scalableDimension: 'rds:cluster:ReadReplicaCount',
      resourceId: `cluster:${props.cluster.clusterIdentifier}`,
      minCapacity: props.minReaders,
      maxCapacity: props.maxReaders,
      role,
    });
    // Aurora Auto Scaling only acts on an available cluster: register after every instance of the template exists.
    this.scalableTarget.node.addDependency(props.cluster);

    const cooldowns = {
      scaleInCooldown: props.scaleInCooldown ?? Duration.minutes(10),
      scaleOutCooldown: props.scaleOutCooldown ?? Duration.minutes(5),
    };
    this.scalableTarget.scaleToTrackMetric('Cpu', {
      predefinedMetric: appscaling.PredefinedMetric.RDS_READER_AVERAGE_CPU_UTILIZATION,
      targetValue: props.targetCpuPercent,
      ...cooldowns,
    });
    if (props.targetConnectionsPerReader !== undefined) {
      this.scalableTarget.scaleToTrackMetric('Connections', {
        predefinedMetric: appscaling.PredefinedMetric.RDS_READER_AVERAGE_DATABASE_CONNECTIONS,
        targetValue: Math.floor(props.targetConnectionsPerReader),
        ...cooldowns,
      });
    }
  }
}
