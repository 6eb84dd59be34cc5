import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SyncLevel } from '../store/store';
import { type IntakeItem, type Ingested, packBatch, type WriterCall, type WriterReply } from './writer-messages';

// Omit applied to each kind of call apart (a conditional type on a parameter distributes over a union).
type Without<Call, Field extends PropertyKey> = Call extends unknown ? Omit<Call, Field> : never;
// A call without the fields call() fills in.
type CallBody = Without<WriterCall, 'call' | 'connection'>;

// The thread holds a few statements and one batch of events at a time (bodies travel outside its heap): a small
// heap keeps the runtime within its memory budget. Past it the thread stops, and the next commit starts another.
const LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 };

/** The writer thread and the calls awaiting its reply. One per process: every store of the process shares it. */
interface Thread {
  worker: Worker;
  pending: Map<number, { resolve: (reply: WriterReply) => void; reject: (error: Error) => void }>;
}

let thread: Thread | undefined;
let nextCall = 1;
let nextConnection = 1;

// writer-thread.js beside this file, or under ts-node (the tests) its .ts through ts-node. Unreferenced while
// idle; calls in flight keep it referenced (see call()).
function startThread(): Thread {
  const file = join(__dirname, `writer-thread${extname(__filename)}`);
  const worker =
    extname(file) === '.ts'
      ? new Worker(`require('ts-node/register/transpile-only'); require(${JSON.stringify(file)});`, { eval: true, resourceLimits: LIMITS })
      : new Worker(file, { resourceLimits: LIMITS });
  worker.unref();
  const started: Thread = { worker, pending: new Map() };
  worker.on('message', (reply: WriterReply) => {
    const waiting = started.pending.get(reply.call);
    started.pending.delete(reply.call);
    if (started.pending.size === 0) worker.unref();
    waiting?.resolve(reply);
  });
  const fail = (error: Error) => {
    if (thread === started) thread = undefined;
    for (const waiting of started.pending.values()) waiting.reject(error);
    started.pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the intake writer thread exited (code ${code})`)));
  return started;
}

/**
 * Commits received events from a thread of its own (intake/writer-thread.ts), on a connection of its own to the
 * store's file, so the main thread goes on reading requests while a commit waits for its fsync. A commit resolves
 * only once the events are durable at the store's sync level. If the thread dies, the calls in flight fail (the
 * requests are answered 503, so the sender retries) and the next commit starts a new thread.
 */
export class IntakeWriter {
  private opened: Thread | undefined;
  private opening: Promise<void> | undefined;
  private readonly connection = nextConnection++;

  constructor(
    private readonly file: string,
    private readonly sync: SyncLevel,
  ) {}

  /** Opens this store's connection in the writer thread, if not open yet; from then on the thread also checkpoints the store. */
  open(): Promise<void> {
    if (this.opened && this.opened === thread) return Promise.resolve();
    this.opening ??= this.connect().finally(() => (this.opening = undefined));
    return this.opening;
  }

  /** Commits the events in one transaction; resolves to each one's id and whether it was a duplicate. */
  async commit(items: IntakeItem[], now: number, windowMs: number): Promise<Ingested[]> {
    await this.open();
    const batch = packBatch(items);
    return (await this.call(this.opened!, { kind: 'commit', now, windowMs, batch }, [batch.bodies])).results ?? [];
  }

  /** Closes this store's connection in the thread (the thread stays for other stores, unreferenced). */
  async close(): Promise<void> {
    await this.opening?.catch(() => undefined);
    const opened = this.opened;
    this.opened = undefined;
    // A thread that dies meanwhile takes its connections with it (better-sqlite3 closes them as the thread ends):
    // nothing is left to close, and the runtime must still close the rest of the store and release its folder.
    if (opened && opened === thread) await this.call(opened, { kind: 'close' }).catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const target = (thread ??= startThread());
    await this.call(target, { kind: 'open', file: this.file, sync: this.sync });
    // Only once open: a failed open is tried again by the next commit.
    this.opened = target;
  }

  private call(target: Thread, body: CallBody, transfer: ArrayBuffer[] = []): Promise<WriterReply> {
    const call = nextCall++;
    return new Promise<WriterReply>((resolve, reject) => {
      target.pending.set(call, { resolve, reject });
      target.worker.ref();
      target.worker.postMessage({ ...body, call, connection: this.connection } as WriterCall, transfer);
    }).then((reply) => {
      if (reply.error) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
      return reply;
    });
  }
}
