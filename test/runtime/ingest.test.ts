import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { loadApp } from '../../src/definition/loader';
import { redactUrl } from '../../src/runtime/server';
import { examplePayload } from '../helpers/payloads';
import { TestRuntime } from '../helpers/runtime';

const app = loadApp();

describe('the runtime: receiving Plug&Paid events', () => {
  let runtime: TestRuntime;
  let hook: { id: string; url: string };

  beforeEach(async () => {
    runtime = await new TestRuntime(undefined, { bodyLimitBytes: 64 * 1024, maxDepth: 20 }).start();
    hook = await runtime.defaultWebhook();
  });
  afterEach(async () => runtime.destroy());

  it('creates a default webhook with all fourteen triggers on first start', async () => {
    const triggers = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items;
    expect(triggers.map((t: { module: string }) => t.module)).to.have.members(app.modules.map((m) => m.name));
    expect(hook.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/[A-Za-z0-9_-]{32}$/);
  });

  for (const module of app.modules) {
    it(`turns a ${module.name} sample into the module's bundles, pullable through the API`, async () => {
      const sample = module.samples[0];
      const answer = await runtime.post(hook.url, JSON.stringify(sample.payload));
      expect(answer).to.deep.include({ status: 200 });
      await runtime.runtime.engine.drain();
      const trigger = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items.find((t: { module: string }) => t.module === module.name);
      const bundles = (await runtime.api('GET', `/api/triggers/${trigger.id}/bundles`)).body;
      expect(bundles.items.map((b: { data: unknown }) => b.data)).to.deep.equal(sample.bundles);
      expect(bundles.items.every((b: { valid: boolean }) => b.valid)).to.equal(true);
      const event = (await runtime.api('GET', `/api/events/${answer.body.event}`)).body;
      expect(event.status).to.equal('processed');
      expect(event.body).to.deep.equal(sample.payload);
      expect(event.routing.triggers.map((r: { module: string }) => r.module)).to.include(module.name);
    });
  }

  it('answers 404 for an unknown token and reveals nothing', async () => {
    const answer = await runtime.post(`${runtime.url}/hooks/not-a-token`, '{"type":"refund"}');
    expect(answer).to.deep.equal({ status: 404, body: { error: 'not found' } });
  });

  it('answers 415 for a body that is not JSON', async () => {
    const answer = await runtime.post(hook.url, 'type=refund', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(answer.status).to.equal(415);
  });

  it('answers 400 for invalid JSON, with the reason', async () => {
    const answer = await runtime.post(hook.url, '{"type": "refund",');
    expect(answer.status).to.equal(400);
    expect(answer.body.error).to.match(/^invalid JSON/);
  });

  it('answers 400 for JSON nested deeper than the limit', async () => {
    const answer = await runtime.post(hook.url, `${'['.repeat(50)}${']'.repeat(50)}`);
    expect(answer).to.deep.equal({ status: 400, body: { error: 'the JSON is nested 50 levels deep; the limit is 20' } });
  });

  it('detects invalid UTF-8 instead of replacing it', async () => {
    const body = Buffer.concat([Buffer.from('{"type":"refund","x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const answer = await runtime.post(hook.url, body);
    expect(answer).to.deep.equal({ status: 400, body: { error: 'the body is not valid UTF-8' } });
  });

  it('answers 413 for a body over the limit, with Content-Length', async () => {
    const answer = await runtime.post(hook.url, JSON.stringify({ type: 'refund', pad: 'x'.repeat(70 * 1024) }));
    expect(answer.status).to.equal(413);
  });

  it('answers 413 for a chunked body over the limit, without Content-Length', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(hook.url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      });
      request.on('error', reject);
      request.write('{"type":"refund","pad":"');
      for (let i = 0; i < 80; i += 1) request.write('x'.repeat(1024));
      request.end('"}');
    });
    expect(status).to.equal(413);
  });

  it('stores a __proto__ payload harmlessly', async () => {
    const answer = await runtime.post(hook.url, '{"type":"refund","__proto__":{"polluted":true},"data":{"order":{"id":"o1","__proto__":{"admin":true}}}}');
    expect(answer.status).to.equal(200);
    await runtime.runtime.engine.drain();
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(({} as Record<string, unknown>).admin).to.equal(undefined);
    const event = (await runtime.api('GET', `/api/events/${answer.body.event}`)).body;
    expect(event.bundles[0].data.order.id).to.equal('o1');
  });

  it('answers a repeated delivery 200 without processing it again', async () => {
    const body = JSON.stringify(examplePayload('refund'));
    const first = await runtime.post(hook.url, body);
    const second = await runtime.post(hook.url, body);
    expect(first.body).to.include({ duplicate: false });
    expect(second.body).to.deep.equal({ received: true, event: first.body.event, duplicate: true });
    await runtime.runtime.engine.drain();
    expect((await runtime.api('GET', '/api/events')).body.items).to.have.length(1);
  });

  it('stores concurrent identical deliveries once', async () => {
    const body = JSON.stringify(examplePayload('order_declined'));
    const answers = await Promise.all(Array.from({ length: 12 }, () => runtime.post(hook.url, body)));
    expect(answers.every((answer) => answer.status === 200)).to.equal(true);
    expect(new Set(answers.map((answer) => answer.body.event)).size).to.equal(1);
    expect(answers.filter((answer) => !answer.body.duplicate)).to.have.length(1);
    expect((await runtime.api('GET', '/api/events')).body.items).to.have.length(1);
  });

  it('keeps an event no trigger watches as unrouted, and processes it on replay after a trigger is attached', async () => {
    const created = (await runtime.api('POST', '/api/webhooks', { name: 'refunds only' })).body;
    await runtime.api('POST', `/api/webhooks/${created.id}/triggers`, { module: 'watch-order-refunded' });
    const answer = await runtime.post(created.url, JSON.stringify(examplePayload('new_simple_sale')));
    await runtime.runtime.engine.drain();
    let event = (await runtime.api('GET', `/api/events/${answer.body.event}`)).body;
    expect(event.status).to.equal('unrouted');
    expect(event.error).to.contain("no trigger on this webhook watches 'new_simple_sale'");
    expect((await runtime.api('GET', `/api/events?status=unrouted&webhook=${created.id}`)).body.items).to.have.length(1);

    const trigger = (await runtime.api('POST', `/api/webhooks/${created.id}/triggers`, { module: 'watch-one-time-sale' })).body;
    expect((await runtime.api('POST', `/api/events/${answer.body.event}/replay`)).status).to.equal(202);
    await runtime.runtime.engine.drain();
    event = (await runtime.api('GET', `/api/events/${answer.body.event}`)).body;
    expect(event.status).to.equal('processed');
    expect((await runtime.api('GET', `/api/triggers/${trigger.id}/bundles`)).body.items[0].data.order.id).to.equal('ord_8f3k2j');
  });

  it('keeps an event of an unknown type as unrouted, with the reason', async () => {
    const answer = await runtime.post(hook.url, '{"type":"coupon_used","data":{}}');
    await runtime.runtime.engine.drain();
    const event = (await runtime.api('GET', `/api/events/${answer.body.event}`)).body;
    expect(event.status).to.equal('unrouted');
    expect(event.error).to.contain("unknown event type 'coupon_used'");
  });

  it('keeps a bundle that breaks its output schema, flagged', async () => {
    const payload = examplePayload('refund');
    payload.data.order.status = 3;
    const answer = await runtime.post(hook.url, JSON.stringify(payload));
    await runtime.runtime.engine.drain();
    const event = (await runtime.api('GET', `/api/events/${answer.body.event}`)).body;
    expect(event.bundles[0]).to.deep.include({ valid: false, errors: [{ pointer: '/order/status', message: 'must be string' }] });
    expect(event.routing.triggers[0]).to.include({ invalidBundles: 1 });
  });

  it('answers 503 when the event cannot be stored, so Plug&Paid retries, and takes the retry once it can', async () => {
    // A trigger fails every insert into events on every connection, the intake writer's included, as a full disk does.
    const { db } = runtime.runtime.store;
    db.exec("CREATE TRIGGER disk_full BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    const body = JSON.stringify(examplePayload('refund'));
    const refused = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(refused.status).to.equal(503);
    expect(refused.headers.get('retry-after')).to.equal('30');
    db.exec('DROP TRIGGER disk_full');
    const retried = await runtime.post(hook.url, body);
    expect(retried.status).to.equal(200);
    expect(retried.body).to.include({ duplicate: false });
  });

  describe('with a shared secret', () => {
    it('accepts an HMAC-SHA256 of the raw body in the configured header, and rejects a wrong or missing one', async () => {
      const secret = 'a-shared-secret-of-some-length';
      const created = (await runtime.api('POST', '/api/webhooks', { name: 'signed', secret: { kind: 'hmac', secret, header: 'x-signature', encoding: 'hex' } })).body;
      expect(created.secret).to.deep.equal({ kind: 'hmac', header: 'x-signature', encoding: 'hex' });
      const body = JSON.stringify(examplePayload('refund'));
      const signature = createHmac('sha256', secret).update(body).digest('hex');
      expect((await runtime.post(created.url, body, { 'content-type': 'application/json', 'x-signature': signature })).status).to.equal(200);
      expect((await runtime.post(created.url, body, { 'content-type': 'application/json', 'x-signature': signature.replace(/^./, '0') })).status).to.equal(401);
      expect((await runtime.post(created.url, `${body} `, { 'content-type': 'application/json', 'x-signature': signature })).status).to.equal(401);
      expect((await runtime.post(created.url, body)).status).to.equal(401);
    });

    it('accepts a base64 HMAC with a prefix', async () => {
      const secret = 'another-shared-secret-value';
      const created = (await runtime.api('POST', '/api/webhooks', { name: 'b64', secret: { kind: 'hmac', secret, header: 'x-sig', encoding: 'base64' } })).body;
      const body = '{"type":"refund","data":{"order":{"id":"1"}}}';
      const signature = createHmac('sha256', secret).update(body).digest('base64');
      expect((await runtime.post(created.url, body, { 'content-type': 'application/json', 'x-sig': signature })).status).to.equal(200);
    });

    it('accepts a plain token in a query parameter', async () => {
      const created = (await runtime.api('POST', '/api/webhooks', { name: 'token', secret: { kind: 'token', secret: 'query-token-0123456789', query: 'key' } })).body;
      const body = '{"type":"refund","data":{"order":{"id":"2"}}}';
      expect((await runtime.post(`${created.url}?key=query-token-0123456789`, body)).status).to.equal(200);
      expect((await runtime.post(`${created.url}?key=wrong`, body)).status).to.equal(401);
    });

    it('refuses an unusable secret configuration', async () => {
      const answer = await runtime.api('POST', '/api/webhooks', { name: 'bad', secret: { kind: 'hmac', secret: 'short' } });
      expect(answer.status).to.equal(400);
    });
  });

  describe('the admin API', () => {
    it('refuses a call without the admin token, or with a wrong one', async () => {
      expect((await runtime.api('GET', '/api/webhooks', undefined, '')).status).to.equal(401);
      expect((await runtime.api('GET', '/api/events', undefined, 'wrong')).status).to.equal(401);
    });

    it('answers health without a token', async () => {
      const response = await fetch(`${runtime.url}/health`);
      expect(response.status).to.equal(200);
    });

    it('refuses a trigger for an unknown module or with an unknown parameter', async () => {
      expect((await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-nothing' })).status).to.equal(400);
      const answer = await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-one-time-sale', parameters: { colour: 'red' } });
      expect(answer).to.deep.include({ status: 400 });
      expect(answer.body.error).to.contain("unknown parameter 'colour' for watch-one-time-sale");
    });

    it('deletes a trigger and a webhook', async () => {
      const created = (await runtime.api('POST', '/api/webhooks', { name: 'temp' })).body;
      const trigger = (await runtime.api('POST', `/api/webhooks/${created.id}/triggers`, { module: 'watch-invoice-paid' })).body;
      expect((await runtime.api('DELETE', `/api/triggers/${trigger.id}`)).status).to.equal(204);
      expect((await runtime.api('DELETE', `/api/webhooks/${created.id}`)).status).to.equal(204);
      expect((await runtime.post(created.url, '{"type":"refund"}')).status).to.equal(404);
    });
  });

  it('hides webhook tokens and query strings in log lines', () => {
    expect(redactUrl('/hooks/abcDEF123?key=secret')).to.equal('/hooks/[token]?[redacted]');
    expect(redactUrl('/api/events?status=failed')).to.equal('/api/events?[redacted]');
  });
});
