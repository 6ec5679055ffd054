/** Which address per-address limits see (TPV_TRUST_PROXY): the peer, or what trusted proxies forwarded. */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, compileTrustProxy } from '../../src/client-address';

const request = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, connection: { remoteAddress: peer }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  it.each([
    // setting, peer, X-Forwarded-For, address the limits see
    [undefined, '127.0.0.1', '203.0.113.7', '127.0.0.1'], // nothing trusted: the header is ignored
    ['', '10.0.0.5', '203.0.113.7', '10.0.0.5'],
    ['loopback', '127.0.0.1', '203.0.113.7', '203.0.113.7'],
    ['loopback', '10.0.0.5', '203.0.113.7', '10.0.0.5'], // the peer is not a trusted proxy
    ['10.0.0.0/8', '10.0.0.5', '203.0.113.7', '203.0.113.7'],
    ['10.0.0.0/8', '10.0.0.5', '198.51.100.1, 10.0.0.9', '198.51.100.1'], // two trusted hops
    ['10.0.0.0/8, fd00::/8', '10.0.0.5', '198.51.100.1, 203.0.113.7', '203.0.113.7'], // stops at the first untrusted
    ['1', '10.0.0.5', '198.51.100.1, 203.0.113.7', '203.0.113.7'], // one hop: the nearest proxy only
    ['2', '10.0.0.5', '198.51.100.1, 203.0.113.7', '198.51.100.1'],
    ['loopback', '127.0.0.1', undefined, '127.0.0.1'],
  ])('TPV_TRUST_PROXY=%s, peer %s, X-Forwarded-For %s → %s', (setting, peer, forwarded, want) => {
    expect(clientAddress(request(peer, forwarded), compileTrustProxy(setting))).toBe(want);
  });

  it('refuses a setting it cannot read, naming it', () => {
    expect(() => compileTrustProxy('10.0.0.0/99')).toThrow(/TPV_TRUST_PROXY "10.0.0.0\/99"/);
  });
});
