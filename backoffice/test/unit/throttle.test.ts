import { describe, expect, it } from 'vitest';
import { addressKey, DEFAULT_LIMITS, limitsFromEnv, parseLimit } from '../../src/throttle/limits';
import { newPairingCode, parsePairingCode } from '../../src/pairing/code';

describe('addressKey', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:10.0.0.7', '10.0.0.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::99', '2001:db8:1:2::/64'], // same /64: one host
    ['2001:0DB8:0001:0003::1', '2001:db8:1:3::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('%s → %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});

describe('limits from the environment', () => {
  it('reads N/S and keeps the defaults for the rest', () => {
    const l = limitsFromEnv({ TPV_LIMIT_LOGIN_ACCOUNT: ' 3 / 60 ' });
    expect(l.loginPerAccount).toEqual({ points: 3, seconds: 60 });
    expect(l.pairingPerTerminal).toEqual(DEFAULT_LIMITS.pairingPerTerminal);
  });
  it.each(['0/60', '5', '5/0', 'five/60', '-1/60'])('refuses %j with the variable named', (text) => {
    expect(() => parseLimit(text, DEFAULT_LIMITS.loginPerAccount, 'TPV_LIMIT_LOGIN_ACCOUNT')).toThrow(/TPV_LIMIT_LOGIN_ACCOUNT/);
  });
});

describe('pairing codes', () => {
  it('are 12 Crockford base32 characters in three groups, the first being the selector', () => {
    const c = newPairingCode();
    expect(c.display).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(c.value).toBe(c.display.replace(/-/g, ''));
    expect(c.selector).toBe(c.value.slice(0, 4));
  });
  it.each([
    ['abcd-efgh-jkmn', 'ABCDEFGHJKMN'],
    [' ABCD EFGH JKMN ', 'ABCDEFGHJKMN'],
    ['oo1l-iI00-0000', '001111000000'],
  ])('reads %j as typed by a person', (typed, value) => {
    expect(parsePairingCode(typed)?.value).toBe(value);
  });
  it.each(['', '12345678', 'ABCD-EFGH-JKMU', 'ABCD-EFGH-JKMN-P'])('refuses %j', (typed) => {
    expect(parsePairingCode(typed)).toBeNull();
  });
});
