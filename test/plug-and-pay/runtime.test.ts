import { expect } from 'chai';
import nock from 'nock';
import { createHmac } from 'node:crypto';
import { loadApp } from '../../src/definition/loader';
import { cli } from '../helpers/cli';
import { FakeClock, TestRuntime } from '../helpers/runtime';
import { PLUG_AND_PAY_DIR } from './app.test';
import { interceptNetwork } from '../helpers/nock-scope';

const app = loadApp(PLUG_AND_PAY_DIR);
// The API pace is per token (one request a second): a token per test keeps a test from waiting out the second
// its predecessor's last call holds.
let TOKEN = '';
let tokens = 0;
const KEY = 'whk_3a1f0c9b8e7d6c5b';
const orderPaid = app.modules.find((module) => module.name === 'watch-order-paid')!;
const ORDER = orderPaid.samples[0].response as nock.Body;
const api = () => nock('https://api.plugandpay.nl');
const orderPath = (id: number) => `/v2/orders/${id}`;

const envelope = (id: number, type = 'order_paid') =>
  JSON.stringify({ trigger_type: type, triggerable_id: id, triggerable_type: 'orders', sent_at: '2026-11-22T10:00:00.000000Z', tenant_id: 1187, rule_id: 412 });
const signed = (body: string, key = KEY) => ({ 'content-type': 'application/json', signature: createHmac('sha256', key).update(body).digest('hex') });

describe('Plug&Pay runtime', () => {
  let runtime: TestRuntime;
  let clock: FakeClock;
  let hookUrl: string;

  interceptNetwork('127.0.0.1');

  beforeEach(async () => {
    TOKEN = `pap_9f8e7d6c5b4a_SecretApiToken${++tokens}`;
    clock = new FakeClock();
    runtime = await new TestRuntime(undefined, {
      appDir: PLUG_AND_PAY_DIR,
      clock,
      apiToken: TOKEN,
      webhookParameters: { webhookKey: KEY },
      retryScheduleMs: [60_000, 300_000],
    }).start();
    hookUrl = (await runtime.defaultWebhook()).url;
  });

  afterEach(async () => runtime.destroy());

  const events = async () => (await runtime.api('GET', '/api/events')).body.items as Array<{ id: number; type: string; status: string; error: string | null; attempts: number }>;
  const bundlesOf = async (module: string) => {
    const hook = await runtime.defaultWebhook();
    const trigger = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items.find((t: { module: string }) => t.module === module);
    return (await runtime.api('GET', `/api/triggers/${trigger.id}/bundles`)).body.items as Array<{ data: Record<string, any> }>;
  };

  describe('webhook key', () => {
    it('accepts a body signed with the key, fetches the order through the connection and makes the bundle', async () => {
      const scope = api().get(orderPath(52841)).query({ include: 'billing,items,payment,discounts,taxes' }).matchHeader('authorization', `Bearer ${TOKEN}`).reply(200, ORDER);
      const body = envelope(52841);
      expect((await runtime.post(hookUrl, body, signed(body))).status).to.equal(200);
      await runtime.runtime.engine.drain();
      scope.done();
      const [bundle] = await bundlesOf('watch-order-paid');
      expect(bundle.data).to.deep.equal({ ...orderPaid.samples[0].bundles[0], event: { ...(orderPaid.samples[0].bundles[0].event as object), sentAt: '2026-11-22T10:00:00.000Z' } });
      expect((await events())[0]).to.include({ status: 'processed', type: 'order_paid' });
    });

    it('rejects a wrong signature, a missing one and a tampered body with 401, storing nothing', async () => {
      const body = envelope(52841);
      const wrong = await runtime.post(hookUrl, body, signed(body, 'not-the-key'));
      const missing = await runtime.post(hookUrl, body, { 'content-type': 'application/json' });
      const tampered = await runtime.post(hookUrl, envelope(52842), signed(body));
      expect([wrong.status, missing.status, tampered.status]).to.deep.equal([401, 401, 401]);
      expect(JSON.stringify([wrong.body, missing.body, tampered.body])).to.not.contain(KEY);
      expect((await runtime.api('GET', '/health')).body.events).to.equal(0);
    });

    it('accepts the shared-token scheme when the webhook is created with it', async () => {
      const created = await runtime.api('POST', '/api/webhooks', { name: 'token hook', parameters: { webhookKey: KEY, signatureScheme: 'token', signatureHeader: 'X-Webhook-Key' } });
      expect(created.status).to.equal(201);
      const body = envelope(7);
      expect((await runtime.post(created.body.url, body, { 'content-type': 'application/json', 'x-webhook-key': KEY })).status).to.equal(200);
      expect((await runtime.post(created.body.url, body, { 'content-type': 'application/json', 'x-webhook-key': 'guess' })).status).to.equal(401);
    });

    it('stores a module sample sent through the admin API, where the admin token stands in for the signature', async () => {
      api().get(orderPath(52841)).query(true).reply(200, ORDER);
      const hook = await runtime.defaultWebhook();
      const sent = await runtime.api('POST', `/api/webhooks/${hook.id}/samples`, { module: 'watch-order-paid' });
      expect(sent.status).to.equal(201);
      expect(sent.body.duplicate).to.equal(false);
      await runtime.runtime.engine.drain();
      expect((await events())[0]).to.include({ id: sent.body.event, status: 'processed', type: 'order_paid' });
      expect((await runtime.api('POST', `/api/webhooks/${hook.id}/samples`, { module: 'watch-order-paid' }, 'not-the-admin-token')).status).to.equal(401);
    });

    it('`send --app` signs the sample with the key from PLUGNPAID_WEBHOOK_PARAMETERS, and is refused with the wrong key', async () => {
      const args = ['send', 'watch-order-paid', '--app', PLUG_AND_PAY_DIR, '--url', runtime.url, '--admin-token', runtime.runtime.adminToken];
      const signed = await cli(args, { env: { PLUGNPAID_WEBHOOK_PARAMETERS: JSON.stringify({ webhookKey: KEY }) } });
      expect(signed.code, signed.stderr).to.equal(0);
      expect(signed.stdout).to.match(/^HTTP 200 /);
      const wrong = await cli(args, { env: { PLUGNPAID_WEBHOOK_PARAMETERS: '{"webhookKey":"wrong-key"}' } });
      expect(wrong.code).to.equal(1);
      expect(wrong.stdout).to.match(/^HTTP 401 /);
      expect(wrong.stderr).to.equal("the webhook refused the request: set PLUGNPAID_WEBHOOK_PARAMETERS to the webhook's parameters (its key) to sign it\n");
      const none = await cli(args);
      expect(none.code).to.equal(2);
      expect(none.stderr).to.contain("cannot sign the request: this Plug&Pay webhook needs 'webhookKey' (Webhook key) in parameters");
    });

    it('refuses to create a webhook without the key, naming the missing parameter', async () => {
      const created = await runtime.api('POST', '/api/webhooks', { name: 'no key' });
      expect(created.status).to.equal(400);
      expect(created.body.error).to.equal("this Plug&Pay webhook needs 'webhookKey' (Webhook key) in parameters");
    });
  });

  describe('enrichment failures keep the event', () => {
    it('retries after a 404 with back-off, then makes the bundle once the order is there', async () => {
      api().get(orderPath(52841)).query(true).reply(404, { message: 'No query results for model [Order] 52841' });
      const body = envelope(52841);
      expect((await runtime.post(hookUrl, body, signed(body))).status).to.equal(200);
      await runtime.runtime.engine.drain();
      let [event] = await events();
      expect(event.status).to.equal('retrying');
      expect(event.attempts).to.equal(1);
      expect(event.error).to.contain('attempt 1 of 3; next at 2026-11-22T10:01:00.000Z');
      expect(event.error).to.contain('watch-order-paid: DataError: Plug&Pay has no such object (HTTP 404)');
      expect(await bundlesOf('watch-order-paid')).to.have.length(0);

      clock.advance(30_000);
      await runtime.runtime.engine.drain();
      expect((await events())[0].attempts, 'not retried before its time').to.equal(1);

      const scope = api().get(orderPath(52841)).query(true).reply(200, ORDER);
      clock.advance(30_000);
      await runtime.runtime.engine.drain();
      scope.done();
      [event] = await events();
      expect(event.status).to.equal('processed');
      expect(await bundlesOf('watch-order-paid')).to.have.length(1);
    });

    it('retries after 5xx, gives up as failed when the schedule runs out, and a replay recovers it', async () => {
      api().get(orderPath(52841)).query(true).times(3).reply(503, {});
      const body = envelope(52841);
      await runtime.post(hookUrl, body, signed(body));
      await runtime.runtime.engine.drain();
      clock.advance(60_000);
      await runtime.runtime.engine.drain();
      expect((await events())[0]).to.include({ status: 'retrying', attempts: 2 });
      clock.advance(300_000);
      await runtime.runtime.engine.drain();
      let [event] = await events();
      expect(event.status).to.equal('failed');
      expect(event.error).to.contain('gave up fetching from the API after 3 attempts; replay the event to try again.');
      expect(event.error).to.contain('temporarily unavailable (HTTP 503)', String(event.error));
      expect(event.error).to.not.contain(TOKEN);

      api().get(orderPath(52841)).query(true).reply(200, ORDER);
      expect((await runtime.api('POST', `/api/events/${event.id}/replay`)).status).to.equal(202);
      await runtime.runtime.engine.drain();
      [event] = await events();
      expect(event.status).to.equal('processed');
      expect(await bundlesOf('watch-order-paid')).to.have.length(1);
    });
  });

  it('prunes an order\'s kept API answer with its event once the retention has passed', async () => {
    api().get(orderPath(52841)).query(true).reply(200, ORDER);
    const body = envelope(52841);
    const eventId = (await runtime.post(hookUrl, body, signed(body))).body.event as number;
    await runtime.runtime.engine.drain();
    const fetches = () => (runtime.runtime.store.db.prepare('SELECT COUNT(*) AS n FROM event_fetches WHERE event_id = ?').get(eventId) as { n: number }).n;
    expect(fetches()).to.equal(1);
    clock.advance(31 * 24 * 3600_000);
    await runtime.runtime.engine.keepUp();
    expect(fetches()).to.equal(0);
    expect(await events()).to.deep.equal([]);
    expect(await bundlesOf('watch-order-paid')).to.deep.equal([]);
  });

  it('serves an inspector that names Plug&Pay and gives its registration steps, not Plug&Paid\'s', async () => {
    const page = await (await fetch(`${runtime.url}/`)).text();
    expect(page).to.contain('<title>Plug&amp;Pay connector: event inspector</title>');
    expect(page).to.contain('<h1 data-app-label="Plug&amp;Pay">Plug&amp;Pay connector</h1>');
    expect(page).to.contain('How to register a URL in Plug&amp;Pay');
    expect(page).to.contain('<li>Under Action, choose Webhook and paste the URL you copied.</li>');
    expect(page).to.not.contain('Plug&amp;Paid');
    expect(page).to.not.contain('{{');
  });

  it('splits an order into one bundle per order line for a trigger with that option', async () => {
    const hook = await runtime.defaultWebhook();
    const whole = await bundlesOf('watch-order-paid');
    const added = await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-paid', parameters: { bundlePerOrderLine: true } });
    expect(added.status).to.equal(201);
    api().get(orderPath(52841)).query(true).times(2).reply(200, ORDER);
    const body = envelope(52841);
    await runtime.post(hookUrl, body, signed(body));
    await runtime.runtime.engine.drain();
    const lines = (await runtime.api('GET', `/api/triggers/${added.body.id}/bundles`)).body.items as Array<{ data: { orderLine: { label: string } } }>;
    expect(lines.map((bundle) => bundle.data.orderLine.label)).to.deep.equal(['Online course: Bookkeeping basics', 'Order bump: Excel templates']);
    const all = (await runtime.api('GET', `/api/events`)).body.items[0];
    const detail = (await runtime.api('GET', `/api/events/${all.id}`)).body;
    expect(detail.bundles, 'two lines for the per-line trigger, one bundle for the default trigger').to.have.length(3);
    expect(whole).to.have.length(0);
  });

  it('keeps an event it cannot fetch for without a token as failed with the reason, and replays it once the token is set', async () => {
    await runtime.stop();
    const tokenless = await new TestRuntime(runtime.dataDir, { appDir: PLUG_AND_PAY_DIR, clock, webhookParameters: { webhookKey: KEY }, retryScheduleMs: [] }).start();
    try {
      const body = envelope(52841);
      expect((await tokenless.post((await tokenless.defaultWebhook()).url, body, signed(body))).status).to.equal(200);
      await tokenless.runtime.engine.drain();
      const [event] = (await tokenless.api('GET', '/api/events')).body.items;
      expect(event.status).to.equal('failed');
      expect(event.error).to.contain('needs a connection: set PLUGNPAID_API_TOKEN');
    } finally {
      await tokenless.stop();
    }
    runtime = await new TestRuntime(runtime.dataDir, { appDir: PLUG_AND_PAY_DIR, clock, apiToken: TOKEN }).start();
    api().get(orderPath(52841)).query(true).reply(200, ORDER);
    const [event] = await events();
    await runtime.api('POST', `/api/events/${event.id}/replay`);
    await runtime.runtime.engine.drain();
    expect((await events())[0].status).to.equal('processed');
  });
});
