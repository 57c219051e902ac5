import { createRequire, flushCompileCache, getCompileCacheDir } from 'node:module';

/**
 * An image build step: loads server.js with Node's module compile cache on (`NODE_COMPILE_CACHE`, set by the image)
 * and writes the compiled code to it, so a new pod starts without compiling the bundle again. server.js starts the
 * service only as the process's entry point: loaded from here, it is compiled and evaluated, and nothing listens.
 */
function main(): void {
  const directory = getCompileCacheDir();
  if (directory === undefined) {
    process.stderr.write('the module compile cache is off: set NODE_COMPILE_CACHE to its directory\n');
    process.exit(1);
  }
  createRequire(__filename)('./server.js');
  flushCompileCache();
  process.stdout.write(`compile cache of server.js written to ${directory}\n`);
  // Whatever the bundle's modules set up when evaluated must not keep the build step waiting.
  process.exit(0);
}

main();
