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

/**
 * Refuses a query parameter given more than once (`?q=a&q=b`): the parser turns it into a list, which no route
 * reads, so it is a 400 naming the parameter rather than a guess at which value was meant.
 */
export async function rejectRepeatedParameters(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const repeated = Object.keys(query).find((name) => Array.isArray(query[name]));
  if (repeated !== undefined) {
    await reply.code(400).send({ error: `query parameter ${repeated} is given ${(query[repeated] as unknown[]).length} times; give it once` });
  }
}
