import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Refuses request targets that are not a plain path (absolute-form `GET http://host/api/… HTTP/1.1`, `*`): the
 * router would route them by their path, but nothing here is a proxy, so they are malformed for this server.
 */
export async function rejectNonPathTargets(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!request.raw.url?.startsWith('/')) {
    await reply.code(400).send({ error: 'the request target must be a path such as /api/webhooks, not an absolute URL' });
  }
}
