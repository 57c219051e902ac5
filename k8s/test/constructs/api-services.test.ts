import { Chart, Testing } from 'cdk8s';
import { ApiServices } from '../../constructs/api-services';
import { API_POD_LABELS } from '../../lib/api-labels';

describe('ApiServices', () => {
  test('serves every pod, the stable pods and the canary pods on the named port', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    const services = new ApiServices(chart, 'Services', { name: 'api', namespace: 'api', port: 3000 });
    const manifests = Testing.synth(chart);
    // THEN
    expect(manifests.map((m) => m.metadata.name)).toEqual([
      services.serviceName,
      services.stableServiceName,
      services.canaryServiceName,
    ]);
    for (const service of manifests) {
      expect(service.spec.selector).toEqual(API_POD_LABELS);
      expect(service.spec.ports).toEqual([{ name: 'http', port: 3000, targetPort: 'http', protocol: 'TCP' }]);
    }
    // Only the root Service is labelled like the pods, so a label selector finds exactly one.
    expect(manifests.filter((m) => m.metadata.labels[Object.keys(API_POD_LABELS)[0]])).toHaveLength(1);
  });
});
