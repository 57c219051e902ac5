import { Chart, Testing } from 'cdk8s';
import { ON_CALL_GROUP, ON_CALL_MONITORING_RULES, OnCallRole } from '../../constructs/on-call-role';

function synth(): Record<string, unknown>[] {
  const chart = new Chart(Testing.app(), 'Test');
  new OnCallRole(chart, 'OnCallRole', { namespace: 'api' });
  return Testing.synth(chart) as Record<string, unknown>[];
}

describe('OnCallRole', () => {
  test("binds the on-call's group to a role in the API's namespace only", () => {
    // WHEN
    const [role, binding] = synth();
    // THEN
    expect(role).toMatchObject({ kind: 'Role', metadata: { name: 'on-call', namespace: 'api' } });
    expect(binding).toMatchObject({
      kind: 'RoleBinding',
      metadata: { name: 'on-call', namespace: 'api' },
      roleRef: { kind: 'Role', name: 'on-call' },
      subjects: [{ kind: 'Group', name: ON_CALL_GROUP }],
    });
    expect(ON_CALL_GROUP).not.toMatch(/^system:/);
  });

  test('lets the on-call act on the Rollout, the HPA and the ExternalSecret as the runbooks do, and read no Secret', () => {
    // GIVEN
    const [role] = synth() as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] }[];
    const can = (group: string, resource: string, verb: string) =>
      role.rules.some(
        (rule) =>
          rule.apiGroups.includes(group) && rule.resources.includes(resource) && rule.verbs.includes(verb),
      );
    // THEN: kubectl argo rollouts restart/promote/abort/undo patch the Rollout and its status.
    expect(can('argoproj.io', 'rollouts', 'patch')).toBe(true);
    expect(can('argoproj.io', 'rollouts/status', 'patch')).toBe(true);
    expect(can('argoproj.io', 'rollouts/scale', 'patch')).toBe(true);
    expect(can('autoscaling', 'horizontalpodautoscalers', 'patch')).toBe(true);
    // kubectl annotate is a patch.
    expect(can('external-secrets.io', 'externalsecrets', 'patch')).toBe(true);
    expect(can('', 'pods/portforward', 'create')).toBe(true);
    expect(role.rules.some((rule) => rule.resources.includes('secrets'))).toBe(false);
    expect(role.rules.every((rule) => !rule.verbs.includes('*') && !rule.resources.includes('*'))).toBe(true);
  });
});

describe('OnCallRole in the monitoring namespace', () => {
  test('lets the on-call port-forward to Grafana, Prometheus and Alertmanager and restart their pods, nothing else', () => {
    // GIVEN
    const chart = Testing.chart();
    new OnCallRole(chart, 'OnCallMonitoringRole', {
      namespace: 'monitoring',
      rules: ON_CALL_MONITORING_RULES,
    });
    // WHEN
    const [role, binding] = Testing.synth(chart);
    // THEN
    expect(role).toMatchObject({ kind: 'Role', metadata: { name: 'on-call', namespace: 'monitoring' } });
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
    ]);
    expect(binding).toMatchObject({
      kind: 'RoleBinding',
      metadata: { namespace: 'monitoring' },
      subjects: [{ kind: 'Group', name: ON_CALL_GROUP }],
    });
  });
});
