import { expect } from 'chai';
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../helpers/eventually';
import { examplePayload, manyLineOrder } from '../helpers/payloads';
import { Receiver, TestRuntime } from '../helpers/runtime';
import { ADMIN, adminApi, freePort, kill, sleep, startServer, waitForHealth } from '../helpers/server-process';

const KILLS = 4;

describe('the runtime on SIGTERM', function () {
  this.timeout(240_000);

  it('finishes in-flight work, closes the database and exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plugnpaid-term-'));
    try {
      const port = await freePort();
      const child = startServer(port, dataDir);
      await waitForHealth(`http://127.0.0.1:${port}`);
      const hook = ((await (await fetch(`http://127.0.0.1:${port}/api/webhooks`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as any).items[0];
      const answer = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(examplePayload('refund')) });
      expect(answer.status).to.equal(200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
      const db = new Database(join(dataDir, 'plugnpaid.sqlite'), { readonly: true });
      expect((db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).to.equal(1);
      db.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the runtime under SIGKILL', function () {
  // Five starts under c8 on a loaded machine take up to half a minute each.
  this.timeout(300_000);
  let dataDir: string;
  let receiver: Receiver;
  let child: ChildProcess | undefined;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plugnpaid-crash-'));
    receiver = await new Receiver().start();
  });
  after(async () => {
    if (child) await kill(child);
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores every acknowledged event exactly once and delivers every bundle with a stable webhook-id', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const api = async (method: string, path: string, body?: unknown): Promise<any> =>
      (await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).json();

    child = startServer(port, dataDir);
    await waitForHealth(base);
    const hook = (await api('GET', '/api/webhooks')).items[0];
    await api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-one-time-sale', destination: { url: receiver.url } });

    const acknowledged: string[] = [];
    let next = 0;
    const send = async (orderId: string) => {
      const payload = examplePayload('new_simple_sale');
      payload.data.order.id = orderId;
      const response = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
      return { status: response.status, body: (await response.json()) as { duplicate: boolean } };
    };

    for (let round = 0; round < KILLS; round += 1) {
      let loading = true;
      const workers = Array.from({ length: 4 }, async () => {
        while (loading) {
          const orderId = `crash_${next++}`;
          try {
            if ((await send(orderId)).status === 200) acknowledged.push(orderId);
          } catch {
            // the server died mid-request: not acknowledged, so Plug&Paid would retry it
          }
        }
      });
      // A few acknowledged events per round however slow the machine is, then a random moment to kill.
      const enough = acknowledged.length + 6;
      await eventually('six more acknowledged events', () => acknowledged.length >= enough);
      await sleep(Math.floor(Math.random() * 600));
      await kill(child);
      loading = false;
      await Promise.all(workers);
      child = startServer(port, dataDir);
      await waitForHealth(base);
      // Plug&Paid's retries of acknowledged events must not be processed again.
      for (const orderId of acknowledged.slice(-3)) expect((await send(orderId)).body.duplicate).to.equal(true);
    }

    await eventually('every event processed and delivered', async () => {
      const pending = await api('GET', '/api/events?status=pending');
      const db = new Database(join(dataDir, 'plugnpaid.sqlite'), { readonly: true });
      const open = db.prepare("SELECT COUNT(*) AS n FROM deliveries WHERE status != 'delivered'").get() as { n: number };
      db.close();
      return pending.items.length === 0 && open.n === 0;
    }, 120_000);
    await kill(child);
    child = undefined;

    expect(acknowledged.length).to.be.greaterThan(20);
    const db = new Database(join(dataDir, 'plugnpaid.sqlite'), { readonly: true });
    try {
      const stored = (db.prepare('SELECT body FROM event_bodies').all() as Array<{ body: Buffer }>).map((row) => JSON.parse(row.body.toString()).data.order.id as string);
      const counts = new Map<string, number>();
      stored.forEach((id) => counts.set(id, (counts.get(id) ?? 0) + 1));
      for (const id of acknowledged) expect(counts.get(id), `event ${id}`).to.equal(1);
      expect([...counts.values()].every((count) => count === 1)).to.equal(true);

      const deliveries = db.prepare('SELECT message_id, status, body AS data FROM deliveries').all() as Array<{ message_id: string; status: string; data: string }>;
      expect(deliveries.length).to.equal(stored.length);
      const copiesById = new Map<string, Set<string>>();
      for (const copy of receiver.received) {
        const id = String(copy.headers['webhook-id']);
        copiesById.set(id, (copiesById.get(id) ?? new Set()).add(copy.body));
      }
      const idsByOrder = new Map<string, Set<string>>();
      for (const copy of receiver.received) {
        const orderId = JSON.parse(copy.body).order.id as string;
        idsByOrder.set(orderId, (idsByOrder.get(orderId) ?? new Set()).add(String(copy.headers['webhook-id'])));
      }
      for (const delivery of deliveries) {
        expect(delivery.status, delivery.message_id).to.equal('delivered');
        expect([...(copiesById.get(delivery.message_id) ?? [])], delivery.message_id).to.deep.equal([delivery.data]);
        expect(idsByOrder.get(JSON.parse(delivery.data).order.id)?.size).to.equal(1);
      }
    } finally {
      db.close();
    }
  });
});

describe('the runtime killed twice while processing one huge event', function () {
  this.timeout(300_000);
  let dataDir: string;
  let child: ChildProcess | undefined;
  // Limits so high that the 4000-line order, one bundle per line, would map for a long time and run out of memory.
  const UNBOUNDED = { PLUGNPAID_MAX_EVENT_BUNDLES: '1000000', PLUGNPAID_MAX_EVENT_BYTES: String(64 * 1024 ** 3) };

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'plugnpaid-quarantine-'));
  });
  after(async () => {
    if (child) await kill(child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const processingStarts = (eventId: number): { status: string; processing_starts: number } => {
    const db = new Database(join(dataDir, 'plugnpaid.sqlite'), { readonly: true });
    try {
      return db.prepare('SELECT status, processing_starts FROM events WHERE id = ?').get(eventId) as { status: string; processing_starts: number };
    } finally {
      db.close();
    }
  };
  async function untilStarted(eventId: number, starts: number): Promise<void> {
    await eventually(`processing attempt ${starts}`, () => processingStarts(eventId).processing_starts >= starts);
    // Well into the mapping, and not finished: the kill lands during processing.
    await sleep(300);
    expect(processingStarts(eventId)).to.deep.equal({ status: 'pending', processing_starts: starts });
  }

  it('sets the event aside as failed, comes up and serves, and processes it again on replay', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    child = startServer(port, dataDir, UNBOUNDED);
    await waitForHealth(base);
    const hook = (await adminApi(base, 'GET', '/api/webhooks')).items[0];
    await adminApi(base, 'POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-one-time-sale', parameters: { bundlePerOrderLine: true } });
    const post = async (body: unknown) => (await (await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { event: number };
    const huge = await post(manyLineOrder(4000));

    await untilStarted(huge.event, 1);
    await kill(child);
    child = startServer(port, dataDir, UNBOUNDED);
    await waitForHealth(base);
    await untilStarted(huge.event, 2);
    await kill(child);

    // Default limits now; the event must not be picked up a third time.
    child = startServer(port, dataDir);
    await waitForHealth(base);
    const settled = async (id: number) => {
      const found = await adminApi(base, 'GET', `/api/events/${id}`);
      return found.status !== 'pending' && found;
    };
    let event = await eventually('the huge event to be set aside', () => settled(huge.event));
    expect(event).to.include({ status: 'failed', error: 'processing did not finish twice; replay to try again' });
    expect(event.routing.reason).to.equal('processing did not finish twice; replay to try again');
    const small = await post(manyLineOrder(2, 'ord_after_quarantine'));
    expect((await eventually('the small event to be processed', () => settled(small.event))).status).to.equal('processed');

    // Replay: tried again from scratch, and now the per-event limit stops it, quickly and with its reason.
    await adminApi(base, 'POST', `/api/events/${huge.event}/replay`);
    event = await eventually('the replayed huge event to be processed again', async () => {
      const found = await settled(huge.event);
      return found && !found.error?.includes('did not finish') && found;
    });
    expect(event.status).to.equal('failed');
    expect(event.error, 'the event carries its failed trigger\'s error').to.match(/^watch-one-time-sale: .*more than 1000 bundles/);
    const errors = (event.routing.triggers as Array<{ error?: string }>).map((trigger) => trigger.error ?? '');
    expect(errors.filter((error) => error.includes('more than 1000 bundles') && error.includes('PLUGNPAID_MAX_EVENT_BUNDLES'))).to.have.length(1);
    expect(processingStarts(huge.event).processing_starts).to.equal(0);
  });
});

describe('an event set aside after two crashes', function () {
  this.timeout(60_000);
  let runtime: TestRuntime;
  let receiver: Receiver;
  afterEach(async () => {
    await runtime.destroy();
    await receiver.stop();
  });

  it('is never read while it waits, makes no bundles once set aside, and a replay makes them all with the same webhook-ids', async () => {
    receiver = await new Receiver().start();
    runtime = await new TestRuntime().start();
    const hook = await runtime.defaultWebhook();
    const pulled = (await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-one-time-sale', parameters: { bundlePerOrderLine: true } })).body;
    await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-one-time-sale', parameters: { bundlePerOrderLine: true }, destination: { url: receiver.url } });
    const eventId = (await runtime.post(hook.url, JSON.stringify(manyLineOrder(6, 'ord_partial')))).body.event;
    await runtime.runtime.engine.drain();
    const messageIds = receiver.received.map((delivery) => delivery.headers['webhook-id']).sort();
    expect(messageIds).to.have.length(6);
    await runtime.stop();

    // What two crashes during its processing leave: the event pending with two attempts counted, and no
    // deliveries (they are queued only in the transaction that stores its status).
    const db = new Database(join(runtime.dataDir, 'plugnpaid.sqlite'));
    db.prepare("UPDATE events SET status = 'pending', processing_starts = 2, processed_at = NULL WHERE id = ?").run(eventId);
    db.prepare('DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_id = ?)').run(eventId);
    db.prepare('DELETE FROM deliveries WHERE event_id = ?').run(eventId);
    db.close();

    receiver.received.length = 0;
    await runtime.start();
    await runtime.runtime.engine.drain();
    const event = (await runtime.api('GET', `/api/events/${eventId}`)).body;
    expect(event).to.include({ status: 'failed', error: 'processing did not finish twice; replay to try again' });
    expect(event.bundles).to.deep.equal([]);
    expect(event.deliveries).to.deep.equal([]);
    expect((await runtime.api('GET', `/api/triggers/${pulled.id}/bundles?after=0`)).body.items).to.deep.equal([]);
    expect(receiver.received).to.deep.equal([]);

    await runtime.api('POST', `/api/events/${eventId}/replay`);
    await runtime.runtime.engine.drain();
    expect((await runtime.api('GET', `/api/triggers/${pulled.id}/bundles?after=0`)).body.items.map((bundle: { seq: number }) => bundle.seq)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(receiver.received.map((delivery) => delivery.headers['webhook-id']).sort()).to.deep.equal(messageIds);
  });
});

describe('a SIGKILL between intake and the background pass', function () {
  this.timeout(300_000);

  it('loses nothing and does nothing twice: after the restart every event is processed, counted, indexed and delivered once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plugnpaid-background-kill-'));
    const receiver = await new Receiver().start();
    let child: ChildProcess | undefined;
    try {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      child = startServer(port, dataDir);
      await waitForHealth(base);
      const hook = (await adminApi(base, 'GET', '/api/webhooks')).items[0];
      await adminApi(base, 'POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded', destination: { url: receiver.url } });
      // A burst, then the kill as soon as the last one is acknowledged: the background pass waits while intake is
      // busy, so acknowledged events are left for it (how many depends on the machine; every count works).
      const orders = Array.from({ length: 60 }, (_, index) => `ord_kill_${index}`);
      const answers = await Promise.all(
        orders.map(async (orderId) => {
          const payload = examplePayload('refund');
          payload.data.order.id = orderId;
          return fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
        }),
      );
      child.kill('SIGKILL');
      await new Promise((resolve) => child!.once('exit', resolve));
      expect(answers.map((answer) => answer.status)).to.deep.equal(orders.map(() => 200));

      child = startServer(port, dataDir);
      await waitForHealth(base);
      await eventually('every event processed and delivered', async () => {
        const pending = await adminApi(base, 'GET', '/api/events?status=pending');
        const open = await adminApi(base, 'GET', '/api/deliveries?status=pending');
        return pending.items.length === 0 && open.items.length === 0 && receiver.received.length >= orders.length;
      }, 120_000);

      const events = (await adminApi(base, 'GET', '/api/events?limit=1000')).items as Array<{ status: string }>;
      expect(events.map((event) => event.status)).to.deep.equal(orders.map(() => 'processed'));
      const db = new Database(join(dataDir, 'plugnpaid.sqlite'), { readonly: true });
      try {
        expect(db.prepare("SELECT SUM(count) AS n FROM drift_types WHERE type = 'refund'").get()).to.deep.equal({ n: orders.length });
        expect(db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT message_id) AS ids FROM deliveries').get()).to.deep.equal({ n: orders.length, ids: orders.length });
      } finally {
        db.close();
      }
      for (const orderId of [orders[0], orders[orders.length - 1]]) {
        expect((await adminApi(base, 'GET', `/api/events?q=${orderId}`)).items, orderId).to.have.length(1);
      }
      // A delivery in flight at the kill is sent again after the restart: the same bytes under the same webhook-id,
      // which the destination recognises.
      const copies = new Map<string, Set<string>>();
      for (const copy of receiver.received) {
        const orderId = JSON.parse(copy.body).order.id as string;
        copies.set(orderId, (copies.get(orderId) ?? new Set()).add(`${String(copy.headers['webhook-id'])} ${copy.body}`));
      }
      expect([...copies.keys()].sort()).to.deep.equal([...orders].sort());
      for (const [orderId, seen] of copies) expect(seen.size, orderId).to.equal(1);
    } finally {
      if (child) await kill(child);
      await receiver.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
