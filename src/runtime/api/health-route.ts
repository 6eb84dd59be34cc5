import type { FastifyInstance } from 'fastify';
import { statSync } from 'node:fs';
import type { EventTally } from '../store/event-tally';
import type { Store } from '../store/store';

// A working database is probed at most this often: each probe is a committed (fsynced) write.
const PROBE_EVERY_MS = 1000;
const PROBE = 'health-probe';
const ROLLBACK = new Error('health probe rolled back');

/**
 * `GET /health`: 200 while the database takes writes, else 503 with the reason. Reading is not enough: a full
 * disk or a read-only file still answers queries while every webhook would get 503, so it writes one row, and
 * runs intake's inserts (rolled back), so a damaged events table shows here too. It also tells the store's size:
 * its events (kept count, not counted per call) and the bytes of the database file and its write-ahead log.
 */
export function registerHealthRoute(server: FastifyInstance, store: Store, now: () => number, tally: EventTally): void {
  let writableUntil = 0;
  const { sql } = store;
  // Intake's own statements on its own tables (events, bodies, the dedupe keys), rolled back: a damaged table
  // fails here as it fails every webhook.
  const tryIntake = store.db.transaction((time: number) => {
    sql.seenEvent.get(PROBE, PROBE);
    const id = Number(sql.insertEvent.run(PROBE, PROBE, null, time).lastInsertRowid);
    sql.insertBody.run(id, Buffer.alloc(0));
    sql.markSeen.run(PROBE, PROBE, id, time);
    throw ROLLBACK;
  });
  const writeProblem = (): string | undefined => {
    const time = now();
    if (time < writableUntil) return undefined;
    try {
      store.transaction(() => {
        try {
          tryIntake(time);
        } catch (error) {
          if (error !== ROLLBACK) throw error;
        }
        sql.putSetting.run('health_write_probe', String(time));
      });
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
    return { ok: true, events: tally.events(), store: { databaseBytes: fileBytes(store.file), walBytes: fileBytes(`${store.file}-wal`) } };
  });
}

/** A file's size; 0 when it does not exist (the log after a clean close). */
function fileBytes(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}
