import { createServer, type Server } from 'node:net';

/** A PostgreSQL front that asks for a cleartext password, records it with the user, and refuses the login. */
export interface PasswordCapturingServer {
  readonly port: number;
  /** The logins seen so far: the startup packet's user and the password the client sent. */
  readonly logins: { user: string; password: string }[];
  close(): Promise<void>;
}

/**
 * Starts on 127.0.0.1. It speaks only the first messages of the protocol ("Message Flow: Start-up", PostgreSQL
 * documentation): StartupMessage, AuthenticationCleartextPassword, PasswordMessage, then an ErrorResponse.
 */
export async function startPasswordCapturingServer(): Promise<PasswordCapturingServer> {
  const logins: { user: string; password: string }[] = [];
  const server: Server = createServer((socket) => {
    let buffered = Buffer.alloc(0);
    let user = '';
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!user) {
        if (buffered.length < 4 || buffered.length < buffered.readInt32BE(0)) return;
        const length = buffered.readInt32BE(0);
        const fields = buffered.subarray(8, length).toString('utf8').split('\0');
        user = fields[fields.indexOf('user') + 1];
        buffered = buffered.subarray(length);
        // AuthenticationCleartextPassword
        socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
        return;
      }
      if (buffered.length < 5 || buffered.length < 1 + buffered.readInt32BE(1)) return;
      const password = buffered.subarray(5, buffered.readInt32BE(1)).toString('utf8');
      logins.push({ user, password });
      const fields = Buffer.from('SFATAL\0C28P01\0Mcaptured\0\0', 'utf8');
      const error = Buffer.alloc(5);
      error.write('E', 0);
      error.writeInt32BE(4 + fields.length, 1);
      socket.end(Buffer.concat([error, fields]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    logins,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
