// Assembles every generated rule file of one environment from the platform configuration.
import type { PlatformConfig } from '../../infra/config/platform-config';
import { dashboardUid, sloPanelId } from '../grafana/dashboard-ids';
import { dashboardPanelUrl } from '../links';
import { apiSlos, type SloDefinition } from '../slo/slo-definition';
import { addRunbookLinks } from './add-runbook-links';
import { isAlertingRule, type RuleFile } from './rule-group';
import { serviceAlertGroup } from './service-alert-rules';
import { sloAlertGroup } from './slo-alert-rules';
import { metaRecordingGroup, sliRecordingGroup } from './slo-recording-rules';

/** Name of the rule file holding one SLO's recordings and alerts. */
export function sloRuleFileName(slo: SloDefinition): string {
  return `slo-${slo.name}.yaml`;
}

/** Name of the rule file holding the service alerts (absent SLI metrics, saturation). */
export const SERVICE_RULE_FILE = 'api-service.yaml';

/** Returns the rule files of an environment: one per SLO (recordings, then alerts), then the service alerts. */
export function prometheusRuleFiles(config: PlatformConfig): RuleFile[] {
  const overview = dashboardUid(config, 'slo-overview');
  const slos = apiSlos(config);
  const sloFiles = slos.map((slo, index): RuleFile => ({
    fileName: sloRuleFileName(slo),
    groups: [
      sliRecordingGroup(slo),
      metaRecordingGroup(slo),
      sloAlertGroup(slo, () => dashboardPanelUrl(overview, sloPanelId(index, 'burnRate'))),
    ],
  }));
  return addRunbookLinks([...sloFiles, { fileName: SERVICE_RULE_FILE, groups: [serviceAlertGroup(config)] }]);
}

/** Returns the distinct alert names the files define, sorted: each must have a runbook. */
export function alertNames(files: readonly RuleFile[]): string[] {
  const names = files.flatMap((file) =>
    file.groups.flatMap((group) => group.rules.filter(isAlertingRule).map((rule) => rule.alert)),
  );
  return [...new Set(names)].sort();
}
