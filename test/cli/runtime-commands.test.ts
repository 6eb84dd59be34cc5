import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { examplePayload } from '../helpers/payloads';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';
import { cli } from '../helpers/cli';
import { closedPort } from '../helpers/network';
import { Receiver, TestRuntime } from '../helpers/runtime';
import { join } from 'node:path';

describe('plugnpaid-connector runtime commands', () => {
  let runtime: TestRuntime;
  let client: string[];

  beforeEach(async () => {
    runtime = await new TestRuntime().start();
    client = ['--url', runtime.url, '--data', runtime.dataDir];
  });
  afterEach(async () => runtime.destroy());

  it('lists, creates and deletes webhooks, reading the admin token from the data directory', async () => {
    const created = await cli(['webhooks', 'create', 'Shop B', ...client]);
    expect(created.code, created.stderr).to.equal(0);
    const webhook = JSON.parse(created.stdout);
    expect(webhook.url).to.contain('/hooks/');
    const listed = JSON.parse((await cli(['webhooks', 'list', '--json', ...client])).stdout);
    expect(listed.items.map((w: { name: string }) => w.name)).to.include.members(['Plug&Paid', 'Shop B']);
    expect((await cli(['webhooks', 'delete', webhook.id, ...client])).stdout).to.equal(`deleted ${webhook.id}\n`);
  });

  it('adds a forwarding trigger, sends a sample, shows the event and replays it', async () => {
    const receiver = await new Receiver().start();
    try {
      const hook = await runtime.defaultWebhook();
      const added = await cli(['triggers', 'add', hook.id, 'watch-invoice-paid', '--forward-to', receiver.url, '--parameters', '{"bundlePerOrderLine":true}', ...client]);
      expect(added.code, added.stderr).to.equal(0);
      expect(JSON.parse(added.stdout).secret).to.match(/^whsec_/);
      const sent = await cli(['send', 'watch-invoice-paid', ...client]);
      expect(sent.code, sent.stderr).to.equal(0);
      expect(sent.stdout).to.match(/^HTTP 200 /);
      await runtime.runtime.engine.drain();
      expect(receiver.received.length).to.equal(2);
      const events = JSON.parse((await cli(['events', '--status', 'processed', '--json', ...client])).stdout);
      expect(events.items).to.have.length(1);
      const shown = JSON.parse((await cli(['events', String(events.items[0].id), '--json', ...client])).stdout);
      expect(shown.deliveries.map((d: { status: string }) => d.status)).to.deep.equal(['delivered', 'delivered']);
      const replayed = await cli(['replay', 'event', String(events.items[0].id), ...client]);
      const id = events.items[0].id;
      expect(JSON.parse(replayed.stdout)).to.deep.equal({
        event: id,
        remapped: false,
        deliveriesQueued: 0,
        message: `nothing to send for event ${id}: no trigger was attached since it was processed; 2 deliveries already delivered (\`replay delivery <id>\` sends one again).`,
      });
    } finally {
      await receiver.stop();
    }
  });

  it('sends a payload file to an explicit URL', async () => {
    const hook = await runtime.defaultWebhook();
    const run = await cli(['send', join(DEFAULT_APP_DIR, 'examples', 'payloads', 'refund.json'), '--to', hook.url]);
    expect(run.stdout).to.match(/^HTTP 200 .*"duplicate":false/);
  });

  describe('send to a webhook with a shared secret', () => {
    const SECRET = 'a-shared-secret-of-32-characters';
    const create = async (secret: Record<string, string>) => (await runtime.api('POST', '/api/webhooks', { name: 'Signed', secret: { ...secret, secret: SECRET } })).body as { id: string; url: string };

    it('signs the body with the HMAC the webhook checks, from PLUGNPAID_WEBHOOK_SECRET', async () => {
      const hook = await create({ kind: 'hmac', header: 'X-Signature', encoding: 'hex', prefix: 'sha256=' });
      const sent = await cli(['send', 'watch-one-time-sale', '--to', hook.url, ...client], { env: { PLUGNPAID_WEBHOOK_SECRET: SECRET } });
      expect(sent.code, sent.stderr).to.equal(0);
      expect(sent.stdout).to.match(/^HTTP 200 .*"duplicate":false/);
    });

    it('adds a token the webhook reads from a query parameter', async () => {
      await cli(['webhooks', 'delete', (await runtime.defaultWebhook()).id, ...client]);
      const hook = await create({ kind: 'token', query: 'key' });
      const sent = await cli(['send', 'watch-one-time-sale', ...client], { env: { PLUGNPAID_WEBHOOK_SECRET: SECRET } });
      expect(sent.code, sent.stderr).to.equal(0);
      expect(sent.stdout).to.match(/^HTTP 200 .*"duplicate":false/);
      const unsigned = await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
      expect(unsigned.status).to.equal(401);
    });

    it('says which secret is missing before sending, and that a wrong one was refused', async () => {
      await cli(['webhooks', 'delete', (await runtime.defaultWebhook()).id, ...client]);
      const hook = await create({ kind: 'hmac', header: 'X-Signature', encoding: 'hex' });
      const missing = await cli(['send', 'watch-one-time-sale', ...client]);
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.equal(`webhook ${hook.id} checks an HMAC-SHA256 of the body in the X-Signature header: set PLUGNPAID_WEBHOOK_SECRET to its secret and send again\n`);
      const wrong = await cli(['send', 'watch-one-time-sale', '--to', hook.url, ...client], { env: { PLUGNPAID_WEBHOOK_SECRET: 'not-the-secret-but-long-enough' } });
      expect(wrong.code).to.equal(1);
      expect(wrong.stdout).to.match(/^HTTP 401 /);
      expect(wrong.stderr).to.equal(`the webhook refused the request: PLUGNPAID_WEBHOOK_SECRET is not the secret webhook ${hook.id} was created with\n`);
      expect((await runtime.api('GET', `/api/events?webhook=${hook.id}`)).body.items).to.deep.equal([]);
    });
  });

  it('says which event a repeated body duplicates and how to process it again', async () => {
    const first = await cli(['send', 'watch-one-time-sale', ...client]);
    const event = JSON.parse(first.stdout.replace(/^HTTP 200 /, '')).event;
    // The customers trigger's first sample is the same sale.
    const again = await cli(['send', 'watch-customers', ...client]);
    expect(again.code).to.equal(0);
    expect(again.stdout).to.match(/^HTTP 200 .*"duplicate":true/);
    expect(again.stderr).to.equal(
      `duplicate: the webhook already received this very body as event ${event}, so nothing new was stored. To process it again: \`plugnpaid-connector replay event ${event}\`; to send it as a new event, add --fresh (it renews data.order.id)\n`,
    );
  });

  it('explains a wrong admin token and an unreachable runtime', async () => {
    const wrong = await cli(['webhooks', 'list', '--url', runtime.url, '--admin-token', 'nope']);
    expect(wrong.code).to.equal(1);
    expect(wrong.stderr).to.contain('HTTP 401');
    const port = await closedPort();
    const down = await cli(['events', '--url', `http://127.0.0.1:${port}`, '--admin-token', 'x']);
    expect(down.code).to.equal(1);
    expect(down.stderr).to.contain(`cannot reach 127.0.0.1:${port}: nothing accepts connections on port ${port} (ECONNREFUSED)`);
    expect(down.stderr).to.contain('npm start');
  });

  it('creates a webhook that checks a shared HMAC secret from the environment, and says it has no triggers yet', async () => {
    const secret = 'shop-b-shared-secret-0123456789';
    const run = await cli(['webhooks', 'create', 'Shop B', '--secret', 'hmac', '--secret-header', 'X-Signature', ...client], { env: { PLUGNPAID_WEBHOOK_SECRET: secret } });
    expect(run.code, run.stderr).to.equal(0);
    const webhook = JSON.parse(run.stdout);
    expect(webhook.secret).to.deep.equal({ kind: 'hmac', header: 'X-Signature', encoding: 'hex' });
    expect(run.stdout + run.stderr).not.to.contain(secret);
    expect(run.stderr).to.contain(`no triggers yet: attach modules with \`plugnpaid-connector triggers add ${webhook.id} <module>\``);
    const body = JSON.stringify(examplePayload('refund'));
    expect((await runtime.post(webhook.url, body)).status).to.equal(401);
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    expect((await runtime.post(webhook.url, body, { 'content-type': 'application/json', 'x-signature': signature })).status).to.equal(200);
  });

  it('explains a --secret without its secret, a short secret and a header missing, with the flags to use', async () => {
    const none = await cli(['webhooks', 'create', 'B', '--secret', 'hmac', '--secret-header', 'X-Signature', ...client]);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.contain('--secret hmac takes the secret from PLUGNPAID_WEBHOOK_SECRET (at least 16 characters); set it first');
    const short = await cli(['webhooks', 'create', 'B', '--secret', 'token', '--secret-query', 'key', ...client], { env: { PLUGNPAID_WEBHOOK_SECRET: 'tiny' } });
    expect(short.stderr).to.equal('PLUGNPAID_WEBHOOK_SECRET must be at least 16 characters\n');
    const headless = await cli(['webhooks', 'create', 'B', '--secret', 'hmac', ...client], { env: { PLUGNPAID_WEBHOOK_SECRET: 'long-enough-secret-123' } });
    expect(headless.stderr).to.equal('an hmac secret needs --secret-header\n');
    expect((await cli(['webhooks', 'create', 'B', '--secret-header', 'X', ...client])).code).to.equal(2);
    expect((await cli(['webhooks', 'create', 'B', '--secret', 'rsa', ...client])).stderr).to.contain('Allowed choices are hmac, token.');
  });

  it('warns when a module is attached to a webhook that already has it (two sets of bundles), naming the new duplicate to remove', async () => {
    const hook = await runtime.defaultWebhook();
    const existing = JSON.parse((await cli(['triggers', 'list', hook.id, '--json', ...client])).stdout).items.find((t: { module: string }) => t.module === 'watch-order-refunded');
    const run = await cli(['triggers', 'add', hook.id, 'watch-order-refunded', ...client]);
    expect(run.code, run.stderr).to.equal(0);
    const added = JSON.parse(run.stdout);
    expect(run.stderr).to.equal(
      `note: webhook ${hook.id} already had a watch-order-refunded trigger (${existing.id}); the new one, ${added.id}, makes a second set of bundles for each event: \`triggers remove ${added.id}\` if one is enough\n`,
    );
    const fresh = await cli(['triggers', 'add', JSON.parse((await cli(['webhooks', 'create', 'C', ...client])).stdout).id, 'watch-order-refunded', ...client]);
    expect(fresh.stderr).to.equal('');
  });

  it('refuses an unknown replay kind and an unknown send source', async () => {
    expect((await cli(['replay', 'bundle', '1', ...client])).code).to.equal(2);
    const run = await cli(['send', 'watch-nothing', ...client]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('neither a module name nor a readable payload file');
  });
});
