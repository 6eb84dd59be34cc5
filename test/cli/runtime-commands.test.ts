import { expect } from 'chai';
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
    const listed = JSON.parse((await cli(['webhooks', 'list', ...client])).stdout);
    expect(listed.items.map((w: { name: string }) => w.name)).to.include.members(['Plug&Paid', 'Shop B']);
    expect((await cli(['webhooks', 'delete', webhook.id, ...client])).stdout).to.equal(`deleted ${webhook.id}\n`);
  });

  it('adds a forwarding trigger, sends a sample, shows the event and replays it', async () => {
    const receiver = await new Receiver().start();
    try {
      const hook = await runtime.defaultWebhook();
      const added = await cli(['triggers', 'add', hook.id, 'watch-invoice-paid', '--to', receiver.url, '--parameters', '{"bundlePerOrderLine":true}', ...client]);
      expect(added.code, added.stderr).to.equal(0);
      expect(JSON.parse(added.stdout).secret).to.match(/^whsec_/);
      const sent = await cli(['send', 'watch-invoice-paid', ...client]);
      expect(sent.code, sent.stderr).to.equal(0);
      expect(sent.stdout).to.match(/^HTTP 200 /);
      await runtime.runtime.engine.drain();
      expect(receiver.received.length).to.equal(2);
      const events = JSON.parse((await cli(['events', '--status', 'processed', ...client])).stdout);
      expect(events.items).to.have.length(1);
      const shown = JSON.parse((await cli(['events', String(events.items[0].id), ...client])).stdout);
      expect(shown.deliveries.map((d: { status: string }) => d.status)).to.deep.equal(['delivered', 'delivered']);
      const replayed = await cli(['replay', 'event', String(events.items[0].id), ...client]);
      expect(JSON.parse(replayed.stdout)).to.deep.equal({ replayed: events.items[0].id });
    } finally {
      await receiver.stop();
    }
  });

  it('sends a payload file to an explicit URL', async () => {
    const hook = await runtime.defaultWebhook();
    const run = await cli(['send', join(DEFAULT_APP_DIR, 'examples', 'payloads', 'refund.json'), '--to', hook.url]);
    expect(run.stdout).to.match(/^HTTP 200 .*"duplicate":false/);
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

  it('refuses an unknown replay kind and an unknown send source', async () => {
    expect((await cli(['replay', 'bundle', '1', ...client])).code).to.equal(2);
    const run = await cli(['send', 'watch-nothing', ...client]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('neither a module name nor a readable payload file');
  });
});
