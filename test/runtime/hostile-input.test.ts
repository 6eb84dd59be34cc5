import { expect } from 'chai';
import { DRIFT_LIMITS } from '../../src/runtime/drift/drift-book';
import { PAGE_BYTES } from '../../src/runtime/api/paging';
import { examplePayload, manyLineOrder } from '../helpers/payloads';
import { TestRuntime } from '../helpers/runtime';

const CUT = /…\[\+\d+ chars\]$/;

describe('Hostile input from a sender or a caller', () => {
  let runtime: TestRuntime;
  let hook: { id: string; url: string };
  beforeEach(async () => {
    runtime = await new TestRuntime().start();
    hook = await runtime.defaultWebhook();
  });
  afterEach(() => runtime.destroy());

  describe('sender-controlled text', () => {
    it('keeps a megabyte-long event type cut to 200 characters with a visible marker, in the list, the event, its error and the drift report', async () => {
      const type = `order_${'x'.repeat(1_000_000)}`;
      const ids: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const answer = await runtime.post(hook.url, JSON.stringify({ type, data: { n: i } }));
        expect(answer.status).to.equal(200);
        ids.push(answer.body.event);
      }
      await runtime.runtime.engine.drain();
      const list = await fetch(`${runtime.url}/api/events?limit=1000`, { headers: { authorization: `Bearer ${runtime.runtime.adminToken}` } });
      const text = await list.text();
      expect(text.length).to.be.below(30_000);
      const items = JSON.parse(text).items as Array<{ type: string; error: string; status: string }>;
      expect(items).to.have.length(3);
      for (const item of items) {
        expect(item.status).to.equal('unrouted');
        expect(item.type.length).to.be.at.most(200);
        expect(item.type).to.match(CUT).and.satisfy((kept: string) => kept.startsWith('order_xxx'));
        expect(item.error.length).to.be.at.most(4000);
        expect(item.error).to.contain(`unknown event type '${item.type}'`).and.contain('Known types:');
      }
      const event = (await runtime.api('GET', `/api/events/${ids[0]}`)).body;
      expect(event.routing.reason.length).to.be.at.most(4000);
      // The raw body is kept whole: nothing acknowledged is lost.
      expect(event.body.type).to.equal(type);
      const drift = (await runtime.api('GET', '/api/drift')).body;
      expect(drift.unknownTypes).to.deep.equal([{ type: items[0].type, count: 3, firstSeen: drift.unknownTypes[0].firstSeen, lastSeen: drift.unknownTypes[0].lastSeen, exampleEventId: ids[2] }]);
      // The cut type is the one to filter and replay by.
      expect((await runtime.api('GET', `/api/events?type=${encodeURIComponent(items[0].type)}`)).body.items).to.have.length(3);
    });

    it('ends a page of bundles early past its byte budget, and the next page goes on where it stopped', async function () {
      this.timeout(120_000);
      const trigger = (await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-one-time-sale', parameters: { bundlePerOrderLine: true } })).body;
      // 250 lines, one bundle per line, each carrying the whole order: about 5 MB of bundles.
      expect((await runtime.post(hook.url, JSON.stringify(manyLineOrder(250)))).status).to.equal(200);
      await runtime.runtime.engine.drain();
      const seen: number[] = [];
      let after = 0;
      let pages = 0;
      for (let more = true; more; pages += 1) {
        const answer = await fetch(`${runtime.url}/api/triggers/${trigger.id}/bundles?after=${after}&limit=1000`, { headers: { authorization: `Bearer ${runtime.runtime.adminToken}` } });
        const text = await answer.text();
        expect(text.length).to.be.at.most(PAGE_BYTES + 1024);
        const page = JSON.parse(text);
        seen.push(...page.items.map((bundle: { seq: number }) => bundle.seq));
        ({ next: after, hasMore: more } = page);
      }
      expect(pages).to.be.at.least(2);
      expect(seen).to.deep.equal(Array.from({ length: 250 }, (_, seq) => seq));
    });
  });

  describe('a repeated query parameter', () => {
    it('is answered 400 naming the parameter, on every GET route of the admin API', async () => {
      const trigger = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items[0].id;
      const routes = runtime.runtime.routes.filter((route) => route.method === 'GET' && route.url.startsWith('/api/'));
      expect(routes.map((route) => route.url)).to.include.members(['/api/events', '/api/webhooks', '/api/triggers/:id/bundles', '/api/activity', '/api/drift']);
      const wrong: string[] = [];
      for (const { url } of routes) {
        const path = url.replace('/api/webhooks/:id', `/api/webhooks/${hook.id}`).replace('/api/triggers/:id', `/api/triggers/${trigger}`).replace(':id', '1').replace(':name', 'listProducts');
        for (const name of ['q', 'type', 'webhook', 'after', 'before', 'limit', 'status']) {
          const answer = await runtime.api('GET', `${path}?${name}=a&${name}=b`);
          if (answer.status !== 400 || answer.body.error !== `query parameter ${name} is given 2 times; give it once`) wrong.push(`${path}?${name}: ${answer.status} ${JSON.stringify(answer.body)}`);
        }
      }
      expect(wrong).to.deep.equal([]);
    });
  });

  describe('the drift report', () => {
    const limit = DRIFT_LIMITS.types;
    afterEach(() => (DRIFT_LIMITS.types = limit));
    let sent = 0;
    // Each body differs (a duplicate body is acknowledged but not counted again).
    const send = async (type: string) => expect((await runtime.post(hook.url, JSON.stringify({ ...examplePayload('order_shipped'), type, n: (sent += 1) }))).status).to.equal(200);

    it('keeps a type holding a NUL character as itself: no other type is counted and no fake path appears', async () => {
      await send('order_shipped\u0000data.fake.path');
      await runtime.runtime.engine.drain();
      const drift = (await runtime.api('GET', '/api/drift')).body;
      expect(drift.unknownTypes.map((entry: { type: string }) => entry.type)).to.deep.equal(['order_shipped\u0000data.fake.path']);
      expect(JSON.stringify(drift)).not.to.contain('"data.fake.path');
      expect(drift.unmappedFields.filter((field: { eventType: string }) => field.eventType === 'order_shipped')).to.deep.equal([]);
    });

    it('makes room for a real new type when junk types fill the table, letting the least seen go', async () => {
      DRIFT_LIMITS.types = 10;
      await send('order_sent');
      await send('order_sent');
      await runtime.runtime.engine.drain();
      for (let i = 0; i < 15; i += 1) await send(`junk_${i}`);
      await runtime.runtime.engine.drain();
      await send('order_dispatched');
      await runtime.runtime.engine.drain();
      const types = (await runtime.api('GET', '/api/drift')).body.unknownTypes.map((entry: { type: string; count: number }) => `${entry.type} ${entry.count}`);
      expect(types).to.have.length.at.most(10);
      expect(types).to.include.members(['order_sent 2', 'order_dispatched 1']);
    });
  });
});
