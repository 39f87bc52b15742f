// Device binding (the patent's IP/MAC rule), as pure functions. Addresses are compared in normalised
// form; a login matches when, for every kind of address both the login and the registration have,
// the login's address is a registered one of that kind — and they share at least one kind.

import { refusal, type Refusal } from './refusals';

export type AddressKind = 'ip' | 'mac';
export type DevicePolicy = 'strict' | 'review';

function normaliseIpv4(s: string): string | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out.join('.');
}

function normaliseIpv6(s: string): string | null {
  let text = s.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const ip4 = normaliseIpv4(v4[2]!);
    if (!ip4) return null;
    const [a, b, c, d] = ip4.split('.').map(Number) as [number, number, number, number];
    text = `${v4[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string) => (h === '' ? [] : h.split(':'));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  const nums = groups.map((g) => parseInt(g, 16));
  // IPv4-mapped addresses compare as the IPv4 address they carry.
  if (nums.slice(0, 5).every((n) => n === 0) && nums[5] === 0xffff) {
    return `${nums[6]! >> 8}.${nums[6]! & 255}.${nums[7]! >> 8}.${nums[7]! & 255}`;
  }
  // RFC 5952: lowercase, no leading zeros, the longest run of two or more zero groups as '::'.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (nums[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && nums[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = nums.map((n) => n.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** An IP address in canonical form, or null when it is not one. */
export function normaliseIp(text: string): string | null {
  const s = text.trim();
  if (s.includes(':')) return normaliseIpv6(s.replace(/^\[|\]$/g, ''));
  return normaliseIpv4(s);
}

/** A MAC address as lowercase aa:bb:cc:dd:ee:ff (from colon, hyphen, Cisco-dot or bare forms). */
export function normaliseMac(text: string): string | null {
  const hex = text.trim().toLowerCase();
  let digits: string;
  if (/^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/.test(hex)) {
    if (new Set(hex.replace(/[0-9a-f]/g, '')).size !== 1) return null; // one separator throughout
    digits = hex.replace(/[:-]/g, '');
  } else if (/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/.test(hex)) digits = hex.replaceAll('.', '');
  else if (/^[0-9a-f]{12}$/.test(hex)) digits = hex;
  else return null;
  return digits.match(/../g)!.join(':');
}

export function normaliseAddress(kind: AddressKind, text: string): string | null {
  return kind === 'ip' ? normaliseIp(text) : normaliseMac(text);
}

export interface LoginAddresses {
  ip?: string | null;
  mac?: string | null;
}

export interface LoginVerdict {
  matches: boolean;
  outcome: 'ok' | 'flagged' | 'blocked';
  /** Why it does not match, as a code with the addresses that differ; null when it matches. */
  why: Refusal<VerdictCode> | null;
  /** The English text of `why` ('' when it matches). */
  reason: string;
}

export type VerdictCode = 'no_address_registered' | 'no_registered_kind' | 'ip_mismatch' | 'mac_mismatch' | 'address_mismatch';

/** Compares a login's (normalised) addresses with the account's registered ones under a policy. */
export function judgeLogin(
  registered: readonly { kind: AddressKind; address: string }[],
  login: LoginAddresses,
  policy: DevicePolicy,
): LoginVerdict {
  const kinds: AddressKind[] = ['ip', 'mac'];
  const shared = kinds.filter((k) => login[k] && registered.some((r) => r.kind === k));
  let why: Refusal<VerdictCode> | null = null;
  if (shared.length === 0) {
    why = registered.length === 0 ? refusal('no_address_registered', {}) : refusal('no_registered_kind', {});
  } else {
    const wrong = shared.filter((k) => !registered.some((r) => r.kind === k && r.address === login[k]));
    const ip = login.ip ?? '';
    const mac = login.mac ?? '';
    if (wrong.length === 2) why = refusal('address_mismatch', { ip, mac });
    else if (wrong[0] === 'ip') why = refusal('ip_mismatch', { ip });
    else if (wrong[0] === 'mac') why = refusal('mac_mismatch', { mac });
  }
  const matches = why === null;
  return { matches, outcome: matches ? 'ok' : policy === 'strict' ? 'blocked' : 'flagged', why, reason: why?.message ?? '' };
}
