import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import type { Clock } from '../../src/runtime/clock';
import { Deliverer } from '../../src/runtime/delivery/deliverer';
import { Store } from '../../src/runtime/store/store';
import { eventually } from '../helpers/eventually';
import { Receiver } from '../helpers/runtime';

const START = Date.parse('2026-11-22T10:00:00Z');
const MAX_PER_SECOND = 10;
const PACE_MS = 1000 / MAX_PER_SECOND;

/**
 * A clock that stands still, except that after an attempt the test can make it reach the trigger's pace at one
 * chosen read: the reads before it say a millisecond short of the pace, as a timer firing a little early sees.
 */
class PaceClock implements Clock {
  private time = START;
  private shortReads = 0;

  now(): number {
    if (this.shortReads === 0) return this.time;
    this.shortReads -= 1;
    return this.time - 1;
  }

  /** From now on the clock reads the pace, but only from its `read`-th read. */
  reachPaceAtRead(read: number): void {
    this.time = START + PACE_MS;
    this.shortReads = read - 1;
  }
}

describe('A paced trigger\'s wake-up after a delivery', () => {
  let dir: string;
  let store: Store;
  let receiver: Receiver;
  let dispatcher: Agent;
  let deliverer: Deliverer | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plugnpaid-wake-'));
    store = new Store(dir);
    receiver = await new Receiver().start();
    dispatcher = new Agent();
    store.db.prepare("INSERT INTO webhooks (id, name, token, secret, created_at) VALUES ('wh_1', 'w', 't', NULL, 0)").run();
    store.sql.insertTrigger.run('tr_1', 'wh_1', 'watch-order-refunded', '{}', receiver.url, `whsec_${Buffer.from('secret').toString('base64')}`, START, MAX_PER_SECOND);
    const eventId = Number(store.sql.insertEvent.run('wh_1', 'hash', 'order.refunded', START).lastInsertRowid);
    for (const seq of [0, 1]) store.sql.insertDelivery.run(eventId, 'tr_1', seq, `msg_${seq}`, 'pending', START, START, START);
  });
  afterEach(async () => {
    await deliverer?.close();
    await dispatcher.close();
    await receiver.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Without an engine here, nothing but the deliverer's own wake-up can start the second bundle: a wake-up that
  // lost the race would leave it waiting for the engine's idle poll, and here for ever.
  for (const read of [1, 2, 3, 4]) {
    it(`starts the trigger's next bundle when the clock reaches the pace only at its read ${read} after the attempt`, async () => {
      const clock = new PaceClock();
      deliverer = new Deliverer(store, clock, {
        schedule: [1000],
        timeoutMs: 30_000,
        maxResponseBytes: 1024,
        concurrency: 4,
        dispatcher,
        bundleOf: (delivery) => JSON.stringify({ seq: delivery.seq }),
        onAttempt: (delivery) => {
          if (delivery.seq === 0) clock.reachPaceAtRead(read);
        },
      });

      expect(deliverer.pump()).to.equal(1);

      await eventually('the paced trigger\'s second bundle to be sent', () => receiver.received.length === 2);
      expect(receiver.received.map((request) => JSON.parse(request.body))).to.deep.equal([{ seq: 0 }, { seq: 1 }]);
    });
  }
});
