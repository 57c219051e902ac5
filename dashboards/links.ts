// Where alerts and panels point people: one URL pattern for runbooks, one for dashboard panels.
// Both bases are placeholders a fork replaces once, here.

/** Base of the repository's web view; runbooks live at `runbooks/alerts/<AlertName>.md` under it. */
export const REPOSITORY_BASE_URL = 'https://github.com/example-org/api-platform/blob/main';

/** Base URL of the Grafana the generated dashboards are loaded into. */
export const GRAFANA_BASE_URL = 'https://grafana.example.com';

/** Folder of the alert runbooks, relative to the repository root. */
export const RUNBOOK_DIR = 'runbooks/alerts';

/** Returns the runbook URL of an alert: the file named exactly like the alert. */
export function runbookUrl(alertName: string): string {
  return `${REPOSITORY_BASE_URL}/${RUNBOOK_DIR}/${alertName}.md`;
}

/** Returns the URL opening one panel of a generated dashboard on its own. */
export function dashboardPanelUrl(dashboardUid: string, panelId: number): string {
  return `${GRAFANA_BASE_URL}/d/${dashboardUid}?viewPanel=${panelId}`;
}
