// The one step of alerting a person does by hand, creating each pager URL parameter before the first deploy, is
// written in the README with the names the config uses; this keeps the two in step.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { allRegions, ENVIRONMENT_NAMES, loadPlatformConfig } from '../../config/platform-config';

const README = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

describe('README, before the first deploy', () => {
  const parameters = ENVIRONMENT_NAMES.flatMap((envName) => {
    const config = loadPlatformConfig(envName);
    return [...config.alerting.page, ...config.alerting.ticket].flatMap((subscriber) =>
      'httpsEndpointParameter' in subscriber
        ? [{ name: subscriber.httpsEndpointParameter, regions: allRegions(config).map((r) => r.region) }]
        : [],
    );
  });

  test('the config names at least one pager parameter, so the step below is exercised', () => {
    expect(parameters.length).toBeGreaterThan(0);
  });

  test.each(parameters.map((parameter) => [parameter.name, parameter.regions]))(
    'says how to create %s in each of its regions',
    (name, regions) => {
      // THEN
      const command = new RegExp(
        `for region in ${(regions as string[]).join(' ')}; do\\s+aws ssm put-parameter --region "\\$region" --type String \\\\\\s+--name ${name} `,
      );
      expect(README).toMatch(command);
    },
  );
});
