// Writes generated files per environment: the rule and dashboard writers differ only in what they render.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadPlatformConfig, type PlatformConfig } from '../infra/config/platform-config';

/** One generated file of an environment. */
export interface GeneratedFile {
  /** Name inside the environment's folder. */
  readonly fileName: string;
  /** Full contents. */
  readonly content: string;
}

/** Writes each environment's files to `<outDir>/<env>/` and returns the paths written, in order. */
export function writeEnvironmentFiles(
  outDir: string,
  envNames: readonly string[],
  render: (config: PlatformConfig) => readonly GeneratedFile[],
): string[] {
  return envNames.flatMap((envName) => {
    const dir = path.join(outDir, envName);
    mkdirSync(dir, { recursive: true });
    return render(loadPlatformConfig(envName)).map((file) => {
      const target = path.join(dir, file.fileName);
      writeFileSync(target, file.content);
      return target;
    });
  });
}
