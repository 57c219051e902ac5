import { Chart, Testing } from 'cdk8s';
import {
  ApiTargetGroupBinding,
  type ApiTargetGroupBindingProps,
} from '../../constructs/api-target-group-binding';
import { TargetGroupBinding } from '../../imports/aws-load-balancer-controller/elbv2.k8s.aws/v1beta1/TargetGroupBinding';
import { ModelObject } from '../../lib/model-object';
import { validateManifest, type Manifest } from '../helpers/validate-manifest';

const TARGET_GROUP_ARN =
  'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/api/0123456789abcdef';

const PROPS: ApiTargetGroupBindingProps = {
  name: 'api',
  namespace: 'api',
  serviceName: 'api',
  servicePort: 3000,
  targetGroupArn: TARGET_GROUP_ARN,
};

// The spec the construct emits, broken one field at a time below.
const SPEC = { targetGroupARN: TARGET_GROUP_ARN, targetType: 'ip', serviceRef: { name: 'api', port: 3000 } };

describe('ApiTargetGroupBinding', () => {
  test("registers the Service's pods by IP in the given target group", () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    new ApiTargetGroupBinding(chart, 'Binding', PROPS);
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
    expect(() => new ApiTargetGroupBinding(chart, 'Binding', { ...PROPS, targetGroupArn: '' })).toThrow(
      /targetGroupArn must not be empty/,
    );
  });

  test('emits an object that validates against the TargetGroupBinding CRD schema', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    new ApiTargetGroupBinding(chart, 'Binding', PROPS);
    // THEN
    const [binding] = Testing.synth(chart) as Manifest[];
    expect(() => validateManifest(binding)).not.toThrow();
  });

  test('fails at synth time on a port of the wrong type, naming the field', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    const servicePort = true as unknown as number;
    // THEN
    expect(() => new ApiTargetGroupBinding(chart, 'Binding', { ...PROPS, servicePort })).toThrow(
      /spec\/serviceRef\/port must be integer/,
    );
  });

  test.each([
    [
      'a target type outside its enum',
      { ...SPEC, targetType: 'pod' },
      /spec\/targetType must be equal to one of the allowed values/,
    ],
    [
      'a missing serviceRef',
      { targetGroupARN: TARGET_GROUP_ARN, targetType: 'ip' },
      /spec must have required property serviceRef/,
    ],
    [
      'a serviceRef without a port',
      { ...SPEC, serviceRef: { name: 'api' } },
      /spec\/serviceRef must have required property port/,
    ],
    [
      'a missing target group ARN',
      { targetType: 'ip', serviceRef: SPEC.serviceRef },
      /spec must have required property targetGroupARN/,
    ],
  ])('the schema check rejects %s', (_case, spec, field) => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    const model = new TargetGroupBinding({
      metadata: { name: 'api', namespace: 'api' },
      spec: spec as never,
    });
    // THEN
    expect(() => new ModelObject(chart, 'Binding', { model })).toThrow(field);
  });
});
