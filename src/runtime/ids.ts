import { randomBytes } from 'node:crypto';

/** A readable, unique id with a type prefix, e.g. `wh_3k9…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

/** An unguessable URL token: 192 random bits. */
export function newUrlToken(): string {
  return randomBytes(24).toString('base64url');
}

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
