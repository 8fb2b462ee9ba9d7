import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ValidationFailed } from '../../errors.js';

/**
 * Where a webhook may go: a receiver on the internet, never the machine itself, the plant's
 * private network or a cloud metadata service (server-side request forgery). Checked by every
 * resolved address at subscription and again at each delivery, which then connects to the
 * address checked, so a DNS answer that changes in between (rebinding) gains nothing. An
 * operator names internal receivers that are meant (WEBHOOK_ALLOWED_HOSTS).
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 of any IPv4 address
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/** An address a webhook may reach: public unicast, also when written as IPv4-mapped IPv6. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !BLOCKED.check(address, 'ipv4');
  if (family !== 6) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  if (/^::ffff:/i.test(address)) return false;
  return !BLOCKED.check(address, 'ipv6');
}

export interface Receiver {
  /** The address to connect to, checked. */
  address: string;
  family: 4 | 6;
}

export class ReceiverRefused extends Error {
  constructor(
    message: string,
    readonly unresolved = false,
  ) {
    super(message);
  }
}

const hostOf = (url: string): string => new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();

/** Resolves a webhook URL's host and checks every address; refuses private ones unless the host is allowed by name. */
export async function resolveReceiver(url: string, allowedHosts: readonly string[]): Promise<Receiver> {
  const host = hostOf(url);
  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new ReceiverRefused("the receiver's host name does not resolve", true);
  }
  if (addresses.length === 0) throw new ReceiverRefused("the receiver's host name does not resolve", true);
  const allowed = allowedHosts.includes(host);
  // Every address must be public: a name that also resolves inward is refused as a whole.
  if (!allowed && !addresses.every((a) => isPublicAddress(a.address))) {
    throw new ReceiverRefused('the receiver is on this machine, a private network or a link-local address');
  }
  const first = addresses[0] as { address: string; family: number };
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

/**
 * At subscription: a 422 problem naming the URL field. A name that does not resolve yet (DNS
 * not set up, no network here) is let through: each delivery checks again before it connects.
 */
export async function assertReceiverAllowed(url: string, allowedHosts: readonly string[]): Promise<void> {
  try {
    await resolveReceiver(url, allowedHosts);
  } catch (err) {
    if (!(err instanceof ReceiverRefused)) throw err;
    if (err.unresolved) return;
    throw new ValidationFailed(
      `webhook URL refused: ${err.message}`,
      [{ pointer: '/body/url', message: err.message, code: 'error.webhook.receiverRefused' }],
      {
        code: 'error.webhook.receiverRefused',
      },
    );
  }
}
