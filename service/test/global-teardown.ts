/** Stops the embedded PostgreSQL if the global set-up had to start one. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.embeddedPostgres?.stop();
}
