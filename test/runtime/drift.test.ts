import { expect } from 'chai';
import { loadApp } from '../../src/definition/loader';
import { AppCopy } from '../helpers/app-copy';
import { examplePayload } from '../helpers/payloads';
import { FakeClock, TestRuntime } from '../helpers/runtime';
import { MAX_PATHS_PER_SHAPE } from '../../src/runtime/drift/shape';

const shipped = (id: string) => ({ type: 'order_sent', data: { order: { id, status: 'shipped', tracking_number: `TRK${id}`, customer: { email: 'a@example.com' }, products: [] } } });

describe('Drift report', () => {
  let runtime: TestRuntime;
  let hook: { id: string; url: string };
  const clock = new FakeClock();

  beforeEach(async () => {
    runtime = await new TestRuntime(undefined, { clock }).start();
    hook = await runtime.defaultWebhook();
  });
  afterEach(async () => runtime.destroy());

  async function send(payload: unknown): Promise<number> {
    const answer = await runtime.post(hook.url, JSON.stringify(payload));
    expect(answer.status).to.equal(200);
    return answer.body.event;
  }

  it('counts an unknown event type with first and last seen and an example event', async () => {
    const first = await send(shipped('1'));
    clock.advance(60_000);
    const second = await send(shipped('2'));
    await runtime.runtime.engine.drain();
    const { status, body } = await runtime.api('GET', `/api/drift?webhook=${hook.id}`);
    expect(status).to.equal(200);
    expect(Object.keys(body)).to.deep.equal(['unknownTypes', 'unmappedFields', 'missingFields', 'payloadViolations']);
    expect(body.unknownTypes).to.deep.equal([
      { type: 'order_sent', count: 2, firstSeen: new Date(clock.time - 60_000).toISOString(), lastSeen: new Date(clock.time).toISOString(), exampleEventId: second },
    ]);
    expect(first).to.be.below(second);
    // An unknown type has no modules, so its fields are neither unmapped nor missing yet.
    expect(body.unmappedFields.filter((f: { eventType: string }) => f.eventType === 'order_sent')).to.deep.equal([]);
  });

  it('lists payload fields no mapping reads, with array indexes collapsed, and never the ones a mapping passes on whole', async () => {
    const payload = examplePayload('new_simple_sale');
    payload.data.order.coupon_code = 'WINTER';
    payload.data.order.products.forEach((line: Record<string, unknown>, index: number) => (line.sku = `SKU-${index}`));
    const id = await send(payload);
    const other = examplePayload('new_simple_sale');
    other.data.order.id = 'ord_other';
    other.data.order.coupon_code = 'SPRING';
    const second = await send(other);
    await runtime.runtime.engine.drain();
    const { body } = await runtime.api('GET', '/api/drift');
    const unmapped = body.unmappedFields.filter((f: { eventType: string }) => f.eventType === 'new_simple_sale');
    expect(unmapped).to.deep.include({ eventType: 'new_simple_sale', path: 'data.order.coupon_code', count: 2, exampleEventId: second });
    // products are passed on whole (the bundle's `products`), so their sku is mapped.
    const paths = unmapped.map((f: { path: string }) => f.path);
    expect(paths).to.not.include('data.order.products[].sku');
    expect(paths).to.not.include('data.order.id');
    expect(paths).to.not.include('type');
    expect(id).to.be.a('number');
  });

  it('lists fields the mappings read that payloads of the type never carry', async () => {
    await send({ type: 'product_created', data: { product: { id: 'prod_1', title: 'Course', price: 10 } } });
    await runtime.runtime.engine.drain();
    const { body } = await runtime.api('GET', '/api/drift');
    expect(body.missingFields).to.deep.include({ eventType: 'product_created', path: 'data.product.currency' });
    expect(body.missingFields).to.deep.include({ eventType: 'product_created', path: 'data.product.name' });
    expect(body.missingFields).to.not.deep.include({ eventType: 'product_created', path: 'data.product.id' });
  });

  it('lists no missing field after the app\'s own samples: optional fields and ifempty fallbacks are no drift', async () => {
    for (const module of loadApp().modules) expect((await runtime.api('POST', `/api/webhooks/${hook.id}/samples`, { module: module.name })).status).to.equal(201);
    await runtime.runtime.engine.drain();
    const { body } = await runtime.api('GET', '/api/drift');
    expect(body.unknownTypes).to.deep.equal([]);
    expect(body.missingFields).to.deep.equal([]);
  });

  it('still lists a field the samples always carry once payloads carry it under another name', async () => {
    const renamed = examplePayload('refund');
    renamed.data.order.total_amount = renamed.data.order.amount_total;
    delete renamed.data.order.amount_total;
    await send(renamed);
    await runtime.runtime.engine.drain();
    const { body } = await runtime.api('GET', '/api/drift');
    expect(body.missingFields).to.deep.equal([{ eventType: 'refund', path: 'data.order.amount_total' }]);
    expect(body.unmappedFields.map((field: { path: string }) => field.path)).to.include('data.order.total_amount');
  });

  it('counts payload-schema violations by pointer and message', async () => {
    const bad = { type: 'refund', data: { order: { id: 4.5, products: [{ id: 'p1', title: 'Course' }, { id: 'p2', title: 7 }] } } };
    const id = await send(bad);
    await runtime.runtime.engine.drain();
    const { body } = await runtime.api('GET', '/api/drift');
    expect(body.payloadViolations.length).to.be.greaterThan(0);
    for (const violation of body.payloadViolations) {
      expect(violation).to.have.all.keys('eventType', 'pointer', 'message', 'count', 'exampleEventId');
      expect(violation).to.include({ eventType: 'refund', count: 1, exampleEventId: id });
    }
    expect(body.payloadViolations.map((v: { pointer: string }) => v.pointer)).to.have.members(['/data/order/id', '/data/order/products/*/title']);
  });

  it('counts a value a mapping cannot convert as a payload violation, one row for every event that sends one', async () => {
    const ids = [];
    for (const amount of ['abc', 'twelve']) {
      const payload = examplePayload('new_simple_sale');
      payload.data.order.id = `ord_${amount}`;
      payload.data.order.amount_total = amount;
      ids.push(await send(payload));
    }
    await runtime.runtime.engine.drain();
    const { body } = await runtime.api('GET', '/api/drift');
    expect(body.payloadViolations.filter((v: { pointer: string }) => v.pointer === '/data/order/amount_total')).to.deep.equal([
      { eventType: 'new_simple_sale', pointer: '/data/order/amount_total', message: "parseNumber could not convert it for order.amountTotal: expected a number with '.' as decimal separator", count: 2, exampleEventId: ids[1] },
    ]);
  });

  it('counts an event once, however often it is replayed', async () => {
    const id = await send(shipped('1'));
    await runtime.runtime.engine.drain();
    expect((await runtime.api('POST', `/api/events/${id}/replay`)).status).to.equal(202);
    await runtime.runtime.engine.drain();
    expect((await runtime.api('GET', '/api/drift')).body.unknownTypes[0].count).to.equal(1);
  });

  it('bounds the paths one payload adds, whatever keys it invents', async () => {
    const data: Record<string, number> = {};
    for (let i = 0; i < 2000; i += 1) data[`k${i}`] = i;
    await send({ type: 'refund', data: { order: { id: 'o1', ...data } } });
    await runtime.runtime.engine.drain();
    const rows = runtime.runtime.store.db.prepare('SELECT COUNT(*) AS n FROM drift_fields').get() as { n: number };
    expect(rows.n).to.equal(MAX_PATHS_PER_SHAPE);
  });

  it('refuses a bad webhook filter clearly, and every call without the admin token', async () => {
    expect(await runtime.api('GET', '/api/drift?webhook=wh_nope')).to.deep.equal({ status: 404, body: { error: 'webhook wh_nope not found' } });
    expect((await runtime.api('GET', '/api/drift', undefined, 'wrong')).status).to.equal(401);
    expect((await runtime.api('POST', '/api/events/replay', { type: 'x' }, 'wrong')).status).to.equal(401);
    expect((await runtime.api('GET', '/api/mapped-paths', undefined, 'wrong')).status).to.equal(401);
  });

  it('tells the paths each event type\'s mappings read, for an alias too', async () => {
    const { body } = await runtime.api('GET', '/api/mapped-paths?type=product_created');
    expect(body.items).to.have.length(1);
    expect(body.items[0]).to.include({ eventType: 'product_created' });
    expect(body.items[0].paths).to.include.members(['type', 'data.product.id', 'data.product.title']);
    const all = (await runtime.api('GET', '/api/mapped-paths')).body.items;
    expect(all.map((item: { eventType: string }) => item.eventType)).to.include.members(['new_simple_sale', 'refund', 'order_shipped']);
  });
});

describe('Replaying every unrouted event of one type', () => {
  let app: AppCopy;
  let runtime: TestRuntime;

  beforeEach(() => {
    app = new AppCopy();
  });
  afterEach(async () => {
    await runtime.destroy();
    app.remove();
  });

  it('routes the stored events once the type is an alias and the runtime restarted', async () => {
    runtime = await new TestRuntime(undefined, { appDir: app.dir }).start();
    const hook = await runtime.defaultWebhook();
    for (const id of ['1', '2', '3']) expect((await runtime.post(hook.url, JSON.stringify(shipped(id)))).status).to.equal(200);
    await runtime.post(hook.url, JSON.stringify({ type: 'something_else', data: {} }));
    await runtime.runtime.engine.drain();
    expect((await runtime.api('GET', '/api/events?status=unrouted&type=order_sent')).body.items).to.have.length(3);

    app.edit('schemas/events.json', (catalogue) => catalogue.events.order_shipped.aliases.push('order_sent'));
    await runtime.stop();
    runtime = await new TestRuntime(runtime.dataDir, { appDir: app.dir }).start();
    const replay = await runtime.api('POST', '/api/events/replay', { type: 'order_sent', webhook: hook.id });
    expect(replay).to.deep.equal({ status: 202, body: { replayed: 3, type: 'order_sent', status: 'unrouted', webhook: hook.id } });
    await runtime.runtime.engine.drain();

    const trigger = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items.find((t: { module: string }) => t.module === 'watch-order-shipped');
    const bundles = (await runtime.api('GET', `/api/triggers/${trigger.id}/bundles`)).body.items;
    expect(bundles.map((b: { data: { shipment: { trackingNumber: string } } }) => b.data.shipment.trackingNumber)).to.deep.equal(['TRK1', 'TRK2', 'TRK3']);
    expect((await runtime.api('GET', '/api/events?status=unrouted')).body.items.map((e: { type: string }) => e.type)).to.deep.equal(['something_else']);
    const drift = (await runtime.api('GET', '/api/drift')).body;
    expect(drift.unknownTypes.map((t: { type: string }) => t.type)).to.deep.equal(['something_else']);
  });

  it('refuses a replay without a type, with an unknown status or webhook', async () => {
    runtime = await new TestRuntime(undefined, { appDir: app.dir }).start();
    expect(await runtime.api('POST', '/api/events/replay', {})).to.deep.equal({ status: 400, body: { error: 'type is required: the event type to replay, e.g. {"type":"order_sent"}' } });
    expect((await runtime.api('POST', '/api/events/replay', { type: 'x', status: 'processed' })).body).to.deep.equal({ error: 'status must be one of: unrouted, failed' });
    expect((await runtime.api('POST', '/api/events/replay', { type: 'x', webhook: 'wh_nope' })).status).to.equal(404);
    expect((await runtime.api('POST', '/api/events/replay', { type: 'refund' })).body.replayed).to.equal(0);
  });

  it('refuses to replay a type it does not know (an alias added since it started), replaying nothing', async () => {
    runtime = await new TestRuntime(undefined, { appDir: app.dir }).start();
    const hook = await runtime.defaultWebhook();
    await runtime.post(hook.url, JSON.stringify(shipped('1')));
    await runtime.runtime.engine.drain();
    app.edit('schemas/events.json', (catalogue) => catalogue.events.order_shipped.aliases.push('order_sent'));
    expect(await runtime.api('POST', '/api/events/replay', { type: 'order_sent' })).to.deep.equal({
      status: 409,
      body: { error: "this runtime does not know event type 'order_sent': it read the app's catalogue when it started. If you just added it as an alias, restart the runtime and replay again; nothing was replayed" },
    });
    expect((await runtime.api('GET', '/api/events?status=unrouted')).body.items).to.have.length(1);
  });

  it('answers clearly when drift bookkeeping is off', async () => {
    runtime = await new TestRuntime(undefined, { appDir: app.dir, drift: false }).start();
    const hook = await runtime.defaultWebhook();
    await runtime.post(hook.url, JSON.stringify(shipped('1')));
    await runtime.runtime.engine.drain();
    const answer = await runtime.api('GET', '/api/drift');
    expect(answer.status).to.equal(409);
    expect(answer.body.error).to.match(/PLUGNPAID_DRIFT=off/);
    expect((runtime.runtime.store.db.prepare('SELECT COUNT(*) AS n FROM drift_types').get() as { n: number }).n).to.equal(0);
  });
});
