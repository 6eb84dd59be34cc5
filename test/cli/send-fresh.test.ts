import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_APP_DIR, loadApp } from '../../src/definition/loader';
import { startSandbox, Sandbox } from '../../src/sandbox/server';
import { cli } from '../helpers/cli';
import { TestRuntime } from '../helpers/runtime';

const PLUG_AND_PAY_DIR = join(DEFAULT_APP_DIR, 'apps', 'plug-and-pay');

interface EventView {
  id: number;
  type: string;
  status: string;
}

/** The runtime's events, newest first, and the bundles one trigger (by module) holds. */
function views(runtime: TestRuntime) {
  return {
    events: async () => (await runtime.api('GET', '/api/events')).body.items as EventView[],
    bundlesOf: async (module: string) => {
      const hook = await runtime.defaultWebhook();
      const trigger = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items.find((candidate: { module: string }) => candidate.module === module);
      return (await runtime.api('GET', `/api/triggers/${trigger.id}/bundles`)).body.items as Array<{ eventId: number; data: Record<string, any> }>;
    },
  };
}

const answer = (stdout: string) => JSON.parse(stdout.replace(/^HTTP \d+ /, '')) as { event: number; duplicate: boolean };

describe('send --fresh: a repeated sample sent as a new event', () => {
  describe('Plug&Paid (a new order id)', () => {
    let runtime: TestRuntime;
    let client: string[];
    beforeEach(async () => {
      runtime = await new TestRuntime().start();
      client = ['--url', runtime.url, '--data', runtime.dataDir];
    });
    afterEach(() => runtime.destroy());

    it('is a duplicate when sent twice, the message naming --fresh; with --fresh it is a new event the same module processes', async () => {
      const first = await cli(['send', 'watch-one-time-sale', ...client]);
      const original = answer(first.stdout).event;
      const again = await cli(['send', 'watch-one-time-sale', ...client]);
      expect(answer(again.stdout)).to.deep.include({ duplicate: true, event: original });
      expect(again.stderr).to.equal(
        `duplicate: the webhook already received this very body as event ${original}, so nothing new was stored. To process it again: \`plugnpaid-connector replay event ${original}\`; to send it as a new event, add --fresh (it renews data.order.id)\n`,
      );

      const fresh = await cli(['send', 'watch-one-time-sale', '--fresh', ...client]);
      expect(fresh.code, fresh.stderr).to.equal(0);
      const renewed = answer(fresh.stdout);
      expect(renewed.duplicate).to.equal(false);
      expect(renewed.event).to.not.equal(original);
      const [, newId] = /^fresh: data\.order\.id "ord_8f3k2j" → "(ord_8f3k2j-[0-9a-f]{6})"\n$/.exec(fresh.stderr) ?? [];
      expect(newId, fresh.stderr).to.be.a('string');

      await runtime.runtime.engine.drain();
      const { events, bundlesOf } = views(runtime);
      expect((await events()).map((event) => [event.id, event.type, event.status])).to.deep.equal([
        [renewed.event, 'new_simple_sale', 'processed'],
        [original, 'new_simple_sale', 'processed'],
      ]);
      const bundles = await bundlesOf('watch-one-time-sale');
      expect(bundles.map((bundle) => [bundle.eventId, bundle.data.order.id])).to.have.deep.members([
        [original, 'ord_8f3k2j'],
        [renewed.event, newId],
      ]);
      const [before, after] = [bundles.find((bundle) => bundle.eventId === original)!, bundles.find((bundle) => bundle.eventId === renewed.event)!];
      expect({ ...after.data, order: { ...after.data.order, id: 'ord_8f3k2j' } }).to.deep.equal(before.data);
    });

    it('refuses a payload file that carries none of the fields to renew, saying which they are', async () => {
      const file = join(runtime.dataDir, 'minimal-cancellation.json');
      writeFileSync(file, JSON.stringify({ type: 'recurring_subscription_cancelled', data: { customer: { email: 'buyer@example.com' } } }));
      const run = await cli(['send', file, '--fresh', ...client]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.equal('--fresh: the payload carries none of the fields the Plug&Paid webhook renews (data.order.id, data.product.id, data.subscription.id); to process it again, use `plugnpaid-connector replay event <id>`\n');
      expect(await views(runtime).events()).to.deep.equal([]);
    });
  });

  describe('Plug&Pay (a new sent_at; the order fetched from the sandbox)', () => {
    const KEY = 'whk_3a1f0c9b8e7d6c5b';
    let sandbox: Sandbox;
    let runtime: TestRuntime;
    before(async () => (sandbox = await startSandbox(loadApp(PLUG_AND_PAY_DIR))));
    after(() => sandbox.close());
    beforeEach(async () => {
      runtime = await new TestRuntime(undefined, { appDir: PLUG_AND_PAY_DIR, apiToken: 'any-token', apiBase: sandbox.baseUrl, webhookParameters: { webhookKey: KEY } }).start();
    });
    afterEach(() => runtime.destroy());

    it('signs the renewed envelope, which is stored as a new event and processed by watch-order-paid', async () => {
      const args = ['send', 'watch-order-paid', '--app', PLUG_AND_PAY_DIR, '--url', runtime.url, '--data', runtime.dataDir];
      const env = { PLUGNPAID_WEBHOOK_PARAMETERS: JSON.stringify({ webhookKey: KEY }) };
      const original = answer((await cli(args, { env })).stdout).event;
      const again = await cli(args, { env });
      expect(answer(again.stdout).duplicate).to.equal(true);
      expect(again.stderr).to.contain('; to send it as a new event, add --fresh (it renews sent_at)\n');

      const fresh = await cli([...args, '--fresh'], { env });
      expect(fresh.code, fresh.stderr).to.equal(0);
      expect(fresh.stderr).to.match(/^fresh: sent_at "2026-11-20T09:14:03\.000000Z" → "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"\n$/);
      const renewed = answer(fresh.stdout);
      expect(renewed.duplicate).to.equal(false);

      await runtime.runtime.engine.drain();
      const { events, bundlesOf } = views(runtime);
      expect((await events()).map((event) => [event.id, event.status])).to.deep.equal([
        [renewed.event, 'processed'],
        [original, 'processed'],
      ]);
      const bundles = await bundlesOf('watch-order-paid');
      expect(bundles.map((bundle) => [bundle.eventId, bundle.data.order.id])).to.have.deep.members([
        [original, 52841],
        [renewed.event, 52841],
      ]);
    });
  });
});
