// The one place `runbook_url` is set, as kubernetes-mixin's add-runbook-links does: from one URL pattern
// and the alert name, so a runbook is always the file named like the alert.
import { runbookUrl } from '../links';
import { isAlertingRule, type RuleFile } from './rule-group';

/** Returns the files with `runbook_url` added to every alerting rule's annotations. */
export function addRunbookLinks(files: readonly RuleFile[]): RuleFile[] {
  return files.map((file) => ({
    ...file,
    groups: file.groups.map((group) => ({
      ...group,
      rules: group.rules.map((rule) =>
        isAlertingRule(rule)
          ? { ...rule, annotations: { ...rule.annotations, runbook_url: runbookUrl(rule.alert) } }
          : rule,
      ),
    })),
  }));
}
