import { addRunbookLinks } from '../../prometheus/add-runbook-links';
import type { RuleFile } from '../../prometheus/rule-group';
import { runbookUrl } from '../../links';

describe('addRunbookLinks', () => {
  it('adds the runbook of the alert name to alerting rules only', () => {
    // GIVEN
    const files: RuleFile[] = [
      {
        fileName: 'x.yaml',
        groups: [
          {
            name: 'g',
            rules: [
              { record: 'r', expr: 'vector(1)' },
              {
                alert: 'SomethingBroke',
                expr: 'vector(1)',
                labels: { severity: 'page' },
                annotations: { summary: 's' },
              },
            ],
          },
        ],
      },
    ];

    // WHEN
    const [linked] = addRunbookLinks(files);

    // THEN
    expect(linked.groups[0].rules[0]).toEqual({ record: 'r', expr: 'vector(1)' });
    expect(linked.groups[0].rules[1]).toMatchObject({
      annotations: { summary: 's', runbook_url: runbookUrl('SomethingBroke') },
    });
  });
});
