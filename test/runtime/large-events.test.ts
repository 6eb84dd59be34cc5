import { expect } from 'chai';
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApp } from '../../src/definition/loader';
import { planEventYielding } from '../../src/runtime/processing/processor';
import type { RoutedEvent } from '../../src/runtime/routing';
import { manyLineOrder } from '../helpers/payloads';
import { FakeClock, TestRuntime } from '../helpers/runtime';
import { eventually } from '../helpers/eventually';
import { adminApi, freePort, kill, startServer, waitForHealth } from '../helpers/server-process';

describe('Bounded work per event', () => {
  describe('the per-event limits', () => {
    let runtime: TestRuntime;
    let hook: { id: string; url: string };

    async function processOrder(lines: number, limits: { maxEventBundles?: number; maxEventBundleBytes?: number }) {
      runtime = await new TestRuntime(undefined, { clock: new FakeClock(), ...limits }).start();
      hook = (await runtime.api('POST', '/api/webhooks', { name: 'limits' })).body;
      const perLine = (await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-one-time-sale', parameters: { bundlePerOrderLine: true } })).body;
      const whole = (await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-one-time-sale' })).body;
      const answer = await runtime.post(hook.url, JSON.stringify(manyLineOrder(lines)));
      await runtime.runtime.engine.drain();
      const event = (await runtime.api('GET', `/api/events/${answer.body.event}`)).body;
      const routingOf = (trigger: { id: string }) => event.routing.triggers.find((entry: { trigger: string }) => entry.trigger === trigger.id);
      return { event, perLine: routingOf(perLine), whole: routingOf(whole), perLineId: perLine.id as string };
    }

    afterEach(() => runtime.destroy());

    it('fails the trigger that would make more bundles than the limit, naming it and how to raise it', async () => {
      const { event, perLine, whole, perLineId } = await processOrder(6, { maxEventBundles: 5 });
      expect(event.status).to.equal('failed');
      expect(perLine.bundles).to.equal(0);
      expect(perLine.error).to.contain('more than 5 bundles').and.contain('Raise PLUGNPAID_MAX_EVENT_BUNDLES and replay the event');
      expect(event.error, 'the event says why it failed, not only its routing').to.equal(`watch-one-time-sale: ${perLine.error}`);
      expect(whole).to.include({ bundles: 1 });
      expect(whole).to.not.have.property('error');
      expect((await runtime.api('GET', `/api/triggers/${perLineId}/bundles`)).body.items).to.have.length(0);
    });

    it('fails the trigger whose bundles pass the byte limit, naming it and how to raise it', async () => {
      const { event, perLine, whole } = await processOrder(300, { maxEventBundleBytes: 200_000 });
      expect(event.status).to.equal('failed');
      expect(perLine.error).to.contain('more than 200000 bytes of bundles').and.contain('Raise PLUGNPAID_MAX_EVENT_BYTES').and.contain('one bundle per order line');
      // The limit is over the whole event: the per-line trigger used it up, and the other trigger's bundle still fits.
      expect(whole).to.include({ bundles: 1 });
    });

    it('processes an order within the limits as before', async () => {
      const { event, perLine } = await processOrder(40, {});
      expect(event.status).to.equal('processed');
      expect(perLine).to.include({ bundles: 40 });
    });
  });

  describe('planning one event', () => {
    it('stops mapping as soon as the byte limit is passed', async () => {
      const app = loadApp();
      const order = manyLineOrder(800);
      const trigger = { id: 'trg_1', webhook_id: 'wh_1', module: 'watch-one-time-sale', parameters: '{}', values: { bundlePerOrderLine: true }, destination_url: null, signing_secret: null, stopped_reason: null, created_at: 0, max_per_second: null, from_event: 0 };
      const routed: RoutedEvent = { event: { id: 1, attempts: 0 } as RoutedEvent['event'], body: order, triggers: [trigger] };
      let made = 0;
      // Each of these bundles carries the 800-line order, about 67 KB: the third passes the limit, and mapping stops
      // there, 5 steps in (a bundle is two steps, made then serialised), not 1600.
      const plan = await planEventYielding(app, routed, new Map(), 0, { retryScheduleMs: [], limits: { maxBundles: 1000, maxBytes: 200_000 }, pause: () => void (made += 1) });
      expect(plan.bundles).to.have.length(0);
      expect(plan.routing.triggers[0].error).to.contain('more than 200000 bytes');
      expect(made).to.equal(5);
    });
  });

  describe('many-thousand-line orders, one bundle per line, on the real server', function () {
    this.timeout(600_000);
    let dataDir: string;
    let child: ChildProcess | undefined;

    before(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'plugnpaid-large-'));
    });
    after(async () => {
      if (child) await kill(child);
      rmSync(dataDir, { recursive: true, force: true });
    });

    /** Whether the server is part-way through processing (a processing attempt is committed and not yet cleared). */
    const processing = (): boolean => {
      const db = new Database(join(dataDir, 'plugnpaid.sqlite'), { readonly: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM events WHERE processing_starts > 0').get() as { n: number }).n > 0;
      } finally {
        db.close();
      }
    };

    it('answers /health and takes webhooks between the steps of processing them', async () => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      // The bundle limit is raised so the orders are really mapped, a bundle of 3000 products at a time, until the
      // default byte limit (16 MiB) stops each.
      child = startServer(port, dataDir, { PLUGNPAID_MAX_EVENT_BUNDLES: '10000' });
      await waitForHealth(base);
      const hook = (await adminApi(base, 'GET', '/api/webhooks')).items[0];
      await adminApi(base, 'POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-one-time-sale', parameters: { bundlePerOrderLine: true } });
      const post = (body: unknown) => fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

      // A request was answered during processing when processing was under way both before it was sent and after
      // its answer came: a server that did not yield would answer it only once processing was over. Speed does not
      // matter: the work is doubled until a few answers of each kind have been seen during it (a blocked event loop
      // never gives one, however much work there is).
      const WANTED = 3;
      const answered = { health: 0, ingest: 0 };
      const posted: number[] = [];
      for (let orders = 1; orders <= 16 && (answered.health < WANTED || answered.ingest < WANTED); orders *= 2) {
        for (let i = 0; i < orders; i += 1) posted.push(((await (await post(manyLineOrder(3000, `ord_large_${orders}_${i}`))).json()) as { event: number }).event);
        await eventually('processing to start', processing);
        for (let probe = 0; processing(); probe += 1) {
          const kind = probe % 2 === 0 ? 'health' : 'ingest';
          const response = kind === 'health' ? await fetch(`${base}/health`) : await post(manyLineOrder(2, `ord_small_${orders}_${probe}`));
          await response.arrayBuffer();
          expect(response.status, kind).to.equal(200);
          if (processing()) answered[kind] += 1;
        }
      }
      expect(answered.health, '/health answers during processing').to.be.at.least(WANTED);
      expect(answered.ingest, 'webhook answers during processing').to.be.at.least(WANTED);

      for (const id of posted) {
        const event = await eventually(`event ${id} to be processed`, async () => {
          const found = await adminApi(base, 'GET', `/api/events/${id}`);
          return found.status !== 'pending' && found;
        });
        expect(event.status).to.equal('failed');
        const errors = (event.routing.triggers as Array<{ error?: string }>).map((trigger) => trigger.error ?? '');
        expect(errors.filter((error) => error.includes('PLUGNPAID_MAX_EVENT_BYTES'))).to.have.length(1);
      }
    });
  });
});
