import { expect } from 'chai';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { buildProgram } from '../../src/cli/program';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';
import { cli, CliRun } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { closedPort } from '../helpers/network';
import { examplePayload } from '../helpers/payloads';
import { ReadmeCommand, readmeShell, ReadmeScript } from '../helpers/readme';
import { TestRuntime } from '../helpers/runtime';

/** The README, then every page of `docs/` in name order: the commands a reader is shown, in the order they read them. */
const PAGES = [
  join(DEFAULT_APP_DIR, 'README.md'),
  ...readdirSync(join(DEFAULT_APP_DIR, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(DEFAULT_APP_DIR, 'docs', name)),
];
const CLI_SCRIPT = `require(${JSON.stringify(join(DEFAULT_APP_DIR, 'src', 'cli', 'program'))}).runCli(['node', 'plugnpaid-connector', ...process.argv.slice(1)], require(${JSON.stringify(join(DEFAULT_APP_DIR, 'src', 'cli', 'io'))}).processIo).then((code) => process.exit(code))`;

/**
 * The documented commands that run here, offline, against a started runtime, written as the test sees them (quotes
 * removed, comments dropped). Every other `plugnpaid-connector` command is parsed by the CLI's own parser (so an
 * unknown option, a missing argument or a wrong value fails), and every other program is classified below.
 * A command listed here that the documentation no longer has fails the test, so this list cannot rot either.
 */
const RUN = [
  'npx plugnpaid-connector validate',
  'npx plugnpaid-connector map examples/payloads/new_simple_sale.json',
  'npx plugnpaid-connector map --module watch-one-time-sale --parameters {"bundlePerOrderLine":true} examples/payloads/new_simple_sale.json',
  'npx plugnpaid-connector send watch-one-time-sale',
  'npx plugnpaid-connector events',
  'npx plugnpaid-connector events --status failed',
  'npx plugnpaid-connector triggers list <webhook>',
  'npx plugnpaid-connector triggers remove <trigger>',
  'npx plugnpaid-connector validate --app apps/plug-and-pay',
  // Plug&Pay's API from the sandbox, tried as written: the connection, the product list, a payload mapped.
  'npx plugnpaid-connector sandbox --app apps/plug-and-pay --port 8789',
  'npx plugnpaid-connector rpc listProducts --app apps/plug-and-pay',
  'npx plugnpaid-connector connection test --app apps/plug-and-pay',
  'npx plugnpaid-connector map apps/plug-and-pay/examples/payloads/order_paid.json --app apps/plug-and-pay',
  // The Plug&Pay runtime beside the Plug&Paid one, fetching from the sandbox, and a signed sample sent to it, as written.
  'npm start -- --app apps/plug-and-pay --port 8788 --data ./data-plug-and-pay --api-base http://127.0.0.1:8789/v2',
  'npx plugnpaid-connector send watch-order-paid --app apps/plug-and-pay --url http://127.0.0.1:8788 --data ./data-plug-and-pay',
  'npx plugnpaid-connector events --url http://127.0.0.1:8788 --data ./data-plug-and-pay',
];

/** The documented scripts that run here (by their first line): the polling loop. */
const RUN_SCRIPTS = ['TOKEN=$(cat data/admin-token)'];

/** Programs other than the CLI, and why each is fine without running it here. */
const OTHER_PROGRAMS: Record<string, (words: string[]) => void> = {
  // installing and the test suite itself: not run from inside the test suite
  npm: (words) => {
    const scripts = JSON.parse(readFileSync(join(DEFAULT_APP_DIR, 'package.json'), 'utf8')).scripts as Record<string, string>;
    if (words[1] === 'run') expect(scripts, words.join(' ')).to.have.property(words[2]);
    else expect(['ci', 'test', 'start'], words.join(' ')).to.include(words[1]);
  },
  // sets the environment for the lines after it
  export: (words) => expect(words[1]).to.match(/^[A-Z_]+=/),
  // SQLite's own shell, for the backup line
  sqlite3: (words) => expect(words[1]).to.equal('data/plugnpaid.sqlite'),
  cat: () => undefined,
  // the metrics scrape, against the local runtime with its admin token
  curl: (words) => expect(words.join(' ')).to.contain('http://127.0.0.1:8787/metrics'),
};

/** Parses a CLI command line with the real program, every action replaced by nothing: only the parser judges it. */
async function parseOnly(args: string[]): Promise<CliRun> {
  let stderr = '';
  const io = { stdout: () => undefined, stderr: (text: string) => (stderr += text), readStdin: async () => '', env: {} };
  const program = buildProgram(io);
  const silence = (command: Command): void => {
    command.action(() => undefined);
    command.commands.forEach(silence);
  };
  program.commands.forEach(silence);
  try {
    await program.parseAsync(['node', 'plugnpaid-connector', ...args]);
    return { code: 0, stdout: '', stderr };
  } catch {
    return { code: 2, stdout: '', stderr };
  }
}

/** Everything a child process prints, and a way to wait until `pattern` shows up in it. */
class Output {
  text = '';
  private exited = false;

  constructor(child: ChildProcess) {
    const read = (chunk: Buffer) => (this.text += chunk.toString('utf8'));
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', () => (this.exited = true));
  }

  async until(pattern: RegExp, timeoutMs: number): Promise<string> {
    for (const started = Date.now(); Date.now() - started < timeoutMs; await new Promise((resolve) => setTimeout(resolve, 100))) {
      if (pattern.test(this.text)) return this.text;
      if (this.exited) throw new Error(`exited before ${pattern}: ${this.text}`);
    }
    throw new Error(`no ${pattern} after ${timeoutMs} ms in: ${this.text}`);
  }
}

function stopGroup(child: ChildProcess | undefined): void {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

const has = (program: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe('Documented commands (README and docs/)', function () {
  this.timeout(300_000);
  const found = PAGES.flatMap((page) => readmeShell(page));
  const commands = found.filter((entry): entry is ReadmeCommand => 'words' in entry);
  const scripts = found.filter((entry): entry is ReadmeScript => 'script' in entry);
  const written = (entry: ReadmeCommand) => [...Object.keys(entry.env).map((name) => `${name}=${entry.env[name]}`), ...entry.words].join(' ');
  const runnable = (entry: ReadmeCommand) => RUN.includes(entry.words.join(' '));

  it('finds the documented commands, and every command listed as runnable is still in them', () => {
    expect(commands.length).to.be.greaterThan(20);
    for (const line of RUN) expect(commands.map((entry) => entry.words.join(' ')), line).to.include(line);
    for (const first of RUN_SCRIPTS) expect(scripts.map((entry) => entry.script.split('\n')[0]), first).to.include(first);
  });

  it("lists every command of the CLI in the README's command table, once", () => {
    const rows = readFileSync(PAGES[0], 'utf8').match(/^\| `[a-z]+[^`]*` \|/gm) ?? [];
    const listed = rows.map((row) => /^\| `([a-z]+)/.exec(row)![1]);
    const commands = buildProgram({ stdout: () => undefined, stderr: () => undefined, readStdin: async () => '', env: {} }).commands.map((command) => command.name());
    expect(listed).to.deep.equal(commands);
  });

  it('links only to files that exist, and to headings that exist in them', () => {
    const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-');
    const headings = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^#+ (.*)$/gm)].map((match) => slug(match[1]));
    for (const page of PAGES) {
      for (const [, target] of readFileSync(page, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [path, anchor] = target.split('#');
        const file = path ? join(dirname(page), path) : page;
        expect(existsSync(file), `${page}: ${target}`).to.equal(true);
        if (anchor) expect(headings(file), `${page}: ${target}`).to.include(anchor);
      }
    }
  });

  it('has no bracketed optional arguments to paste (they fail as "too many arguments")', () => {
    for (const entry of commands) expect(entry.words.some((word) => /^\[--/.test(word)), entry.text).to.equal(false);
  });

  it('parses every plugnpaid-connector command with the CLI, and knows every other program', async () => {
    for (const entry of commands) {
      const [program, ...rest] = entry.words;
      if (entry.piped) expect(Object.keys(OTHER_PROGRAMS), entry.text).to.include(entry.piped[0]);
      if (program === 'npx') {
        expect(rest[0], entry.text).to.equal('plugnpaid-connector');
        const parsed = await parseOnly(rest.slice(1));
        expect(parsed.code, `${entry.text}\n${parsed.stderr}`).to.equal(0);
      } else if (program === 'npm' && rest[0] === 'start') {
        const dash = rest.indexOf('--');
        const parsed = await parseOnly(['serve', ...(dash >= 0 ? rest.slice(dash + 1) : [])]);
        expect(parsed.code, `${entry.text}\n${parsed.stderr}`).to.equal(0);
      } else {
        expect(OTHER_PROGRAMS, `classify '${program}' (${entry.text}) in this test`).to.have.property(program);
        OTHER_PROGRAMS[program](entry.words);
      }
    }
    for (const { script } of scripts) {
      expect(RUN_SCRIPTS, `a documented script this test does not know:\n${script}`).to.include(script.split('\n')[0]);
      execFileSync('sh', ['-n', '-c', script]);
    }
  });

  describe('run offline against a started runtime, in reading order', () => {
    let parent: string;
    let runtime: TestRuntime;
    let children: ChildProcess[] = [];
    before(async () => {
      parent = mkdtempSync(join(tmpdir(), 'plugnpaid-readme-'));
      runtime = await new TestRuntime(join(parent, 'data')).start();
    });
    after(async () => {
      children.forEach(stopGroup);
      children = [];
      await runtime.destroy();
      rmSync(parent, { recursive: true, force: true });
    });

    it('runs each offline command as written (the runtime found through PLUGNPAID_URL and PLUGNPAID_DATA)', async () => {
      const hook = await runtime.defaultWebhook();
      const triggers = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items as Array<{ id: string; module: string }>;
      const placeholders: Record<string, string> = { '<webhook>': hook.id, '<trigger>': triggers.find((t) => t.module === 'watch-order-refunded')!.id };
      const plugAndPay = { port: String(await closedPort()), data: join(parent, 'data-plug-and-pay'), sandbox: String(await closedPort()) };
      // The ports and folders the documentation names are taken on a shared machine: each gets its own here.
      const local = (word: string) =>
        placeholders[word] ??
        word
          .replace('http://127.0.0.1:8788', `http://127.0.0.1:${plugAndPay.port}`)
          .replace('http://127.0.0.1:8789', `http://127.0.0.1:${plugAndPay.sandbox}`)
          .replace(/^8788$/, plugAndPay.port)
          .replace(/^8789$/, plugAndPay.sandbox)
          .replace(/^\.\/data-plug-and-pay$/, plugAndPay.data);
      const localEnv = (entry: ReadmeCommand) => Object.fromEntries(Object.entries(entry.env).map(([name, value]) => [name, local(value)]));
      /** Long-running commands (the runtime, the sandbox), each started once however many pages show it. */
      const started = new Set<string>();
      const env = { PLUGNPAID_URL: runtime.url, PLUGNPAID_DATA: runtime.dataDir };
      const ran: string[] = [];
      for (const entry of commands.filter(runnable)) {
        const words = entry.words.map(local);
        const longRunning = words[0] === 'npm' || words[2] === 'sandbox';
        if (longRunning && !started.has(words.join(' '))) {
          started.add(words.join(' '));
          const args = words[0] === 'npm' ? ['serve', ...words.slice(words.indexOf('--') + 1)] : words.slice(2);
          // A local address for the API the modules fetch from unless the command names one: tests never call the real Plug&Pay.
          const childEnv = { ...process.env, PLUGNPAID_API_BASE: `http://127.0.0.1:${await closedPort()}/v2`, ...localEnv(entry), PLUGNPAID_LOG_LEVEL: 'silent' };
          const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', CLI_SCRIPT, ...args], { cwd: DEFAULT_APP_DIR, env: childEnv, detached: true });
          children.push(child);
          const banner = args[0] === 'serve' ? { until: /Try it:.*\n/, says: 'Plug&Pay connector runtime listening on' } : { until: /Use it:.*\n/, says: `Plug&Pay API sandbox listening on http://127.0.0.1:${plugAndPay.sandbox}/v2` };
          expect(await new Output(child).until(banner.until, 150_000)).to.contain(banner.says);
        } else if (!longRunning) {
          const run = await cli(words.slice(2), { env: { ...env, ...localEnv(entry) } });
          expect(run.code, `${written(entry)}\n${run.stderr}`).to.equal(0);
          if (words[2] === 'send') expect(run.stdout, written(entry)).to.match(/^HTTP 200 .*"duplicate":false/);
        }
        ran.push(entry.words.join(' '));
      }
      expect([...new Set(ran)]).to.have.members(RUN);
      // The runtime fetched the order from the sandbox (--api-base) and made its bundle.
      const plugAndPayEvents = async () => JSON.parse((await cli(['events', '--json', '--url', `http://127.0.0.1:${plugAndPay.port}`, '--data', plugAndPay.data])).stdout).items as Array<{ type: string; status: string }>;
      await eventually('the Plug&Pay event to be processed', async () => (await plugAndPayEvents())[0]?.status === 'processed', 60_000);
      expect((await plugAndPayEvents()).map((event) => event.type)).to.deep.equal(['order_paid']);
      const mine = JSON.parse((await cli(['events', '--json'], { env })).stdout).items.map((event: { type: string }) => event.type);
      expect(mine).to.deep.equal(['new_simple_sale']);
    });

    it('runs the polling loop: it prints each new bundle once, and continues from where it stopped', async function () {
      if (!has('curl') || !has('jq')) this.skip();
      const [poll] = scripts.filter((entry) => entry.script.startsWith(RUN_SCRIPTS[0]));
      const hook = await runtime.defaultWebhook();
      const attached = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items as Array<{ module: string }>;
      if (!attached.some((trigger) => trigger.module === 'watch-order-refunded')) await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded' });
      const refund = (id: string) => {
        const payload = examplePayload('refund');
        payload.data.order.id = id;
        return runtime.post(hook.url, JSON.stringify(payload));
      };
      await refund('ord_readme_1');
      // `npx plugnpaid-connector` in the script runs this checkout's CLI.
      const bin = join(parent, 'bin');
      execFileSync('mkdir', ['-p', bin]);
      writeFileSync(join(bin, 'npx'), `#!/bin/sh\nshift\nexec ${JSON.stringify(process.execPath)} -r ts-node/register/transpile-only -e ${JSON.stringify(CLI_SCRIPT).replace(/\$/g, '\\$')} "$@"\n`);
      chmodSync(join(bin, 'npx'), 0o755);
      const script = poll.script.replaceAll('http://127.0.0.1:8787', runtime.url).replaceAll('data/admin-token', join(runtime.dataDir, 'admin-token'));
      const child = spawn('sh', ['-c', script], {
        cwd: DEFAULT_APP_DIR,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, PLUGNPAID_URL: runtime.url, PLUGNPAID_DATA: runtime.dataDir, NODE_PATH: join(DEFAULT_APP_DIR, 'node_modules') },
        detached: true,
      });
      children.push(child);
      const printed = new Output(child);
      await printed.until(/ord_readme_1/, 150_000);
      await refund('ord_readme_2');
      const output = await printed.until(/ord_readme_2/, 60_000);
      const orders = output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line).order.id);
      expect(orders).to.deep.equal(['ord_readme_1', 'ord_readme_2']);
      stopGroup(child);
    });
  });
});
