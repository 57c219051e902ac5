// Secret names and endpoint hosts for manifests synthesized without the CDK app: the CDK app passes the
// real values from its stacks; Argo CD and kubectl users replace these, which are named after the config.
import type { PlatformConfig, RegionConfig } from '../../infra/config/platform-config';
import type { ApiSecretSources } from '../constructs/api-external-secret';

/** Returns conventional Secrets Manager names and private host names for one region. */
export function placeholderSecretSources(config: PlatformConfig, region: RegionConfig): ApiSecretSources {
  const prefix = `${config.platformName}/${config.envName}`;
  const domain = `${region.region}.${config.platformName}-${config.envName}.internal`;
  return {
    databaseSecret: `${prefix}/database`,
    cacheAuthTokenSecret: `${prefix}/cache-auth-token`,
    databaseWriterHost: `writer.database.${domain}`,
    databaseReaderHost: `reader.database.${domain}`,
    databaseMigrationHost: `cluster.database.${domain}`,
    cacheHost: `primary.cache.${domain}`,
  };
}
