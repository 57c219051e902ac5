// Writes the generated dashboards as JSON; `npm run synth` calls this, and dist/ is never committed.
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { ENVIRONMENT_NAMES, type PlatformConfig } from '../../infra/config/platform-config';
import { writeEnvironmentFiles } from '../write-environment-files';
import { dataTierDashboard } from './data-tier-dashboard';
import { redDashboard } from './red-dashboard';
import { saturationDashboard } from './saturation-dashboard';
import { sloOverviewDashboard } from './slo-overview-dashboard';

/** Returns every dashboard of an environment, built. */
export function grafanaDashboards(config: PlatformConfig): dashboard.Dashboard[] {
  return [
    sloOverviewDashboard(config),
    redDashboard(config),
    saturationDashboard(config),
    dataTierDashboard(config),
  ].map((b) => b.build());
}

/**
 * Writes every environment's dashboards to `<outDir>/<env>/<uid>.json` and returns the paths written.
 * @param outDir for example `dist/grafana`
 */
export function writeGrafanaDashboards(
  outDir: string,
  envNames: readonly string[] = ENVIRONMENT_NAMES,
): string[] {
  return writeEnvironmentFiles(outDir, envNames, (config) =>
    grafanaDashboards(config).map((built) => ({
      fileName: `${built.uid}.json`,
      content: `${JSON.stringify(built, null, 2)}\n`,
    })),
  );
}
