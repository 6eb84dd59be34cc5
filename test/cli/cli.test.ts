import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';
import { AppCopy } from '../helpers/app-copy';
import { cli } from '../helpers/cli';
import { examplePayload } from '../helpers/payloads';

const payloadFile = (type: string): string => join(DEFAULT_APP_DIR, 'examples', 'payloads', `${type}.json`);

describe('plugnpaid-connector validate', () => {
  it('exits 0 and counts fourteen instant triggers, the connection, the webhook and the RPC', async () => {
    const run = await cli(['validate']);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('Plug&Paid (plug-and-paid 0.1.0): valid');
    expect(run.stdout).to.contain('modules: 14 instant triggers');
    expect(run.stdout).to.match(/connection: Plug&Paid \(basic/);
    expect(run.stdout).to.contain('webhooks: 1 (plugnpaid)');
    expect(run.stdout).to.contain('rpcs: 1 (listProducts)');
  });

  it('exits 1 and prints each problem as file:line:column: error: message [module], then a summary', async () => {
    const copy = new AppCopy();
    try {
      copy.edit('modules/watch-order-shipped/module.json', (m) => (m.webhook = 'gone'));
      copy.edit('modules/watch-order-refunded/samples.json', (s) => (s[0].bundles[0].order.amountTotal = 'lots'));
      const run = await cli(['validate', '--app', copy.dir]);
      expect(run.code).to.equal(1);
      const shipped = join(copy.dir, 'modules/watch-order-shipped/module.json');
      expect(run.stderr).to.match(new RegExp(`^${shipped}:\\d+:3: error: webhook 'gone' does not exist \\(known: plugnpaid\\) \\[watch-order-shipped\\]$`, 'm'));
      expect(run.stderr).to.match(/modules\/watch-order-refunded\/samples.json:\d+:\d+: error: does not match the output schema: must be number \[watch-order-refunded\]$/m);
      expect(run.stderr.trimEnd().split('\n').pop()).to.equal(`Plug&Paid (plug-and-paid 0.1.0): not valid: 2 errors, 0 warnings`);
    } finally {
      copy.remove();
    }
  });

  it('exits 2 for an --app directory without a manifest', async () => {
    const run = await cli(['validate', '--app', tmpdir()]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('no manifest.json');
  });
});

describe('plugnpaid-connector map', () => {
  const observed = ['new_simple_sale', 'recurring_subscription_sale', 'mark_paid', 'refund', 'order_declined', 'recurring_subscription_fail', 'recurring_subscription_cancelled'];

  for (const type of observed) {
    it(`prints bundles for a real-shaped ${type} payload under the right module names`, async () => {
      const payload = examplePayload(type);
      const run = await cli(['map', payloadFile(type)]);
      expect(run.code, run.stderr).to.equal(0);
      const output = JSON.parse(run.stdout);
      const expected: string[] = JSON.parse(readFileSync(join(DEFAULT_APP_DIR, 'schemas', 'events.json'), 'utf8')).events[type].modules;
      expect(Object.keys(output)).to.have.members(expected);
      const text = run.stdout;
      const source = payload.data.order ?? payload.data;
      expect(text).to.contain(source.customer.email.toLowerCase());
      source.products.forEach((product: { id: string }) => expect(text).to.contain(`"${product.id}"`));
      if (payload.data.order) {
        expect(text).to.contain(`"${payload.data.order.id}"`);
        for (const name of expected) {
          const [bundle] = output[name];
          if (bundle.order) expect(bundle.order.amountTotal).to.equal(Number(payload.data.order.amount_total));
        }
      }
    });
  }

  it('reads the payload from standard input', async () => {
    const run = await cli(['map', '-'], { stdin: JSON.stringify(examplePayload('refund')) });
    expect(run.code).to.equal(0);
    expect(JSON.parse(run.stdout)['watch-order-refunded'][0].order.id).to.equal('ord_8f3k2j');
  });

  it('limits the output to one module with --module and applies --parameters', async () => {
    const run = await cli(['map', payloadFile('new_simple_sale'), '--module', 'watch-one-time-sale', '--parameters', '{"bundlePerOrderLine":true}']);
    expect(run.code).to.equal(0);
    const output = JSON.parse(run.stdout);
    expect(Object.keys(output)).to.deep.equal(['watch-one-time-sale']);
    expect(output['watch-one-time-sale']).to.have.length(2);
  });

  it('reports each value it cannot convert (field, raw value, what was expected) and exits 1', async () => {
    const payload = examplePayload('new_simple_sale');
    payload.data.order.amount_total = 'abc';
    payload.data.order.created_at = 'yesterday';
    const run = await cli(['map', '-', '--module', 'watch-one-time-sale'], { stdin: JSON.stringify(payload) });
    expect(run.code).to.equal(1);
    expect(run.stderr.trimEnd().split('\n')).to.deep.equal([
      `error: watch-one-time-sale bundle 1/order/amountTotal could not convert "abc" (payload /data/order/amount_total): parseNumber expected a number with '.' as decimal separator`,
      `error: watch-one-time-sale bundle 1/order/createdAt could not convert "yesterday" (payload /data/order/created_at): parseDate expected a date in the format 'YYYY-MM-DDTHH:mm:ssZ'`,
    ]);
    expect(JSON.parse(run.stdout)['watch-one-time-sale'][0].order).to.not.have.any.keys('amountTotal', 'createdAt');
  });

  it('explains an unknown event type on stderr and exits 2', async () => {
    const run = await cli(['map', '-'], { stdin: '{"type":"coupon_used","data":{}}' });
    expect(run.code).to.equal(2);
    expect(run.stdout).to.equal('');
    expect(run.stderr).to.contain("unknown event type 'coupon_used'");
    expect(run.stderr).to.contain('schemas/events.json');
  });

  it('gives the parse position of invalid JSON and exits 2', async () => {
    const run = await cli(['map', '-'], { stdin: '{\n  "type": "refund",\n  "data": {,}\n}' });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/standard input: invalid JSON at line 3, column 12/);
  });

  it('explains a payload without a type', async () => {
    const run = await cli(['map', '-'], { stdin: '{"data":{}}' });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('the payload has no event type (the Plug&Paid event type, read as {{body.type}})');
  });

  it('rejects an unknown module name', async () => {
    const run = await cli(['map', payloadFile('refund'), '--module', 'watch-everything']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain("unknown module 'watch-everything'");
  });

  it('reports a missing file, naming the folder that was searched', async () => {
    const run = await cli(['map', '/nonexistent/payload.json']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.equal('cannot read /nonexistent/payload.json: there is no folder /nonexistent\n');
    const here = await cli(['map', 'payload.json']);
    expect(here.stderr).to.equal(`cannot read payload.json: there is no such file in ${process.cwd()}\n`);
  });

  it('prints the bundles but exits 1 when one breaks its output schema', async () => {
    const payload = examplePayload('refund');
    payload.data.order.status = 7;
    const run = await cli(['map', '-'], { stdin: JSON.stringify(payload) });
    expect(run.code).to.equal(1);
    expect(JSON.parse(run.stdout)['watch-order-refunded'][0].order.status).to.equal(7);
    expect(run.stderr).to.contain('watch-order-refunded bundle 1/order/status must be string');
  });

  it('warns about a payload that does not match its payload schema, and maps it anyway', async () => {
    const run = await cli(['map', '-'], { stdin: '{"type":"refund","data":{}}' });
    expect(run.code).to.equal(0);
    expect(run.stderr).to.contain("warning: payload/data must have required property 'order'");
    expect(JSON.parse(run.stdout)['watch-order-refunded'][0].eventType).to.equal('refund');
  });
});

describe('plugnpaid-connector docs', () => {
  it('writes the module documentation from the definitions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugnpaid-docs-'));
    try {
      const out = join(dir, 'modules.md');
      const run = await cli(['docs', '--out', out]);
      expect(run.code).to.equal(0);
      const text = readFileSync(out, 'utf8');
      expect(text).to.contain('## Watch order tracking number');
      expect(text).to.contain('Settings > Webhooks');
      expect(text).to.contain("`order.amountTotal` | number | Total amount | `{{parseNumber(body.data.order.amount_total, '.')}}` |");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const appDir of [DEFAULT_APP_DIR, join(DEFAULT_APP_DIR, 'apps', 'plug-and-pay')]) {
    it(`keeps ${relative(DEFAULT_APP_DIR, join(appDir, 'docs', 'modules.md'))} in the repository up to date`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'plugnpaid-docs-'));
      try {
        await cli(['docs', '--app', appDir, '--out', join(dir, 'modules.md')]);
        const committed = join(appDir, 'docs', 'modules.md');
        expect(existsSync(committed), 'run `npm run docs`').to.equal(true);
        expect(readFileSync(committed, 'utf8'), `${committed} is stale: run \`npm run docs\``).to.equal(readFileSync(join(dir, 'modules.md'), 'utf8'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('plugnpaid-connector --help', () => {
  for (const command of ['', 'validate', 'map', 'docs', 'connection', 'rpc']) {
    it(`documents ${command || 'the program'}`, async () => {
      const run = await cli([...(command ? [command] : []), '--help']);
      expect(run.code).to.equal(0);
      expect(run.stdout).to.match(/Usage: plugnpaid-connector/);
    });
  }
});

describe('the installed bin', function () {
  // A separate node process: its start alone can take over 10 s on a loaded machine.
  this.timeout(240_000);
  before(function () {
    if (!existsSync(join(DEFAULT_APP_DIR, 'dist', 'cli', 'main.js'))) execFileSync('npm', ['run', 'build'], { cwd: DEFAULT_APP_DIR, stdio: 'ignore' });
  });

  it('runs validate as a separate process', () => {
    const run = spawnSync(process.execPath, [join(DEFAULT_APP_DIR, 'bin', 'plugnpaid-connector.js'), 'validate'], { encoding: 'utf8' });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('modules: 14 instant triggers');
  });

  it('exits 2 for an unknown event type as a separate process', () => {
    const run = spawnSync(process.execPath, [join(DEFAULT_APP_DIR, 'bin', 'plugnpaid-connector.js'), 'map', '-'], { input: '{"type":"nope"}', encoding: 'utf8' });
    expect(run.status).to.equal(2);
  });
});
