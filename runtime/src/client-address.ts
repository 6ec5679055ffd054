/**
 * Which address a request comes from, for per-address limits. Behind a reverse proxy or load balancer (several
 * back-office nodes) every connection comes from the proxy, so one client's failures would block everybody:
 * the trusted proxies' `X-Forwarded-For` names the client. Nothing is trusted by default, so a client can
 * never choose its own address with a forged header. The same rule serves express (`req.ip`) and socket.io
 * handshakes, through proxy-addr — the module express itself uses.
 */
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * `TPV_TRUST_PROXY`: empty (no proxy), a hop count (`1`: the nearest proxy), or comma-separated addresses,
 * subnets and proxy-addr's names (`loopback`, `uniquelocal`, `10.0.0.0/8, fd00::/8`).
 */
export function compileTrustProxy(setting: string | undefined): TrustProxy {
  const text = setting?.trim();
  if (!text) return () => false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return (_address, hop) => hop < hops;
  }
  try {
    return proxyaddr.compile(text.split(',').map((s) => s.trim()).filter((s) => s !== ''));
  } catch (e) {
    throw new Error(`TPV_TRUST_PROXY "${text}": ${(e as Error).message}`);
  }
}

/** The client's address: the socket's peer, or what trusted proxies forwarded. */
export const clientAddress = (req: IncomingMessage, trust: TrustProxy): string => proxyaddr(req, trust);
