// Reads the metrics a synthesized CloudWatch alarm watches, so tests can compare them with what the watched
// resource of the same template publishes.
import { Template } from 'aws-cdk-lib/assertions';

/** One metric an alarm watches: its namespace, name and dimensions (name to CloudFormation value). */
export interface WatchedMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, unknown>>;
}

interface CfnDimension {
  readonly Name: string;
  readonly Value: unknown;
}

const toMap = (dimensions: readonly CfnDimension[] = []) =>
  Object.fromEntries(dimensions.map((dimension) => [dimension.Name, dimension.Value]));

/** The alarms of a template by the runbook name their AlarmName ends with (`<prefix>-<runbook>`). */
export function alarmsByRunbook(template: Template): Record<string, Record<string, unknown>> {
  const alarms: Record<string, Record<string, unknown>> = {};
  for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
    const name = String(alarm.Properties.AlarmName).split('-').pop() as string;
    alarms[name] = alarm.Properties;
  }
  return alarms;
}

/** Every metric an alarm watches: its own metric, or each metric of its math expression. */
export function watchedMetrics(alarm: Record<string, unknown>): WatchedMetric[] {
  if (alarm.MetricName !== undefined) {
    return [
      {
        namespace: alarm.Namespace as string,
        metricName: alarm.MetricName as string,
        dimensions: toMap(alarm.Dimensions as CfnDimension[]),
      },
    ];
  }
  const queries = alarm.Metrics as {
    MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: CfnDimension[] } };
  }[];
  return queries
    .filter((query) => query.MetricStat !== undefined)
    .map(({ MetricStat }) => ({
      namespace: MetricStat!.Metric.Namespace,
      metricName: MetricStat!.Metric.MetricName,
      dimensions: toMap(MetricStat!.Metric.Dimensions),
    }));
}

/** The logical id and properties of the one resource of a type in the template. */
export function onlyResource(
  template: Template,
  type: string,
): { readonly id: string; readonly properties: Record<string, unknown> } {
  const resources = Object.entries(template.findResources(type));
  expect(resources.map(([id]) => id)).toHaveLength(1);
  const [[id, resource]] = resources;
  return { id, properties: resource.Properties };
}
