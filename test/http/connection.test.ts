import { expect } from 'chai';
import nock from 'nock';
import { loadApp } from '../../src/definition/loader';
import { MAX_RATE_RETRIES } from '../../src/http/api-pacing';
import { runRpc, testConnection } from '../../src/http/connection';
import { apiFailure } from '../helpers/api-failure';
import { cli } from '../helpers/cli';
import { interceptNetwork } from '../helpers/nock-scope';

const app = loadApp();
const TOKEN = 'pnp_live_5ecr3t_T0ken_abcdef';
const api = () => nock('https://api.plugnpaid.com');

const failure = (work: () => Promise<unknown>) => apiFailure(work, TOKEN);

describe('the Plug&Paid connection', () => {
  interceptNetwork();

  describe('connection test', () => {
    it('calls products/list with the token as a Bearer header and reports the account', async () => {
      const scope = api()
        .get('/v1/products/list')
        .matchHeader('authorization', `Bearer ${TOKEN}`)
        .reply(200, { status: 0, products: [{ id: 'p1', name: 'Course' }, { id: 'p2', name: 'Book' }] });
      const result = await testConnection(app, { apiToken: TOKEN });
      // Plug&Paid's API has no account endpoint, so the connection names the token by its last characters.
      expect(result).to.deep.equal({ metadata: `Plug&Paid API token …${TOKEN.slice(-4)}` });
      scope.done();
    });

    it('explains a bad token (HTTP 401) without repeating it', async () => {
      api().get('/v1/products/list').reply(401, { status: -1, error: `invalid token ${TOKEN}` });
      const error = await failure(() => testConnection(app, { apiToken: TOKEN }));
      expect(error.message).to.contain('rejected the API token (HTTP 401)');
      expect(error).to.include({ type: 'InvalidAccessTokenError', statusCode: 401 });
    });

    it('reports status < 0 with Plug&Paid\'s own error text, even on HTTP 200', async () => {
      api().get('/v1/products/list').reply(200, { status: -3, error: `Token ${TOKEN} has expired` });
      const error = await failure(() => testConnection(app, { apiToken: TOKEN }));
      expect(error.message).to.equal('Plug&Paid refused the request: Token ******** has expired (status -3).');
      expect(error.type).to.equal('DataError');
    });

    it('maps a 429 that outlasts the retries to a rate-limit error, and 503 to a connection error', async () => {
      const limited = api().get('/v1/products/list').times(1 + MAX_RATE_RETRIES).reply(429, {}, { 'retry-after': '0' });
      expect((await failure(() => testConnection(app, { apiToken: TOKEN }))).type).to.equal('RateLimitError');
      limited.done();
      api().get('/v1/products/list').reply(503, 'Service Unavailable');
      const error = await failure(() => testConnection(app, { apiToken: TOKEN }));
      expect(error).to.include({ type: 'ConnectionError', statusCode: 503 });
      expect(error.message).to.contain('temporarily unavailable');
    });

    it('uses the generic message for a status without its own', async () => {
      api().get('/v1/products/list').reply(418, { error: 'teapot' });
      const error = await failure(() => testConnection(app, { apiToken: TOKEN }));
      expect(error.message).to.equal('Plug&Paid answered HTTP 418: teapot.');
    });

    it('reports a network error with the host, not the token', async () => {
      api().get('/v1/products/list').replyWithError({ code: 'ECONNRESET', message: `socket hang up ${TOKEN}` });
      const error = await failure(() => testConnection(app, { apiToken: TOKEN }));
      expect(error.type).to.equal('ConnectionError');
      expect(error.message).to.contain('cannot reach api.plugnpaid.com: the connection was closed before an answer (ECONNRESET)');
      expect(error.message).to.contain('(GET https://api.plugnpaid.com/v1/products/list)');
      expect(error.message).not.to.contain(TOKEN);
    });
  });

  describe('the listProducts RPC', () => {
    it('lists products as dropdown options, with the base URL and the connection token', async () => {
      api()
        .get('/v1/products/list')
        .matchHeader('authorization', `Bearer ${TOKEN}`)
        .reply(200, { status: 1, products: [{ id: 12, name: 'Course' }, { id: 'p2', title: 'Book without name' }] });
      const options = await runRpc(app, 'listProducts', { apiToken: TOKEN });
      expect(options).to.deep.equal([
        { label: 'Course', value: '12' },
        { label: 'Book without name', value: 'p2' },
      ]);
    });

    it("offers at most 300 products, three pages' worth as Make's RPC guidance asks, however many the API lists", async () => {
      const products = Array.from({ length: 350 }, (_, index) => ({ id: `p${index}`, name: `Product ${index}` }));
      api().get('/v1/products/list').reply(200, { status: 0, products });
      const options = await runRpc(app, 'listProducts', { apiToken: TOKEN });
      expect(options).to.have.length(300);
      expect(options[299]).to.deep.equal({ label: 'Product 299', value: 'p299' });
    });

    it('fails clearly on status < 0', async () => {
      api().get('/v1/products/list').reply(200, { status: -1, error: 'Account suspended' });
      const error = await failure(() => runRpc(app, 'listProducts', { apiToken: TOKEN }));
      expect(error.message).to.contain('Account suspended');
    });

    it('rejects an unknown RPC name', async () => {
      let message = '';
      await runRpc(app, 'listPlugs', { apiToken: TOKEN }).catch((error: Error) => (message = error.message));
      expect(message).to.contain("unknown RPC 'listPlugs'");
    });
  });

  describe('plugnpaid-connector connection test', () => {
    it('takes the token from PLUGNPAID_API_TOKEN and reports success', async () => {
      api().get('/v1/products/list').reply(200, { status: 0, products: [] });
      const run = await cli(['connection', 'test'], { env: { PLUGNPAID_API_TOKEN: TOKEN } });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.equal(`connection OK: Plug&Paid API token …${TOKEN.slice(-4)}\n`);
    });

    it('exits 1 on a bad token and never prints it', async () => {
      api().get('/v1/products/list').reply(401, { error: `bad ${TOKEN}` });
      const run = await cli(['connection', 'test'], { env: { PLUGNPAID_API_TOKEN: TOKEN } });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('InvalidAccessTokenError');
      expect(run.stdout + run.stderr).to.not.contain(TOKEN);
    });

    it('never prints the token lower-cased, upper-cased or base64-encoded either, alone or in a Basic header', async () => {
      const echoes = [TOKEN.toLowerCase(), TOKEN.toUpperCase(), Buffer.from(TOKEN).toString('base64'), Buffer.from(`api:${TOKEN}`).toString('base64'), Buffer.from(`x${TOKEN}`).toString('base64url')];
      api().get('/v1/products/list').reply(200, { status: -2, error: `unknown token ${echoes.join(' ')}` });
      const run = await cli(['connection', 'test'], { env: { PLUGNPAID_API_TOKEN: TOKEN } });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('unknown token ********');
      const printed = (run.stdout + run.stderr).toLowerCase();
      expect(echoes.filter((echo) => printed.includes(echo.toLowerCase()))).to.deep.equal([]);
      // Nor the base64 of the token's middle, the part any base64 text holding it shares.
      expect(run.stderr).to.not.contain(Buffer.from(TOKEN).toString('base64').slice(4, 24));
    });

    it('asks for the token when the variable is not set', async () => {
      const run = await cli(['connection', 'test']);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('Set PLUGNPAID_API_TOKEN');
    });

    it('prints the RPC options', async () => {
      api().get('/v1/products/list').reply(200, { products: [{ id: 'p1', name: 'Course' }] });
      const run = await cli(['rpc', 'listProducts'], { env: { PLUGNPAID_API_TOKEN: TOKEN } });
      expect(run.code, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout)).to.deep.equal([{ label: 'Course', value: 'p1' }]);
    });
  });
});
