import { Chart, Testing } from 'cdk8s';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { ModelObject } from '../../lib/model-object';

describe('ModelObject', () => {
  test('emits the model as it is', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    new ModelObject(chart, 'Config', {
      model: new ConfigMap({ metadata: { name: 'c', namespace: 'n' }, data: { A: '1' } }),
    });
    // THEN
    expect(Testing.synth(chart)).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { A: '1' } },
    ]);
  });

  test('fails at synth time on an object that breaks its schema', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    const broken = new ConfigMap({ metadata: { name: 'c' }, data: { A: 1 as unknown as string } });
    // THEN
    expect(() => new ModelObject(chart, 'Config', { model: broken })).toThrow(/data/);
  });
});
