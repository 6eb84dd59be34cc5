import { expect } from 'chai';
import { examplePayload } from '../helpers/payloads';
import { FakeClock, TestRuntime } from '../helpers/runtime';

// The background engine is closed in these tests: intake stores only the raw event, and its bundles are derived
// from it when read, so they are there at the 200, before any processing.
describe('bundles derived from the raw event', () => {
  let runtime: TestRuntime;
  let hook: { id: string; url: string };
  const clock = new FakeClock();

  beforeEach(async () => {
    runtime = await new TestRuntime(undefined, { clock, bodyLimitBytes: 1024 * 1024 }).start();
    hook = await runtime.defaultWebhook();
    await runtime.runtime.engine.close();
  });
  afterEach(async () => runtime.destroy());

  it('acknowledges a sale with only the raw event stored, its bundles pullable at once', async () => {
    const answer = await runtime.post(hook.url, JSON.stringify(examplePayload('new_simple_sale')));
    expect(answer.status).to.equal(200);
    const event = (await runtime.api('GET', `/api/events/${answer.body.event}`)).body;
    expect(event.status).to.equal('pending');
    expect(event.bundles.map((bundle: { data: { order?: { id: string } } }) => bundle.data.order?.id)).to.include(examplePayload('new_simple_sale').data.order.id);
    const triggers = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items;
    const sale = triggers.find((trigger: { module: string }) => trigger.module === 'watch-one-time-sale').id;
    const page = (await runtime.api('GET', `/api/triggers/${sale}/bundles`)).body;
    expect(page.items.map((bundle: { id: string; eventId: number }) => [bundle.id, bundle.eventId])).to.deep.equal([[`${answer.body.event}:0`, answer.body.event]]);
  });

  it('finds an unknown event type unrouted in the background pass, after the 200', async () => {
    const answer = await runtime.post(hook.url, JSON.stringify({ type: 'order_teleported', data: {} }));
    expect((await runtime.api('GET', `/api/events/${answer.body.event}`)).body.status).to.equal('pending');
    await runtime.runtime.engine.drain();
    expect((await runtime.api('GET', `/api/events/${answer.body.event}`)).body.status).to.equal('unrouted');
  });

  it('derives the bundles of a large body at the 200 as well, and the background processes it', async () => {
    const payload = examplePayload('new_simple_sale');
    payload.data.order.note = 'x'.repeat(70 * 1024);
    const answer = await runtime.post(hook.url, JSON.stringify(payload));
    expect(answer.status).to.equal(200);
    const pending = (await runtime.api('GET', `/api/events/${answer.body.event}`)).body;
    expect(pending.status).to.equal('pending');
    expect(pending.bundles.length).to.be.greaterThan(0);
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
