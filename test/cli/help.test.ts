import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';
import { buildProgram } from '../../src/cli/program';
import { cli } from '../helpers/cli';

/** Every command of the tree with its words (`['triggers', 'add']`), the program itself first. */
function commandsOf(command: Command, words: string[] = []): Array<{ words: string[]; command: Command }> {
  return [{ words, command }, ...command.commands.filter((sub) => sub.name() !== 'help').flatMap((sub) => commandsOf(sub, [...words, sub.name()]))];
}

const tree = commandsOf(buildProgram({ stdout: () => undefined, stderr: () => undefined, readStdin: async () => '', env: {} }));
const helpOf = async (words: string[]) => (await cli([...words, '--help'])).stdout;

describe('plugnpaid-connector --help and --version', () => {
  it('prints the package version with --version and -V', async () => {
    const { version } = JSON.parse(readFileSync(join(DEFAULT_APP_DIR, 'package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const run = await cli([flag]);
      expect(run.code).to.equal(0);
      expect(run.stdout).to.equal(`${version}\n`);
    }
  });

  it('wraps every help line but the usage line within 80 columns', async () => {
    for (const { words } of tree) {
      const lines = (await helpOf(words)).split('\n').filter((line) => !line.startsWith('Usage:'));
      for (const line of lines) expect(line.length, `${words.join(' ') || 'the program'}: ${line}`).to.be.at.most(80);
    }
  });

  it('names the environment variable and the default of every option a client command reads', async () => {
    const clients = tree.filter(({ command }) => command.options.some((option) => option.long === '--admin-token') && command.name() !== 'serve');
    expect(clients.map(({ words }) => words.join(' '))).to.include.members(['events', 'webhooks list', 'triggers add', 'send', 'replay', 'drift', 'samples capture']);
    for (const { words } of clients) {
      const help = (await helpOf(words)).replace(/\s+/g, ' ');
      expect(help, words.join(' ')).to.contain('(env PLUGNPAID_URL, default http://127.0.0.1:8787)');
      expect(help, words.join(' ')).to.contain('(env PLUGNPAID_DATA, default ./data)');
      expect(help, words.join(' ')).to.contain('(env PLUGNPAID_ADMIN_TOKEN, default: read from the data directory)');
    }
  });

  it('names the environment variable and the default of every serve option that has one', async () => {
    const help = (await helpOf(['serve'])).replace(/\s+/g, ' ');
    for (const text of ['(env PLUGNPAID_HOST, default 127.0.0.1)', '(env PLUGNPAID_PORT, default 8787)', '(env PLUGNPAID_DATA, default ./data)', 'env PLUGNPAID_PUBLIC_URL', 'env PLUGNPAID_ADMIN_TOKEN', 'env PLUGNPAID_ALLOW_PRIVATE_DESTINATIONS=1']) {
      expect(help).to.contain(text);
    }
  });

  it('gives --to one meaning: the URL send posts to; a trigger forwards with --forward-to', async () => {
    const withTo = tree.filter(({ command }) => command.options.some((option) => option.long === '--to')).map(({ words }) => words.join(' '));
    expect(withTo).to.deep.equal(['send']);
    expect(await helpOf(['triggers', 'add'])).to.contain('--forward-to <url>');
  });
});
