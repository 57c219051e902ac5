import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { ALARM_NAMES_PER_CALL, checkAlarms } from '../../verify/check-alarms';
import { healthyRecording, recordedClients } from './helpers/recorded-aws';

describe('checkAlarms', () => {
  const config = loadPlatformConfig('dev');
  const region = config.primaryRegion.region;

  test('asks for at most 100 names per call and follows every page of each call', async () => {
    // GIVEN 250 alarms in the region, all with data, one of them firing
    const recording = healthyRecording(config);
    const names = Array.from({ length: 250 }, (_, i) => `alarm-${String(i).padStart(3, '0')}`);
    recording.alarms.set(
      region,
      names.map((name, i) => ({ AlarmName: name, StateValue: i === 7 ? 'ALARM' : 'OK' })),
    );
    // WHEN
    const result = await checkAlarms(recordedClients(recording).cloudWatch(region), region, 'stack', names);
    // THEN
    expect(result).toEqual({
      ok: true,
      region,
      name: 'alarms of stack',
      detail: '250 with data (249 OK, 1 ALARM): alarm-007 in ALARM',
    });
    const calls = recording.calls.filter((call) => call.command === 'DescribeAlarms');
    expect(calls.map((call) => (call.input.AlarmNames as string[]).length)).toEqual([100, 100, 50]);
    expect(calls.every((call) => call.input.MaxRecords === ALARM_NAMES_PER_CALL)).toBe(true);
  });

  test('fails on an alarm the stack names but CloudWatch does not know', async () => {
    // GIVEN
    const recording = healthyRecording(config);
    const known = recording.alarms.get(region)![0].AlarmName!;
    // WHEN
    const result = await checkAlarms(recordedClients(recording).cloudWatch(region), region, 'stack', [
      known,
      'deleted-by-hand',
    ]);
    // THEN
    expect(result).toEqual({
      ok: false,
      region,
      name: 'alarms of stack',
      detail: 'not found: deleted-by-hand',
    });
  });

  test('says none for a stack without alarms, and calls nothing', async () => {
    // GIVEN
    const recording = healthyRecording(config);
    // WHEN
    const result = await checkAlarms(recordedClients(recording).cloudWatch(region), region, 'stack', []);
    // THEN
    expect(result.detail).toBe('none');
    expect(recording.calls).toEqual([]);
  });
});
