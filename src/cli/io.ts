/** Where a CLI command reads and writes; the real process streams in production, buffers in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  env: Record<string, string | undefined>;
  /** True when stdout is a terminal a person reads (colours are then allowed); tests leave it out. */
  stdoutIsTerminal?: boolean;
  /** True when stdin is a terminal (nothing piped in): a command reading it says so instead of waiting silently. */
  stdinIsTerminal?: boolean;
}

/** The process's own streams. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  env: process.env,
  stdoutIsTerminal: process.stdout.isTTY === true,
  stdinIsTerminal: process.stdin.isTTY === true,
};

/** Thrown by a command to end with a given exit code after it has written its message. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
