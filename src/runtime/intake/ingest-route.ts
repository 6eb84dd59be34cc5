import type { FastifyInstance } from 'fastify';
import type { AppDefinition } from '../../definition/types';
import { storedEventType } from '../../mapping/route';
import { bodyProblem } from './body-checks';
import type { EventIngester } from './event-ingester';
import type { Store } from '../store/store';
import { verifyWebhookSecret, WebhookSecret } from './webhook-secret';

interface IngestDeps {
  store: Store;
  app: AppDefinition;
  ingester: EventIngester;
  maxDepth: number;
  onStored: () => void;
  /** Told of each acknowledged event and how long its request took until then (metrics). */
  onAcknowledged?: (webhookId: string, type: string | null, duplicate: boolean, ms: number) => void;
}

/** `POST /hooks/:token`: authenticate, check, commit, then acknowledge; processing happens afterwards. */
export function registerIngestRoute(server: FastifyInstance, deps: IngestDeps): void {
  server.post<{ Params: { token: string } }>('/hooks/:token', async (request, reply) => {
    const webhook = deps.store.sql.webhookByToken.get(request.params.token);
    if (!webhook) return reply.code(404).send({ error: 'not found' });
    const raw = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
    if (webhook.secret) {
      const query = new URLSearchParams(request.url.split('?')[1] ?? '');
      if (!verifyWebhookSecret(JSON.parse(webhook.secret) as WebhookSecret, { rawBody: raw, headers: request.headers, query })) {
        return reply.code(401).send({ error: 'the request does not carry this webhook\'s secret' });
      }
    }
    const contentType = String(request.headers['content-type'] ?? '');
    if (!/^application\/([a-z.+-]*\+)?json\b/i.test(contentType)) {
      return reply.code(415).send({ error: `expected Content-Type application/json, got '${contentType || 'none'}'` });
    }
    const checked = bodyProblem(raw, deps.maxDepth);
    if (checked.message !== undefined) return reply.code(400).send({ error: checked.message });
    const type = storedEventType(deps.app, checked.value);
    let stored;
    try {
      stored = await deps.ingester.ingest(webhook.id, raw, type);
    } catch (error) {
      request.log.error({ err: error }, 'could not store an event; answering 503 so the sender retries');
      return reply.code(503).header('retry-after', '30').send({ error: 'temporarily unable to store the event; retry later' });
    }
    if (!stored.duplicate) deps.onStored();
    deps.onAcknowledged?.(webhook.id, type, stored.duplicate, reply.elapsedTime);
    return reply.code(200).send({ received: true, event: stored.eventId, duplicate: stored.duplicate });
  });
}
