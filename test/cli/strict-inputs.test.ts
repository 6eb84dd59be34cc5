import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';
import { cli } from '../helpers/cli';
import { TestRuntime } from '../helpers/runtime';

const sale = join(DEFAULT_APP_DIR, 'examples', 'payloads', 'new_simple_sale.json');

describe('Inputs that used to be accepted silently are refused with what to write instead', () => {
  describe('map --parameters', () => {
    it('refuses a misspelt parameter with a did-you-mean (exit 2, nothing printed on stdout)', async () => {
      const run = await cli(['map', '--parameters', '{"bundlePerOrderLines":true}', sale]);
      expect(run.code).to.equal(2);
      expect(run.stdout).to.equal('');
      expect(run.stderr).to.contain("unknown parameter 'bundlePerOrderLines'");
      expect(run.stderr).to.contain("did you mean 'bundlePerOrderLine'?");
    });

    it('refuses a product filter given as a text instead of a list', async () => {
      const run = await cli(['map', '--module', 'watch-one-time-sale', '--parameters', '{"products":"prod_course"}', sale]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain(`parameter 'products' must be a list, each a text (an option value, e.g. an id), not the text "prod_course" (write ["prod_course"])`);
    });

    it('refuses parameters that are not JSON or not an object', async () => {
      expect((await cli(['map', '--parameters', '{bundlePerOrderLine:true}', sale])).stderr).to.contain('--parameters: invalid JSON');
      expect((await cli(['map', '--parameters', 'true', sale])).stderr).to.contain('parameters must be a JSON object');
    });

    it('still maps with correct parameters', async () => {
      const run = await cli(['map', '--module', 'watch-one-time-sale', '--parameters', '{"products":["prod_course"],"bundlePerOrderLine":true}', sale]);
      expect(run.code, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout)['watch-one-time-sale'].length).to.be.greaterThan(0);
    });

    it('suggests the module meant by a misspelt --module', async () => {
      const run = await cli(['map', '--module', 'watch-one-time-sales', sale]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain("unknown module 'watch-one-time-sales'. Did you mean 'watch-one-time-sale'? Modules: ");
    });
  });

  describe('runtime commands', () => {
    let runtime: TestRuntime;
    let client: string[];
    beforeEach(async () => {
      runtime = await new TestRuntime().start();
      client = ['--url', runtime.url, '--data', runtime.dataDir];
    });
    afterEach(async () => runtime.destroy());

    it('triggers add refuses the same typo through the same check, and invalid JSON without a stack trace', async () => {
      const hook = await runtime.defaultWebhook();
      const typo = await cli(['triggers', 'add', hook.id, 'watch-order-refunded', '--parameters', '{"bundlePerOrderLines":true}', ...client]);
      expect(typo.code).to.equal(1);
      expect(typo.stderr).to.contain("unknown parameter 'bundlePerOrderLines' for watch-order-refunded; did you mean 'bundlePerOrderLine'?");
      const broken = await cli(['triggers', 'add', hook.id, 'watch-order-refunded', '--parameters', "{'a':1}", ...client]);
      expect(broken.code).to.equal(2);
      expect(broken.stderr).to.contain('--parameters is not valid JSON');
      expect(broken.stderr).not.to.contain('unexpected error');
    });

    it('events --status refuses an unknown status, listing the allowed ones', async () => {
      const run = await cli(['events', '--status', 'bogus', ...client]);
      expect(run.code).to.equal(2);
      expect(run.stdout).to.equal('');
      expect(run.stderr).to.contain("argument 'bogus' is invalid. Allowed choices are pending, retrying, processed, unrouted, failed, dead.");
    });

    it('events --help lists every status, retrying and dead included', async () => {
      const run = await cli(['events', '--help']);
      expect(run.code).to.equal(0);
      expect(run.stdout.replace(/\s+/g, ' ')).to.contain('(choices: "pending", "retrying", "processed", "unrouted", "failed", "dead")');
    });

    it('replay refuses an unknown kind with the allowed ones', async () => {
      const run = await cli(['replay', 'bundle', '1', ...client]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('Allowed choices are event, delivery, type.');
    });

    it('events with a data folder that holds no admin token says so instead of HTTP 401', async () => {
      const missing = join(runtime.dataDir, 'not-here');
      const run = await cli(['events', '--url', runtime.url, '--data', missing]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain(`no admin token: ${join(missing, 'admin-token')} does not exist. Pass --data <the data folder the runtime was started with>`);
      expect(run.stderr).not.to.contain('401');
    });

    it('a wrong token says where it came from and what to pass', async () => {
      const run = await cli(['events', '--url', runtime.url, '--admin-token', 'wrong']);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('HTTP 401');
      expect(run.stderr).to.contain(`the admin token from --admin-token is not the one of the runtime at ${runtime.url}`);
    });
  });

  describe('numeric options are parsed before anything is created', () => {
    let parent: string;
    beforeEach(() => (parent = mkdtempSync(join(tmpdir(), 'plugnpaid-strict-'))));
    afterEach(() => rmSync(parent, { recursive: true, force: true }));

    it('serve --port abc exits 2 naming the option, and creates no data folder', async () => {
      const data = join(parent, 'data');
      const run = await cli(['serve', '--port', 'abc', '--data', data]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain("option '--port <port>' argument 'abc' is invalid. --port must be a whole number from 0 to 65535, not \"abc\"");
      expect(run.stderr).not.to.contain('unexpected error');
      expect(existsSync(data)).to.equal(false);
    });

    it('serve refuses a port out of range and a bad PLUGNPAID_PORT the same way', async () => {
      const data = join(parent, 'data');
      expect((await cli(['serve', '--port', '70000', '--data', data])).stderr).to.contain('--port must be a whole number from 0 to 65535');
      const env = await cli(['serve', '--data', data], { env: { PLUGNPAID_PORT: '80a' } });
      expect(env.code).to.equal(2);
      expect(env.stderr).to.equal('PLUGNPAID_PORT must be a whole number from 0 to 65535, not "80a"\n');
      const schedule = await cli(['serve', '--data', data], { env: { PLUGNPAID_RETRY_SCHEDULE_MS: '1000,soon' } });
      expect(schedule.stderr).to.equal('each PLUGNPAID_RETRY_SCHEDULE_MS entry must be a whole number ≥ 0, not "soon"\n');
      expect(existsSync(data)).to.equal(false);
    });

    it('serve refuses a PLUGNPAID_RETENTION_DAYS shorter than the dedupe window with exit 2, saying how long it must be', async () => {
      const data = join(parent, 'data');
      const run = await cli(['serve', '--data', data], { env: { PLUGNPAID_RETENTION_DAYS: '3' } });
      expect(run.code).to.equal(2);
      expect(run.stderr).to.equal(
        'PLUGNPAID_RETENTION_DAYS (3) is shorter than the dedupe window (PLUGNPAID_DEDUPE_WINDOW_HOURS, 168 hours): events must be kept at least as long as their duplicates are recognised. Set PLUGNPAID_RETENTION_DAYS to 7 or more, or shorten the window.\n',
      );
      expect(existsSync(data)).to.equal(false);
    });

    it('deploy --app-version must be a whole number ≥ 1', async () => {
      const run = await cli(['deploy', '--zone-url', 'https://eu1.make.com/api', '--app-id', 'x', '--app-version', 'one', '--dry-run', '--dir', join(parent, 'make-app')]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('--app-version must be a whole number ≥ 1, not "one"');
      expect(existsSync(join(parent, 'make-app'))).to.equal(false);
    });
  });
});
