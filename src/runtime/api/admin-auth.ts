import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Counts one failed sign-in of a request's address: a limiter made by @fastify/rate-limit's createRateLimit. */
export type FailureCounter = ReturnType<FastifyInstance['createRateLimit']>;

// Addresses locked out at once are few; the cap keeps a spray of addresses from growing the map without end.
const MAX_LOCKED_ADDRESSES = 10_000;

/**
 * The `onRequest` hook of the admin scope: the admin token (or, for /metrics, also the scrape token) as a Bearer
 * token, compared in constant time. It is
 * added to the scope the admin routes live in, so the router's decision (not the raw URL) says who needs it.
 * An address past its failed sign-ins (requests presenting a wrong token) is locked out until its window ends,
 * right token or not, so guessing cannot go on at full speed.
 */
export function requireAdminToken(adminToken: string | string[], countFailure: FailureCounter) {
  const accepted = [adminToken].flat();
  const lockedUntil = new Map<string, number>();
  const refuse = (reply: FastifyReply, until: number) => {
    const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
    return reply.code(429).header('retry-after', String(seconds)).send({ error: `too many wrong admin tokens from this address; try again in ${seconds} s` });
  };
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const until = lockedUntil.get(request.ip);
    if (until !== undefined && until > Date.now()) return void (await refuse(reply, until));
    lockedUntil.delete(request.ip);
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (token && accepted.some((expected) => sameToken(token, expected))) return;
    // Only a presented token is a guess. Requests without one (an <img> on any page the admin opens) must not
    // lock the admin out.
    if (header === '') return void (await unauthorized(reply));
    const counted = await countFailure(request);
    if (!counted.isAllowed && counted.isExceeded) {
      if (lockedUntil.size >= MAX_LOCKED_ADDRESSES) lockedUntil.delete(lockedUntil.keys().next().value!);
      lockedUntil.set(request.ip, Date.now() + counted.ttl);
      return void (await refuse(reply, Date.now() + counted.ttl));
    }
    await unauthorized(reply);
  };
}

function unauthorized(reply: FastifyReply) {
  return reply.code(401).send({ error: 'missing or wrong admin token (Authorization: Bearer <token>)' });
}
