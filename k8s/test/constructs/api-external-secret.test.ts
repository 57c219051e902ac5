import { Chart, Testing } from 'cdk8s';
import { WORKLOAD_ROLES } from '../../../service/src/db/workload-roles';
import { ApiExternalSecret, type ApiSecretSources } from '../../constructs/api-external-secret';
import { MigrationExternalSecret } from '../../constructs/migration-external-secret';

describe('ApiExternalSecret', () => {
  const sources: ApiSecretSources = {
    databaseSecret: 'db-secret',
    cacheAuthTokenSecret: 'cache-secret',
    databaseWriterHost: 'writer.example',
    databaseReaderHost: 'reader.example',
    databaseMigrationHost: 'cluster.example',
    cacheHost: 'cache.example',
  };
  const synth = (extra: Partial<ApiSecretSources> = {}) => {
    const chart = new Chart(Testing.app(), 'test');
    new ApiExternalSecret(chart, 'Secret', {
      name: 'api-secrets',
      namespace: 'api',
      clusterSecretStoreName: 'store',
      sources: { ...sources, ...extra },
    });
    return Testing.synth(chart)[0];
  };

  test("names each workload's own database role in its URL, with no password, and reads only the cache token", () => {
    // WHEN
    const secret = synth();
    // THEN
    expect(secret.spec.data).toEqual([{ secretKey: 'cacheAuthToken', remoteRef: { key: 'cache-secret' } }]);
    expect(secret.spec.target.template.data).toEqual({
      DATABASE_URL: `postgresql://${WORKLOAD_ROLES.api}@writer.example:5432/postgres`,
      DATABASE_READER_URL: `postgresql://${WORKLOAD_ROLES.api}@reader.example:5432/postgres`,
      RELAY_DATABASE_URL: `postgresql://${WORKLOAD_ROLES.relay}@writer.example:5432/postgres`,
      REDIS_URL: 'rediss://:{{ .cacheAuthToken | urlquery }}@cache.example:6379',
    });
  });

  test('uses the database name given', () => {
    // THEN
    expect(synth({ databaseName: 'app' }).spec.target.template.data.DATABASE_URL).toMatch(/:5432\/app$/);
  });

  test("keeps the master password out of it: only the migration Job's Secret has it, URL-escaped", () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    new MigrationExternalSecret(chart, 'Secret', {
      name: 'api-migration-secrets',
      namespace: 'api',
      clusterSecretStoreName: 'store',
      sources,
    });
    const [migration] = Testing.synth(chart);
    // THEN
    expect(JSON.stringify(synth())).not.toContain('dbPassword');
    expect(migration.spec.data).toEqual([
      { secretKey: 'dbUsername', remoteRef: { key: 'db-secret', property: 'username' } },
      { secretKey: 'dbPassword', remoteRef: { key: 'db-secret', property: 'password' } },
    ]);
    expect(migration.spec.target.template.data).toEqual({
      DATABASE_URL:
        'postgresql://{{ .dbUsername | urlquery }}:{{ .dbPassword | urlquery }}@cluster.example:5432/postgres',
    });
  });
});
