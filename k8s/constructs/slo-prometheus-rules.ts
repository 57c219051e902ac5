import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { Construct } from 'constructs';
import { isAlertingRule, type RuleFile } from '../../dashboards/prometheus/rule-group';
import { ModelObject } from '../lib/model-object';

/** Properties of SloPrometheusRules. */
export interface SloPrometheusRulesProps {
  /** Namespace the rules live in (the operator evaluates them wherever its selector allows). */
  readonly namespace: string;
  /** The generated rule files, one PrometheusRule each. */
  readonly ruleFiles: readonly RuleFile[];
  /** Labels the Prometheus instance selects rules by. */
  readonly prometheusSelectorLabels: Readonly<Record<string, string>>;
}

/** One PrometheusRule per rule file dashboards/ generates, so the cluster evaluates exactly the tested rules. */
export class SloPrometheusRules extends Construct {
  /** Names of the PrometheusRule objects, in file order. */
  public readonly names: readonly string[];

  constructor(scope: Construct, id: string, props: SloPrometheusRulesProps) {
    super(scope, id);
    this.names = props.ruleFiles.map((file) => ruleObjectName(file.fileName));
    props.ruleFiles.forEach((file, index) => {
      new ModelObject(this, this.names[index], {
        model: new PrometheusRule({
          metadata: {
            name: this.names[index],
            namespace: props.namespace,
            labels: { ...props.prometheusSelectorLabels },
          },
          spec: {
            groups: file.groups.map((group) => ({
              name: group.name,
              rules: group.rules.map((rule) =>
                isAlertingRule(rule)
                  ? {
                      alert: rule.alert,
                      expr: rule.expr,
                      for: rule.for,
                      labels: { ...rule.labels },
                      annotations: { ...rule.annotations },
                    }
                  : { record: rule.record, expr: rule.expr, labels: rule.labels && { ...rule.labels } },
              ),
            })),
          },
        }),
      });
    });
  }
}

/** `slo-availability.yaml` becomes `slo-availability`. */
function ruleObjectName(fileName: string): string {
  return fileName.replace(/\.ya?ml$/, '');
}
