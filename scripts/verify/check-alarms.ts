// Check 6: every alarm of a stack watches a metric that exists. INSUFFICIENT_DATA after a deploy usually means
// a dimension names nothing (a renamed cluster, a node id that differs), so the alarm could never fire.
import { CloudWatchClient, DescribeAlarmsCommand, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { CheckResult, failed, passed } from './verify-result';

/** Most alarm names DescribeAlarms accepts in one call. */
export const ALARM_NAMES_PER_CALL = 100;

/** Label of a stack's alarms line. */
export function alarmsLabel(stackName: string): string {
  return `alarms of ${stackName}`;
}

/** The named metric alarms, in calls of at most 100 names, following each call's pages. */
export async function describeAlarms(
  cloudWatch: CloudWatchClient,
  names: readonly string[],
): Promise<MetricAlarm[]> {
  const alarms: MetricAlarm[] = [];
  for (let start = 0; start < names.length; start += ALARM_NAMES_PER_CALL) {
    const batch = names.slice(start, start + ALARM_NAMES_PER_CALL);
    let nextToken: string | undefined;
    do {
      const page = await cloudWatch.send(
        new DescribeAlarmsCommand({
          AlarmNames: batch,
          MaxRecords: ALARM_NAMES_PER_CALL,
          NextToken: nextToken,
        }),
      );
      alarms.push(...(page.MetricAlarms ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return alarms;
}

/** Checks that none of a stack's alarms is in INSUFFICIENT_DATA or missing; one line per stack. */
export async function checkAlarms(
  cloudWatch: CloudWatchClient,
  region: string,
  stackName: string,
  names: readonly string[],
): Promise<CheckResult> {
  const label = alarmsLabel(stackName);
  if (names.length === 0) return passed(region, label, 'none');
  const alarms = await describeAlarms(cloudWatch, names);
  const found = new Set(alarms.map((alarm) => alarm.AlarmName));
  const missing = names.filter((name) => !found.has(name));
  const inState = (state: string) =>
    alarms.filter((alarm) => alarm.StateValue === state).map((a) => a.AlarmName);
  const noData = inState('INSUFFICIENT_DATA');
  if (noData.length > 0 || missing.length > 0) {
    const reasons = [
      ...(noData.length > 0
        ? [`${noData.length} of ${names.length} in INSUFFICIENT_DATA: ${noData.join(', ')}`]
        : []),
      ...(missing.length > 0 ? [`not found: ${missing.join(', ')}`] : []),
    ];
    return failed(region, label, reasons.join('; '));
  }
  // An alarm firing has data, so it passes this check; it is still named, since someone should look.
  const firing = inState('ALARM');
  const detail = `${names.length} with data (${inState('OK').length} OK, ${firing.length} ALARM)`;
  return passed(region, label, firing.length > 0 ? `${detail}: ${firing.join(', ')} in ALARM` : detail);
}
