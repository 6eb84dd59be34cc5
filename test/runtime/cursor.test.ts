import { expect } from 'chai';
import { examplePayload } from '../helpers/payloads';
import { TestRuntime } from '../helpers/runtime';

describe('The pull cursor always continues', () => {
  let runtime: TestRuntime;
  let hook: { id: string; url: string };
  let trigger: string;
  let refunds = 0;

  const refund = async () => {
    const payload = examplePayload('refund');
    payload.data.order.id = `ord_cursor_${++refunds}`;
    expect((await runtime.post(hook.url, JSON.stringify(payload))).status).to.equal(200);
    await runtime.runtime.engine.drain();
  };
  const pull = async (query: string) => runtime.api('GET', `/api/triggers/${trigger}/bundles${query}`);

  beforeEach(async () => {
    runtime = await new TestRuntime().start();
    hook = await runtime.defaultWebhook();
    const triggers = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items;
    trigger = triggers.find((t: { module: string }) => t.module === 'watch-order-refunded').id;
  });
  afterEach(async () => runtime.destroy());

  it('gives a caught-up poller the position after the last bundle, not null, and picks up what comes next', async () => {
    const empty = (await pull('?after=0')).body;
    expect(empty).to.deep.equal({ items: [], next: '0', hasMore: false });
    const first = (await pull('')).body;
    expect(first).to.deep.equal({ items: [], next: '0', hasMore: false });

    await refund();
    await refund();
    await refund();
    const page1 = (await pull('?after=0&limit=2')).body;
    expect(page1.items).to.have.length(2);
    expect(page1.next).to.equal(page1.items[1].id);
    expect(page1.hasMore).to.equal(true);
    const page2 = (await pull(`?after=${page1.next}&limit=2`)).body;
    expect(page2.items).to.have.length(1);
    expect(page2.next).to.equal(page2.items[0].id);
    expect(page2.hasMore).to.equal(false);

    const caughtUp = (await pull(`?after=${page2.next}&limit=2`)).body;
    expect(caughtUp).to.deep.equal({ items: [], next: page2.next, hasMore: false });

    await refund();
    const fresh = (await pull(`?after=${caughtUp.next}`)).body;
    expect(fresh.items.map((bundle: { data: { order: { id: string } } }) => bundle.data.order.id)).to.deep.equal(['ord_cursor_4']);
    expect(fresh.next).to.equal(fresh.items[0].id);
  });

  it('says hasMore only when there is more: a full last page is not mistaken for more', async () => {
    await refund();
    await refund();
    const page = (await pull('?after=0&limit=2')).body;
    expect(page.items).to.have.length(2);
    expect(page.hasMore).to.equal(false);
  });

  it('answers 400 for a cursor it cannot read, instead of an empty page', async () => {
    for (const cursor of ['<cursor>', 'abc', '-1', '1.5', '']) {
      const answer = await pull(`?after=${encodeURIComponent(cursor)}`);
      expect(answer.status, cursor).to.equal(400);
      expect(answer.body.error).to.contain('after must be a cursor: the "next" of a previous page (such as 412:0');
    }
    expect((await pull('?limit=0')).status).to.equal(400);
    expect((await pull('?limit=many')).body.error).to.equal('limit must be a whole number from 1 to 1000, not "many"');
  });

  // More events than the reader takes in one query (100), so pages span several reads, with two events replayed.
  it('pages through hundreds of events, replayed ones after the rest, each bundle once and in order', async () => {
    const ids: number[] = [];
    for (let n = 0; n < 230; n += 1) {
      const payload = examplePayload('refund');
      payload.data.order.id = `ord_many_${n}`;
      ids.push((await runtime.post(hook.url, JSON.stringify(payload))).body.event);
    }
    await runtime.runtime.engine.drain();
    // A trigger attached since makes a replay map the events again, at a place after every cursor.
    expect((await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded' })).status).to.equal(201);
    for (const replayed of [ids[2], ids[149]]) expect((await runtime.api('POST', `/api/events/${replayed}/replay`)).status).to.equal(202);
    await runtime.runtime.engine.drain();
    const expected = [...ids.filter((id) => id !== ids[2] && id !== ids[149]), ids[2], ids[149]];

    const whole = (await pull('?after=0&limit=1000')).body;
    expect(whole.items.map((bundle: { eventId: number }) => bundle.eventId)).to.deep.equal(expected);
    expect(whole.hasMore).to.equal(false);

    for (const limit of [100, 7]) {
      const pulled: number[] = [];
      for (let after = '0'; ; ) {
        const page = (await pull(`?after=${after}&limit=${limit}`)).body;
        expect(page.items.length).to.be.at.most(limit);
        pulled.push(...page.items.map((bundle: { eventId: number }) => bundle.eventId));
        if (!page.hasMore) break;
        after = page.next;
      }
      expect(pulled, `limit ${limit}`).to.deep.equal(expected);
    }
  });

  describe('the event list (newest first)', () => {
    it('pages back with before=next and says when there is more', async () => {
      await refund();
      await refund();
      await refund();
      const page1 = (await runtime.api('GET', '/api/events?limit=2')).body;
      expect(page1.items).to.have.length(2);
      expect(page1.hasMore).to.equal(true);
      expect(page1.next).to.equal(page1.items[1].id);
      const page2 = (await runtime.api('GET', `/api/events?limit=2&before=${page1.next}`)).body;
      expect(page2.items).to.have.length(1);
      expect(page2.hasMore).to.equal(false);
      const past = (await runtime.api('GET', `/api/events?limit=2&before=${page2.next}`)).body;
      expect(past).to.deep.equal({ items: [], next: page2.next, hasMore: false });
    });

    it('refuses an unreadable cursor and an unknown status, listing the statuses', async () => {
      expect((await runtime.api('GET', '/api/events?before=soon')).status).to.equal(400);
      const status = await runtime.api('GET', '/api/events?status=bogus');
      expect(status.status).to.equal(400);
      expect(status.body.error).to.equal('status must be one of pending, retrying, processed, unrouted, failed, dead, not "bogus"');
    });
  });

  it('gives every list the same shape', async () => {
    for (const path of ['/api/webhooks', '/api/modules', `/api/webhooks/${hook.id}/triggers`]) {
      const body = (await runtime.api('GET', path)).body;
      expect(body, path).to.have.keys('items', 'next', 'hasMore');
      expect(body.hasMore, path).to.equal(false);
    }
    expect((await runtime.api('GET', '/api/webhooks')).body.next).to.equal(hook.id);
  });
});
