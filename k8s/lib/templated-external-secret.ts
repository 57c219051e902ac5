import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret';

/** What a templated ExternalSecret reads from AWS Secrets Manager and writes into its Kubernetes Secret. */
export interface TemplatedExternalSecretSpec {
  /** Name of the ExternalSecret and of the Secret it writes (which it owns). */
  readonly name: string;
  readonly namespace: string;
  /** ClusterSecretStore reading AWS Secrets Manager. */
  readonly clusterSecretStoreName: string;
  /** How often External Secrets re-reads the values. */
  readonly refreshInterval: string;
  /** Values read from Secrets Manager, by the name the template uses. */
  readonly remote: Readonly<Record<string, { readonly key: string; readonly property?: string }>>;
  /** The Secret's keys, as External Secrets templates (`{{ .name }}` names a remote value). */
  readonly template: Readonly<Record<string, string>>;
}

/** An ExternalSecret (v2 templates) writing an Opaque Secret from AWS Secrets Manager values. */
export function templatedExternalSecret(spec: TemplatedExternalSecretSpec): ExternalSecret {
  return new ExternalSecret({
    metadata: { name: spec.name, namespace: spec.namespace },
    spec: {
      refreshInterval: spec.refreshInterval,
      secretStoreRef: { kind: 'ClusterSecretStore', name: spec.clusterSecretStoreName },
      target: {
        name: spec.name,
        creationPolicy: 'Owner',
        template: { engineVersion: 'v2', type: 'Opaque', data: { ...spec.template } },
      },
      data: Object.entries(spec.remote).map(([secretKey, remoteRef]) => ({
        secretKey,
        remoteRef: { ...remoteRef },
      })),
    },
  });
}
