import { DEFAULT_ENVIRONMENT } from '../../../infra/config/platform-config';
import { parseVerifyArgs } from '../../verify/verify-args';

describe('parseVerifyArgs', () => {
  test.each([
    [['-c', 'env=prod']],
    [['--context', 'env=prod']],
    [['-cenv=prod']],
    [['-c=env=prod']],
    [['--env', 'prod']],
    [['--env=prod']],
    [['--env', 'prod', '-c', 'env=prod']],
  ])('%j names the environment as cdk deploy would', (argv) => {
    // THEN
    expect(parseVerifyArgs(argv)).toEqual({ help: false, envName: 'prod' });
  });

  test('defaults to the configuration default environment', () => {
    // THEN
    expect(parseVerifyArgs([])).toEqual({ help: false, envName: DEFAULT_ENVIRONMENT });
  });

  test('refuses two different environments', () => {
    // THEN
    expect(() => parseVerifyArgs(['--env', 'dev', '-c', 'env=prod'])).toThrow(
      'two environments given: dev and prod',
    );
  });
});
