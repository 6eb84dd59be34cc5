import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { loadApp } from '../../src/definition/loader';
import { testConnection } from '../../src/http/connection';
import { AppCopy } from '../helpers/app-copy';
import { FakePlatformApi } from '../helpers/fake-platform-api';
import { TestRuntime } from '../helpers/runtime';
import { PLUG_AND_PAY_DIR } from './app.test';

const TOKEN = 'pap_pacing_SecretApiToken_1187';
const KEY = 'whk_pacing_3a1f0c9b8e7d';
// The shipped Plug&Pay rate is 1 per second; the copy sets 20 through the same setting, so the test waits less.
const RATE = 20;
const EVENTS = 10;

const envelope = (id: number) => JSON.stringify({ trigger_type: 'order_paid', triggerable_id: id, triggerable_type: 'orders', sent_at: '2026-11-22T10:00:00.000000Z', tenant_id: 1187, rule_id: 412 });
const signed = (body: string) => ({ 'content-type': 'application/json', signature: createHmac('sha256', KEY).update(body).digest('hex') });

describe('Plug&Pay API pacing in the runtime', () => {
  let copy: AppCopy;
  let platform: FakePlatformApi;
  let runtime: TestRuntime;

  before(async () => {
    copy = new AppCopy(PLUG_AND_PAY_DIR);
    copy.edit('connector/base.json', (base) => (base.rateLimit.requestsPerSecond = RATE));
    platform = await new FakePlatformApi().start();
    platform.rateLimit = RATE;
    const order = loadApp(PLUG_AND_PAY_DIR).modules.find((module) => module.name === 'watch-order-paid')!.samples[0].response;
    for (let id = 1; id <= EVENTS; id += 1) platform.pages[`/orders/${id}`] = order;
    platform.pages['/products'] = { data: [{ id: 311, title: 'Online course' }] };
    platform.pages['/auth/tenants/me'] = { data: { id: 1187, name: 'Boekhouden BV' } };
    runtime = await new TestRuntime(undefined, { appDir: copy.dir, apiToken: TOKEN, apiBase: platform.url, webhookParameters: { webhookKey: KEY } }).start();
  });

  after(async () => {
    await runtime.destroy();
    await platform.stop();
    copy.remove();
  });

  it('shares one pace among enrichment, the inspector\'s RPC and the connection test: never more than the rate in a second, no 429', async () => {
    const hookUrl = (await runtime.defaultWebhook()).url;
    const app = loadApp(copy.dir);
    const posted = Array.from({ length: EVENTS }, (_, n) => envelope(n + 1)).map((body) => runtime.post(hookUrl, body, signed(body)));
    const rpcs = Array.from({ length: 10 }, () => runtime.api('GET', '/api/rpcs/listProducts/options'));
    const tests = Array.from({ length: 10 }, () => testConnection(app, { apiToken: TOKEN }, { apiBase: platform.url }));
    expect((await Promise.all(posted)).map((answer) => answer.status)).to.deep.equal(Array(EVENTS).fill(200));
    expect((await Promise.all(rpcs)).map((answer) => answer.body.items)).to.deep.equal(Array(10).fill([{ label: 'Online course', value: '311' }]));
    expect(await Promise.all(tests)).to.deep.equal(Array(10).fill({ metadata: 'Boekhouden BV' }));
    await runtime.runtime.engine.drain();

    const events = (await runtime.api('GET', '/api/events?limit=100')).body.items as Array<{ status: string }>;
    expect(events.map((event) => event.status)).to.deep.equal(Array(EVENTS).fill('processed'));
    expect(platform.calls.filter((call) => call.status === 429)).to.deep.equal([]);
    expect(platform.calls.filter((call) => call.url.startsWith('/orders/'))).to.have.length(EVENTS);
    expect(platform.busiestSecond()).to.be.at.most(RATE);
  });
});
