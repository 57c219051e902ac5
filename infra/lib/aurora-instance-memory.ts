import * as ec2 from 'aws-cdk-lib/aws-ec2';

const GIB = 1024 ** 3;

/** Memory per vCPU of the memory-optimised Graviton families Aurora offers (db.r6g, db.r7g, db.r8g). */
const GIB_PER_VCPU: Readonly<Record<string, number>> = { r6g: 8, r7g: 8, r8g: 8 };

/**
 * Memory of an Aurora instance class, in bytes (nominal, as the RDS instance class table lists it).
 * Throws naming the class if it is not a family listed here, rather than guessing a threshold.
 */
export function auroraInstanceMemoryBytes(instanceType: ec2.InstanceType): number {
  const [family, size] = instanceType.toString().split('.');
  const perVcpu = GIB_PER_VCPU[family];
  const vcpus = size === 'large' ? 2 : size === 'xlarge' ? 4 : Number(/^(\d+)xlarge$/.exec(size)?.[1]) * 4;
  if (perVcpu === undefined || !Number.isInteger(vcpus) || vcpus <= 0) {
    throw new Error(
      `instanceType '${instanceType}' is not a class whose memory is known here (${Object.keys(GIB_PER_VCPU).join(', ')} families): add it to aurora-instance-memory.ts`,
    );
  }
  return vcpus * perVcpu * GIB;
}

/**
 * Aurora PostgreSQL's default `max_connections` for the class: LEAST(DBInstanceClassMemory / 9531392, 5000).
 * The parameter group leaves it at that default, so alarms and scaling targets can be derived from it.
 */
export function auroraDefaultMaxConnections(instanceType: ec2.InstanceType): number {
  return Math.min(Math.floor(auroraInstanceMemoryBytes(instanceType) / 9_531_392), 5_000);
}
