import { Construct } from 'constructs';
import { ModelObject } from '../lib/model-object';
import { templatedExternalSecret } from '../lib/templated-external-secret';
import type { ApiSecretSources } from './api-external-secret';

/** Properties of a MigrationExternalSecret. */
export interface MigrationExternalSecretProps {
  /** Name of the ExternalSecret and of the Secret it writes. */
  readonly name: string;
  /** Namespace of the Job. */
  readonly namespace: string;
  /** ClusterSecretStore reading AWS Secrets Manager. */
  readonly clusterSecretStoreName: string;
  /** The master secret and the host the Job signs in to. */
  readonly sources: Pick<ApiSecretSources, 'databaseSecret' | 'databaseMigrationHost' | 'databaseName'>;
  /**
   * How often External Secrets re-reads the master secret: after a rotation, a Job that starts before the next
   * read signs in with the old password and fails (runbooks/incidents/migration-sign-in-failed.md).
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/**
 * The migration Job's DATABASE_URL, as the Aurora master user, in a Secret of its own: only the Job mounts it,
 * so no long-running pod holds a password that can change the schema.
 */
export class MigrationExternalSecret extends Construct {
  /** Name of the Kubernetes Secret the Job reads. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: MigrationExternalSecretProps) {
    super(scope, id);
    const { sources } = props;
    this.secretName = props.name;
    // Credentials are URL-escaped: a generated password may contain characters a URL reserves.
    const credentials = '{{ .dbUsername | urlquery }}:{{ .dbPassword | urlquery }}';
    new ModelObject(this, 'Resource', {
      model: templatedExternalSecret({
        name: props.name,
        namespace: props.namespace,
        clusterSecretStoreName: props.clusterSecretStoreName,
        refreshInterval: props.refreshInterval ?? '1h',
        remote: {
          dbUsername: { key: sources.databaseSecret, property: 'username' },
          dbPassword: { key: sources.databaseSecret, property: 'password' },
        },
        template: {
          DATABASE_URL: `postgresql://${credentials}@${sources.databaseMigrationHost}:5432/${sources.databaseName ?? 'postgres'}`,
        },
      }),
    });
  }
}
