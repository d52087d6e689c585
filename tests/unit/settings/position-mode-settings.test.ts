import { ConfigurationError } from '../../../src/domain/errors';
import { parseCoreSettings } from '../../../src/settings/core';

describe('POSITION_MODE', () => {
  it('when it is not set, then positions are shared, as before', () => {
    expect(parseCoreSettings({}).positionMode).toBe('shared');
  });

  it('when it is per-row (any case, or with an underscore or space), then each row keeps its own position', () => {
    expect(parseCoreSettings({ POSITION_MODE: 'per-row' }).positionMode).toBe('per-row');
    expect(parseCoreSettings({ POSITION_MODE: 'Per_Row' }).positionMode).toBe('per-row');
    expect(parseCoreSettings({ POSITION_MODE: 'SHARED' }).positionMode).toBe('shared');
  });

  it('when it is anything else, then start-up fails naming the setting and the two values', () => {
    expect(() => parseCoreSettings({ POSITION_MODE: 'perrow' })).toThrow(ConfigurationError);
    expect(() => parseCoreSettings({ POSITION_MODE: 'perrow' })).toThrow(
      /POSITION_MODE="perrow" is not a position mode\. Use shared .* or per-row/,
    );
  });
});
