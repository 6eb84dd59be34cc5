import { expect } from 'chai';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { unpackBatch, type WriterCall } from '../../src/runtime/intake/writer-messages';
import { examplePayload } from '../helpers/payloads';
import { TestRuntime } from '../helpers/runtime';

const SENDERS = 4;
const EVENTS_PER_SENDER = 12;
// The commit during which the thread dies: a few batches in, so events are acknowledged before and after it.
const FATAL_COMMIT = 3;

/** What the test saw of the intake writer's threads: the commit that killed one, and the threads later commits went to. */
interface Death {
  /** The bodies of the batch in flight when the thread died. */
  deadBatch: string[];
  killed?: Worker;
  /** The threads the commits after the death were posted to. */
  laterThreads: Set<Worker>;
  restore: () => void;
}

/**
 * Kills the intake writer thread in the middle of its `fatalCommit`-th commit, without a hook in the runtime: the
 * test wraps Worker.postMessage. Another connection holds the store's write lock while the commit is posted, so
 * the thread is stuck at its BEGIN (or has not read the call yet) when it is terminated: the batch cannot commit,
 * and the thread dies holding its transaction open, as one that crashes mid-commit does.
 */
function killWriterThreadAtCommit(file: string, fatalCommit: number): Death {
  const post = Worker.prototype.postMessage;
  const lockHolder = new Database(file);
  const death: Death = { deadBatch: [], laterThreads: new Set(), restore: () => ((Worker.prototype.postMessage = post), lockHolder.close()) };
  let commits = 0;
  Worker.prototype.postMessage = function (this: Worker, message: WriterCall, transfer?: readonly ArrayBuffer[]) {
    if (message?.kind !== 'commit') return post.call(this, message, transfer as ArrayBuffer[]);
    commits += 1;
    if (commits < fatalCommit) return post.call(this, message, transfer as ArrayBuffer[]);
    if (commits > fatalCommit) {
      if (this !== death.killed) death.laterThreads.add(this);
      return post.call(this, message, transfer as ArrayBuffer[]);
    }
    // The bodies are moved to the thread with the call: read them first.
    death.deadBatch = unpackBatch(message.batch).map((item) => Buffer.from(item.body).toString());
    death.killed = this;
    lockHolder.exec('BEGIN IMMEDIATE');
    post.call(this, message, transfer as ArrayBuffer[]);
    void this.terminate();
    lockHolder.exec('ROLLBACK');
  } as typeof post;
  return death;
}

describe('the runtime when its intake writer thread dies', function () {
  this.timeout(120_000);
  let runtime: TestRuntime;
  let death: Death | undefined;
  beforeEach(async () => {
    runtime = await new TestRuntime().start();
    // Processing writes on the main thread's connection, which the test's lock would stall: events stay pending.
    await runtime.runtime.engine.close();
  });
  afterEach(async () => {
    death?.restore();
    await runtime.destroy();
  });

  it('answers 503 to the batches it had not answered, stores every event answered 200 exactly once, and commits the events after it on a new thread', async () => {
    const hook = await runtime.defaultWebhook();
    const bodyOf = (sender: number, n: number) => JSON.stringify({ ...examplePayload('refund'), sender, n });
    death = killWriterThreadAtCommit(join(runtime.dataDir, 'plugnpaid.sqlite'), FATAL_COMMIT);
    const answers = new Map<string, { status: number; body: any }>();
    // Each sender posts its events one after another, as Plug&Paid's queue does, and goes on after a 503.
    await Promise.all(
      Array.from({ length: SENDERS }, async (_, sender) => {
        for (let n = 0; n < EVENTS_PER_SENDER; n += 1) answers.set(bodyOf(sender, n), await runtime.post(hook.url, bodyOf(sender, n)));
      }),
    );

    // Batches go to the thread as they arrive, so the ones queued behind the dead one fail with it.
    const refused = [...answers].filter(([, answer]) => answer.status !== 200);
    expect(death.deadBatch).to.have.lengthOf.above(0);
    expect(refused.map(([body]) => body)).to.include.members(death.deadBatch);
    expect(refused.every(([, answer]) => answer.status === 503)).to.equal(true);
    expect(death.laterThreads.size).to.equal(1);

    // The sender retries what was refused: each is stored now. The dead batch was rolled back, so its events are
    // stored for the first time; a batch committed just before the death is recognised as a copy.
    for (const [body] of refused) {
      const retried = await runtime.post(hook.url, body);
      expect(retried).to.deep.include({ status: 200 });
      if (death.deadBatch.includes(body)) expect(retried.body.duplicate).to.equal(false);
      answers.set(body, retried);
    }

    const acknowledged = [...answers].map(([body, answer]) => ({ id: answer.body.event as number, body }));
    expect(new Set(acknowledged.map((event) => event.id)).size).to.equal(SENDERS * EVENTS_PER_SENDER);
    const listed = (await runtime.api('GET', '/api/events?limit=1000')).body.items.map((event: { id: number }) => event.id);
    expect([...listed].sort((a, b) => a - b)).to.deep.equal(acknowledged.map((event) => event.id).sort((a, b) => a - b));
    for (const event of acknowledged) expect((await runtime.api('GET', `/api/events/${event.id}`)).body.body).to.deep.equal(JSON.parse(event.body));
  });

  it('still closes the store and releases its folder when the thread dies while closing, and a new runtime finds every event', async () => {
    const hook = await runtime.defaultWebhook();
    const stored = await runtime.post(hook.url, JSON.stringify({ ...examplePayload('refund'), closing: true }));
    expect(stored.status).to.equal(200);
    const post = Worker.prototype.postMessage;
    let killed = false;
    Worker.prototype.postMessage = function (this: Worker, message: WriterCall, transfer?: readonly ArrayBuffer[]) {
      if (message?.kind !== 'close') return post.call(this, message, transfer as ArrayBuffer[]);
      killed = true;
      void this.terminate();
    } as typeof post;
    try {
      await runtime.runtime.close();
    } finally {
      Worker.prototype.postMessage = post;
    }
    expect(killed).to.equal(true);

    const again = await new TestRuntime(runtime.dataDir).start();
    try {
      const event = await again.api('GET', `/api/events/${stored.body.event}`);
      expect(event.status).to.equal(200);
      expect(event.body.body.closing).to.equal(true);
    } finally {
      await again.stop();
    }
  });
});
