import type { FastifyInstance } from 'fastify';
import type { Store } from './store/store';

// A working database is probed at most this often: each probe is a committed (fsynced) write.
const PROBE_EVERY_MS = 1000;

/**
 * `GET /health`: 200 while the database takes writes, else 503 with the reason. Reading is not enough: a full
 * disk or a read-only file still answers queries while every webhook would get 503, so it writes one row.
 */
export function registerHealthRoute(server: FastifyInstance, store: Store, now: () => number): void {
  let writableUntil = 0;
  const writeProblem = (): string | undefined => {
    const time = now();
    if (time < writableUntil) return undefined;
    try {
      store.sql.putSetting.run('health_write_probe', String(time));
      writableUntil = time + PROBE_EVERY_MS;
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };
  server.get('/health', async (request, reply) => {
    const problem = writeProblem();
    if (problem) {
      request.log.error({ problem }, 'health: the database cannot be written');
      return reply.code(503).header('retry-after', '10').send({ ok: false, error: `the database cannot be written (${problem}); webhooks are answered 503 until it can` });
    }
    return { ok: true, events: store.sql.countEvents.get()!.count };
  });
}
