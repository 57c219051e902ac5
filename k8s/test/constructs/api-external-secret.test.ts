import { Chart, Testing } from 'cdk8s';
import { ApiExternalSecret, type ApiSecretSources } from '../../constructs/api-external-secret';

describe('ApiExternalSecret', () => {
  const sources: ApiSecretSources = {
    databaseSecret: 'db-secret',
    cacheAuthTokenSecret: 'cache-secret',
    databaseWriterHost: 'writer.example',
    databaseReaderHost: 'reader.example',
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

  test('builds the URLs in the cluster from the remote credentials, URL-escaped', () => {
    // WHEN
    const secret = synth();
    // THEN
    expect(secret.spec.data).toEqual([
      { secretKey: 'dbUsername', remoteRef: { key: 'db-secret', property: 'username' } },
      { secretKey: 'dbPassword', remoteRef: { key: 'db-secret', property: 'password' } },
      { secretKey: 'cacheAuthToken', remoteRef: { key: 'cache-secret' } },
    ]);
    expect(secret.spec.target.template.data).toEqual({
      DATABASE_URL:
        'postgresql://{{ .dbUsername | urlquery }}:{{ .dbPassword | urlquery }}@writer.example:5432/postgres',
      DATABASE_READER_URL:
        'postgresql://{{ .dbUsername | urlquery }}:{{ .dbPassword | urlquery }}@reader.example:5432/postgres',
      REDIS_URL: 'rediss://:{{ .cacheAuthToken | urlquery }}@cache.example:6379',
    });
  });

  test('uses the database name given', () => {
    // THEN
    expect(synth({ databaseName: 'app' }).spec.target.template.data.DATABASE_URL).toMatch(/:5432\/app$/);
  });
});
