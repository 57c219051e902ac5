// `npm run verify -- -c env=<name>`: after `cdk deploy --all`, checks with read-only AWS calls that the
// environment is up (scripts/verify/ holds the checks). Exits 1 when a check fails, 2 on a usage error.
import { createVerifyClients } from './verify/verify-clients';
import { verifyCommand } from './verify/verify-command';

verifyCommand(
  process.argv.slice(2),
  // The default credential chain; the readiness call adds its own timeout to the global fetch.
  { clients: createVerifyClients(), fetch: globalThis.fetch },
  { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `verify: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
