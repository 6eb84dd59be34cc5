import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { OverloadedError } from './edge-limits';
import { RequestError } from './request-error';

/** Client errors and overload carry their message as `{ error }`; anything else is logged and answered without details. */
export function errorHandler(error: FastifyError | RequestError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof RequestError) return reply.code(error.statusCode).send({ error: error.message });
  const status = (error as { statusCode?: number }).statusCode;
  if ((status && status < 500) || error instanceof OverloadedError) return reply.code(status ?? 503).send({ error: error.message });
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send({ error: 'internal error' });
}
