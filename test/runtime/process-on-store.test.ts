import { expect } from 'chai';
import { examplePayload } from '../helpers/payloads';
import { FakeClock, TestRuntime } from '../helpers/runtime';

// The background engine is closed in these tests, so whatever is processed was processed in the transaction
// that stored the event, before the 200.
describe('processing in the storing transaction', () => {
  let runtime: TestRuntime;
  let hook: { id: string; url: string };
  const clock = new FakeClock();

  beforeEach(async () => {
    runtime = await new TestRuntime(undefined, { clock, bodyLimitBytes: 1024 * 1024 }).start();
    hook = await runtime.defaultWebhook();
    await runtime.runtime.engine.close();
  });
  afterEach(async () => runtime.destroy());

  it('acknowledges a sale already processed, its bundles pullable at once', async () => {
    const answer = await runtime.post(hook.url, JSON.stringify(examplePayload('new_simple_sale')));
    expect(answer.status).to.equal(200);
    const event = (await runtime.api('GET', `/api/events/${answer.body.event}`)).body;
    expect(event.status).to.equal('processed');
    expect(event.bundles.map((bundle: { data: { order?: { id: string } } }) => bundle.data.order?.id)).to.include(examplePayload('new_simple_sale').data.order.id);
    const trigger = event.routing.triggers[0].trigger;
    expect((await runtime.api('GET', `/api/triggers/${trigger}/bundles`)).body.items).to.have.length(1);
  });

  it('keeps an unknown event type as unrouted in the same commit', async () => {
    const answer = await runtime.post(hook.url, JSON.stringify({ type: 'order_teleported', data: {} }));
    const event = (await runtime.api('GET', `/api/events/${answer.body.event}`)).body;
    expect(event.status).to.equal('unrouted');
  });

  it('leaves a body over 64 KiB to the background, which processes it', async () => {
    const payload = examplePayload('new_simple_sale');
    payload.data.order.note = 'x'.repeat(70 * 1024);
    const answer = await runtime.post(hook.url, JSON.stringify(payload));
    expect(answer.status).to.equal(200);
    expect((await runtime.api('GET', `/api/events/${answer.body.event}`)).body.status).to.equal('pending');
    await runtime.runtime.engine.drain();
    expect((await runtime.api('GET', `/api/events/${answer.body.event}`)).body.status).to.equal('processed');
  });

  it('stores an identical body again once the dedupe window has passed', async () => {
    const body = JSON.stringify(examplePayload('refund'));
    const first = await runtime.post(hook.url, body);
    clock.advance(7 * 24 * 3600 * 1000 - 1);
    expect((await runtime.post(hook.url, body)).body).to.include({ duplicate: true, event: first.body.event });
    clock.advance(2);
    const later = await runtime.post(hook.url, body);
    expect(later.body.duplicate).to.equal(false);
    expect(later.body.event).to.not.equal(first.body.event);
    expect((await runtime.post(hook.url, body)).body).to.include({ duplicate: true, event: later.body.event });
  });
});
