import { expect } from 'chai';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/program';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';
import { createRuntime } from '../../src/runtime/server';
import { StartError } from '../../src/runtime/start-error';
import { cli } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { closedPort } from '../helpers/network';
import { TestRuntime } from '../helpers/runtime';

const PLUG_AND_PAY = join(DEFAULT_APP_DIR, 'apps', 'plug-and-pay');

/** Collects a child's output and resolves when a line matching `pattern` has been printed. */
function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 150_000): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${output}`)), timeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited before ${pattern}: ${output}`));
    });
  });
}

async function listening(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/health`);
    return true;
  } catch {
    return false;
  }
}

describe('Starting the runtime: one app per store, a free port, clear refusals', function () {
  // Spawned servers compile the sources with ts-node first: over a minute on a loaded machine.
  this.timeout(240_000);
  let parent: string;
  beforeEach(() => (parent = mkdtempSync(join(tmpdir(), 'plugnpaid-start-'))));
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  describe('two apps on one data folder', () => {
    it('refuses Plug&Pay on the data folder of a Plug&Paid runtime, naming both apps and suggesting --data', async () => {
      const first = await new TestRuntime(join(parent, 'data')).start();
      try {
        await first.stop();
        const run = await cli(['serve', '--app', PLUG_AND_PAY, '--data', first.dataDir, '--port', String(await closedPort())]);
        expect(run.code).to.equal(1);
        expect(run.stderr).to.equal(
          `${first.dataDir} holds the data of Plug&Paid (plug-and-paid 0.1.0), not of Plug&Pay (plug-and-pay 0.1.0). ` +
            'Start Plug&Pay on its own data folder, e.g. --data ./data-plug-and-pay (and its own --port when both run).\n',
        );
        await first.start();
        expect((await first.api('GET', '/api/webhooks')).body.items).to.have.length(1);
      } finally {
        await first.destroy();
      }
    });

    it('refuses it after a restart too, and in the other direction', async () => {
      const dataDir = join(parent, 'pnp');
      const pnp = await new TestRuntime(dataDir, { appDir: PLUG_AND_PAY }).start();
      await pnp.stop();
      expect(() => createRuntime({ dataDir, logger: false })).to.throw(StartError, `${dataDir} holds the data of Plug&Pay (plug-and-pay 0.1.0), not of Plug&Paid (plug-and-paid 0.1.0)`);
      const again = await new TestRuntime(dataDir, { appDir: PLUG_AND_PAY }).start();
      await again.destroy();
    });

    it('refuses a store from before the app was recorded when its triggers belong to another app', async () => {
      const dataDir = join(parent, 'old');
      const old = await new TestRuntime(dataDir).start();
      old.runtime.store.db.prepare("DELETE FROM settings WHERE key = 'app'").run();
      await old.stop();
      expect(() => createRuntime({ dataDir, appDir: PLUG_AND_PAY, logger: false })).to.throw(StartError, /holds triggers of another app \(modules watch-one-time-sale, .*\), not of Plug&Pay/);
      const same = await new TestRuntime(dataDir).start();
      await same.destroy();
    });
  });

  describe('a busy port', () => {
    it('is refused with the address and a free --port to use instead, before any data folder is created', async () => {
      const first = await new TestRuntime(join(parent, 'data')).start();
      // The port after it is taken too: the hint must skip it.
      const next = createServer();
      try {
        const port = Number(new URL(first.url).port);
        // (Already taken by something else on this machine is as good.)
        await new Promise<void>((resolve) => next.once('error', () => resolve()).listen({ host: '127.0.0.1', port: port + 1 }, resolve));
        const dataDir = join(parent, 'second');
        const run = await cli(['serve', '--port', String(port), '--data', dataDir]);
        expect(run.code).to.equal(1);
        const suggested = Number(/--port (\d+) /.exec(run.stderr)?.[1]);
        expect(run.stderr).to.equal(
          `cannot listen on http://127.0.0.1:${port}: the port is already in use (EADDRINUSE), perhaps by another runtime. ` +
            `Stop that one, or start this one on another port: --port ${suggested} (or PLUGNPAID_PORT), with its own --data folder if it is another app.\n`,
        );
        expect(suggested).to.be.greaterThan(port + 1);
        expect(run.stderr).not.to.contain('unexpected error');
        expect(existsSync(dataDir)).to.equal(false);
      } finally {
        next.close(() => undefined);
        await first.destroy();
      }
    });
  });

  it('answers /favicon.ico with 204 instead of a 404', async () => {
    const runtime = await new TestRuntime(join(parent, 'data')).start();
    try {
      const answer = await fetch(`${runtime.url}/favicon.ico`);
      expect(answer.status).to.equal(204);
    } finally {
      await runtime.destroy();
    }
  });

  describe('the admin token made on first start', () => {
    /** Runs serve in-process until its first lines are out, then stops it as SIGTERM would. */
    async function firstStart(terminal: boolean): Promise<{ stdout: string; token: string; file: string }> {
      const dataDir = join(parent, terminal ? 'tty' : 'piped');
      let stdout = '';
      const done = runCli(['node', 'plugnpaid-connector', 'serve', '--port', String(await closedPort()), '--data', dataDir], {
        stdout: (text) => (stdout += text),
        stderr: () => undefined,
        readStdin: async () => '',
        env: {},
        stdoutIsTerminal: terminal,
      });
      await eventually('the first lines of serve', () => stdout.includes('Try it'));
      process.emit('SIGTERM');
      expect(await done).to.equal(0);
      const file = join(dataDir, 'admin-token');
      return { stdout, token: readFileSync(file, 'utf8').trim(), file };
    }

    it('is printed to a terminal, once', async () => {
      const { stdout, token, file } = await firstStart(true);
      expect(stdout).to.contain(`  Admin token: ${token}\n               (shown once; kept in ${file}, mode 0600)\n`);
    });

    it('is not printed when the output is not a terminal (a service log): only where it is kept', async () => {
      const { stdout, token, file } = await firstStart(false);
      expect(stdout).not.to.contain(token);
      expect(stdout).to.contain(`  Admin token: created and kept in ${file} (mode 0600); not printed, as this output is not a terminal\n`);
    });
  });

  describe('the serve process', () => {
    let child: ChildProcess | undefined;
    afterEach(async () => {
      // npm start runs in its own process group: whatever it left behind goes with it.
      if (child?.pid && child.spawnargs[0] === 'npm') {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // the group is already gone
        }
      } else if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child!.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      child = undefined;
    });

    it('prints a "Try it" line with the custom --data that works as printed', async () => {
      const port = await closedPort();
      const dataDir = join(parent, 'custom data');
      const script = `require('./src/cli/program').runCli(['node', 'plugnpaid-connector', ...process.argv.slice(1)], require('./src/cli/io').processIo).then((code) => process.exit(code))`;
      child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script, 'serve', '--port', String(port), '--data', dataDir], {
        cwd: DEFAULT_APP_DIR,
        env: { ...process.env, PLUGNPAID_LOG_LEVEL: 'silent' },
      });
      const output = await waitForOutput(child, /Try it: .*\n/);
      const line = /Try it: +(.*)\n/.exec(output)![1];
      expect(line).to.equal(`npx plugnpaid-connector send watch-one-time-sale --url http://127.0.0.1:${port} --data '${dataDir}'`);
      const args = line.replace(/^npx plugnpaid-connector /, '').replace(`'${dataDir}'`, 'DATA').split(' ').map((word) => (word === 'DATA' ? dataDir : word));
      const sent = await cli(args);
      expect(sent.code, sent.stderr).to.equal(0);
      expect(sent.stdout).to.match(/^HTTP 200 /);
    });

    it('shows the webhook URL again when it restarts on the same data folder', async function () {
      this.timeout(480_000);
      const port = await closedPort();
      const dataDir = join(parent, 'restarted');
      const script = `require('./src/cli/program').runCli(['node', 'plugnpaid-connector', ...process.argv.slice(1)], require('./src/cli/io').processIo).then((code) => process.exit(code))`;
      const banner = async () => {
        child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script, 'serve', '--port', String(port), '--data', dataDir], {
          cwd: DEFAULT_APP_DIR,
          env: { ...process.env, PLUGNPAID_LOG_LEVEL: 'silent' },
        });
        const output = await waitForOutput(child, /Try it: .*\n/);
        const exited = new Promise((resolve) => child!.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
        return output;
      };
      const first = /Webhook URL: (\S+)\n/.exec(await banner())![1];
      const again = await banner();
      expect(again).to.contain(`  Webhook URL: ${first}\n`);
      expect(again).to.contain('Plug&Paid cannot reach this URL: 127.0.0.1 is this machine only.');
    });

    it('npm start passes SIGTERM on to the server, which stops (no node process left listening)', async () => {
      const port = await closedPort();
      const url = `http://127.0.0.1:${port}`;
      child = spawn('npm', ['start', '--silent', '--', '--port', String(port), '--data', join(parent, 'npm-data')], {
        cwd: DEFAULT_APP_DIR,
        env: { ...process.env, PLUGNPAID_LOG_LEVEL: 'silent' },
        detached: true,
      });
      await waitForOutput(child, /listening on/);
      expect(await listening(url)).to.equal(true);
      const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
      // Only npm is signalled, as a service manager stopping `npm start` by its pid does.
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
      await eventually('the port to be free', async () => !(await listening(url)));
    });
  });
});
