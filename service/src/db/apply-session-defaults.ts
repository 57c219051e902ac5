import type { ClientBase } from 'pg';

/**
 * Makes `defaults` the session defaults of the database `client` is connected to (`ALTER DATABASE … SET`):
 * what Aurora's cluster parameter group does in AWS, for the embedded and test servers. New sessions get them.
 */
export async function applySessionDefaults(
  client: ClientBase,
  defaults: Readonly<Record<string, string>>,
): Promise<void> {
  const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
  const database = client.escapeIdentifier(rows[0].name);
  for (const [parameter, value] of Object.entries(defaults)) {
    await client.query(
      `ALTER DATABASE ${database} SET ${client.escapeIdentifier(parameter)} = ${client.escapeLiteral(value)}`,
    );
  }
}
