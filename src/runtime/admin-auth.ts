import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The `onRequest` hook of the admin scope: the admin token as a Bearer token, compared in constant time. It is
 * added to the scope the admin routes live in, so the router's decision (not the raw URL) says who needs it.
 */
export function requireAdminToken(adminToken: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!token || !sameToken(token, adminToken)) {
      await reply.code(401).send({ error: 'missing or wrong admin token (Authorization: Bearer <token>)' });
    }
  };
}
