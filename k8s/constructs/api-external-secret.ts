import { Construct } from 'constructs';
import { WORKLOAD_ROLES } from '../../service/src/db/workload-roles';
import { ModelObject } from '../lib/model-object';
import { templatedExternalSecret } from '../lib/templated-external-secret';

/** Where the API's credentials live in AWS Secrets Manager, and the hosts they are used with. */
export interface ApiSecretSources {
  /** Name or ARN of the Aurora master secret (JSON with `username` and `password`): the migration Job's only. */
  readonly databaseSecret: string;
  /** Name or ARN of the ElastiCache AUTH token secret (a plain string). */
  readonly cacheAuthTokenSecret: string;
  /** Host of the regional Aurora writer endpoint (in a secondary region it forwards writes). */
  readonly databaseWriterHost: string;
  /** Host of the regional Aurora reader endpoint. */
  readonly databaseReaderHost: string;
  /**
   * Host the migration Job signs in to as the master user: the cluster's own writer endpoint in the primary (the
   * proxy admits IAM tokens only), its reader endpoint in a secondary (a replica: the Job does nothing there).
   */
  readonly databaseMigrationHost: string;
  /** Host of the ElastiCache primary endpoint. */
  readonly cacheHost: string;
  /**
   * Database name.
   * @default 'postgres'
   */
  readonly databaseName?: string;
}

/** Properties of an ApiExternalSecret. */
export interface ApiExternalSecretProps {
  /** Name of the ExternalSecret and of the Secret it writes. */
  readonly name: string;
  /** Namespace of the pods. */
  readonly namespace: string;
  /** ClusterSecretStore reading AWS Secrets Manager. */
  readonly clusterSecretStoreName: string;
  /** The secrets and endpoints. */
  readonly sources: ApiSecretSources;
  /**
   * How often External Secrets re-reads the cache token (a new token reaches new pods after this).
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/**
 * An ExternalSecret that assembles the workloads' URLs inside the cluster: DATABASE_URL and DATABASE_READER_URL as
 * the API's database role, RELAY_DATABASE_URL as the relay's (both sign in with IAM tokens, so the URLs hold no
 * password), and REDIS_URL with the AUTH token from AWS Secrets Manager. No credential is ever written into a
 * manifest, and the master user's password is not in this Secret at all (see MigrationExternalSecret).
 */
export class ApiExternalSecret extends Construct {
  /** Name of the Kubernetes Secret the pods read. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: ApiExternalSecretProps) {
    super(scope, id);
    const { sources } = props;
    const databaseName = sources.databaseName ?? 'postgres';
    this.secretName = props.name;
    const url = (user: string, host: string) => `postgresql://${user}@${host}:5432/${databaseName}`;
    new ModelObject(this, 'Resource', {
      model: templatedExternalSecret({
        name: props.name,
        namespace: props.namespace,
        clusterSecretStoreName: props.clusterSecretStoreName,
        refreshInterval: props.refreshInterval ?? '1h',
        remote: { cacheAuthToken: { key: sources.cacheAuthTokenSecret } },
        template: {
          DATABASE_URL: url(WORKLOAD_ROLES.api, sources.databaseWriterHost),
          DATABASE_READER_URL: url(WORKLOAD_ROLES.api, sources.databaseReaderHost),
          RELAY_DATABASE_URL: url(WORKLOAD_ROLES.relay, sources.databaseWriterHost),
          // `rediss`: ElastiCache has in-transit encryption on, and AUTH requires it.
          REDIS_URL: `rediss://:{{ .cacheAuthToken | urlquery }}@${sources.cacheHost}:6379`,
        },
      }),
    });
  }
}
