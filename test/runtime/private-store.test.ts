import { expect } from 'chai';
import { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApp } from '../../src/definition/loader';
import { createRuntime } from '../../src/runtime/server';
import { StartError } from '../../src/runtime/start-error';
import { cli } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { closedPort } from '../helpers/network';
import { freePort, kill, startServer, waitForHealth } from '../helpers/server-process';
import { TestRuntime } from '../helpers/runtime';

const app = loadApp();
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('The data folder: private, and one runtime at a time', function () {
  // The spawned server compiles the sources with ts-node first: over a minute on a loaded machine.
  this.timeout(240_000);
  let parent: string;
  let umask: number;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'plugnpaid-private-'));
    // The usual umask, under which files are created readable by every local user.
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(parent, { recursive: true, force: true });
  });

  describe('permissions', () => {
    it('creates the folder 0700 and the database, its -wal and -shm, the token and the lock 0600 under umask 022', async () => {
      const runtime = await new TestRuntime(join(parent, 'new', 'data')).start();
      try {
        const hook = await runtime.defaultWebhook();
        expect((await runtime.post(hook.url, JSON.stringify(app.modules[0].samples[0].payload))).status).to.equal(200);
        const files = readdirSync(runtime.dataDir).sort();
        expect(files).to.include.members(['admin-token', 'plugnpaid.sqlite', 'plugnpaid.sqlite-shm', 'plugnpaid.sqlite-wal', 'runtime.lock']);
        expect(mode(runtime.dataDir)).to.equal('700');
        expect(Object.fromEntries(files.map((file) => [file, mode(join(runtime.dataDir, file))]))).to.deep.equal(Object.fromEntries(files.map((file) => [file, '600'])));
        expect(runtime.runtime.notices).to.deep.equal([]);
      } finally {
        await runtime.destroy();
      }
    });

    it('tightens an existing folder of this user and the files in it, and says so', async () => {
      const dataDir = join(parent, 'data');
      const first = await new TestRuntime(dataDir).start();
      await first.stop();
      chmodSync(dataDir, 0o755);
      for (const file of readdirSync(dataDir)) chmodSync(join(dataDir, file), 0o644);
      writeFileSync(join(dataDir, 'notes.txt'), 'x', { mode: 0o644 });
      const again = createRuntime({ dataDir, port: 0, logger: false });
      try {
        expect(mode(dataDir)).to.equal('700');
        expect(readdirSync(dataDir).filter((file) => mode(join(dataDir, file)) !== '600')).to.deep.equal([]);
        expect(again.notices[0]).to.equal(`${dataDir} was open to other users (mode 0755); made it 0700, as it holds webhook secrets and customers' data`);
        expect(again.notices[1]).to.match(/^made .*admin-token.*notes\.txt.*plugnpaid\.sqlite.* in .* readable by this user only \(mode 0600\)$/);
      } finally {
        await again.close();
      }
    });
  });

  describe('one runtime per data folder', () => {
    let child: ChildProcess | undefined;
    afterEach(async () => {
      if (child) await kill(child);
      child = undefined;
    });

    it('refuses a second serve on a folder in use (another port), naming the folder and the pid and address holding it', async () => {
      const first = await new TestRuntime(join(parent, 'data')).start();
      try {
        const run = await cli(['serve', '--data', first.dataDir, '--port', String(await closedPort())]);
        expect(run.code).to.equal(1);
        expect(run.stderr).to.equal(
          `${first.dataDir} is in use by another runtime (pid ${process.pid}, listening on ${first.url}): two runtimes on one data folder would deliver every bundle twice. ` +
            'Stop that one first, or give this one its own --data folder (and --port).\n',
        );
        // The first one goes on serving (once the in-process start attempt's validation no longer lags the loop).
        await eventually('the first runtime to answer /health', async () => (await fetch(`${first.url}/health`)).status === 200);
      } finally {
        await first.destroy();
      }
    });

    it('names a runtime in another process, and is free again the moment that process is killed (no stale lock)', async () => {
      const dataDir = join(parent, 'data');
      const port = await freePort();
      child = startServer(port, dataDir);
      await waitForHealth(`http://127.0.0.1:${port}`);
      expect(() => createRuntime({ dataDir, port: 0, logger: false })).to.throw(StartError, `${dataDir} is in use by another runtime (pid ${child.pid}, listening on http://127.0.0.1:${port})`);
      await kill(child);
      const after = await new TestRuntime(dataDir).start();
      try {
        expect((await fetch(`${after.url}/health`)).status).to.equal(200);
      } finally {
        await after.destroy();
      }
    });
  });
});
