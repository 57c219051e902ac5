import { connect } from 'node:net';
import type { PoolClient } from 'pg';

/** The CancelRequest code of the PostgreSQL wire protocol ("Message Formats", PostgreSQL documentation). */
const CANCEL_REQUEST_CODE = 80877102;

/**
 * Asks the server to cancel whatever `client` is running, with the protocol's CancelRequest on a new connection.
 *
 * Not `pg_cancel_backend(pid)`: behind a proxy (RDS Proxy, PgBouncer) the process id a client was given is the
 * proxy's, not a server backend's, so that would cancel nothing, or another session's query. A proxy maps its
 * own cancel keys to the server connection running the query (PgBouncer's is tested; RDS Proxy's is not documented:
 * docs/aws-assumptions.md has the check). Sent unencrypted, as libpq sends it before
 * PostgreSQL 17: the packet holds only the two keys. Best effort: the statement timeout still bounds the query.
 */
export function cancelBackend(client: PoolClient): void {
  const target = client as PoolClient & {
    processID?: number | null;
    secretKey?: number | null;
    host?: string;
    port?: number;
  };
  if (target.processID == null || target.secretKey == null || !target.host || !target.port) return;
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(target.processID, 8);
  packet.writeInt32BE(target.secretKey, 12);
  const socket = target.host.startsWith('/')
    ? connect({ path: `${target.host}/.s.PGSQL.${target.port}` })
    : connect({ host: target.host, port: target.port });
  // The server (or proxy) closes the connection once it has acted; closing first could make a proxy drop the
  // request unsent (PgBouncer does, on the client's end-of-file).
  socket.setTimeout(2000, () => socket.destroy());
  socket.once('connect', () => socket.write(packet));
  socket.once('end', () => socket.destroy());
  socket.on('error', () => socket.destroy());
}
