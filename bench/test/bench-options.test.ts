import { parseBenchOptions } from '../lib/bench-options';

it('sets variables on the service under test from --service-env, to measure a variant', () => {
  const options = parseBenchOptions(
    ['--service-env', 'OTEL_SDK_DISABLED=true', '--service-env', 'LOG_LEVEL=warn'],
    {},
  );

  expect(options.serviceEnvOverrides).toEqual({ OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'warn' });
  expect(parseBenchOptions([], {}).serviceEnvOverrides).toEqual({});
});

it('refuses a --service-env that is not NAME=VALUE', () => {
  expect(() => parseBenchOptions(['--service-env', 'OTEL_SDK_DISABLED'], {})).toThrow(/NAME=VALUE/);
});

it('runs shorter scenarios in quick mode', () => {
  expect(parseBenchOptions(['--quick'], {}).durationSeconds).toBeLessThan(
    parseBenchOptions([], {}).durationSeconds,
  );
});
