import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';
import type { ReportedProblem } from '../../src/definition/problems';
import { AppCopy } from '../helpers/app-copy';
import { cli } from '../helpers/cli';

const PLUG_AND_PAY = join(__dirname, '..', '..', 'apps', 'plug-and-pay');

interface JsonReport {
  valid: boolean;
  problems: ReportedProblem[];
}

async function jsonReport(args: string[]): Promise<{ code: number; report: JsonReport }> {
  const run = await cli(['validate', ...args, '--format', 'json']);
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport };
}

describe('validate --format json and --strict', function () {
  this.timeout(120_000);

  it('reports both shipped apps valid, with no error and no warning', async () => {
    for (const args of [[], ['--app', PLUG_AND_PAY]]) {
      const { code, report } = await jsonReport(args);
      expect(code).to.equal(0);
      expect(report).to.deep.equal({ valid: true, problems: [] });
    }
  });

  it('exits 2 with a JSON report when the folder is not an app', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'plugnpaid-empty-'));
    try {
      const { code, report } = await jsonReport(['--app', empty]);
      expect(code).to.equal(2);
      expect(report.valid).to.equal(false);
      expect(report.problems).to.have.length(1);
      expect(report.problems[0]).to.include({ severity: 'error', file: 'manifest.json', line: 1, column: 1 });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('rejects an unknown --format', async () => {
    const run = await cli(['validate', '--format', 'xml']);
    expect(run.code).to.not.equal(0);
    expect(run.stderr).to.contain('xml');
  });

  describe("Make's review conventions are warnings", () => {
    let app: AppCopy;
    beforeEach(() => {
      app = new AppCopy();
      app.edit('modules/watch-order-declined/module.json', (m) => (m.label = 'Watch Order Declined'));
    });
    afterEach(() => app.remove());

    it('passes with a warning at the label, suggesting sentence case', async () => {
      const text = await cli(['validate', '--app', app.dir]);
      expect(text.code, text.stderr).to.equal(0);
      expect(text.stderr).to.match(/modules\/watch-order-declined\/module.json:2:3: warning: module label 'Watch Order Declined' is not in sentence case.*; did you mean 'Watch order declined'\?/);
      expect(text.stdout).to.contain('Plug&Paid (plug-and-paid 0.1.0): valid (0 errors, 1 warning)');
      const { code, report } = await jsonReport(['--app', app.dir]);
      expect(code).to.equal(0);
      expect(report.valid).to.equal(true);
      expect(report.problems).to.deep.equal([
        {
          severity: 'warning',
          file: 'modules/watch-order-declined/module.json',
          pointer: '/label',
          line: 2,
          column: 3,
          message: "module label 'Watch Order Declined' is not in sentence case, as Make's naming page asks (developers.make.com/custom-apps-documentation/best-practices/naming-conventions/modules/module-labels)",
          modules: ['watch-order-declined'],
          suggestion: "did you mean 'Watch order declined'?",
        },
      ]);
    });

    it('fails with --strict', async () => {
      const text = await cli(['validate', '--app', app.dir, '--strict']);
      expect(text.code).to.equal(1);
      expect(text.stderr).to.contain('not valid: 0 errors, 1 warning (--strict: warnings fail too)');
      const { code, report } = await jsonReport(['--app', app.dir, '--strict']);
      expect(code).to.equal(1);
      expect(report.valid).to.equal(false);
    });

    it('does not stop an export', async () => {
      const out = join(app.dir, 'out');
      const run = await cli(['export', '--app', app.dir, '--dir', out]);
      expect(run.code, run.stderr).to.equal(0);
      expect(existsSync(join(out, 'makecomapp.json'))).to.equal(true);
    });
  });

  it('warns about a parameter without help text and an output field without a label', async () => {
    const app = new AppCopy();
    try {
      app.edit('connector/parameters.json', (p) => delete p.bundlePerOrderLine.help);
      app.edit('schemas/bundles/product.schema.json', (s) => delete s.properties.product.properties.name.title);
      const { code, report } = await jsonReport(['--app', app.dir]);
      expect(code).to.equal(0);
      expect(report.problems.map((p) => [p.severity, p.file, p.message.split(':')[0]])).to.have.deep.members([
        ['warning', 'connector/parameters.json', "parameter 'bundlePerOrderLine' has no help text"],
        ['warning', 'schemas/bundles/product.schema.json', 'output field has no label'],
      ]);
    } finally {
      app.remove();
    }
  });
});

describe('export, deploy and serve refuse an invalid app with the report validate prints', function () {
  this.timeout(120_000);
  let app: AppCopy;
  let data: string;
  beforeEach(() => {
    app = new AppCopy();
    app.edit('modules/watch-order-shipped/module.json', (m) => (m.webhook = 'plugnpay'));
    data = mkdtempSync(join(tmpdir(), 'plugnpaid-refused-'));
  });
  afterEach(() => {
    app.remove();
    rmSync(data, { recursive: true, force: true });
  });

  const commands: Array<[string, (dir: string, data: string) => string[], string]> = [
    ['export', (dir) => ['export', '--app', dir, '--dir', join(dir, 'out')], 'Not exported'],
    ['deploy', (dir, data) => ['deploy', '--app', dir, '--zone-url', 'https://eu1.make.com/api', '--app-id', 'x', '--dir', join(data, 'make-app'), '--dry-run'], 'Not deployed'],
    ['serve', (dir, data) => ['serve', '--app', dir, '--data', data, '--port', '0', '--host', '127.0.0.1'], 'Not serving'],
  ];

  for (const [name, args, refusal] of commands) {
    it(`${name} prints the same problem lines and exits 1`, async () => {
      const validate = await cli(['validate', '--app', app.dir]);
      const problemLine = validate.stderr.split('\n')[0];
      expect(problemLine).to.match(/module.json:\d+:\d+: error: webhook 'plugnpay' does not exist.*did you mean 'plugnpaid'\?/);
      const run = await cli(args(app.dir, data));
      expect(run.code).to.equal(1);
      expect(run.stderr.split('\n')[0]).to.equal(problemLine);
      expect(run.stderr).to.contain(`${refusal}: 1 error, 0 warnings`);
      expect(run.stdout).to.equal('');
      expect(existsSync(join(app.dir, 'out'))).to.equal(false);
      expect(existsSync(join(data, 'make-app'))).to.equal(false);
    });
  }
});

describe('a misspelt keyword in a shared bundle schema', function () {
  this.timeout(120_000);
  let app: AppCopy;
  let data: string;
  before(() => {
    app = new AppCopy();
    const file = join(app.dir, 'schemas/bundles/order.schema.json');
    app.write('schemas/bundles/order.schema.json', readFileSync(file, 'utf8').replace('"title": "Order bundle"', '"titel": "Order bundle"'));
    data = mkdtempSync(join(tmpdir(), 'plugnpaid-keyword-'));
  });
  after(() => {
    app.remove();
    rmSync(data, { recursive: true, force: true });
  });

  const commands: Array<[string, (dir: string, data: string) => string[]]> = [
    ['validate', (dir) => ['validate', '--app', dir]],
    ['map', (dir) => ['map', '--app', dir, join(DEFAULT_APP_DIR, 'examples/payloads/new_simple_sale.json')]],
    ['export', (dir) => ['export', '--app', dir, '--dir', join(dir, 'out')]],
    ['serve', (dir, data) => ['serve', '--app', dir, '--data', data, '--port', '0', '--host', '127.0.0.1']],
  ];
  for (const [name, args] of commands) {
    it(`is reported by ${name} at its file, line and column with a suggestion, once, not as an unexpected error`, async () => {
      const run = await cli(args(app.dir, data));
      expect(run.code, run.stderr).to.equal(1);
      const lines = run.stderr.split('\n').filter((line) => line.includes('order.schema.json'));
      expect(lines, run.stderr).to.have.length(1);
      expect(lines[0]).to.match(/schemas\/bundles\/order\.schema\.json:3:3: error: unknown property 'titel'; did you mean 'title'\? \[watch-one-time-sale, /);
      expect(run.stderr).to.not.contain('unexpected error');
    });
  }
});
