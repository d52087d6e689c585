import { ConfigurationError } from '../../../src/domain/errors';
import { parseCoreSettings } from '../../../src/settings/core';

describe('CRYPTO_STOP_LIMIT_PCT', () => {
  it("when it is not set, then a crypto stop's limit sits 1% beyond its trigger", () => {
    expect(parseCoreSettings({}).cryptoStopLimitPct).toBe(1);
  });

  it('when it is a percentage above 0 and under 50, then it is taken', () => {
    expect(parseCoreSettings({ CRYPTO_STOP_LIMIT_PCT: '2.5' }).cryptoStopLimitPct).toBe(2.5);
    expect(parseCoreSettings({ CRYPTO_STOP_LIMIT_PCT: '0.25' }).cryptoStopLimitPct).toBe(0.25);
  });

  it.each([['0'], ['-1'], ['50'], ['1%'], ['one']])('when it is %s, then start-up fails naming the setting and the fix', (bad) => {
    expect(() => parseCoreSettings({ CRYPTO_STOP_LIMIT_PCT: bad })).toThrow(ConfigurationError);
    expect(() => parseCoreSettings({ CRYPTO_STOP_LIMIT_PCT: bad })).toThrow(
      new RegExp(`CRYPTO_STOP_LIMIT_PCT="${bad}" is not a percentage above 0 and under 50\\. Use e\\.g\\. CRYPTO_STOP_LIMIT_PCT=1`),
    );
  });
});
