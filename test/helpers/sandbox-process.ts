import { ChildProcess, spawn } from 'node:child_process';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';

const CLI_SCRIPT = `require('./src/cli/program').runCli(['node', 'plugnpaid-connector', ...process.argv.slice(1)], require('./src/cli/io').processIo).then((code) => process.exit(code))`;

/** A `plugnpaid-connector sandbox` in its own process, as a user starts it, and what it printed once it listens. */
export interface SandboxProcess {
  child: ChildProcess;
  banner: string;
  /** The "Use it:" command it printed: its variables and its arguments after `npx plugnpaid-connector`. */
  useIt: { env: Record<string, string>; args: string[] };
  stop(): Promise<void>;
}

/** Starts the sandbox CLI (TypeScript sources through ts-node) with `args` and waits for its banner. */
export async function startSandboxProcess(args: string[], timeoutMs = 150_000): Promise<SandboxProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', CLI_SCRIPT, 'sandbox', ...args], { cwd: DEFAULT_APP_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no sandbox banner after ${timeoutMs} ms: ${output}`)), timeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/Use it:.*\n.*\n/.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited (${code}): ${output}`));
    });
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  const words = /Use it:\s+(.*)\n/.exec(banner)![1].split(' ');
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0])) {
    const [name, ...value] = words.shift()!.split('=');
    env[name] = value.join('=');
  }
  if (words.shift() !== 'npx' || words.shift() !== 'plugnpaid-connector') throw new Error(`not a CLI command: ${banner}`);
  return { child, banner, useIt: { env, args: words }, stop };
}
