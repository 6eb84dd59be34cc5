import { expect } from 'chai';
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { formatDrift } from '../../src/cli/drift-command';
import { ConfigError, configFromEnv, DAY_MS } from '../../src/runtime/config';
import { createRuntime } from '../../src/runtime/server';
import { StartError } from '../../src/runtime/start-error';
import { EventTally } from '../../src/runtime/store/event-tally';
import { Retention } from '../../src/runtime/store/retention';
import { yieldToEventLoop } from '../../src/runtime/time-slice';
import { examplePayload } from '../helpers/payloads';
import { FakeClock, Receiver, TestRuntime } from '../helpers/runtime';

const RETENTION = 30 * DAY_MS;

/** A refund of its own order id, so each body is a new event (and a search term of its own). */
function refund(orderId: string, note = ''): string {
  const payload = examplePayload('refund');
  payload.data.order.id = orderId;
  if (note) payload.data.order.note = note;
  return JSON.stringify(payload);
}

describe('the retention: a bounded store', () => {
  let clock: FakeClock;
  let runtime: TestRuntime;
  let receiver: Receiver;
  let hook: { id: string; url: string };

  const count = (sql: string, ...args: unknown[]) => (runtime.runtime.store.db.prepare(sql).get(...args) as { n: number }).n;
  /** What the store holds that was derived from one event. */
  const derivedRows = (eventId: number) => ({
    events: count('SELECT COUNT(*) AS n FROM events WHERE id = ?', eventId),
    bodies: count('SELECT COUNT(*) AS n FROM event_bodies WHERE event_id = ?', eventId),
    deliveries: count('SELECT COUNT(*) AS n FROM deliveries WHERE event_id = ?', eventId),
    attempts: count('SELECT COUNT(*) AS n FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.event_id = ?', eventId),
    searchTerms: count('SELECT COUNT(*) AS n FROM event_search WHERE rowid = ?', eventId),
    dedupeKeys: count('SELECT COUNT(*) AS n FROM deliveries_seen WHERE event_id = ?', eventId),
  });
  const send = async (body: string) => {
    const answer = await runtime.post(hook.url, body);
    expect(answer.status).to.equal(200);
    return answer.body.event as number;
  };
  const forwardRefunds = async () =>
    (await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded', parameters: {}, destination: { url: receiver.url } })).body;

  beforeEach(async () => {
    clock = new FakeClock();
    receiver = await new Receiver().start();
    runtime = await new TestRuntime(undefined, { clock }).start();
    hook = await runtime.defaultWebhook();
  });
  afterEach(async () => {
    await runtime.destroy();
    await receiver.stop();
  });

  it('prunes an event older than the retention with its body, deliveries, attempts, search terms and dedupe key, and keeps a newer one', async () => {
    await forwardRefunds();
    const old = await send(refund('ord_old'));
    await runtime.runtime.engine.drain();
    expect(derivedRows(old)).to.deep.equal({ events: 1, bodies: 1, deliveries: 1, attempts: 1, searchTerms: 1, dedupeKeys: 1 });
    clock.advance(20 * DAY_MS);
    const newer = await send(refund('ord_newer'));
    await runtime.runtime.engine.drain();
    await runtime.runtime.engine.keepUp();
    expect(receiver.received).to.have.length(2);
    // Past the dedupe window (7 days) only the dedupe key goes; the event stays for the retention (30 days).
    expect(derivedRows(old)).to.deep.equal({ events: 1, bodies: 1, deliveries: 1, attempts: 1, searchTerms: 1, dedupeKeys: 0 });

    clock.advance(10 * DAY_MS + 1);
    await runtime.runtime.engine.keepUp();

    expect(derivedRows(old)).to.deep.equal({ events: 0, bodies: 0, deliveries: 0, attempts: 0, searchTerms: 0, dedupeKeys: 0 });
    expect(derivedRows(newer)).to.deep.equal({ events: 1, bodies: 1, deliveries: 1, attempts: 1, searchTerms: 1, dedupeKeys: 0 });
    expect(await runtime.api('GET', `/api/events/${old}`)).to.deep.equal({
      status: 404,
      body: { error: `event ${old} not found: events older than the retention (PLUGNPAID_RETENTION_DAYS, 30 days) are removed; raise it to keep them longer` },
    });
    expect((await runtime.api('GET', '/api/events?q=ord_newer')).body.items.map((event: { id: number }) => event.id)).to.deep.equal([newer]);
    expect((await runtime.api('GET', '/api/events?q=ord_old')).body.items).to.deep.equal([]);
  });

  it('keeps an old event whose delivery is still pending, and one not processed yet', async () => {
    await forwardRefunds();
    receiver.answer = () => ({ status: 503 });
    const undelivered = await send(refund('ord_undelivered'));
    await runtime.runtime.engine.drain();
    // The background stops here, so the delivery stays pending and the next event unprocessed however long they wait.
    await runtime.runtime.engine.close();
    const unprocessed = await send(refund('ord_unprocessed'));
    const delivery = (await runtime.api('GET', `/api/events/${undelivered}`)).body.deliveries[0];
    expect(delivery.status).to.equal('pending');
    expect((await runtime.api('GET', `/api/events/${unprocessed}`)).body.status).to.equal('pending');

    clock.advance(40 * DAY_MS);
    const { store } = runtime.runtime;
    const pruned = await new Retention(store, new EventTally(store), RETENTION).run(clock.now(), yieldToEventLoop, () => false);

    expect(pruned.events).to.equal(0);
    expect(derivedRows(undelivered)).to.include({ events: 1, bodies: 1, deliveries: 1, attempts: 1 });
    expect(derivedRows(unprocessed)).to.include({ events: 1, bodies: 1 });
  });

  it('goes on past an old event it keeps to prune the old ones after it', async () => {
    const { store } = runtime.runtime;
    await runtime.runtime.engine.close();
    const waiting = await send(refund('ord_waiting'));
    const settled = await send(refund('ord_settled'));
    store.db.prepare("UPDATE events SET status = 'processed' WHERE id = ?").run(settled);
    clock.advance(31 * DAY_MS);

    const pruned = await new Retention(store, new EventTally(store), RETENTION).run(clock.now(), yieldToEventLoop, () => false);

    expect(pruned.events).to.equal(1);
    expect(derivedRows(waiting).events).to.equal(1);
    expect(derivedRows(settled).events).to.equal(0);
  });

  it('still pulls bundles from a cursor that points at a pruned event, and reads the drift report of pruned examples', async () => {
    const triggers = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items;
    const sale = triggers.find((trigger: { module: string }) => trigger.module === 'watch-one-time-sale').id;
    const first = await send(JSON.stringify(examplePayload('new_simple_sale')));
    const unknown = await send(JSON.stringify({ type: 'order_teleported', data: { order: { id: 'ord_t' } } }));
    await runtime.runtime.engine.drain();
    const firstPage = (await runtime.api('GET', `/api/triggers/${sale}/bundles?limit=1`)).body;
    expect(firstPage.items.map((bundle: { eventId: number }) => bundle.eventId)).to.deep.equal([first]);
    clock.advance(31 * DAY_MS);
    const later = examplePayload('new_simple_sale');
    later.data.order.id = 'ord_later';
    const newer = await send(JSON.stringify(later));
    await runtime.runtime.engine.drain();

    await runtime.runtime.engine.keepUp();

    expect(derivedRows(first).events).to.equal(0);
    const rest = (await runtime.api('GET', `/api/triggers/${sale}/bundles?after=${encodeURIComponent(firstPage.next)}`)).body;
    expect(rest.items.map((bundle: { eventId: number }) => bundle.eventId)).to.deep.equal([newer]);
    const fromStart = (await runtime.api('GET', `/api/triggers/${sale}/bundles`)).body;
    expect(fromStart.items.map((bundle: { eventId: number }) => bundle.eventId)).to.deep.equal([newer]);
    const drift = await runtime.api('GET', `/api/drift?webhook=${hook.id}`);
    expect(drift.status).to.equal(200);
    expect(drift.body.unknownTypes).to.deep.include({
      type: 'order_teleported', count: 1, firstSeen: new Date(clock.time - 31 * DAY_MS).toISOString(), lastSeen: new Date(clock.time - 31 * DAY_MS).toISOString(), exampleEventId: null,
    });
    expect(unknown).to.be.above(first);
    expect(formatDrift(drift.body)).to.match(/order_teleported +1 event +\S+ +\S+ +pruned/);
  });

  it('hands the freed pages back to the file system (incremental vacuum)', async () => {
    const { store } = runtime.runtime;
    const pages = () => ({ total: store.db.pragma('page_count', { simple: true }) as number, free: store.db.pragma('freelist_count', { simple: true }) as number });
    expect(store.db.pragma('auto_vacuum', { simple: true })).to.equal(2);
    for (let index = 0; index < 40; index += 1) await send(refund(`ord_big_${index}`, 'x'.repeat(20_000)));
    await runtime.runtime.engine.drain();
    const full = pages();
    clock.advance(31 * DAY_MS);

    await runtime.runtime.engine.keepUp();

    const after = pages();
    expect(count('SELECT COUNT(*) AS n FROM events')).to.equal(0);
    expect(after.free).to.equal(0);
    // 40 bodies of 20 kB took at least 800 kB: that much went back, whatever the page size.
    expect((full.total - after.total) * (store.db.pragma('page_size', { simple: true }) as number)).to.be.at.least(800_000);
  });

  it('reports the store size at /health: events, and the bytes of the database file and its log', async () => {
    const before = (await runtime.api('GET', '/health')).body;
    expect(before.events).to.equal(0);
    await send(refund('ord_one'));
    await send(refund('ord_two'));
    const health = (await runtime.api('GET', '/health')).body;
    const file = join(runtime.dataDir, 'plugnpaid.sqlite');
    expect(health).to.deep.equal({ ok: true, events: 2, store: { databaseBytes: statSync(file).size, walBytes: statSync(`${file}-wal`).size } });
    expect(health.store.databaseBytes).to.be.above(0);
    expect(health.store.walBytes).to.be.above(0);
    await runtime.runtime.engine.drain();
    clock.advance(31 * DAY_MS);
    await send(refund('ord_three'));
    await runtime.runtime.engine.keepUp();
    expect((await runtime.api('GET', '/health')).body.events).to.equal(1);
  });
});

describe('an event the retention removed, asked for by id', () => {
  let clock: FakeClock;
  let runtime: TestRuntime;
  beforeEach(async () => {
    clock = new FakeClock();
    runtime = await new TestRuntime(undefined, { clock, retentionDays: 10 }).start();
  });
  afterEach(async () => runtime.destroy());

  it('is answered 404 naming the configured retention, for its detail and its replay, while a number never issued is plainly not found', async () => {
    const hook = await runtime.defaultWebhook();
    const pruned = (await runtime.post(hook.url, refund('ord_pruned'))).body.event as number;
    await runtime.runtime.engine.drain();
    clock.advance(11 * DAY_MS);
    const kept = (await runtime.post(hook.url, refund('ord_kept'))).body.event as number;
    await runtime.runtime.engine.drain();
    await runtime.runtime.engine.keepUp();

    const why = `event ${pruned} not found: events older than the retention (PLUGNPAID_RETENTION_DAYS, 10 days) are removed; raise it to keep them longer`;
    expect(await runtime.api('GET', `/api/events/${pruned}`)).to.deep.equal({ status: 404, body: { error: why } });
    expect(await runtime.api('POST', `/api/events/${pruned}/replay`)).to.deep.equal({ status: 404, body: { error: why } });
    expect((await runtime.api('GET', `/api/events/${kept}`)).status).to.equal(200);
    expect(await runtime.api('GET', `/api/events/${kept + 1}`)).to.deep.equal({ status: 404, body: { error: `event ${kept + 1} not found` } });
    expect(await runtime.api('GET', '/api/events/first')).to.deep.equal({ status: 404, body: { error: 'event first not found' } });
  });
});

describe('the retention setting', () => {
  it('takes PLUGNPAID_RETENTION_DAYS as a whole number of days, 30 by default', () => {
    expect(configFromEnv({ PLUGNPAID_RETENTION_DAYS: '90' })).to.include({ retentionDays: 90 });
    expect(configFromEnv({})).to.not.have.property('retentionDays');
    expect(configFromEnv({ PLUGNPAID_RETENTION_DAYS: '3', PLUGNPAID_DEDUPE_WINDOW_HOURS: '72' })).to.include({ retentionDays: 3 });
  });

  it('refuses a retention that is not a whole number of days', () => {
    for (const text of ['0', '-5', '1.5', 'a month']) {
      expect(() => configFromEnv({ PLUGNPAID_RETENTION_DAYS: text })).to.throw(ConfigError, `PLUGNPAID_RETENTION_DAYS must be a whole number ≥ 1, not ${JSON.stringify(text)}`);
    }
  });

  it('refuses a retention shorter than the dedupe window, saying how long it must be', () => {
    const message =
      'PLUGNPAID_RETENTION_DAYS (5) is shorter than the dedupe window (PLUGNPAID_DEDUPE_WINDOW_HOURS, 168 hours): events must be kept at least as long as their duplicates are recognised. Set PLUGNPAID_RETENTION_DAYS to 7 or more, or shorten the window.';
    expect(() => configFromEnv({ PLUGNPAID_RETENTION_DAYS: '5' })).to.throw(ConfigError, message);
    expect(() => configFromEnv({ PLUGNPAID_RETENTION_DAYS: '7', PLUGNPAID_DEDUPE_WINDOW_HOURS: '170' })).to.throw(ConfigError, 'Set PLUGNPAID_RETENTION_DAYS to 8 or more');
    expect(() => createRuntime({ retentionDays: 5, dataDir: join(__dirname, 'never-made'), logger: false })).to.throw(StartError, message);
  });
});

describe('a store made before the retention', () => {
  it('is converted to incremental vacuum once at start, and says so', async () => {
    const first = await new TestRuntime().start();
    await first.runtime.engine.drain();
    await first.stop();
    const file = join(first.dataDir, 'plugnpaid.sqlite');
    const old = new Database(file);
    old.pragma('auto_vacuum = NONE');
    old.exec('VACUUM');
    expect(old.pragma('auto_vacuum', { simple: true })).to.equal(0);
    old.close();

    const converted = await new TestRuntime(first.dataDir).start();
    try {
      expect(converted.runtime.notices.join('\n')).to.match(/converted the store to incremental vacuum, once, .*\(VACUUM of [\d.]+ MB took \d+ ms\)/);
      expect(converted.runtime.store.db.pragma('auto_vacuum', { simple: true })).to.equal(2);
      expect((await converted.api('GET', '/api/webhooks')).body.items).to.have.length(1);
      await converted.stop();
      const again = await new TestRuntime(first.dataDir).start();
      expect(again.runtime.notices.join('\n')).to.not.contain('incremental vacuum');
      await again.stop();
    } finally {
      await converted.destroy();
    }
  });
});
