import { expect } from 'chai';
import { join } from 'node:path';
import { DEFAULT_APP_DIR, loadApp } from '../../src/definition/loader';
import { cli } from '../helpers/cli';
import { examplePayload } from '../helpers/payloads';
import { TestRuntime } from '../helpers/runtime';

const MODULES = loadApp().modules.map((module) => module.name).join(', ');

describe('Errors that say what to do next', () => {
  describe('a runtime URL without its scheme', () => {
    it('is refused with the fix, from --url', async () => {
      const run = await cli(['events', '--url', '127.0.0.1:8791', '--admin-token', 'x']);
      expect(run).to.deep.include({ code: 2, stderr: '--url "127.0.0.1:8791" is not an http(s) URL: add the scheme: --url http://127.0.0.1:8791\n' });
    });

    it('is refused with the fix, from PLUGNPAID_URL', async () => {
      const run = await cli(['events', '--admin-token', 'x'], { env: { PLUGNPAID_URL: 'localhost:8787' } });
      expect(run).to.deep.include({ code: 2, stderr: 'PLUGNPAID_URL "localhost:8787" is not an http(s) URL: add the scheme: PLUGNPAID_URL=http://localhost:8787\n' });
    });
  });

  describe('serve --public-url', () => {
    it('refuses an address without a scheme, which would print an unusable webhook URL', async () => {
      const run = await cli(['serve', '--public-url', 'example.com']);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('--public-url must be the https:// (or http://) address Plug&Paid reaches this server at, such as a tunnel\'s, e.g. https://example.com; not "example.com"');
    });

    it('refuses the same in PLUGNPAID_PUBLIC_URL, and a URL with a query', async () => {
      expect((await cli(['serve'], { env: { PLUGNPAID_PUBLIC_URL: 'ftp://example.com' } })).stderr).to.contain('PLUGNPAID_PUBLIC_URL must be the https:// (or http://) address');
      expect((await cli(['serve', '--public-url', 'https://example.com/?a=1'])).code).to.equal(2);
    });
  });

  describe('an unknown command', () => {
    it('prints the suggestion and one line, not the whole help', async () => {
      const run = await cli(['evnts']);
      expect(run).to.deep.include({ code: 2, stderr: "error: unknown command 'evnts'\n(Did you mean events?)\n(plugnpaid-connector --help lists the commands)\n" });
    });

    it('points a subcommand mistake at that command\'s help', async () => {
      const run = await cli(['triggers', 'add']);
      expect(run.stderr).to.equal("error: missing required argument 'webhook'\n(plugnpaid-connector triggers add --help shows the usage)\n");
    });
  });

  describe('map reading standard input', () => {
    it('says it reads standard input when nothing is piped into a terminal', async () => {
      const run = await cli(['map'], { stdin: JSON.stringify(examplePayload('refund')), terminal: true });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stderr).to.equal('reading the payload from standard input: paste it, then press Ctrl-D (or give a file: plugnpaid-connector map <file>)\n');
    });

    it('says nothing of it when the payload is piped in', async () => {
      expect((await cli(['map', '-'], { stdin: JSON.stringify(examplePayload('refund')) })).stderr).to.equal('');
    });

    it('says that empty input is empty, not invalid JSON at line 1', async () => {
      const run = await cli(['map'], { stdin: '  \n' });
      expect(run).to.deep.include({ code: 2, stderr: 'standard input is empty: pipe a payload in (cat payload.json | plugnpaid-connector map -), or give a payload file: plugnpaid-connector map <file>\n' });
    });
  });

  describe('did you mean', () => {
    it('suggests the module of a misspelt map --module, with punctuation a sentence has', async () => {
      const run = await cli(['map', '--module', 'watch-one-time-sal', join(DEFAULT_APP_DIR, 'examples', 'payloads', 'new_simple_sale.json')]);
      expect(run).to.deep.include({ code: 2, stderr: `unknown module 'watch-one-time-sal'. Did you mean 'watch-one-time-sale'? Modules: ${MODULES}\n` });
    });

    it('suggests the event type of a misspelt payload type', async () => {
      const run = await cli(['map', '-'], { stdin: '{"type":"refnd","data":{}}' });
      expect(run.code).to.equal(2);
      expect(run.stderr).to.match(/^No trigger reacts to this payload: unknown event type 'refnd'\. Did you mean 'refund'\? Known types: /);
    });

    describe('in the runtime commands', () => {
      let runtime: TestRuntime;
      let client: string[];
      before(async () => {
        runtime = await new TestRuntime().start();
        client = ['--url', runtime.url, '--data', runtime.dataDir];
      });
      after(() => runtime.destroy());

      it('suggests the module of a misspelt send source', async () => {
        const run = await cli(['send', 'watch-order-refundd', ...client]);
        expect(run).to.deep.include({
          code: 2,
          stderr: `'watch-order-refundd' is neither a module name nor a readable payload file: unknown module 'watch-order-refundd'. Did you mean 'watch-order-refunded'? Modules: ${MODULES}\n`,
        });
      });

      it('names the file and its folder when the send source is a missing file', async () => {
        const run = await cli(['send', 'payloads/refund.json', ...client]);
        expect(run.stderr).to.equal(`'payloads/refund.json' is neither a module name nor a readable payload file: cannot read payloads/refund.json: there is no folder ${join(process.cwd(), 'payloads')}\n`);
      });

      it('suggests the module of a misspelt samples capture --module', async () => {
        const run = await cli(['samples', 'capture', '1', '--module', 'watch-order-shiped', ...client]);
        expect(run).to.deep.include({ code: 2, stderr: `unknown module 'watch-order-shiped'. Did you mean 'watch-order-shipped'? Modules: ${MODULES}\n` });
      });
    });
  });

  describe('validate --app naming a folder that does not exist', () => {
    it('says the folder does not exist, and suggests the one beside it', async () => {
      const run = await cli(['validate', '--app', join(DEFAULT_APP_DIR, 'apps', 'plugandpay')]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain(`there is no folder ${join(DEFAULT_APP_DIR, 'apps', 'plugandpay')}; did you mean ${join(DEFAULT_APP_DIR, 'apps', 'plug-and-pay')}? (--app names an app's folder, the one holding manifest.json)`);
      expect(run.stderr).to.not.contain('no manifest.json');
    });
  });
});
