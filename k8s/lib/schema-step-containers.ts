// The containers of a release's schema step: the migration Job's and the init container that holds the API and
// relay pods until their build's migrations are in the database (service/src/cli/migrate.ts).
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { WAIT_FOR_SCHEMA_ARG } from '../../service/src/db/release-schema';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT } from './api-pod-template';

/** Entry point of the migration in the service image (distroless: no shell, so the node binary is named). */
export const MIGRATION_COMMAND = ['/nodejs/bin/node', 'migrate.js'] as const;

/** Which database URL a schema-step container reads, and how it signs in. */
export interface SchemaStepDatabase {
  /** Secret holding the URL. */
  readonly secretName: string;
  /** Key of the URL in that Secret; the container sees it as DATABASE_URL. */
  readonly secretKey: string;
  /** TLS and sign-in variables (lib/database-environment.ts). */
  readonly environment: Readonly<Record<string, string>>;
}

/** Only the one URL and how to use it: the schema step gets no other secret. */
export function schemaStepEnvironment(database: SchemaStepDatabase): IEnvVar[] {
  return [
    {
      name: 'DATABASE_URL',
      valueFrom: { secretKeyRef: { name: database.secretName, key: database.secretKey } },
    },
    ...Object.entries(database.environment).map(([name, value]) => ({ name, value })),
  ];
}

/** Small: one connection and one query every two seconds. */
const SCHEMA_STEP_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
};

/**
 * The init container that waits until the database has every migration of `image`'s build: in the region that
 * writes, until the migration Job has run; elsewhere, until replication has brought the schema. Kubernetes
 * applies the Job and the pods together (the CDK kubectl provider has no ordering between objects of one chart,
 * and no Argo CD sync wave applies there), so the order is kept by the pods themselves.
 */
export function schemaWaitInitContainer(image: string, database: SchemaStepDatabase): IContainer {
  return {
    name: 'wait-for-schema',
    image,
    imagePullPolicy: 'IfNotPresent',
    command: [...MIGRATION_COMMAND, WAIT_FOR_SCHEMA_ARG],
    env: schemaStepEnvironment(database),
    resources: SCHEMA_STEP_RESOURCES,
    securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
  };
}

/** The migration Job's container: applies the pending migrations where the database takes DDL. */
export function migrationContainer(image: string, database: SchemaStepDatabase): IContainer {
  return {
    name: 'migrate',
    image,
    command: [...MIGRATION_COMMAND],
    env: schemaStepEnvironment(database),
    resources: SCHEMA_STEP_RESOURCES,
    securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
  };
}
