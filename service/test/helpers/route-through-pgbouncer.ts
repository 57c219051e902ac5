// Setup file of the `through-pgbouncer` jest project: test databases hand the service PgBouncer's address.
process.env.TEST_DATABASE_ROUTE = 'pgbouncer';
