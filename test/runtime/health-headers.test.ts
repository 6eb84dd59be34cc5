import { expect } from 'chai';
import Database from 'better-sqlite3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadApp } from '../../src/definition/loader';
import { INSPECTOR_PATHS } from '../../src/runtime/api/inspector-route';
import { eventually } from '../helpers/eventually';
import { cli } from '../helpers/cli';
import { closedPort } from '../helpers/network';
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
    expect(await (await healthUntil(runtime.url, 200)).json()).to.deep.include({ ok: true, events: 0 });
    // Read-only for the runtime's own connection only (intake writes on another): the webhooks' side is the next test's.
    runtime.runtime.store.db.pragma('query_only = ON');
    const failing = await healthUntil(runtime.url, 503);
    expect(failing.headers.get('retry-after')).to.equal('10');
    expect(await failing.json()).to.deep.equal({ ok: false, error: 'the database cannot be written (attempt to write a readonly database); webhooks are answered 503 until it can' });
    runtime.runtime.store.db.pragma('query_only = OFF');
    expect((await healthUntil(runtime.url, 200)).status).to.equal(200);
  });

  it('answers 503 when the tables intake writes fail, though other writes still work', async () => {
    // Another connection makes every insert into events fail as a damaged events table does.
    const other = new Database(join(runtime.dataDir, 'plugnpaid.sqlite'));
    other.exec("CREATE TRIGGER damaged BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'database disk image is malformed'); END");
    other.close();
    const hook = (await runtime.api('GET', '/api/webhooks')).body.items[0];
    expect((await runtime.post(hook.url, JSON.stringify(app.modules[0].samples[0].payload))).status).to.equal(503);
    const failing = await fetch(`${runtime.url}/health`);
    expect(failing.status).to.equal(503);
    expect(await failing.json()).to.deep.equal({ ok: false, error: 'the database cannot be written (database disk image is malformed); webhooks are answered 503 until it can' });
  });
});

describe('the runtime: a damaged store at start', function () {
  this.timeout(120_000);
  let dataDir: string;
  beforeEach(async () => {
    const runtime = await new TestRuntime().start();
    dataDir = runtime.dataDir;
    const hook = await runtime.defaultWebhook();
    for (let i = 0; i < 50; i += 1) await runtime.post(hook.url, JSON.stringify({ ...(app.modules[0].samples[0].payload as object), n: i }));
    await runtime.stop();
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const file = () => join(dataDir, 'plugnpaid.sqlite');

  it('refuses to start on a damaged events table, naming the file and what to do', async () => {
    const db = new Database(file());
    const { rootpage } = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'events'").get() as { rootpage: number };
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const bytes = readFileSync(file());
    bytes.fill(0x5a, (rootpage - 1) * pageSize + 8, rootpage * pageSize);
    writeFileSync(file(), bytes);
    const run = await cli(['serve', '--data', dataDir, '--port', String(await closedPort())]);
    expect(run.code, run.stderr).to.equal(1);
    expect(run.stderr).to.match(new RegExp(`^(${escaped(file())} is damaged \\(.+\\)|database disk image is malformed: ${escaped(file())})\\. Stop the runtime and restore the file from a backup`));
  });

  it('names the file that is not a database', async () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file() + suffix, { force: true });
    writeFileSync(file(), 'this is not a database, but it is long enough to have a header of one. '.repeat(100));
    const run = await cli(['serve', '--data', dataDir, '--port', String(await closedPort())]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.equal(
      `file is not a database: ${file()}. Stop the runtime and restore the file from a backup, or move it aside (with its -wal and -shm) to start with an empty store; sqlite3 FILE ".recover" can save what is readable.\n`,
    );
  });
});

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
