import { expect } from 'chai';
import { join } from 'node:path';
import { DEFAULT_APP_DIR, loadApp } from '../../src/definition/loader';
import { startSandbox, Sandbox } from '../../src/sandbox/server';
import { cli } from '../helpers/cli';
import { startSandboxProcess, SandboxProcess } from '../helpers/sandbox-process';

const PLUG_AND_PAY_DIR = join(DEFAULT_APP_DIR, 'apps', 'plug-and-pay');

/** The arguments of the printed "Use it" command with another subcommand in place of `connection test`. */
function instead(printed: string[], ...command: string[]): string[] {
  return [...command, ...printed.slice(2)];
}

describe('Sandbox: each app tried without an account, through the CLI', function () {
  this.timeout(300_000);

  describe('Plug&Pay (apps/plug-and-pay)', () => {
    let sandbox: SandboxProcess;
    before(async () => (sandbox = await startSandboxProcess(['--app', 'apps/plug-and-pay', '--port', '0'])));
    after(() => sandbox?.stop());

    it('prints its base URL, what it answers, the token rule and the exact command to use it', () => {
      expect(sandbox.banner).to.match(/^Plug&Pay API sandbox listening on http:\/\/127\.0\.0\.1:\d+\/v2 \(this machine only\)/);
      expect(sandbox.banner).to.match(/GET \/v2\/auth\/tenants\/me +the connection test\n/);
      expect(sandbox.banner).to.match(/GET \/v2\/orders\/52841 +watch-order-paid sample 1\n/);
      expect(sandbox.banner).to.contain('any non-empty token is accepted (Authorization: Bearer <token>)');
      expect(sandbox.useIt.env.PLUGNPAID_API_TOKEN).to.equal('any-token');
      expect(sandbox.useIt.env.PLUGNPAID_API_BASE).to.match(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
      expect(sandbox.useIt.args).to.deep.equal(['connection', 'test', '--app', 'apps/plug-and-pay']);
    });

    it('passes the connection test run as printed, naming the recorded account', async () => {
      const run = await cli(sandbox.useIt.args, { env: sandbox.useIt.env });
      expect(run.stdout, run.stderr).to.equal('connection OK: Boekhoudacademie\n');
    });

    it('lists the recorded products for the product filter (rpc listProducts)', async () => {
      const run = await cli(instead(sandbox.useIt.args, 'rpc', 'listProducts'), { env: sandbox.useIt.env });
      expect(run.code, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout)).to.deep.equal([
        { label: 'Online course: Bookkeeping basics', value: '311' },
        { label: 'Order bump: Excel templates', value: '318' },
        { label: 'Membership: Bookkeeping club', value: '305' },
      ]);
    });

    it('maps every sample of a module that fetches its object with the answer the sandbox serves', async () => {
      const app = loadApp(PLUG_AND_PAY_DIR);
      for (const module of app.modules) {
        for (const sample of module.samples) {
          const args = [...instead(sandbox.useIt.args, 'map', '-'), '--module', module.name, ...(sample.parameters ? ['--parameters', JSON.stringify(sample.parameters)] : [])];
          const run = await cli(args, { env: sandbox.useIt.env, stdin: JSON.stringify(sample.payload) });
          expect(run.code, `${module.name}: ${sample.title}\n${run.stderr}`).to.equal(0);
          expect(JSON.parse(run.stdout), `${module.name}: ${sample.title}`).to.deep.equal({ [module.name]: sample.bundles });
        }
      }
    });

    it('answers an object it has no recording of with 404, and says which requests it knows', async () => {
      const run = await cli(instead(sandbox.useIt.args, 'map', '-'), { env: sandbox.useIt.env, stdin: JSON.stringify({ trigger_type: 'order_paid', triggerable_id: 1, triggerable_type: 'orders' }) });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('Plug&Pay has no such object (HTTP 404): the Plug&Pay sandbox has no recorded answer for GET /v2/orders/1; it answers GET /v2/auth/tenants/me, GET /v2/products, GET /v2/affiliates/sellers/640');
    });
  });

  describe('Plug&Paid (the app in this package)', () => {
    let sandbox: SandboxProcess;
    before(async () => (sandbox = await startSandboxProcess(['--port', '0'])));
    after(() => sandbox?.stop());

    it('passes the connection test and lists the recorded products, with the printed variables', async () => {
      expect(sandbox.banner).to.match(/^Plug&Paid API sandbox listening on http:\/\/127\.0\.0\.1:\d+\/v1 /);
      expect(sandbox.banner).to.match(/GET \/v1\/products\/list +the connection test, RPC listProducts\n/);
      expect(sandbox.useIt.args).to.deep.equal(['connection', 'test']);
      const tested = await cli(sandbox.useIt.args, { env: sandbox.useIt.env });
      expect(tested.stdout, tested.stderr).to.equal('connection OK: Plug&Paid API token …oken\n');
      const listed = await cli(['rpc', 'listProducts'], { env: sandbox.useIt.env });
      expect(JSON.parse(listed.stdout), listed.stderr).to.deep.equal([
        { label: 'Online course: Bookkeeping basics', value: 'prod_course' },
        { label: 'Printed workbook', value: 'prod_workbook' },
        { label: 'Membership (monthly)', value: 'prod_membership' },
      ]);
    });
  });
});

describe('Sandbox server', () => {
  let sandbox: Sandbox;
  before(async () => (sandbox = await startSandbox(loadApp(PLUG_AND_PAY_DIR))));
  after(() => sandbox.close());

  it('listens on 127.0.0.1 under the base URL\'s own path', () => {
    expect(sandbox.baseUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
  });

  it('refuses a request without the token, or with an empty one, with 401 saying how to send it', async () => {
    for (const headers of [{}, { authorization: 'Bearer ' }, { authorization: 'Basic abc' }] as Array<Record<string, string>>) {
      const response = await fetch(`${sandbox.baseUrl}/auth/tenants/me`, { headers });
      expect(response.status, JSON.stringify(headers)).to.equal(401);
      expect(((await response.json()) as { message: string }).message).to.equal('the Plug&Pay sandbox needs the token as the connection sends it (Authorization: Bearer <any token>); any non-empty token is accepted');
    }
  });

  it('answers a recorded request with its answer whatever the token and query', async () => {
    const response = await fetch(`${sandbox.baseUrl}/orders/52842?include=items`, { headers: { authorization: 'Bearer anything' } });
    expect(response.status).to.equal(200);
    const order = loadApp(PLUG_AND_PAY_DIR).modules.find((module) => module.name === 'watch-order-paid')!.samples[1].response;
    expect(await response.json()).to.deep.equal(order);
  });

  it('answers anything else 404 with a JSON error naming every recorded request', async () => {
    const response = await fetch(`${sandbox.baseUrl}/orders/52841`, { method: 'DELETE', headers: { authorization: 'Bearer anything' } });
    expect(response.status).to.equal(404);
    const answer = (await response.json()) as { recorded: string[]; message: string };
    expect(answer.recorded).to.include.members(['GET /v2/auth/tenants/me', 'GET /v2/products', 'GET /v2/orders/52841']);
    expect(answer.recorded).to.have.length(sandbox.routes.length);
    expect(answer.message).to.match(/^the Plug&Pay sandbox has no recorded answer for DELETE \/v2\/orders\/52841; it answers GET \/v2\/auth\/tenants\/me, /);
  });
});

describe('sandbox command', () => {
  it('says what to do when its port is taken, and exits 1', async () => {
    const other = await startSandbox(loadApp(PLUG_AND_PAY_DIR));
    try {
      const port = new URL(other.baseUrl).port;
      const run = await cli(['sandbox', '--app', PLUG_AND_PAY_DIR, '--port', port]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.equal(`cannot listen on http://127.0.0.1:${port}: the port is already in use (EADDRINUSE), perhaps by another sandbox. Stop that one, or choose another port (--port 0 takes any free one)\n`);
    } finally {
      await other.close();
    }
  });
});

describe('--api-base and PLUGNPAID_API_BASE', () => {
  const expected = (what: string, text: string) => `${what} must be the http:// or https:// base URL of the API, such as the one \`sandbox\` prints (http://127.0.0.1:8789/v2); not "${text}"`;
  const commands = [
    ['connection', 'test', '--app', PLUG_AND_PAY_DIR],
    ['rpc', 'listProducts', '--app', PLUG_AND_PAY_DIR],
    ['map', join(PLUG_AND_PAY_DIR, 'examples', 'payloads', 'order_paid.json'), '--app', PLUG_AND_PAY_DIR],
    ['serve', '--app', PLUG_AND_PAY_DIR, '--port', '0', '--data', join(PLUG_AND_PAY_DIR, 'never-created')],
  ];

  it('are refused with exit 2 when they are not an http(s) URL, by connection test, rpc, map and serve', async () => {
    for (const args of commands) {
      const flag = await cli([...args, '--api-base', '127.0.0.1:8789/v2'], { env: { PLUGNPAID_API_TOKEN: 'any-token' } });
      expect(flag.code, args.join(' ')).to.equal(2);
      expect(flag.stderr, args.join(' ')).to.contain(expected('--api-base', '127.0.0.1:8789/v2'));
      const variable = await cli(args, { env: { PLUGNPAID_API_TOKEN: 'any-token', PLUGNPAID_API_BASE: 'localhost' } });
      expect(variable.code, args.join(' ')).to.equal(2);
      expect(variable.stderr, args.join(' ')).to.equal(`${expected('PLUGNPAID_API_BASE', 'localhost')}\n`);
    }
  });
});
