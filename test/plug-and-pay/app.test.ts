import { expect } from 'chai';
import nock from 'nock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_APP_DIR, loadApp } from '../../src/definition/loader';
import { validateApp } from '../../src/definition/validate';
import { runRpc, testConnection } from '../../src/http/connection';
import { apiFailure } from '../helpers/api-failure';
import { AppCopy } from '../helpers/app-copy';
import { cli } from '../helpers/cli';
import { interceptNetwork } from '../helpers/nock-scope';

export const PLUG_AND_PAY_DIR = join(DEFAULT_APP_DIR, 'apps', 'plug-and-pay');
const app = loadApp(PLUG_AND_PAY_DIR);
// The API pace is per token (Plug&Pay's is one request a second): a token per test keeps a test from waiting
// out the second its predecessor's last call holds.
let TOKEN = '';
let env: Record<string, string> = {};
let tokens = 0;
const LOCAL_API = 'http://127.0.0.1:4599/v2';

/** The path and query a module's request asks for, read from its definition. */
function requestOf(moduleName: string, id: unknown): { path: string; include: string } {
  const module = app.modules.find((candidate) => candidate.name === moduleName)!;
  return { path: `/v2${module.communication!.url!.replace('{{payload.triggerable_id}}', String(id))}`, include: String(module.communication!.qs!.include) };
}

const failure = (work: () => Promise<unknown>) => apiFailure(work, TOKEN);

describe('Plug&Pay app', () => {
  beforeEach(() => {
    TOKEN = `pap_9f8e7d6c5b4a_SecretApiToken${++tokens}`;
    env = { PLUGNPAID_API_TOKEN: TOKEN };
  });
  interceptNetwork();

  it('reports a misspelt path of the API answer once, at the x-iml, with the key the samples carry', () => {
    const copy = new AppCopy(PLUG_AND_PAY_DIR);
    try {
      const file = 'schemas/bundles/affiliate.schema.json';
      copy.write(file, readFileSync(join(copy.dir, file), 'utf8').replace('{{$.decline_reason}}', '{{$.decline_reasn}}'));
      const problems = validateApp(copy.dir).problems;
      expect(problems.map((problem) => [problem.file, problem.message, problem.suggestion])).to.deep.equal([
        [file, 'reads body.data.decline_reasn, which no sample API answer carries', "did you mean 'decline_reason'?"],
      ]);
      expect(problems[0].modules).to.have.members(['watch-affiliate-accepted', 'watch-affiliate-rejected', 'watch-affiliate-stopped']);
    } finally {
      copy.remove();
    }
  });

  it('validates with --app: six instant triggers, their samples and the envelope catalogue', async () => {
    const run = await cli(['validate', '--app', PLUG_AND_PAY_DIR]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('Plug&Pay (plug-and-pay 0.1.0): valid');
    expect(run.stdout).to.contain('modules: 6 instant triggers');
    expect(run.stdout).to.contain('samples: 12');
    expect(app.modules.map((module) => module.label)).to.have.members([
      'Watch affiliate accepted',
      'Watch affiliate rejected',
      'Watch affiliate stopped',
      'Watch invoice created',
      'Watch order paid',
      'Watch subscription ended',
    ]);
  });

  describe('map with --api-base: every trigger maps its envelope plus the object the API serves', () => {
    for (const module of app.modules) {
      for (const sample of module.samples) {
        it(`${module.name}: ${sample.title}`, async () => {
          const id = (sample.payload.triggerable_id ?? (sample.payload.event as Record<string, unknown>).triggerable_id) as number;
          const { path, include } = requestOf(module.name, id);
          const scope = nock('http://127.0.0.1:4599')
            .get(path)
            .query({ include })
            .matchHeader('authorization', `Bearer ${TOKEN}`)
            .matchHeader('accept', 'application/json')
            .matchHeader('user-agent', 'CustomApiCall/2')
            .reply(200, sample.response as nock.Body);
          const args = ['map', '-', '--app', PLUG_AND_PAY_DIR, '--module', module.name, '--api-base', LOCAL_API];
          if (sample.parameters) args.push('--parameters', JSON.stringify(sample.parameters));
          const run = await cli(args, { stdin: JSON.stringify(sample.payload), env });
          expect(run.code, run.stderr).to.equal(0);
          expect(JSON.parse(run.stdout)).to.deep.equal({ [module.name]: sample.bundles });
          scope.done();
        });
      }
    }

    it('splits an order into one bundle per order line', async () => {
      const module = app.modules.find((candidate) => candidate.name === 'watch-order-paid')!;
      const sample = module.samples[0];
      nock('http://127.0.0.1:4599').get(requestOf(module.name, 52841).path).query(true).reply(200, sample.response as nock.Body);
      const run = await cli(['map', '-', '--app', PLUG_AND_PAY_DIR, '--api-base', LOCAL_API, '--parameters', '{"bundlePerOrderLine":true}'], { stdin: JSON.stringify(sample.payload), env });
      expect(run.code, run.stderr).to.equal(0);
      const bundles = JSON.parse(run.stdout)['watch-order-paid'];
      expect(bundles.map((bundle: { orderLine: { product_id: number } }) => bundle.orderLine.product_id)).to.deep.equal([311, 318]);
      expect(bundles[0].order).to.deep.equal(sample.bundles[0].order);
    });

    it('reports an API error for the module and exits 1, without the token', async () => {
      nock('http://127.0.0.1:4599').get(requestOf('watch-order-paid', 52841).path).query(true).reply(404, { message: 'No query results for model [Order] 52841' });
      const payload = app.modules.find((m) => m.name === 'watch-order-paid')!.samples[0].payload;
      const run = await cli(['map', '-', '--app', PLUG_AND_PAY_DIR, '--api-base', LOCAL_API], { stdin: JSON.stringify(payload), env });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('watch-order-paid could not map the payload: DataError: Plug&Pay has no such object (HTTP 404): No query results for model [Order] 52841.');
      expect(run.stdout + run.stderr).to.not.contain(TOKEN);
    });

    it('asks for the API token when a module must fetch its object', async () => {
      const payload = app.modules[0].samples[0].payload;
      const run = await cli(['map', '-', '--app', PLUG_AND_PAY_DIR], { stdin: JSON.stringify(payload) });
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('Set PLUGNPAID_API_TOKEN to your Plug&Pay API token first.');
    });

    it('explains an envelope with an unknown trigger type', async () => {
      const run = await cli(['map', '-', '--app', PLUG_AND_PAY_DIR], { stdin: '{"trigger_type":"order_refunded","triggerable_id":1}', env });
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain("unknown event type 'order_refunded'");
      expect(run.stderr).to.contain('If Plug&Pay really sends this name');
    });
  });

  describe('the connection', () => {
    const api = () => nock('https://api.plugandpay.nl');

    it('tests the token against auth/tenants/me with Bearer, Accept and User-Agent, and names the account', async () => {
      const scope = api()
        .get('/v2/auth/tenants/me')
        .matchHeader('authorization', `Bearer ${TOKEN}`)
        .matchHeader('accept', 'application/json')
        .matchHeader('user-agent', 'CustomApiCall/2')
        .reply(200, { data: { id: 1187, name: 'Boekhoudacademie' } });
      expect(await testConnection(app, { apiToken: TOKEN })).to.deep.equal({ metadata: 'Boekhoudacademie' });
      scope.done();
    });

    it('calls a local API instead with --api-base or PLUGNPAID_API_BASE: connection test, rpc and map', async () => {
      const local = () => nock('http://127.0.0.1:4599').matchHeader('authorization', `Bearer ${TOKEN}`);
      const me = local().get('/v2/auth/tenants/me').reply(200, { data: { id: 1187, name: 'Sandbox tenant' } });
      const tested = await cli(['connection', 'test', '--app', PLUG_AND_PAY_DIR, '--api-base', LOCAL_API], { env });
      expect(tested.stdout, tested.stderr).to.equal('connection OK: Sandbox tenant\n');
      me.done();
      const products = local().get('/v2/products').query(true).reply(200, { data: [{ id: 311, title: 'Course' }] });
      const listed = await cli(['rpc', 'listProducts', '--app', PLUG_AND_PAY_DIR], { env: { ...env, PLUGNPAID_API_BASE: LOCAL_API } });
      expect(JSON.parse(listed.stdout), listed.stderr).to.deep.equal([{ label: 'Course', value: '311' }]);
      products.done();
      const sample = app.modules.find((module) => module.name === 'watch-order-paid')!.samples[0];
      const order = local().get(requestOf('watch-order-paid', 52841).path).query(true).reply(200, sample.response as nock.Body);
      const mapped = await cli(['map', '-', '--app', PLUG_AND_PAY_DIR, '--module', 'watch-order-paid'], { stdin: JSON.stringify(sample.payload), env: { ...env, PLUGNPAID_API_BASE: LOCAL_API } });
      expect(JSON.parse(mapped.stdout), mapped.stderr).to.deep.equal({ 'watch-order-paid': sample.bundles });
      order.done();
    });

    it('names the account by the token\'s last characters when the tenant has no name', async () => {
      api().get('/v2/auth/tenants/me').reply(200, { data: { id: 1187 } });
      expect(await testConnection(app, { apiToken: TOKEN })).to.deep.equal({ metadata: `Plug&Pay API token …${TOKEN.slice(-4)}` });
    });

    const cases: Array<[number, object, string, RegExp]> = [
      [401, { message: 'Unauthenticated.' }, 'InvalidAccessTokenError', /rejected the API token \(HTTP 401\)/],
      [404, { message: 'Not found' }, 'DataError', /no such object \(HTTP 404\): Not found/],
      [422, { message: 'The given data was invalid.', errors: { id: ['invalid'] } }, 'DataError', /refused the request as invalid \(HTTP 422\): The given data was invalid\./],
      [429, {}, 'RateLimitError', /rate limit was reached \(HTTP 429\)/],
      [503, {}, 'ConnectionError', /temporarily unavailable \(HTTP 503\)/],
      [500, {}, 'ConnectionError', /internal error \(HTTP 500\)/],
    ];
    for (const [status, body, type, message] of cases) {
      it(`maps HTTP ${status} to ${type} with a clear message`, async () => {
        // A Retry-After past what is waited out: the 429 is the answer at once.
        api().get('/v2/auth/tenants/me').reply(status, body, status === 429 ? { 'retry-after': '3600' } : {});
        const error = await failure(() => testConnection(app, { apiToken: TOKEN }));
        expect(error.type).to.equal(type);
        expect(error.message).to.match(message);
      });
    }

    it('hides the token even when the API echoes it', async () => {
      api().get('/v2/auth/tenants/me').reply(418, { message: `token ${TOKEN} is not a teapot` });
      const error = await failure(() => testConnection(app, { apiToken: TOKEN }));
      expect(error.message).to.contain('HTTP 418');
    });

    it('lists products for the product filter through the base (RPC)', async () => {
      api()
        .get('/v2/products')
        .query({ limit: 100 })
        .matchHeader('authorization', `Bearer ${TOKEN}`)
        .reply(200, { data: [{ id: 311, title: 'Online course: Bookkeeping basics' }, { id: 318, title: 'Excel templates' }] });
      expect(await runRpc(app, 'listProducts', { apiToken: TOKEN })).to.deep.equal([
        { label: 'Online course: Bookkeeping basics', value: '311' },
        { label: 'Excel templates', value: '318' },
      ]);
    });

    it('runs `connection test --app` with the token from the environment', async () => {
      api().get('/v2/auth/tenants/me').reply(200, { data: { name: 'Boekhoudacademie' } });
      const run = await cli(['connection', 'test', '--app', PLUG_AND_PAY_DIR], { env });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.equal('connection OK: Boekhoudacademie\n');
    });
  });
});
