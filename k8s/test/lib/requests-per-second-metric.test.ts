import { HTTP_REQUEST_DURATION } from '../../../service/src/plugins/external/metrics';
import {
  REQUESTS_PER_SECOND_METRIC,
  requestsPerSecondAdapterRule,
} from '../../lib/requests-per-second-metric';

describe('requestsPerSecondAdapterRule', () => {
  test('serves the request counter as the metric the HPA reads, per pod', () => {
    // WHEN
    const rule = requestsPerSecondAdapterRule();
    // THEN
    expect(rule.name.as).toBe(REQUESTS_PER_SECOND_METRIC);
    expect(rule.seriesQuery).toContain(`${HTTP_REQUEST_DURATION}_count`);
    expect(rule.resources.overrides.pod).toEqual({ resource: 'pod' });
    expect(rule.metricsQuery).toMatch(/^sum\(rate\(/);
  });
});
