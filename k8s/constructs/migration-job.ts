import { Job } from 'kubernetes-models/batch/v1/Job';
import { Construct } from 'constructs';
import { DATA_CLIENT_POD_LABELS } from '../lib/api-labels';
import { RESTRICTED_POD_SECURITY_CONTEXT } from '../lib/api-pod-template';
import { databaseTlsEnvironment } from '../lib/database-environment';
import { ModelObject } from '../lib/model-object';
import { migrationContainer } from '../lib/schema-step-containers';

export { MIGRATION_COMMAND } from '../lib/schema-step-containers';

/** Argo CD sync waves: the secret first (wave 0), then the migration, then the new pods (API and relay). */
export const SYNC_WAVES = { migration: '1', rollout: '2' } as const;

/** Properties of a MigrationJob. */
export interface MigrationJobProps {
  /** Namespace of the API. */
  readonly namespace: string;
  /** The image the release deploys; the Job runs the same build as the pods. */
  readonly image: string;
  /** Tag of that image: part of the Job name, so each release migrates once (a Job's template is immutable). */
  readonly imageTag: string;
  /** ServiceAccount to run as. */
  readonly serviceAccountName: string;
  /** Secret holding DATABASE_URL with the master user's credentials (written by External Secrets). */
  readonly secretName: string;
  /** PriorityClass of the pod. */
  readonly priorityClassName: string;
  /**
   * Longest a migration may run, in seconds, before it is stopped and the release halts.
   * @default 900
   */
  readonly activeDeadlineSeconds?: number;
}

/**
 * A Job running the schema migration of one release. Every region runs it; only where the database takes DDL
 * (the region that writes today) does it migrate, so no region is special in the chart. The new pods wait for
 * the schema in an init container (lib/schema-step-containers.ts). Chosen over an analysis step of the
 * canary: migrations must stay backward compatible anyway (stable pods run through the whole canary), and a
 * Job runs once per release instead of on every retry or abort of the canary.
 */
export class MigrationJob extends Construct {
  /** Name of the Job. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    this.name = migrationJobName(props.imageTag);
    const labels = { 'app.kubernetes.io/name': 'api-migration', 'app.kubernetes.io/component': 'migration' };
    new ModelObject(this, 'Resource', {
      model: new Job({
        metadata: {
          name: this.name,
          namespace: props.namespace,
          labels,
          annotations: { 'argocd.argoproj.io/sync-wave': SYNC_WAVES.migration },
        },
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: props.activeDeadlineSeconds ?? 900,
          // Kept a week for its logs, then removed.
          ttlSecondsAfterFinished: 7 * 24 * 3600,
          template: {
            // The data-client label gets the pod the security group the database admits.
            metadata: { labels: { ...labels, ...DATA_CLIENT_POD_LABELS } },
            spec: {
              restartPolicy: 'Never',
              serviceAccountName: props.serviceAccountName,
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              priorityClassName: props.priorityClassName,
              securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
              containers: [
                migrationContainer(props.image, {
                  secretName: props.secretName,
                  secretKey: 'DATABASE_URL',
                  environment: databaseTlsEnvironment(),
                }),
              ],
            },
          },
        },
      }),
    });
  }
}

/** `0.1.0` becomes `api-migrate-0-1-0`: a valid, per-release object name. */
export function migrationJobName(imageTag: string): string {
  const suffix = imageTag
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (suffix === '') throw new Error(`MigrationJob: imageTag '${imageTag}' yields no name`);
  return `api-migrate-${suffix}`.slice(0, 63).replace(/-+$/, '');
}
