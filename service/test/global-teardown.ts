/** Stops PgBouncer, and the embedded PostgreSQL if the global set-up had to start one. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.pgBouncer?.stop();
  await globalThis.embeddedPostgres?.stop();
}
