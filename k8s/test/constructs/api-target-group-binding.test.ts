import { Chart, Testing } from 'cdk8s';
import { ApiTargetGroupBinding } from '../../constructs/api-target-group-binding';

const TARGET_GROUP_ARN =
  'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/api/0123456789abcdef';

describe('ApiTargetGroupBinding', () => {
  test("registers the Service's pods by IP in the given target group", () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    new ApiTargetGroupBinding(chart, 'Binding', {
      name: 'api',
      namespace: 'api',
      serviceName: 'api',
      servicePort: 3000,
      targetGroupArn: TARGET_GROUP_ARN,
    });
    // THEN
    expect(Testing.synth(chart)).toEqual([
      {
        apiVersion: 'elbv2.k8s.aws/v1beta1',
        kind: 'TargetGroupBinding',
        metadata: { name: 'api', namespace: 'api' },
        spec: {
          targetGroupARN: TARGET_GROUP_ARN,
          targetType: 'ip',
          serviceRef: { name: 'api', port: 3000 },
        },
      },
    ]);
  });

  test('rejects an empty target group ARN', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // THEN
    expect(
      () =>
        new ApiTargetGroupBinding(chart, 'Binding', {
          name: 'api',
          namespace: 'api',
          serviceName: 'api',
          servicePort: 3000,
          targetGroupArn: '',
        }),
    ).toThrow(/targetGroupArn must not be empty/);
  });
});
