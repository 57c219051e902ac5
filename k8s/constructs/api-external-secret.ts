import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret';
import { Construct } from 'constructs';
import { ModelObject } from '../lib/model-object';

/** Where the API's credentials live in AWS Secrets Manager, and the hosts they are used with. */
export interface ApiSecretSources {
  /** Name or ARN of the Aurora secret (JSON with `username` and `password`). */
  readonly databaseSecret: string;
  /** Name or ARN of the ElastiCache AUTH token secret (a plain string). */
  readonly cacheAuthTokenSecret: string;
  /** Host of the regional Aurora writer endpoint (in a secondary region it forwards writes). */
  readonly databaseWriterHost: string;
  /** Host of the regional Aurora reader endpoint. */
  readonly databaseReaderHost: string;
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
   * How often External Secrets re-reads the values (a rotated password reaches new pods after this).
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/**
 * An ExternalSecret that assembles DATABASE_URL, DATABASE_READER_URL and REDIS_URL from AWS Secrets
 * Manager inside the cluster: no credential is ever written into a manifest, and rotation needs no redeploy.
 */
export class ApiExternalSecret extends Construct {
  /** Name of the Kubernetes Secret the pods read. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: ApiExternalSecretProps) {
    super(scope, id);
    const { sources } = props;
    const databaseName = sources.databaseName ?? 'postgres';
    this.secretName = props.name;
    // Credentials are URL-escaped: a generated password may contain characters a URL reserves.
    const credentials = '{{ .dbUsername | urlquery }}:{{ .dbPassword | urlquery }}';
    new ModelObject(this, 'Resource', {
      model: new ExternalSecret({
        metadata: { name: props.name, namespace: props.namespace },
        spec: {
          refreshInterval: props.refreshInterval ?? '1h',
          secretStoreRef: { kind: 'ClusterSecretStore', name: props.clusterSecretStoreName },
          target: {
            name: props.name,
            creationPolicy: 'Owner',
            template: {
              engineVersion: 'v2',
              type: 'Opaque',
              data: {
                DATABASE_URL: `postgresql://${credentials}@${sources.databaseWriterHost}:5432/${databaseName}`,
                DATABASE_READER_URL: `postgresql://${credentials}@${sources.databaseReaderHost}:5432/${databaseName}`,
                // `rediss`: ElastiCache has in-transit encryption on, and AUTH requires it.
                REDIS_URL: `rediss://:{{ .cacheAuthToken | urlquery }}@${sources.cacheHost}:6379`,
              },
            },
          },
          data: [
            { secretKey: 'dbUsername', remoteRef: { key: sources.databaseSecret, property: 'username' } },
            { secretKey: 'dbPassword', remoteRef: { key: sources.databaseSecret, property: 'password' } },
            { secretKey: 'cacheAuthToken', remoteRef: { key: sources.cacheAuthTokenSecret } },
          ],
        },
      }),
    });
  }
}
