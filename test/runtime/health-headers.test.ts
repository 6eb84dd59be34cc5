import { expect } from 'chai';
import { loadApp } from '../../src/definition/loader';
import { INSPECTOR_PATHS } from '../../src/runtime/inspector-route';
import { eventually } from '../helpers/eventually';
import { TestRuntime } from '../helpers/runtime';

const app = loadApp();

async function healthUntil(url: string, status: number): Promise<Response> {
  return eventually(`/health answering ${status}`, async () => {
    const response = await fetch(`${url}/health`);
    return response.status === status && response;
  });
}

describe('the runtime: /health', function () {
  this.timeout(120_000);
  let runtime: TestRuntime;
  beforeEach(async () => (runtime = await new TestRuntime().start()));
  afterEach(async () => runtime.destroy());

  it('answers 503 with the reason while the database cannot be written, and 200 again once it can', async () => {
    expect(await (await healthUntil(runtime.url, 200)).json()).to.deep.equal({ ok: true, events: 0 });
    runtime.runtime.store.db.pragma('query_only = ON');
    const failing = await healthUntil(runtime.url, 503);
    expect(failing.headers.get('retry-after')).to.equal('10');
    expect(await failing.json()).to.deep.equal({ ok: false, error: 'the database cannot be written (attempt to write a readonly database); webhooks are answered 503 until it can' });
    const hook = (await runtime.api('GET', '/api/webhooks')).body.items[0];
    expect((await runtime.post(hook.url, JSON.stringify(app.modules[0].samples[0].payload))).status).to.equal(503);
    runtime.runtime.store.db.pragma('query_only = OFF');
    expect((await healthUntil(runtime.url, 200)).status).to.equal(200);
  });
});

describe('the runtime: headers for browsers', () => {
  let runtime: TestRuntime;
  before(async () => (runtime = await new TestRuntime().start()));
  after(async () => runtime.destroy());

  const expectBrowserHeaders = (response: Response, what: string) => {
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"]) expect(csp, what).to.contain(directive);
    expect(csp, what).to.not.contain('unsafe');
    expect(response.headers.get('x-frame-options'), what).to.equal('DENY');
    expect(response.headers.get('referrer-policy'), what).to.equal('no-referrer');
    expect(response.headers.get('x-content-type-options'), what).to.equal('nosniff');
    expect(response.headers.get('strict-transport-security'), what).to.equal(null);
  };

  for (const path of INSPECTOR_PATHS) {
    it(`sends the inspector's ${path} with a strict CSP, no framing, no referrer and nosniff`, async () => {
      const response = await fetch(`${runtime.url}${path}`);
      // The favicon is deliberately empty (204): browsers stop asking, and nothing is logged as a 404.
      expect(response.status).to.equal(path === '/favicon.ico' ? 204 : 200);
      expectBrowserHeaders(response, path);
    });
  }

  it('sends the same headers on admin API answers, refusals included', async () => {
    expectBrowserHeaders(await fetch(`${runtime.url}/api/webhooks`, { headers: { authorization: `Bearer ${runtime.runtime.adminToken}` } }), 'GET /api/webhooks');
    const refused = await fetch(`${runtime.url}/api/webhooks`);
    expect(refused.status).to.equal(401);
    expectBrowserHeaders(refused, '401 from /api/webhooks');
  });
});
