import { expect } from 'chai';
import Database from 'better-sqlite3';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';
import { examplePayload } from '../helpers/payloads';
import { Receiver } from '../helpers/runtime';

const ADMIN = 'crash-test-admin-token-0123456789';
const KILLS = 4;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The real server in its own process (TypeScript sources through ts-node), so it can be SIGKILLed. */
function startServer(port: number, dataDir: string): ChildProcess {
  const script = `require('./src/cli/program').runCli(['node', 'plugnpaid-connector', ...process.argv.slice(1)], require('./src/cli/io').processIo).then((code) => process.exit(code))`;
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script, 'serve', '--port', String(port), '--data', dataDir, '--admin-token', ADMIN], {
    cwd: DEFAULT_APP_DIR,
    env: { ...process.env, PLUGNPAID_RETRY_SCHEDULE_MS: '0,100,200,400,800,1000,1000,1000,1000,1000', PLUGNPAID_LOG_LEVEL: 'silent', PLUGNPAID_ALLOW_PRIVATE_DESTINATIONS: '1' },
    stdio: 'ignore',
  });
}

// Generous: under c8 on a loaded machine, ts-node takes over 10 s to start the server.
async function waitForHealth(base: string): Promise<void> {
  for (let i = 0; i < 1200; i += 1) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error('the server did not start');
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('the runtime on SIGTERM', function () {
  this.timeout(60_000);

  it('finishes in-flight work, closes the database and exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plugnpaid-term-'));
    try {
      const port = await freePort();
      const child = startServer(port, dataDir);
      await waitForHealth(`http://127.0.0.1:${port}`);
      const hook = ((await (await fetch(`http://127.0.0.1:${port}/api/webhooks`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as any).items[0];
      const answer = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(examplePayload('refund')) });
      expect(answer.status).to.equal(200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
      const db = new Database(join(dataDir, 'plugnpaid.sqlite'), { readonly: true });
      expect((db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).to.equal(1);
      db.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the runtime under SIGKILL', function () {
  // Five starts under c8 on a loaded machine take up to half a minute each.
  this.timeout(300_000);
  let dataDir: string;
  let receiver: Receiver;
  let child: ChildProcess | undefined;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plugnpaid-crash-'));
    receiver = await new Receiver().start();
  });
  after(async () => {
    if (child) await kill(child);
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores every acknowledged event exactly once and delivers every bundle with a stable webhook-id', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const api = async (method: string, path: string, body?: unknown): Promise<any> =>
      (await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).json();

    child = startServer(port, dataDir);
    await waitForHealth(base);
    const hook = (await api('GET', '/api/webhooks')).items[0];
    await api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-one-time-sale', destination: { url: receiver.url } });

    const acknowledged: string[] = [];
    let next = 0;
    const send = async (orderId: string) => {
      const payload = examplePayload('new_simple_sale');
      payload.data.order.id = orderId;
      const response = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
      return { status: response.status, body: (await response.json()) as { duplicate: boolean } };
    };

    for (let round = 0; round < KILLS; round += 1) {
      let loading = true;
      const workers = Array.from({ length: 4 }, async () => {
        while (loading) {
          const orderId = `crash_${next++}`;
          try {
            if ((await send(orderId)).status === 200) acknowledged.push(orderId);
          } catch {
            // the server died mid-request: not acknowledged, so Plug&Paid would retry it
          }
        }
      });
      // A few acknowledged events per round however slow the machine is, then a random moment to kill.
      const enough = acknowledged.length + 6;
      for (let waited = 0; acknowledged.length < enough && waited < 30_000; waited += 50) await sleep(50);
      await sleep(Math.floor(Math.random() * 600));
      await kill(child);
      loading = false;
      await Promise.all(workers);
      child = startServer(port, dataDir);
      await waitForHealth(base);
      // Plug&Paid's retries of acknowledged events must not be processed again.
      for (const orderId of acknowledged.slice(-3)) expect((await send(orderId)).body.duplicate).to.equal(true);
    }

    for (let i = 0; i < 200; i += 1) {
      const pending = await api('GET', '/api/events?status=pending');
      const db = new Database(join(dataDir, 'plugnpaid.sqlite'), { readonly: true });
      const open = db.prepare("SELECT COUNT(*) AS n FROM deliveries WHERE status != 'delivered'").get() as { n: number };
      db.close();
      if (pending.items.length === 0 && open.n === 0) break;
      await sleep(100);
    }
    await kill(child);
    child = undefined;

    expect(acknowledged.length).to.be.greaterThan(20);
    const db = new Database(join(dataDir, 'plugnpaid.sqlite'), { readonly: true });
    try {
      const stored = (db.prepare('SELECT body FROM event_bodies').all() as Array<{ body: Buffer }>).map((row) => JSON.parse(row.body.toString()).data.order.id as string);
      const counts = new Map<string, number>();
      stored.forEach((id) => counts.set(id, (counts.get(id) ?? 0) + 1));
      for (const id of acknowledged) expect(counts.get(id), `event ${id}`).to.equal(1);
      expect([...counts.values()].every((count) => count === 1)).to.equal(true);

      const deliveries = db.prepare("SELECT d.message_id, d.status, b.data FROM deliveries d JOIN bundles b ON b.id = d.bundle_id").all() as Array<{ message_id: string; status: string; data: string }>;
      expect(deliveries.length).to.equal(stored.length);
      const copiesById = new Map<string, Set<string>>();
      for (const copy of receiver.received) {
        const id = String(copy.headers['webhook-id']);
        copiesById.set(id, (copiesById.get(id) ?? new Set()).add(copy.body));
      }
      const idsByOrder = new Map<string, Set<string>>();
      for (const copy of receiver.received) {
        const orderId = JSON.parse(copy.body).order.id as string;
        idsByOrder.set(orderId, (idsByOrder.get(orderId) ?? new Set()).add(String(copy.headers['webhook-id'])));
      }
      for (const delivery of deliveries) {
        expect(delivery.status, delivery.message_id).to.equal('delivered');
        expect([...(copiesById.get(delivery.message_id) ?? [])], delivery.message_id).to.deep.equal([delivery.data]);
        expect(idsByOrder.get(JSON.parse(delivery.data).order.id)?.size).to.equal(1);
      }
    } finally {
      db.close();
    }
  });
});
