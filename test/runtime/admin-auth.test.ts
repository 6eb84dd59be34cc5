import { expect } from 'chai';
import { loadApp } from '../../src/definition/loader';
import { INSPECTOR_PATHS } from '../../src/runtime/api/inspector-route';
import { rawRequest } from '../helpers/raw-http';
import { TestRuntime } from '../helpers/runtime';

const app = loadApp();

// The routes anyone may call; every other route the router holds is an admin route and must demand the token.
const PUBLIC_ROUTES = [...INSPECTOR_PATHS.flatMap((path) => [`GET ${path}`, `HEAD ${path}`]), 'GET /health', 'HEAD /health', 'POST /hooks/:token'];
// The Prometheus scrape: not an admin route, but behind the admin token (or the scrape token) all the same.
const SCRAPE_ROUTES = ['GET /metrics', 'HEAD /metrics'];

describe('the admin API: authentication decided by the route', () => {
  let runtime: TestRuntime;
  let port: number;
  let ids: Record<string, string>;
  let processedAt: string;

  before(async () => {
    // This walk sends hundreds of wrong tokens on purpose; the lockout is tested on its own below.
    runtime = await new TestRuntime(undefined, { failedSignInsPerMinute: 100_000 }).start();
    port = Number(new URL(runtime.url).port);
    const hook = await runtime.defaultWebhook();
    const sample = app.modules[0].samples[0].payload;
    const event = (await runtime.post(hook.url, JSON.stringify(sample))).body.event;
    await runtime.runtime.engine.drain();
    const trigger = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items[0].id;
    ids = { webhooks: hook.id, triggers: trigger, events: String(event), deliveries: '1' };
    processedAt = (await runtime.api('GET', `/api/events/${event}`)).body.processedAt;
  });
  after(async () => runtime.destroy());

  const adminRoutes = () => runtime.runtime.routes.filter((route) => ![...PUBLIC_ROUTES, ...SCRAPE_ROUTES].includes(`${route.method} ${route.url}`));
  // A real id for each parameter, so a handler reached by mistake would succeed instead of answering 404.
  const concrete = (url: string) => url.replace(/\/([a-z]+)\/:[a-zA-Z]+/g, (_all, collection: string) => `/${collection}/${ids[collection] ?? '1'}`);
  const line = (method: string, target: string) => `${method} ${target} HTTP/1.1`;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('finds the admin routes in the router, every one under /api/', () => {
    const found = adminRoutes().map((route) => `${route.method} ${route.url}`);
    expect(found).to.include.members(['GET /api/webhooks', 'DELETE /api/webhooks/:id', 'GET /api/events/:id', 'POST /api/events/:id/replay', 'POST /api/deliveries/:id/replay']);
    expect(found.filter((route) => !route.split(' ')[1].startsWith('/api/'))).to.deep.equal([]);
  });

  it('answers 401 on every admin route without a token or with a wrong one, however the path is spelled', async () => {
    const refused: string[] = [];
    for (const { method, url } of adminRoutes()) {
      const path = concrete(url);
      const rest = path.slice('/api/'.length);
      const spellings: Array<[string, Record<string, string>, number[]]> = [
        [path, {}, [401]],
        [path, bearer('pnpadm_wrong'), [401]],
        [path, { authorization: runtime.runtime.adminToken }, [401]],
        [`/%61pi/${rest}`, {}, [401]],
        [`/%61%70%69/${rest}`, bearer('pnpadm_wrong'), [401]],
        [`/api%2F${rest}`, {}, [400, 404]],
        [`/api%2F${rest}`, bearer(runtime.runtime.adminToken), [400, 404]],
        [`/api/${rest.replace('/', '%2F')}`, {}, [400, 401, 404]],
        [`//api/${rest}`, {}, [401, 404]],
        [`/api//${rest}`, {}, [401, 404]],
      ];
      for (const [target, headers, allowed] of spellings) {
        const answer = await rawRequest(port, line(method, target), headers);
        if (!allowed.includes(answer.status)) refused.push(`${method} ${target} answered ${answer.status} ${answer.body}`);
      }
    }
    expect(refused).to.deep.equal([]);
  });

  it('answers 401 on the metrics scrape without a token or with a wrong one, however the path is spelled', async () => {
    expect(runtime.runtime.routes.map((route) => `${route.method} ${route.url}`)).to.include.members(SCRAPE_ROUTES);
    const refused: string[] = [];
    for (const method of ['GET', 'HEAD']) {
      for (const [target, headers] of [['/metrics', {}], ['/metrics', bearer('pnpadm_wrong')], ['/%6detrics', {}], ['/%6D%65trics', bearer('pnpadm_wrong')], ['//metrics', {}]] as const) {
        const answer = await rawRequest(port, line(method, target), headers);
        if (![401, 404].includes(answer.status)) refused.push(`${method} ${target} answered ${answer.status}`);
      }
    }
    expect(refused).to.deep.equal([]);
    expect((await rawRequest(port, line('GET', '/%6detrics'), bearer(runtime.runtime.adminToken))).status).to.equal(200);
  });

  it('answers 400 to absolute-form request lines on every admin route, with or without the token', async () => {
    const accepted: string[] = [];
    for (const { method, url } of adminRoutes()) {
      for (const authority of [`127.0.0.1:${port}`, 'evil.example']) {
        for (const headers of [{}, bearer(runtime.runtime.adminToken)]) {
          const answer = await rawRequest(port, line(method, `http://${authority}${concrete(url)}`), headers);
          if (answer.status !== 400) accepted.push(`${method} http://${authority}${concrete(url)} answered ${answer.status}`);
        }
      }
    }
    expect(accepted).to.deep.equal([]);
    expect((await rawRequest(port, line('GET', `http://127.0.0.1:${port}/api/webhooks`))).body).to.contain('not an absolute URL');
  });

  it('lets nothing through: the webhook still exists and its event was not replayed', async () => {
    const webhooks = (await runtime.api('GET', '/api/webhooks')).body.items.map((webhook: { id: string }) => webhook.id);
    expect(webhooks).to.include(ids.webhooks);
    const event = (await runtime.api('GET', `/api/events/${ids.events}`)).body;
    expect(event).to.deep.include({ status: 'processed', processedAt });
  });

  it('refuses a cross-site form POST that replays an event without the token', async () => {
    const headers = { origin: 'https://evil.example', 'content-type': 'text/plain' };
    for (const target of [`/api/events/${ids.events}/replay`, `/%61pi/events/${ids.events}/replay`]) {
      const answer = await rawRequest(port, line('POST', target), headers, 'x');
      expect(answer.status, target).to.equal(401);
      expect(JSON.parse(answer.body)).to.deep.equal({ error: 'missing or wrong admin token (Authorization: Bearer <token>)' });
    }
  });

  it('still serves the admin API with the token, also under an encoded but equivalent path', async () => {
    const plain = await rawRequest(port, line('GET', '/api/webhooks'), bearer(runtime.runtime.adminToken));
    const encoded = await rawRequest(port, line('GET', '/%61pi/webhooks'), bearer(runtime.runtime.adminToken));
    expect(plain.status).to.equal(200);
    expect(JSON.parse(encoded.body)).to.deep.equal(JSON.parse(plain.body));
  });

  it('keeps the public routes public', async () => {
    expect((await rawRequest(port, line('GET', '/health'))).status).to.equal(200);
    expect((await rawRequest(port, line('GET', '/'))).status).to.equal(200);
  });
});

describe('the admin API: rate limits', () => {
  let runtime: TestRuntime;
  let port: number;
  afterEach(async () => runtime.destroy());
  const start = async (options: { failedSignInsPerMinute?: number; adminRequestsPerMinute?: number; maxEventLoopDelayMs?: number }) => {
    runtime = await new TestRuntime(undefined, options).start();
    port = Number(new URL(runtime.url).port);
  };

  it('locks an address out after too many wrong tokens, even for the right token, and says when to retry', async () => {
    await start({ failedSignInsPerMinute: 5 });
    const hook = await runtime.defaultWebhook();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await rawRequest(port, 'GET /api/webhooks HTTP/1.1', { authorization: `Bearer wrong-${i}` })).status);
    expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 429, 429]);
    const right = await runtime.api('GET', '/api/webhooks');
    expect(right.status).to.equal(429);
    expect(right.body.error).to.match(/^too many wrong admin tokens from this address; try again in \d+ s$/);
    const raw = await fetch(`${runtime.url}/api/webhooks`, { headers: { authorization: `Bearer ${runtime.runtime.adminToken}` } });
    expect(Number(raw.headers.get('retry-after'))).to.be.within(1, 60);
    // Webhooks are not admin calls: Plug&Paid is never locked out by someone guessing admin tokens.
    expect((await runtime.post(hook.url, JSON.stringify(app.modules[0].samples[0].payload))).status).to.equal(200);
  });

  it('never locks the admin out for requests that present no token (an <img> on any page the admin opens)', async () => {
    await start({ failedSignInsPerMinute: 5, adminRequestsPerMinute: 10 });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1) statuses.push((await rawRequest(port, 'GET /api/events HTTP/1.1')).status);
    expect(statuses).to.deep.equal(Array(30).fill(401));
    expect((await runtime.api('GET', '/api/webhooks')).status).to.equal(200);
    // A presented wrong token still counts towards the lockout.
    for (let i = 0; i < 6; i += 1) await rawRequest(port, 'GET /api/webhooks HTTP/1.1', { authorization: `Bearer wrong-${i}` });
    expect((await runtime.api('GET', '/api/webhooks')).status).to.equal(429);
  });

  it('answers 429 past the authenticated request limit, with Retry-After', async () => {
    await start({ adminRequestsPerMinute: 10 });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await runtime.api('GET', '/api/modules')).status);
    expect(statuses.filter((status) => status === 200)).to.have.length(10);
    expect(statuses.slice(10)).to.deep.equal([429, 429]);
    const limited = await fetch(`${runtime.url}/api/modules`, { headers: { authorization: `Bearer ${runtime.runtime.adminToken}` } });
    expect(limited.status).to.equal(429);
    expect(Number(limited.headers.get('retry-after'))).to.be.within(1, 60);
  });

  it('leaves webhook intake out of the admin limits: a burst of 200 events is all acknowledged', async () => {
    // The overload guard is off here: 200 requests landing in one event-loop turn can lag it past a second on a
    // loaded machine, and its 503s (which Plug&Paid retries) are tested in edge-limits.test.ts.
    await start({ adminRequestsPerMinute: 10, failedSignInsPerMinute: 1, maxEventLoopDelayMs: 0 });
    const hook = (await runtime.api('GET', '/api/webhooks')).body.items[0];
    const payload = app.modules[0].samples[0].payload as Record<string, unknown>;
    const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => runtime.post(hook.url, JSON.stringify({ ...payload, burst: i })).then((answer) => answer.status)));
    expect(statuses.filter((status) => status !== 200)).to.deep.equal([]);
  });
});
