import { expect } from 'chai';
import nock from 'nock';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { interceptNetwork } from '../helpers/nock-scope';

const KEY = '8a3c8a5e-1b2c-4d5e-8f90-123456789abc';
const APP = 'plug-and-paid-x1y2z3';
const ZONE = 'https://eu1.make.com';

interface Seen {
  call: string;
  contentType: string;
  authorization: string;
  /** The body exactly as sent (nock's 'request' event carries the raw text). */
  body: string;
}

/** A fake Make app API that records every call and answers as Make does. */
function fakeMake(host = ZONE, failWith?: { path: RegExp; status: number; times?: number }): Seen[] {
  const seen: Seen[] = [];
  let webhooks = 0;
  let failures = failWith?.times ?? Infinity;
  for (const method of ['GET', 'POST', 'PUT', 'PATCH'] as const) {
    const scope = nock(host);
    let raw = '';
    scope.on('request', (_request: unknown, _interceptor: unknown, body: string) => (raw = body));
    scope
      .persist()
      .intercept(/.*/, method)
      .reply(function (uri) {
        const headers = this.req.headers;
        seen.push({ call: `${method} ${uri.replace('/api/v2', '')}`, contentType: String(headers['content-type'] ?? ''), authorization: String(headers.authorization), body: raw });
        if (failWith && failWith.path.test(uri) && failures-- > 0) return [failWith.status, { message: `refused, key ${KEY}` }, { 'retry-after': '1' }];
        if (method === 'POST' && uri.endsWith('/connections')) return [200, { appConnection: { name: APP, label: 'Plug&Paid', type: 'basic' } }];
        if (method === 'POST' && uri.endsWith('/webhooks')) return [200, { appWebhook: { name: `${APP}${++webhooks + 1}`, label: 'x', type: 'web' } }];
        if (method === 'POST') return [200, { appModule: {} }];
        return [200, { changed: true }];
      });
  }
  return seen;
}

describe('plugnpaid-connector deploy', function () {
  this.timeout(120_000);
  let dir: string;

  interceptNetwork();
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'plugnpaid-deploy-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const deploy = (extra: string[] = [], env: Record<string, string> = { MAKE_API_KEY: KEY }) =>
    cli(['deploy', '--zone-url', `${ZONE}/api`, '--app-id', APP, '--dir', dir, ...extra], { env });

  it("creates everything in Make's order, then a second deploy only updates", async () => {
    const seen = fakeMake();
    const first = await deploy();
    expect(first.code, first.stderr).to.equal(0);
    const makecomapp = JSON.parse(readFileSync(join(dir, 'makecomapp.json'), 'utf8'));
    const modules = Object.keys(makecomapp.components.module);
    const webhooks = Object.keys(makecomapp.components.webhook);
    const version = `/sdk/apps/${APP}/1`;

    const remoteWebhook = (index: number) => `${APP}${index + 2}`;
    const expected = [
      `PUT ${version}/base`,
      `PUT ${version}/readme`,
      `POST /sdk/apps/${APP}/connections`,
      `PUT /sdk/apps/connections/${APP}/api`,
      `PUT /sdk/apps/connections/${APP}/parameters`,
      ...webhooks.flatMap((_, i) => [`POST /sdk/apps/${APP}/webhooks`, ...['api', 'parameters', 'attach', 'detach', 'update', 'scope'].map((s) => `PUT /sdk/apps/webhooks/${remoteWebhook(i)}/${s}`)]),
      ...modules.flatMap((m) => [`POST ${version}/modules`, ...['api', 'parameters', 'expect', 'interface', 'samples'].map((s) => `PUT ${version}/modules/${m}/${s}`)]),
      `PUT ${version}/groups`,
      `PATCH /sdk/apps/connections/${APP}`,
      ...webhooks.map((_, i) => `PATCH /sdk/apps/webhooks/${remoteWebhook(i)}`),
      ...modules.map((m) => `PATCH ${version}/modules/${m}`),
    ];
    expect(seen.map((s) => s.call)).to.deep.equal(expected);
    expect(seen.every((s) => s.authorization === `Token ${KEY}`)).to.equal(true);

    const put = (call: string) => seen.find((s) => s.call === call)!;
    // Section bodies go out as the exported file text, byte for byte (JSONC, comments and all).
    const file = (path: string) => readFileSync(join(dir, path), 'utf8');
    expect(put(`PUT ${version}/base`)).to.deep.include({ contentType: 'application/jsonc', body: file('general/base.iml.json') });
    expect(put(`PUT ${version}/readme`).contentType).to.equal('text/markdown');
    expect(put(`PUT ${version}/modules/watchOrderRefunded/interface`)).to.deep.include({ contentType: 'application/jsonc', body: file('modules/watch-order-refunded/watch-order-refunded.interface.iml.json') });
    expect(put(`PUT /sdk/apps/webhooks/${remoteWebhook(0)}/api`).body).to.equal(file(`webhooks/${webhooks[0]}/${webhooks[0]}.communication.iml.json`));
    expect(put(`PUT ${version}/readme`).body).to.equal(file('README.md'));
    const createdModule = JSON.parse(seen.filter((s) => s.call === `POST ${version}/modules`)[0].body);
    expect(createdModule).to.deep.include({ name: modules[0], typeId: 10, moduleInitMode: 'blank', webhook: remoteWebhook(0), connection: null });
    const createdWebhook = JSON.parse(seen.find((s) => s.call === `POST /sdk/apps/${APP}/webhooks`)!.body);
    expect(createdWebhook).to.deep.equal({ type: 'web', label: 'Watch one time sale', connection: null, altConnection: null });

    const [origin] = makecomapp.origins;
    expect(origin).to.include({ baseUrl: `${ZONE}/api`, appId: APP, appVersion: 1 });
    expect(origin.idMapping.connection).to.deep.equal([{ local: 'plugnpaid', remote: APP }]);
    expect(origin.idMapping.webhook[0]).to.deep.equal({ local: webhooks[0], remote: remoteWebhook(0) });
    expect(origin.idMapping.module).to.have.length(14);

    seen.length = 0;
    const second = await deploy();
    expect(second.code, second.stderr).to.equal(0);
    expect(seen.filter((s) => s.call.startsWith('POST'))).to.deep.equal([]);
    expect(seen.map((s) => s.call)).to.deep.equal(expected.filter((call) => !call.startsWith('POST')));
    expect(second.stdout).to.contain('(0 creates)');
    expect(JSON.parse(readFileSync(join(dir, 'makecomapp.json'), 'utf8')).origins).to.deep.equal(makecomapp.origins);
    expect(first.stdout + first.stderr + second.stdout).to.not.contain(KEY);
  });

  it('deploys the Plug&Pay app: modules carry the connection and their API request', async () => {
    const seen = fakeMake();
    const run = await deploy(['--app', join(__dirname, '..', '..', 'apps', 'plug-and-pay')]);
    expect(run.code, run.stderr).to.equal(0);
    const version = `/sdk/apps/${APP}/1`;
    const created = seen.filter((s) => s.call === `POST ${version}/modules`).map((s) => JSON.parse(s.body));
    expect(created).to.have.length(6);
    expect(created.every((module) => module.connection === APP && module.typeId === 10)).to.equal(true);
    const api = seen.find((s) => s.call === `PUT ${version}/modules/watchOrderPaid/api`)!;
    expect(api.body).to.equal(readFileSync(join(dir, 'modules/watch-order-paid/watch-order-paid.communication.iml.json'), 'utf8'));
    expect(JSON.parse(api.body).url).to.equal('/orders/{{payload.triggerable_id}}');
    const origin = JSON.parse(readFileSync(join(dir, 'makecomapp.json'), 'utf8')).origins[0];
    expect(origin.idMapping.connection).to.deep.equal([{ local: 'plugandpay', remote: APP }]);
    expect(run.stdout + run.stderr).to.not.contain(KEY);
  });

  it('works the same against an Ibexa Connect host', async () => {
    const seen = fakeMake('https://connect.example-ibexa.test');
    const run = await cli(['deploy', '--zone-url', 'https://connect.example-ibexa.test/api', '--app-id', APP, '--dir', dir], { env: { MAKE_API_KEY: KEY } });
    expect(run.code, run.stderr).to.equal(0);
    expect(seen[0].call).to.equal(`PUT /sdk/apps/${APP}/1/base`);
  });

  it('prints the plan with --dry-run and calls nothing', async () => {
    const seen = fakeMake();
    const run = await deploy(['--dry-run'], {});
    expect(run.code, run.stderr).to.equal(0);
    expect(seen).to.deep.equal([]);
    expect(run.stdout).to.contain(`[dry run] create webhook one-time-sale: POST /sdk/apps/${APP}/webhooks`);
    expect(run.stdout).to.contain('/sdk/apps/webhooks/<new webhook one-time-sale>/api');
  });

  it('explains a rejected key without printing it', async () => {
    fakeMake(ZONE, { path: /base$/, status: 401 });
    const run = await deploy();
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain('Make rejected the API key (401)');
    expect(run.stdout + run.stderr).to.not.contain(KEY);
  });

  it('explains 403, 404 and 5xx', async () => {
    for (const [status, text] of [[403, 'may not change this app'], [404, 'Check --app-id'], [502, 'server error (502)']] as const) {
      nock.cleanAll();
      fakeMake(ZONE, { path: /base$/, status });
      const run = await deploy();
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain(text);
    }
  });

  it('waits and retries on 429', async () => {
    const seen = fakeMake(ZONE, { path: /base$/, status: 429, times: 1 });
    const run = await deploy();
    expect(run.code, run.stderr).to.equal(0);
    expect(seen.filter((s) => s.call.endsWith('/base'))).to.have.length(2);
  });

  it('asks for MAKE_API_KEY and rejects a URL that is not a zone API', async () => {
    const missing = await deploy([], {});
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.contain('Set MAKE_API_KEY');
    const wrong = await cli(['deploy', '--zone-url', 'https://eu1.make.com', '--app-id', APP, '--dir', dir], { env: { MAKE_API_KEY: KEY } });
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.contain('a zone URL is https://<zone>/api: https://eu1.make.com/api');
  });
});
