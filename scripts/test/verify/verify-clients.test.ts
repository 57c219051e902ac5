import { createVerifyClients, ROUTE53_REGION, VerifyClient } from '../../verify/verify-clients';

describe('createVerifyClients', () => {
  test('creates one client per service and region, in that region, when first asked', async () => {
    // GIVEN
    const prepared: [VerifyClient, string][] = [];
    const clients = createVerifyClients({
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      prepare: (client, region) => prepared.push([client, region]),
    });
    // WHEN
    const rds = clients.rds('eu-west-1');
    const again = clients.rds('eu-west-1');
    const other = clients.rds('us-east-1');
    const route53 = clients.route53();
    const sns = clients.sns('eu-west-1');
    // THEN
    expect(again).toBe(rds);
    expect(other).not.toBe(rds);
    expect(await rds.config.region()).toBe('eu-west-1');
    expect(await other.config.region()).toBe('us-east-1');
    expect(await route53.config.region()).toBe(ROUTE53_REGION);
    expect(await sns.config.region()).toBe('eu-west-1');
    expect(prepared).toEqual([
      [rds, 'eu-west-1'],
      [other, 'us-east-1'],
      [route53, ROUTE53_REGION],
      [sns, 'eu-west-1'],
    ]);
  });
});
