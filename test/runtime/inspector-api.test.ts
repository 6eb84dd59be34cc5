import { expect } from 'chai';
import { examplePayload } from '../helpers/payloads';
import { FakePlatformApi } from '../helpers/fake-platform-api';
import { FakeClock, TestRuntime } from '../helpers/runtime';

const API_TOKEN = 'pnp_live_inspector_T0ken_987654';

describe('the admin API behind the inspector', () => {
  describe('search: GET /api/events?q=', () => {
    let runtime: TestRuntime;
    let hook: { id: string; url: string };
    const ids: Record<string, number> = {};

    before(async () => {
      runtime = await new TestRuntime().start();
      hook = await runtime.defaultWebhook();
      const sale = (orderId: string, email: string) => {
        const payload = examplePayload('new_simple_sale');
        payload.data.order.id = orderId;
        payload.data.order.customer.email = email;
        return payload;
      };
      for (const [name, payload] of Object.entries({
        first: sale('ord_A1b2C3', 'grace.hopper@navy.example'),
        second: sale('ord_Z9y8X7', 'ada@lovelace.example'),
        third: sale('ord_A1b2C3_bis', 'grace.hopper@navy.example'),
        unknown: { type: 'never_heard_of_it', data: { order: { id: 'ord_unknown_77' } } },
        accented: sale('ord_N0n_Asc11', 'JOSÉ.ÅNGSTRÖM@Example.com'),
      })) {
        ids[name] = (await runtime.post(hook.url, JSON.stringify(payload))).body.event;
      }
      // The same email sent with JSON escapes, as some senders write non-ASCII text.
      const escaped = JSON.stringify(sale('ord_Escaped_1', 'JOSÉ.ÅNGSTRÖM@Example.com')).replace(/[^ -~]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
      expect(escaped).to.contain('\\u00c9');
      ids.escaped = (await runtime.post(hook.url, escaped)).body.event;
      await runtime.runtime.engine.drain();
    });
    after(async () => runtime.destroy());

    const search = async (query: string) => (await runtime.api('GET', `/api/events?${query}`));
    const found = async (query: string) => (await search(query)).body.items.map((event: { id: number }) => event.id);

    it('finds the events whose payload holds an order id, newest first', async () => {
      expect(await found('q=ord_A1b2C3')).to.deep.equal([ids.third, ids.first]);
      expect(await found('q=ord_Z9y8X7')).to.deep.equal([ids.second]);
    });

    it('finds an email regardless of case, and a part of one', async () => {
      expect(await found('q=Grace.Hopper%40NAVY.example')).to.deep.equal([ids.third, ids.first]);
      expect(await found('q=lovelace.example')).to.deep.equal([ids.second]);
    });

    it('finds events of unknown types too (they are the ones people look for)', async () => {
      expect(await found('q=ord_unknown_77')).to.deep.equal([ids.unknown]);
      expect((await search('q=ord_unknown_77')).body.items[0].status).to.equal('unrouted');
    });

    it('combines the text with the other filters', async () => {
      expect(await found(`q=ord_A1b2C3&status=processed&webhook=${hook.id}`)).to.deep.equal([ids.third, ids.first]);
      expect(await found('q=ord_A1b2C3&status=failed')).to.deep.equal([]);
      expect(await found(`q=grace&before=${ids.third}`)).to.deep.equal([ids.first]);
    });

    it('finds nothing for text no payload holds, even when its words appear apart', async () => {
      expect(await found('q=ord_nowhere')).to.deep.equal([]);
      expect(await found('q=C3_ord_A1b2')).to.deep.equal([]);
    });

    it('finds non-ASCII text whatever its case and however it was escaped, also without its accents', async () => {
      expect(await found(`q=${encodeURIComponent('josé.ångström@example.com')}`)).to.deep.equal([ids.escaped, ids.accented]);
      expect(await found(`q=${encodeURIComponent('JOSÉ.ÅNGSTRÖM')}`)).to.deep.equal([ids.escaped, ids.accented]);
      expect(await found('q=jose.angstrom%40example.com')).to.deep.equal([ids.escaped, ids.accented]);
    });

    it('bounds what one search may cost: few words, none only one or two characters long', async () => {
      const oneLetters = await search(`q=${encodeURIComponent(Array.from({ length: 100 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(' '))}`);
      expect(oneLetters.status).to.equal(400);
      expect(oneLetters.body.error).to.equal('q has 100 words; search for at most 8 (an order id, an email)');
      const short = await search('q=a+bc+d');
      expect(short.status).to.equal(400);
      expect(short.body.error).to.equal('q needs a word of at least 3 letters or digits (search for an order id or an email)');
      // Short words still count, checked against the stored body.
      expect(await found('q=grace.hopper%40navy.ex')).to.deep.equal([ids.third, ids.first]);
      expect(await found('q=grace.hopper%40navy.ey')).to.deep.equal([]);
    });

    it('stops a search that runs past its time budget with a 400, and the runtime goes on serving', async () => {
      const strict = await new TestRuntime(undefined, { searchBudgetMs: 0 }).start();
      try {
        const strictHook = await strict.defaultWebhook();
        expect((await strict.post(strictHook.url, JSON.stringify(examplePayload('new_simple_sale')))).status).to.equal(200);
        // Search terms are written by the background pass, after the 200.
        await strict.runtime.engine.drain();
        const stopped = await strict.api('GET', '/api/events?q=example');
        expect(stopped.status).to.equal(400);
        expect(stopped.body.error).to.equal('the search took longer than 0 ms and was stopped; search for a longer, rarer text (a whole order id or email)');
        expect((await strict.api('GET', '/api/events')).body.items).to.have.length(1);
      } finally {
        await strict.destroy();
      }
    });

    it('explains a search without words, or one too long', async () => {
      const empty = await search('q=%40%40');
      expect(empty.status).to.equal(400);
      expect(empty.body.error).to.contain('a word of at least 3 letters or digits');
      const long = await search(`q=${'x'.repeat(201)}`);
      expect(long.status).to.equal(400);
      expect(long.body.error).to.contain('at most 200');
    });

    it('finds a replayed event once, not twice', async () => {
      await runtime.api('POST', `/api/events/${ids.second}/replay`);
      await runtime.runtime.engine.drain();
      expect(await found('q=ord_Z9y8X7')).to.deep.equal([ids.second]);
    });
  });

  describe('activity: GET /api/activity', () => {
    it('counts the events of the last 24 hours per hour and status, per webhook', async () => {
      const clock = new FakeClock(Date.parse('2026-11-22T10:30:00Z'));
      const runtime = await new TestRuntime(undefined, { clock }).start();
      try {
        const hook = await runtime.defaultWebhook();
        const send = async (body: unknown) => runtime.post(hook.url, JSON.stringify(body));
        await send({ ...examplePayload('new_simple_sale'), n: 'too old' });
        clock.advance(2 * 3600_000); // 12:30: outside the window at the end
        await send({ ...examplePayload('new_simple_sale'), n: 1 });
        await send({ ...examplePayload('refund'), n: 2 });
        await send({ type: 'mystery', n: 3 });
        clock.advance(22 * 3600_000 + 15 * 60_000); // the next day, 10:45
        await send({ ...examplePayload('new_simple_sale'), n: 4 });
        await runtime.runtime.engine.drain();

        const { status, body } = await runtime.api('GET', '/api/activity');
        expect(status).to.equal(200);
        expect(body.hours).to.have.length(24);
        expect(body.hours[0].start).to.equal('2026-11-22T11:00:00.000Z');
        expect(body.hours[23].start).to.equal('2026-11-23T10:00:00.000Z');
        expect(body.hours[1]).to.deep.equal({ start: '2026-11-22T12:00:00.000Z', processed: 2, deliveryFailed: 0, unrouted: 1, retrying: 0, failed: 0, pending: 0 });
        expect(body.hours[23]).to.include({ processed: 1, unrouted: 0 });
        const total = body.hours.reduce((sum: number, hour: Record<string, number>) => sum + hour.processed + hour.unrouted + hour.failed + hour.retrying + hour.pending, 0);
        expect(total).to.equal(4);

        const other = (await runtime.api('GET', '/api/activity?webhook=whk_none')).body;
        expect(other.hours.every((hour: Record<string, number>) => hour.processed === 0 && hour.unrouted === 0)).to.equal(true);
      } finally {
        await runtime.destroy();
      }
    });
  });

  describe('product options: GET /api/rpcs/listProducts/options', () => {
    let platform: FakePlatformApi;
    before(async () => {
      platform = await new FakePlatformApi().start();
    });
    after(async () => platform.stop());

    it('runs listProducts on the server with the configured token, which never reaches the answer', async () => {
      platform.products = [{ id: 42, name: 'Bookkeeping course' }, { id: 'prod_wb', title: 'Printed workbook' }];
      const runtime = await new TestRuntime(undefined, { apiToken: API_TOKEN, apiBase: platform.url }).start();
      try {
        const answer = await runtime.api('GET', '/api/rpcs/listProducts/options');
        expect(answer.status).to.equal(200);
        expect(answer.body).to.deep.equal({ configured: true, items: [{ label: 'Bookkeeping course', value: '42' }, { label: 'Printed workbook', value: 'prod_wb' }], truncated: false });
        expect(platform.calls.at(-1)).to.include({ url: '/products/list', authorization: `Bearer ${API_TOKEN}` });
        expect(JSON.stringify(answer.body)).to.not.contain(API_TOKEN);
      } finally {
        await runtime.destroy();
      }
    });

    it("passes on the platform's refusal without the token", async () => {
      platform.status = 401;
      platform.body = { status: -1, error: `token ${API_TOKEN} revoked` };
      const runtime = await new TestRuntime(undefined, { apiToken: API_TOKEN, apiBase: platform.url }).start();
      try {
        const answer = await runtime.api('GET', '/api/rpcs/listProducts/options');
        expect(answer.status).to.equal(502);
        expect(answer.body.error).to.contain('rejected the API token (HTTP 401)');
        expect(JSON.stringify(answer.body)).to.not.contain(API_TOKEN);
      } finally {
        platform.status = 200;
        platform.body = undefined;
        await runtime.destroy();
      }
    });

    it('says so when no API token is configured, and calls nothing', async () => {
      const runtime = await new TestRuntime().start();
      const calls = platform.calls.length;
      try {
        expect((await runtime.api('GET', '/api/rpcs/listProducts/options')).body).to.deep.equal({ configured: false, items: [] });
        expect(platform.calls.length).to.equal(calls);
      } finally {
        await runtime.destroy();
      }
    });

    it('refuses an RPC no parameter uses, and a call without the admin token', async () => {
      const runtime = await new TestRuntime(undefined, { apiToken: API_TOKEN, apiBase: platform.url }).start();
      try {
        const unknown = await runtime.api('GET', '/api/rpcs/deleteEverything/options');
        expect(unknown.status).to.equal(404);
        expect(unknown.body.error).to.contain("known: listProducts");
        expect((await runtime.api('GET', '/api/rpcs/listProducts/options', undefined, 'wrong')).status).to.equal(401);
      } finally {
        await runtime.destroy();
      }
    });
  });
});
