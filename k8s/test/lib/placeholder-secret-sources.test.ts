import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { placeholderSecretSources } from '../../lib/placeholder-secret-sources';

describe('placeholderSecretSources', () => {
  test('names secrets per environment and hosts per region', () => {
    // GIVEN
    const dev = loadPlatformConfig('dev');
    // WHEN
    const primary = placeholderSecretSources(dev, dev.primaryRegion);
    const secondary = placeholderSecretSources(dev, dev.secondaryRegions[0]);
    // THEN
    expect(primary.databaseSecret).toBe('api-platform/dev/database');
    expect(primary.databaseWriterHost).toContain(dev.primaryRegion.region);
    expect(secondary.databaseWriterHost).toContain(dev.secondaryRegions[0].region);
  });
});
