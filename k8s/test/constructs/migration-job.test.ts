import { migrationJobName } from '../../constructs/migration-job';

describe('migrationJobName', () => {
  test('names one Job per release tag', () => {
    // THEN
    expect(migrationJobName('0.1.0')).toBe('api-migrate-0-1-0');
    expect(migrationJobName('Release_2024.11+build.7')).toBe('api-migrate-release-2024-11-build-7');
    expect(migrationJobName('x'.repeat(80)).length).toBeLessThanOrEqual(63);
    expect(() => migrationJobName('...')).toThrow(/yields no name/);
  });
});
