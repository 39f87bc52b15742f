// Password hashing: argon2id through @node-rs/argon2 (N-API, no download). Hash outside transactions:
// one hash takes tens of milliseconds.
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

const ARGON2ID = 2; // Algorithm.Argon2id (a const enum in the package's types)

export const MIN_PASSWORD_LENGTH = 8;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

export async function checkPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/** A hash of a random password nobody knows: unknown users' logins are checked against it (same time). */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64'));
  return dummy;
}

// No 0/O, 1/I/L: read aloud or copied by hand.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A one-time code: 12 characters from 31 (about 59 bits), shown as XXXX-XXXX-XXXX. */
export function oneTimeCode(): string {
  const chars: string[] = [];
  while (chars.length < 12) {
    const b = randomBytes(16);
    for (const x of b) if (x < 248 && chars.length < 12) chars.push(CODE_ALPHABET[x % 31]!);
  }
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}
