/**
 * The database roles the workloads connect as, created with their privileges by the migration
 * `1763856300000_workload-roles.sql` (a later migration adding a table grants on it): the API's DML on its
 * tables, the relay's work on the outbox only. The
 * migration Job alone uses the master user. In AWS the roles sign in with IAM database authentication.
 */
export const WORKLOAD_ROLES = { api: 'api_service', relay: 'outbox_relay' } as const;

/** One of {@link WORKLOAD_ROLES}. */
export type WorkloadRole = (typeof WORKLOAD_ROLES)[keyof typeof WORKLOAD_ROLES];
