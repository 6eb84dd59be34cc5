import { runCli } from '../../src/cli/program';

/** The outcome of one in-process CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `plugnpaid-connector <args>` in-process with captured output. */
/** `terminal`: run as if stdout and stdin were a terminal (colours allowed, nothing piped in). */
export async function cli(args: string[], options: { stdin?: string; env?: Record<string, string>; terminal?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'plugnpaid-connector', ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readStdin: async () => options.stdin ?? '',
    env: options.env ?? {},
    stdoutIsTerminal: options.terminal,
    stdinIsTerminal: options.terminal,
  });
  return { code, stdout, stderr };
}
