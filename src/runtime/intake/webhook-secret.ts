import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How a webhook checks that a request really comes from the sender (optional). */
export type WebhookSecret =
  | { kind: 'hmac'; secret: string; header: string; encoding: 'hex' | 'base64'; prefix?: string }
  | { kind: 'token'; secret: string; header?: string; query?: string };

// Comparing digests keeps the comparison constant-time even when the lengths differ.
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** True when the request carries the webhook's shared secret (or a valid HMAC of the raw body). */
export function verifyWebhookSecret(
  secret: WebhookSecret,
  request: { rawBody: Buffer; headers: Record<string, string | string[] | undefined>; query: URLSearchParams },
): boolean {
  const header = (name: string): string | undefined => {
    const value = request.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
  if (secret.kind === 'hmac') {
    const digest = createHmac('sha256', secret.secret).update(request.rawBody).digest(secret.encoding);
    const given = header(secret.header) ?? '';
    return sameSecret(given, `${secret.prefix ?? ''}${digest}`);
  }
  const given = (secret.header ? header(secret.header) : undefined) ?? (secret.query ? request.query.get(secret.query) ?? undefined : undefined);
  return given !== undefined && sameSecret(given, secret.secret);
}

/** The header a sender adds to prove a body with this secret (what `send` does for a verified webhook). */
export function proofHeaders(secret: WebhookSecret, rawBody: Buffer | string): Record<string, string> {
  if (secret.kind === 'hmac') return { [secret.header]: `${secret.prefix ?? ''}${createHmac('sha256', secret.secret).update(rawBody).digest(secret.encoding)}` };
  return secret.header ? { [secret.header]: secret.secret } : {};
}

/** Checks a secret configuration given through the API; returns an explanation when it is unusable. */
export function secretProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') return 'secret must be an object';
  const secret = value as Partial<Record<string, unknown>>;
  if (typeof secret.secret !== 'string' || secret.secret.length < 16) return 'secret.secret must be text of at least 16 characters';
  if (secret.kind === 'hmac') {
    if (typeof secret.header !== 'string' || secret.header === '') return 'an hmac secret needs the header that carries the signature';
    if (secret.encoding !== 'hex' && secret.encoding !== 'base64') return "secret.encoding must be 'hex' or 'base64'";
    return undefined;
  }
  if (secret.kind === 'token') {
    if (typeof secret.header !== 'string' && typeof secret.query !== 'string') return 'a token secret needs a header or a query parameter name';
    return undefined;
  }
  return "secret.kind must be 'hmac' or 'token'";
}
