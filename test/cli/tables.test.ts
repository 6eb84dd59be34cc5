import { expect } from 'chai';
import { loadApp } from '../../src/definition/loader';
import { cli } from '../helpers/cli';
import { examplePayload, manyLineOrder } from '../helpers/payloads';
import { FakeClock, TestRuntime } from '../helpers/runtime';

const ESC = '\u001b[';

describe('The runtime commands for people: tables by default, JSON with --json', () => {
  let runtime: TestRuntime;
  let client: string[];
  let hook: { id: string; url: string };

  beforeEach(async () => {
    runtime = await new TestRuntime(undefined, { clock: new FakeClock() }).start();
    client = ['--url', runtime.url, '--data', runtime.dataDir];
    hook = await runtime.defaultWebhook();
  });
  afterEach(async () => runtime.destroy());

  async function sendSale(): Promise<number> {
    const run = await cli(['send', 'watch-one-time-sale', ...client]);
    expect(run.code, run.stderr).to.equal(0);
    await runtime.runtime.engine.drain();
    return JSON.parse(run.stdout.replace(/^HTTP 200 /, '')).event;
  }

  describe('events', () => {
    it('lists events as an aligned table, newest first', async () => {
      const id = await sendSale();
      const run = await cli(['events', ...client]);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.equal(
        [
          'ID  STATUS     TYPE             RECEIVED              WEBHOOK',
          `${id}   processed  new_simple_sale  2026-11-22 10:00:00Z  ${hook.id}`,
          '',
        ].join('\n'),
      );
    });

    it('keeps the API answer with --json, for scripts', async () => {
      await sendSale();
      const run = await cli(['events', '--json', ...client]);
      expect(JSON.parse(run.stdout)).to.deep.equal((await runtime.api('GET', '/api/events')).body);
    });

    it('takes the filters the API has: --type, --q, --limit and --before', async () => {
      const first = await sendSale();
      const refund = examplePayload('refund');
      refund.data.order.id = 'ord_only_refunded';
      await runtime.post(hook.url, JSON.stringify(refund));
      await runtime.runtime.engine.drain();
      const ids = async (...args: string[]) => JSON.parse((await cli(['events', '--json', ...args, ...client])).stdout).items.map((event: { type: string }) => event.type);
      expect(await ids('--type', 'refund')).to.deep.equal(['refund']);
      expect(await ids('--limit', '1')).to.deep.equal(['refund']);
      expect(await ids('--before', String(first + 1))).to.deep.equal(['new_simple_sale']);
      expect(await ids('--q', 'ord_only_refunded')).to.deep.equal(['refund']);
      const page = await cli(['events', '--limit', '1', ...client]);
      expect(page.stdout).to.match(/\nmore: add --before \d+\n$/);
    });

    it('refuses a --limit outside 1 to 1000 before calling the runtime', async () => {
      const run = await cli(['events', '--limit', '0', ...client]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('--limit');
    });

    it('shows one event with its triggers and bundle counts in the singular and plural', async () => {
      const id = await sendSale();
      const run = await cli(['events', String(id), ...client]);
      expect(run.stdout).to.match(new RegExp(`^event ${id} {2}new_simple_sale {2}processed\n`));
      expect(run.stdout).to.match(/\n {2}TRIGGER +MODULE +BUNDLES +OUTCOME\n/);
      expect(run.stdout).to.match(/ watch-one-time-sale +1 bundle +ok\n/);
      expect(run.stdout).to.contain(`the payload and the 2 bundles: plugnpaid-connector events ${id} --json`);
      expect(run.stdout).to.not.contain('attempt');
    });

    it('shows a failed event with its error at the top', async () => {
      await runtime.destroy();
      runtime = await new TestRuntime(undefined, { clock: new FakeClock(), maxEventBundles: 2 }).start();
      client = ['--url', runtime.url, '--data', runtime.dataDir];
      hook = await runtime.defaultWebhook();
      await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-one-time-sale', parameters: { bundlePerOrderLine: true } });
      const id = (await runtime.post(hook.url, JSON.stringify(manyLineOrder(3)))).body.event;
      await runtime.runtime.engine.drain();
      const lines = (await cli(['events', String(id), ...client])).stdout.split('\n');
      expect(lines[0]).to.match(/ failed$/);
      expect(lines[1]).to.match(/^error: watch-one-time-sale: .*more than 2 bundles/);
      const list = await cli(['events', ...client]);
      expect(list.stdout.split('\n')[0]).to.match(/ WEBHOOK +ERROR$/);
    });

    it('colours the status on a terminal, and not with NO_COLOR or into a pipe', async () => {
      await sendSale();
      expect((await cli(['events', ...client], { terminal: true })).stdout).to.contain(`${ESC}32mprocessed${ESC}39m`);
      expect((await cli(['events', ...client], { terminal: true, env: { NO_COLOR: '1' } })).stdout).to.not.contain(ESC);
      expect((await cli(['events', ...client])).stdout).to.not.contain(ESC);
    });

    it('says how to get a first event when there is none', async () => {
      expect((await cli(['events', ...client])).stdout).to.equal('no events match: send one with `plugnpaid-connector send <module>`, or register the webhook URL in the platform\n');
    });
  });

  describe('webhooks list', () => {
    it('prints id, name, secret check and URL, one webhook a line', async () => {
      const run = await cli(['webhooks', 'list', ...client]);
      expect(run.stdout).to.equal([`ID${' '.repeat(hook.id.length)}NAME       SECRET  URL`, `${hook.id}  Plug&Paid  none    ${hook.url}`, ''].join('\n'));
      expect(JSON.parse((await cli(['webhooks', 'list', '--json', ...client])).stdout).items[0].url).to.equal(hook.url);
    });
  });

  describe('triggers list', () => {
    it("follows the app's module order, whatever order the triggers were added in", async () => {
      const created = JSON.parse((await cli(['webhooks', 'create', 'Shop B', ...client])).stdout);
      for (const module of ['watch-order-refunded', 'watch-one-time-sale', 'watch-customers']) {
        expect((await cli(['triggers', 'add', created.id, module, ...client])).code).to.equal(0);
      }
      const order = loadApp().modules.map((module) => module.name);
      const run = await cli(['triggers', 'list', created.id, ...client]);
      const modules = run.stdout.trimEnd().split('\n').slice(1).map((line) => line.split(/ +/)[1]);
      expect(modules).to.deep.equal(['watch-order-refunded', 'watch-one-time-sale', 'watch-customers'].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
      expect(run.stdout.split('\n')[0]).to.match(/^ID +MODULE +STATE +OPTIONS +BUNDLES GO TO$/);
      expect(run.stdout).to.match(/ watch-order-refunded +active +- +kept for pulling\n/);
    });
  });
});
