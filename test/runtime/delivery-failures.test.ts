import { expect } from 'chai';
import { examplePayload } from '../helpers/payloads';
import { cli } from '../helpers/cli';
import { FakeClock, Receiver, TestRuntime } from '../helpers/runtime';

const HOUR = 3600_000;

describe('A destination that refuses, beside a healthy one', () => {
  let clock: FakeClock;
  let runtime: TestRuntime;
  let healthy: Receiver;
  let refusing: Receiver;
  let hook: { id: string; url: string };
  let healthyTrigger: { id: string };
  let refusingTrigger: { id: string };
  let client: string[];
  const orders = ['ord_a', 'ord_b', 'ord_c'];
  const eventIds: number[] = [];

  before(async () => {
    clock = new FakeClock();
    healthy = await new Receiver().start();
    refusing = await new Receiver().start();
    refusing.answer = () => ({ status: 400, body: '{"error":"unknown field orderLine"}' });
    runtime = await new TestRuntime(undefined, { clock }).start();
    client = ['--url', runtime.url, '--admin-token', runtime.runtime.adminToken];
    hook = (await runtime.api('POST', '/api/webhooks', { name: 'two destinations' })).body;
    const add = async (url: string) => (await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded', destination: { url } })).body;
    healthyTrigger = await add(healthy.url);
    refusingTrigger = await add(refusing.url);
    for (const order of orders) {
      const payload = examplePayload('refund');
      payload.data.order.id = order;
      eventIds.push((await runtime.post(hook.url, JSON.stringify(payload))).body.event);
    }
    await runtime.runtime.engine.drain();
    // Most of a day later (still in the chart's window): a permanent failure is never tried again on the schedule.
    clock.advance(20 * HOUR);
    await runtime.runtime.engine.drain();
  });
  after(async () => {
    await runtime.destroy();
    await healthy.stop();
    await refusing.stop();
  });

  it("delivers every bundle of the healthy trigger, in order", () => {
    expect(healthy.received.map((request) => JSON.parse(request.body).order.id)).to.deep.equal(orders);
  });

  it('gives up on each bundle of the refusing trigger at once, with the answer as the reason', async () => {
    const { body } = await runtime.api('GET', `/api/deliveries?status=dead`);
    expect(body.items).to.have.length(3);
    for (const row of body.items) {
      expect(row).to.include({ triggerId: refusingTrigger.id, status: 'dead', attempts: 1, lastStatus: 400, module: 'watch-order-refunded', destination: refusing.url });
      expect(row.lastError).to.equal('HTTP 400: {"error":"unknown field orderLine"}');
    }
    expect(body.items.map((row: { eventId: number }) => row.eventId)).to.deep.equal([...eventIds].reverse());
    expect((await runtime.api('GET', `/api/deliveries?trigger=${healthyTrigger.id}&status=dead`)).body.items).to.deep.equal([]);
    expect((await runtime.api('GET', `/api/deliveries?status=lost`)).status).to.equal(400);
  });

  it('shows each event as processed with a dead delivery, and finds them with status=dead', async () => {
    const { body } = await runtime.api('GET', '/api/events?status=dead');
    expect(body.items.map((event: { id: number }) => event.id)).to.deep.equal([...eventIds].reverse());
    expect(body.items[0]).to.include({ status: 'processed', state: 'processed · 1 delivery dead' });
    expect(body.items[0].deliveryCounts).to.deep.equal({ pending: 0, delivered: 1, dead: 1, stopped: 0 });
  });

  it('charts them as "delivery failed" rather than processed', async () => {
    const hours = (await runtime.api('GET', '/api/activity')).body.hours;
    const total = (key: string) => hours.reduce((sum: number, hour: Record<string, number>) => sum + hour[key], 0);
    expect([total('deliveryFailed'), total('processed')]).to.deep.equal([3, 0]);
  });

  it('lists the failing destination first, with its latest failure', async () => {
    const { body } = await runtime.api('GET', '/api/deliveries/triggers');
    expect(body.items.map((item: { trigger: { id: string } }) => item.trigger.id)).to.deep.equal([refusingTrigger.id, healthyTrigger.id]);
    expect(body.items[0]).to.include({ dead: 3, pending: 0, stopped: 0, retrying: false });
    expect(body.items[0].lastFailure).to.include({ status: 400, error: 'HTTP 400: {"error":"unknown field orderLine"}' });
    expect(body.items[1]).to.include({ dead: 0, lastFailure: null });
    expect(body.items[1].lastDeliveredAt).to.be.a('string');
  });

  it('lists them in the CLI: deliveries list --status dead, and events --status dead', async () => {
    const listed = await cli(['deliveries', 'list', '--status', 'dead', '--trigger', refusingTrigger.id, '--json', ...client]);
    expect(listed.code).to.equal(0);
    const rows = JSON.parse(listed.stdout).items;
    expect(rows.map((row: { eventId: number; status: string }) => [row.eventId, row.status])).to.deep.equal([...eventIds].reverse().map((id) => [id, 'dead']));
    const events = JSON.parse((await cli(['events', '--status', 'dead', '--json', ...client])).stdout);
    expect(events.items.map((event: { state: string }) => event.state)).to.deep.equal(orders.map(() => 'processed · 1 delivery dead'));
    const table = (await cli(['deliveries', 'list', '--status', 'dead', ...client])).stdout.split('\n');
    expect(table[0].split(/\s+/)).to.deep.equal(['ID', 'EVENT', 'TRIGGER', 'MODULE', 'STATUS', 'ATTEMPTS', 'LAST', 'ANSWER']);
    expect(table[1]).to.contain(refusingTrigger.id).and.contain('dead').and.contain('HTTP 400: {"error":"unknown field orderLine"}');
    expect((await cli(['events', '--status', 'dead', ...client])).stdout).to.contain('processed · 1 delivery dead');
  });

  it('after the destination recovers, sends every dead delivery once with one bulk replay, keeping its history', async () => {
    refusing.answer = () => ({ status: 200 });
    const replay = await cli(['deliveries', 'replay', '--status', 'dead', '--trigger', refusingTrigger.id, ...client]);
    expect(replay.stdout).to.equal(`3 dead deliveries queued again for trigger ${refusingTrigger.id}\n`);
    await runtime.runtime.engine.drain();
    expect(refusing.received.map((request) => JSON.parse(request.body).order.id)).to.deep.equal(orders);
    const event = (await runtime.api('GET', `/api/events/${eventIds[0]}`)).body;
    const replayed = event.deliveries.find((delivery: { triggerId: string }) => delivery.triggerId === refusingTrigger.id);
    expect(replayed).to.include({ status: 'delivered', attempts: 2 });
    expect(replayed.history.map((entry: { outcome: string; status: number | null }) => [entry.outcome, entry.status])).to.deep.equal([
      ['dead', 400],
      ['replayed', null],
      ['delivered', 200],
    ]);
    expect(event.state).to.equal('processed');
    expect((await runtime.api('POST', '/api/deliveries/replay', { status: 'dead' })).body).to.deep.equal({ replayed: 0, status: 'dead', trigger: null });
    await runtime.runtime.engine.drain();
    expect(refusing.received).to.have.length(3);
  });

  it('refuses a bulk replay without status dead, or of an unknown trigger', async () => {
    expect((await runtime.api('POST', '/api/deliveries/replay', {})).status).to.equal(400);
    expect((await runtime.api('POST', '/api/deliveries/replay', { status: 'dead', trigger: 'trg_none' })).status).to.equal(404);
  });
});

describe('replay event: what it did', () => {
  let runtime: TestRuntime;
  let receiver: Receiver;
  let hook: { id: string; url: string };

  beforeEach(async () => {
    receiver = await new Receiver().start();
    runtime = await new TestRuntime(undefined, { clock: new FakeClock() }).start();
    hook = (await runtime.api('POST', '/api/webhooks', { name: 'replays' })).body;
  });
  afterEach(async () => {
    await runtime.destroy();
    await receiver.stop();
  });

  it('maps an unrouted event again', async () => {
    const event = (await runtime.post(hook.url, JSON.stringify(examplePayload('refund')))).body.event;
    await runtime.runtime.engine.drain();
    const trigger = (await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded', destination: { url: receiver.url } })).body;
    const answer = await runtime.api('POST', `/api/events/${event}/replay`);
    expect(answer).to.deep.equal({ status: 202, body: { event, remapped: true, deliveriesQueued: 0, message: `event ${event} (unrouted) is routed and mapped again.` } });
    await runtime.runtime.engine.drain();
    expect(receiver.received).to.have.length(1);
    expect(trigger.id).to.be.a('string');
  });

  it('sends its dead delivery again', async () => {
    await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded', destination: { url: receiver.url } });
    receiver.answer = () => ({ status: 404 });
    const event = (await runtime.post(hook.url, JSON.stringify(examplePayload('refund')))).body.event;
    await runtime.runtime.engine.drain();
    receiver.answer = () => ({ status: 200 });
    const answer = await runtime.api('POST', `/api/events/${event}/replay`);
    expect(answer).to.deep.equal({ status: 202, body: { event, remapped: false, deliveriesQueued: 1, message: '1 dead or paused delivery queued again.' } });
    await runtime.runtime.engine.drain();
    expect(receiver.received).to.have.length(1);
  });

  it('says there is nothing to send, and why, for an event whose bundles are kept for pulling', async () => {
    await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded' });
    const event = (await runtime.post(hook.url, JSON.stringify(examplePayload('refund')))).body.event;
    await runtime.runtime.engine.drain();
    const answer = await runtime.api('POST', `/api/events/${event}/replay`);
    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.equal({
      event,
      remapped: false,
      deliveriesQueued: 0,
      message: `nothing to send for event ${event}: no trigger was attached since it was processed; it made no deliveries (its triggers keep bundles for pulling, or filtered it out).`,
    });
  });
});
