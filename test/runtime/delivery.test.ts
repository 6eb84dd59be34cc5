import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { signMessage } from '../../src/runtime/delivery/deliverer';
import { examplePayload } from '../helpers/payloads';
import { FakeClock, Receiver, TestRuntime } from '../helpers/runtime';

const HOUR = 3600_000;

describe('the runtime: forwarding bundles to a destination', () => {
  let clock: FakeClock;
  let runtime: TestRuntime;
  let receiver: Receiver;
  let hook: { id: string; url: string };

  async function forwardingTrigger(module = 'watch-order-refunded', parameters = {}) {
    return (await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module, parameters, destination: { url: receiver.url } })).body;
  }

  async function deliveriesOf(eventId: number) {
    return (await runtime.api('GET', `/api/events/${eventId}`)).body.deliveries;
  }

  beforeEach(async () => {
    clock = new FakeClock();
    receiver = await new Receiver().start();
    runtime = await new TestRuntime(undefined, { clock }).start();
    const created = (await runtime.api('POST', '/api/webhooks', { name: 'forwarding' })).body;
    hook = created;
  });
  afterEach(async () => {
    await runtime.destroy();
    await receiver.stop();
  });

  it('POSTs the bundle with Standard Webhooks headers the receiver can verify', async () => {
    const trigger = await forwardingTrigger();
    expect(trigger.secret).to.match(/^whsec_/);
    await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
    await runtime.runtime.engine.drain();
    expect(receiver.received).to.have.length(1);
    const [{ headers, body }] = receiver.received;
    expect(JSON.parse(body).order.id).to.equal('ord_8f3k2j');
    expect(headers['webhook-id']).to.match(/^msg_/);
    expect(headers['webhook-timestamp']).to.equal(String(Math.floor(clock.now() / 1000)));
    expect(headers['webhook-signature']).to.equal(signMessage(trigger.secret, String(headers['webhook-id']), Number(headers['webhook-timestamp']), body));
    const listed = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items[0];
    expect(listed).to.not.have.property('secret');
  });

  it('delivers once after retries when the destination is down, then up, with the same webhook-id', async () => {
    await forwardingTrigger();
    const seen: string[] = [];
    let up = false;
    receiver.answer = (request) => {
      seen.push(String(request.headers['webhook-id']));
      return { status: up ? 200 : 503 };
    };
    const answer = await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
    await runtime.runtime.engine.drain();
    clock.advance(5_000 * 1.2);
    await runtime.runtime.engine.drain();
    let [delivery] = await deliveriesOf(answer.body.event);
    expect(delivery).to.include({ status: 'pending', attempts: 2, lastStatus: 503 });
    up = true;
    clock.advance(5 * 60_000 * 1.2);
    await runtime.runtime.engine.drain();
    [delivery] = await deliveriesOf(answer.body.event);
    expect(delivery).to.include({ status: 'delivered', attempts: 3, lastStatus: 200 });
    expect(receiver.received).to.have.length(1);
    expect(new Set(seen).size).to.equal(1);
    clock.advance(48 * HOUR);
    await runtime.runtime.engine.drain();
    expect(receiver.received).to.have.length(1);
  });

  it('waits at least as long as Retry-After on 429', async () => {
    await forwardingTrigger();
    let calls = 0;
    receiver.answer = () => (++calls === 1 ? { status: 429, headers: { 'retry-after': '3600' } } : { status: 200 });
    const answer = await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
    await runtime.runtime.engine.drain();
    clock.advance(10 * 60_000);
    await runtime.runtime.engine.drain();
    expect(calls).to.equal(1);
    clock.advance(HOUR);
    await runtime.runtime.engine.drain();
    expect((await deliveriesOf(answer.body.event))[0].status).to.equal('delivered');
  });

  for (const [kind, retryAfterValue] of [
    ['in seconds', '999999999'],
    ['as an HTTP date', 'Fri, 31 Dec 2100 23:59:59 GMT'],
  ]) {
    it(`caps a huge Retry-After ${kind} at an hour, and replays such a parked delivery at once`, async () => {
      await forwardingTrigger();
      let calls = 0;
      receiver.answer = () => (++calls === 1 ? { status: 503, headers: { 'retry-after': retryAfterValue } } : { status: 200 });
      const answer = await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
      await runtime.runtime.engine.drain();
      const [parked] = await deliveriesOf(answer.body.event);
      expect(parked).to.include({ status: 'pending', lastStatus: 503 });
      expect(Date.parse(parked.nextAttemptAt) - clock.now()).to.equal(HOUR);

      expect((await runtime.api('POST', `/api/deliveries/${parked.id}/replay`)).status).to.equal(202);
      await runtime.runtime.engine.drain();
      expect((await deliveriesOf(answer.body.event))[0]).to.include({ status: 'delivered' });
      expect(calls).to.equal(2);
    });
  }

  it('answers 409 when replaying a delivery that is already due', async () => {
    await forwardingTrigger();
    receiver.answer = () => ({ status: 503, headers: { 'retry-after': '7200' } });
    await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
    await runtime.runtime.engine.drain();
    const payload = examplePayload('refund');
    payload.data.order.id = 'ord_queued';
    const queued = await runtime.post(hook.url, JSON.stringify(payload));
    await runtime.runtime.engine.drain();
    // Due, but queued behind the parked one: replay cannot make it go sooner.
    const [due] = await deliveriesOf(queued.body.event);
    expect(due).to.include({ status: 'pending', attempts: 0 });
    const replay = await runtime.api('POST', `/api/deliveries/${due.id}/replay`);
    expect(replay.status).to.equal(409);
    expect(replay.body.error).to.contain('already due');
  });

  it('never lets Retry-After park a delivery past the dead-letter horizon', async () => {
    await runtime.destroy();
    runtime = await new TestRuntime(undefined, { clock, retryScheduleMs: [0, 1_000, 2_000] }).start();
    hook = (await runtime.api('POST', '/api/webhooks', { name: 'short schedule' })).body;
    await forwardingTrigger();
    receiver.answer = () => ({ status: 429, headers: { 'retry-after': '999999999' } });
    const answer = await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
    await runtime.runtime.engine.drain();
    const [parked] = await deliveriesOf(answer.body.event);
    // The rest of the schedule (1 s + 2 s) is all the time this delivery has left before it is dead-lettered.
    expect(Date.parse(parked.nextAttemptAt) - clock.now()).to.equal(3_000);
  });

  it('dead-letters after the last try, and delivers on replay', async () => {
    await forwardingTrigger();
    receiver.answer = () => ({ status: 500 });
    const answer = await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
    for (let i = 0; i < 10; i += 1) {
      await runtime.runtime.engine.drain();
      clock.advance(12 * HOUR);
    }
    const [dead] = await deliveriesOf(answer.body.event);
    expect(dead).to.include({ status: 'dead', attempts: 8, lastStatus: 500 });
    receiver.answer = () => ({ status: 200 });
    expect((await runtime.api('POST', `/api/deliveries/${dead.id}/replay`)).status).to.equal(202);
    await runtime.runtime.engine.drain();
    expect((await deliveriesOf(answer.body.event))[0]).to.include({ status: 'delivered' });
    expect(receiver.received).to.have.length(1);
  });

  it("stops the trigger's deliveries on 410 Gone, and resumes them on replay", async () => {
    const trigger = await forwardingTrigger();
    receiver.answer = () => ({ status: 410 });
    const first = await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
    await runtime.runtime.engine.drain();
    const payload = examplePayload('refund');
    payload.data.order.id = 'ord_second';
    const second = await runtime.post(hook.url, JSON.stringify(payload));
    await runtime.runtime.engine.drain();
    expect((await deliveriesOf(first.body.event))[0]).to.include({ status: 'dead', lastStatus: 410 });
    expect((await deliveriesOf(first.body.event))[0].lastError).to.match(/^HTTP 410: ok \(410 Gone: the trigger is paused/);
    expect((await deliveriesOf(second.body.event))[0].status).to.equal('stopped');
    const listed = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items.find((t: { id: string }) => t.id === trigger.id);
    expect(listed.stopped).to.contain('410');

    receiver.answer = () => ({ status: 200 });
    clock.advance(HOUR);
    await runtime.runtime.engine.drain();
    expect(receiver.received).to.have.length(0);
    await runtime.api('POST', `/api/deliveries/${(await deliveriesOf(first.body.event))[0].id}/replay`);
    await runtime.runtime.engine.drain();
    expect(receiver.received.map((r) => JSON.parse(r.body).order.id)).to.deep.equal(['ord_8f3k2j', 'ord_second']);
  });

  it('gives up at once on a permanent 4xx, keeping the status and the first bytes of the answer, and sends the later bundles', async () => {
    await forwardingTrigger();
    const reason = `{"error":"order_id is not a known order"}${'x'.repeat(500)}`;
    receiver.answer = (_request, body) => (JSON.parse(body).order.id === 'ord_8f3k2j' ? { status: 400, body: reason } : { status: 200 });
    const first = await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
    const payload = examplePayload('refund');
    payload.data.order.id = 'ord_after';
    await runtime.post(hook.url, JSON.stringify(payload));
    await runtime.runtime.engine.drain();
    const [dead] = await deliveriesOf(first.body.event);
    expect(dead).to.include({ status: 'dead', attempts: 1, lastStatus: 400 });
    expect(dead.lastError).to.equal(`HTTP 400: ${reason.slice(0, 200)}`);
    expect(dead.history).to.deep.equal([{ at: new Date(clock.now()).toISOString(), outcome: 'dead', status: 400, error: dead.lastError }]);
    expect(receiver.received.map((r) => JSON.parse(r.body).order.id)).to.deep.equal(['ord_after']);
  });

  it('keeps the attempt history across a replay and adds to it', async () => {
    await forwardingTrigger();
    receiver.answer = () => ({ status: 503 });
    const answer = await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
    await runtime.runtime.engine.drain();
    const [pending] = await deliveriesOf(answer.body.event);
    receiver.answer = () => ({ status: 422, body: 'unprocessable' });
    clock.advance(10_000);
    await runtime.runtime.engine.drain();
    receiver.answer = () => ({ status: 204 });
    await runtime.api('POST', `/api/deliveries/${pending.id}/replay`);
    await runtime.runtime.engine.drain();
    const [delivered] = await deliveriesOf(answer.body.event);
    expect(delivered).to.include({ status: 'delivered', attempts: 3, lastStatus: 204 });
    expect(delivered.history.map((entry: { outcome: string; status: number | null }) => [entry.outcome, entry.status])).to.deep.equal([
      ['retry', 503],
      ['dead', 422],
      ['replayed', null],
      ['delivered', 204],
    ]);
  });

  it('names itself in the User-Agent header: plugnpaid-connector/<version>', async () => {
    await forwardingTrigger();
    await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
    await runtime.runtime.engine.drain();
    expect(receiver.received[0].headers['user-agent']).to.equal(`plugnpaid-connector/${JSON.parse(readFileSync('package.json', 'utf8')).version}`);
  });

  it('keeps per-trigger order: a later bundle waits for the earlier one', async () => {
    await forwardingTrigger('watch-order-refunded', { bundlePerOrderLine: true });
    let failFirst = true;
    receiver.answer = () => {
      if (failFirst) {
        failFirst = false;
        return { status: 502 };
      }
      return { status: 200 };
    };
    await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
    await runtime.runtime.engine.drain();
    expect(receiver.received).to.have.length(0);
    clock.advance(10_000);
    await runtime.runtime.engine.drain();
    expect(receiver.received.map((r) => JSON.parse(r.body).orderLine.id)).to.deep.equal(['prod_course', 'prod_workbook']);
  });

  it('retries on a network error', async () => {
    await forwardingTrigger();
    const answer = await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
    await receiver.stop();
    await runtime.runtime.engine.drain();
    const [delivery] = await deliveriesOf(answer.body.event);
    expect(delivery.status).to.equal('pending');
    expect(delivery.lastError).to.match(/network error/);
  });
});

describe('the runtime: restarting', () => {
  it('keeps webhooks, triggers, events, bundles and pending deliveries', async () => {
    const clock = new FakeClock();
    const receiver = await new Receiver().start();
    receiver.answer = () => ({ status: 503 });
    let runtime = await new TestRuntime(undefined, { clock }).start();
    const dataDir = runtime.dataDir;
    try {
      const token = runtime.runtime.adminToken;
      const hook = (await runtime.api('POST', '/api/webhooks', { name: 'kept' })).body;
      const trigger = (await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-invoice-paid', destination: { url: receiver.url } })).body;
      const answer = await runtime.post(hook.url, JSON.stringify(examplePayload('mark_paid')));
      await runtime.runtime.engine.drain();
      await runtime.stop();

      receiver.answer = () => ({ status: 200 });
      runtime = await new TestRuntime(dataDir, { clock }).start();
      expect(runtime.runtime.adminToken).to.equal(token);
      const webhooks = (await runtime.api('GET', '/api/webhooks')).body.items;
      expect(webhooks).to.have.length(2);
      const kept = webhooks.find((w: { id: string }) => w.id === hook.id);
      expect(new URL(kept.url).pathname).to.equal(new URL(hook.url).pathname);
      expect((await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items[0].id).to.equal(trigger.id);
      const event = (await runtime.api('GET', `/api/events/${answer.body.event}`)).body;
      expect(event.status).to.equal('processed');
      expect(event.bundles).to.have.length(1);
      expect(event.deliveries[0].status).to.equal('pending');
      clock.advance(10_000);
      await runtime.runtime.engine.drain();
      expect(receiver.received).to.have.length(1);
      expect((await runtime.post(kept.url, JSON.stringify(examplePayload('mark_paid')))).body.duplicate).to.equal(true);
    } finally {
      await runtime.destroy();
      await receiver.stop();
    }
  });
});
