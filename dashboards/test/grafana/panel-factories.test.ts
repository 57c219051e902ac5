import { PROMETHEUS_DATASOURCE, statPanel, timeseriesPanel } from '../../grafana/panel-factories';
import { runbookUrl } from '../../links';

describe('panel factories', () => {
  const props = {
    id: 7,
    title: 'T',
    description: 'What it shows.',
    unit: 's',
    queries: [{ expr: 'up', legend: '{{pod}}' }],
    runbooks: ['ApiEventLoopLagHigh'],
  };

  it('builds a time series with id, description, datasource variable and runbook link', () => {
    const panel = timeseriesPanel(props).build();
    expect(panel).toMatchObject({
      id: 7,
      type: 'timeseries',
      description: 'What it shows.',
      datasource: PROMETHEUS_DATASOURCE,
    });
    expect(panel.links?.[0]).toMatchObject({ url: runbookUrl('ApiEventLoopLagHigh'), targetBlank: true });
    expect(panel.targets?.[0]).toMatchObject({ expr: 'up', legendFormat: '{{pod}}', refId: 'A' });
  });

  it('builds a stat with thresholds when given', () => {
    const panel = statPanel({
      ...props,
      thresholds: [
        { value: null, color: 'red' },
        { value: 1, color: 'green' },
      ],
    }).build();
    expect(panel.type).toBe('stat');
    expect(panel.fieldConfig?.defaults?.thresholds?.steps).toHaveLength(2);
  });
});
