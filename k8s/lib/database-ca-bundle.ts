// The RDS CA bundle the pods trust for PostgreSQL TLS (verify-full), mounted from a ConfigMap.
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { DatabaseSslMode } from '../../service/src/config';

/**
 * Where the bundle comes from and where the pods see it. The ConfigMap is created once per cluster by the
 * operator from the CA bundle AWS publishes for RDS (see k8s/README.md): the chart does not embed it, so no
 * third-party certificate is committed and a CA rotation needs no new image.
 */
export const DATABASE_CA_BUNDLE = {
  configMapName: 'rds-ca-bundle',
  key: 'ca.pem',
  volumeName: 'database-ca',
  mountPath: '/etc/ssl/rds',
} as const;

/** How the API and the migration job connect to Aurora (which has `rds.force_ssl` on). */
export const DATABASE_SSL_MODE: DatabaseSslMode = 'verify-full';

/** Path of the bundle inside the container (DATABASE_CA_FILE). */
export const DATABASE_CA_FILE = `${DATABASE_CA_BUNDLE.mountPath}/${DATABASE_CA_BUNDLE.key}`;

/** The TLS variables of the API and of the migration job. */
export function databaseTlsEnvironment(): { DATABASE_SSL_MODE: string; DATABASE_CA_FILE: string } {
  return { DATABASE_SSL_MODE, DATABASE_CA_FILE };
}

/** The pod volume holding the bundle; a missing ConfigMap keeps the pod from starting, with an event naming it. */
export function databaseCaVolume(): IVolume {
  return {
    name: DATABASE_CA_BUNDLE.volumeName,
    configMap: {
      name: DATABASE_CA_BUNDLE.configMapName,
      items: [{ key: DATABASE_CA_BUNDLE.key, path: DATABASE_CA_BUNDLE.key }],
    },
  };
}

/** The container's read-only mount of {@link databaseCaVolume}. */
export function databaseCaVolumeMount(): IVolumeMount {
  return { name: DATABASE_CA_BUNDLE.volumeName, mountPath: DATABASE_CA_BUNDLE.mountPath, readOnly: true };
}
