// The Prometheus rule file format (https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/),
// typed, so that generators cannot produce a rule Prometheus would reject for its shape.

/** A rule that stores the result of `expr` as a new series named `record`. */
export interface RecordingRule {
  /** Name of the recorded series. */
  readonly record: string;
  /** PromQL expression. */
  readonly expr: string;
  /** Labels added to the result. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A rule that raises alert `alert` while `expr` returns samples for at least `for`. */
export interface AlertingRule {
  /** Alert name; also the runbook file name. */
  readonly alert: string;
  /** PromQL expression; its value is `$value` in the annotations. */
  readonly expr: string;
  /** How long `expr` must hold before the alert fires. */
  readonly for?: string;
  /** Labels added to the alert, `severity` among them. */
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations: `summary`, `description`, `dashboard_url`, and `runbook_url` once links are added. */
  readonly annotations: Readonly<Record<string, string>>;
}

/** Either kind of rule. */
export type Rule = RecordingRule | AlertingRule;

/** A group of rules evaluated in order at the same instant. */
export interface RuleGroup {
  /** Group name, unique within the file. */
  readonly name: string;
  /** Rules, recordings before the alerts that read them. */
  readonly rules: readonly Rule[];
}

/** One generated rule file. */
export interface RuleFile {
  /** File name, for example `slo-availability.yaml`. */
  readonly fileName: string;
  /** Groups in evaluation order. */
  readonly groups: readonly RuleGroup[];
}

/** Whether a rule is an alerting rule. */
export function isAlertingRule(rule: Rule): rule is AlertingRule {
  return 'alert' in rule;
}
