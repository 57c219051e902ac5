import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { auroraDefaultMaxConnections, auroraInstanceMemoryBytes } from '../../lib/aurora-instance-memory';

const GIB = 1024 ** 3;

describe('auroraInstanceMemoryBytes', () => {
  test.each([
    ['r6g.large', 16],
    ['r7g.xlarge', 32],
    ['r7g.4xlarge', 128],
    ['r8g.16xlarge', 512],
  ])('%s has %i GiB', (instanceClass, gib) => {
    // THEN
    expect(auroraInstanceMemoryBytes(new ec2.InstanceType(instanceClass))).toBe(gib * GIB);
  });

  test('refuses a class it does not know rather than guessing', () => {
    // THEN
    expect(() => auroraInstanceMemoryBytes(new ec2.InstanceType('t4g.medium'))).toThrow(
      "instanceType 't4g.medium' is not a class whose memory is known here",
    );
  });
});

describe('auroraDefaultMaxConnections', () => {
  test('follows LEAST(DBInstanceClassMemory / 9531392, 5000)', () => {
    // THEN
    expect(auroraDefaultMaxConnections(new ec2.InstanceType('r6g.large'))).toBe(1802);
    expect(auroraDefaultMaxConnections(new ec2.InstanceType('r7g.xlarge'))).toBe(3604);
    expect(auroraDefaultMaxConnections(new ec2.InstanceType('r7g.4xlarge'))).toBe(5000);
  });
});
