import { expect } from 'chai';
import { loadApp } from '../../src/definition/loader';
import type { AppDefinition } from '../../src/definition/types';
import { MAX_RATE_RETRIES, MAX_RETRY_AFTER_MS, retryAfterMs } from '../../src/http/api-pacing';
import { ApiError } from '../../src/http/api-error';
import { runRpc, testConnection } from '../../src/http/connection';
import { AppCopy } from '../helpers/app-copy';
import { FakePlatformApi } from '../helpers/fake-platform-api';

// The shipped rate is 10 per second; the copy sets 20 through the same setting, so the tests wait less.
const RATE = 20;

describe('Pacing calls to the platform API', () => {
  let copy: AppCopy;
  let app: AppDefinition;
  let platform: FakePlatformApi;
  // A token per test: each token has its own pace, so one test's calls never slow the next.
  let token: string;
  let tokens = 0;

  before(() => {
    copy = new AppCopy();
    copy.edit('connector/base.json', (base) => (base.rateLimit.requestsPerSecond = RATE));
    app = loadApp(copy.dir);
  });
  after(() => copy.remove());

  beforeEach(async () => {
    platform = await new FakePlatformApi().start();
    platform.products = [{ id: 42, name: 'Bookkeeping course' }];
    token = `pnp_live_pacing_T0ken_${++tokens}`;
  });
  afterEach(() => platform.stop());

  const access = () => ({ apiBase: platform.url });

  it('reads the rate from the app definition (rateLimit in connector/base.json)', () => {
    expect(loadApp().apiRate).to.deep.equal({ requestsPerSecond: 10 });
    expect(app.apiRate).to.deep.equal({ requestsPerSecond: RATE });
    expect(app.base).to.not.have.property('rateLimit');
  });

  it('queues 30 RPCs and connection tests fired at once: the API never sees more than the rate in a second, and refuses none', async () => {
    platform.rateLimit = RATE;
    const calls = Array.from({ length: 30 }, (_, n) => (n % 2 === 0 ? runRpc(app, 'listProducts', { apiToken: token }, access()) : testConnection(app, { apiToken: token }, access())));
    const results = await Promise.all(calls);
    expect(results).to.have.length(30);
    expect(platform.calls.filter((call) => call.status === 429)).to.deep.equal([]);
    expect(platform.calls).to.have.length(30);
    expect(platform.busiestSecond()).to.be.at.most(RATE);
  });

  it("waits out a 429's Retry-After and sends the request again", async () => {
    platform.refusals = ['1'];
    expect(await runRpc(app, 'listProducts', { apiToken: token }, access())).to.deep.equal([{ label: 'Bookkeeping course', value: '42' }]);
    expect(platform.calls.map((call) => call.status)).to.deep.equal([429, 200]);
    expect(platform.calls[1].at - platform.calls[0].at).to.be.at.least(1000);
  });

  it(`gives up after ${MAX_RATE_RETRIES} retries with the rate-limit error, as without pacing`, async () => {
    platform.refusals = Array.from({ length: MAX_RATE_RETRIES + 1 }, () => '0');
    const error = await runRpc(app, 'listProducts', { apiToken: token }, access()).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(ApiError).and.include({ type: 'RateLimitError', statusCode: 429 });
    expect(platform.calls).to.have.length(MAX_RATE_RETRIES + 1);
  });

  it('fails at once when Retry-After asks for longer than it waits (a spent monthly quota), without the token', async () => {
    platform.refusals = [String(MAX_RETRY_AFTER_MS / 1000 + 1)];
    const error = await testConnection(app, { apiToken: token }, access()).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(ApiError).and.include({ type: 'RateLimitError' });
    expect((error as ApiError).message).to.not.contain(token);
    expect(platform.calls).to.have.length(1);
  });

  describe('Retry-After', () => {
    const now = Date.parse('2026-12-03T10:00:00Z');
    it('takes seconds or an HTTP date, and one second when absent', () => {
      expect(retryAfterMs('2', now)).to.equal(2000);
      expect(retryAfterMs(new Date(now + 3000).toUTCString(), now)).to.equal(3000);
      expect(retryAfterMs(new Date(now - 3000).toUTCString(), now)).to.equal(0);
      expect(retryAfterMs(null, now)).to.equal(1000);
      expect(retryAfterMs('soon', now)).to.equal(1000);
    });
    it('is not waited out past the bound', () => {
      expect(retryAfterMs(String(MAX_RETRY_AFTER_MS / 1000), now)).to.equal(MAX_RETRY_AFTER_MS);
      expect(retryAfterMs(String(MAX_RETRY_AFTER_MS / 1000 + 1), now)).to.equal(undefined);
      expect(retryAfterMs(new Date(now + 3_600_000).toUTCString(), now)).to.equal(undefined);
    });
  });
});
