import { expect } from 'chai';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath } from '../../src/cli/app-report';
import type { ReportedProblem } from '../../src/definition/problems';
import { AppCopy } from '../helpers/app-copy';
import { cli } from '../helpers/cli';

/** One kind of mistake: how to plant it in a copy of the app, and where (file + text on the line) it is written. */
interface PlantedMistake {
  name: string;
  plant(app: AppCopy): void;
  file: string;
  /** Text on the line where the mistake is; `last` when it is the last occurrence in the file. */
  line: { text: string; last?: boolean } | { number: number };
  message: RegExp;
  suggestion?: RegExp;
  /** The modules a shared place affects (at least these). */
  modules?: string[];
}

const ORDER_FRAGMENT = 'schemas/bundles/order.schema.json';
const ONE_TIME_SALE = 'modules/watch-one-time-sale/module.json';

/** Replaces the one occurrence of `from` in a file of the copy (so the planted text is exactly what we wrote). */
function replaceOnce(app: AppCopy, file: string, from: string, to: string): void {
  const text = readFileSync(join(app.dir, file), 'utf8');
  expect(text.split(from), `'${from}' occurs once in ${file}`).to.have.length(2);
  app.write(file, text.replace(from, to));
}

const mistakes: PlantedMistake[] = [
  {
    name: 'an IML syntax error in a shared fragment',
    plant: (app) => replaceOnce(app, ORDER_FRAGMENT, '"{{$.status}}"', '"{{$.statsu + }}"'),
    file: ORDER_FRAGMENT,
    line: { text: '$.statsu + ' },
    message: /IML syntax error at character \d+ of "\{\{\$\.statsu \+ \}\}"/,
    modules: ['watch-one-time-sale', 'watch-order-refunded', 'watch-invoice-paid'],
  },
  {
    name: "an IML syntax error in a module's own definition",
    plant: (app) => replaceOnce(app, ONE_TIME_SALE, '"{{body.data.order.products}}"', '"{{body.data.order.products)}}"'),
    file: ONE_TIME_SALE,
    line: { text: '"orderLines"' },
    message: /IML syntax error/,
  },
  {
    name: 'an unknown IML function',
    plant: (app) => replaceOnce(app, ORDER_FRAGMENT, '{{upper($.currency)}}', '{{uper($.currency)}}'),
    file: ORDER_FRAGMENT,
    line: { text: 'uper($.currency)' },
    message: /unknown IML function 'uper'/,
    suggestion: /did you mean 'upper'/,
  },
  {
    name: 'an unknown IML variable',
    plant: (app) => replaceOnce(app, ONE_TIME_SALE, '{{body.data.order.products}}', '{{bdy.data.order.products}}'),
    file: ONE_TIME_SALE,
    line: { text: 'bdy.data' },
    message: /unknown variable 'bdy'/,
    suggestion: /did you mean 'body'/,
  },
  {
    name: 'a misspelt property in a module definition',
    plant: (app) => replaceOnce(app, 'modules/watch-invoice-paid/module.json', '"label"', '"lable"'),
    file: 'modules/watch-invoice-paid/module.json',
    line: { text: '"lable"' },
    message: /unknown property 'lable'/,
    suggestion: /did you mean 'label'/,
  },
  {
    name: 'a missing module folder',
    plant: (app) => rmSync(join(app.dir, 'modules/watch-order-shipped'), { recursive: true }),
    file: 'manifest.json',
    line: { text: '"watch-order-shipped"' },
    message: /module 'watch-order-shipped' has no folder modules\/watch-order-shipped/,
  },
  {
    name: 'a catalogue event naming an unknown module',
    plant: (app) => replaceOnce(app, 'schemas/events.json', '"modules": ["watch-order-refunded"]', '"modules": ["watch-order-refundd"]'),
    file: 'schemas/events.json',
    line: { text: '"watch-order-refundd"' },
    message: /module 'watch-order-refundd' is not in manifest.json's module list/,
    suggestion: /did you mean 'watch-order-refunded'/,
  },
  {
    name: 'a sample payload field of the wrong type',
    plant: (app) => app.edit('modules/watch-order-refunded/samples.json', (s) => (s[0].payload.data.order.currency = 978)),
    file: 'modules/watch-order-refunded/samples.json',
    line: { text: '"currency": 978' },
    message: /payload must be string/,
  },
  {
    name: 'a module file that is not valid JSON',
    plant: (app) => replaceOnce(app, 'modules/watch-customers/module.json', '"group": "Customers",', '"group": "Customers"'),
    file: 'modules/watch-customers/module.json',
    line: { text: '"webhook"' },
    message: /invalid JSON at line \d+, column \d+ .*comma expected/,
  },
  {
    name: 'a shared fragment that is not valid JSON',
    plant: (app) => replaceOnce(app, 'schemas/bundles/common.schema.json', '"$defs": {', '"$defs": {{'),
    file: 'schemas/bundles/common.schema.json',
    line: { text: '"$defs": {{' },
    message: /invalid JSON .*the \d+ modules that use it were not checked further/,
    modules: ['watch-one-time-sale', 'watch-customers'],
  },
  {
    name: 'a module listed twice in the manifest',
    plant: (app) => app.edit('manifest.json', (m) => m.components.modules.push('watch-customers')),
    file: 'manifest.json',
    line: { text: '"watch-customers"', last: true },
    message: /must NOT have duplicate items/,
  },
  {
    name: 'a module without a label',
    plant: (app) => app.edit('modules/watch-product-deleted/module.json', (m) => delete m.label),
    file: 'modules/watch-product-deleted/module.json',
    line: { number: 1 },
    message: /must have required property 'label'/,
  },
  {
    name: 'a module naming an unknown webhook',
    plant: (app) => replaceOnce(app, 'modules/watch-order-declined/module.json', '"webhook": "plugnpaid"', '"webhook": "plugnpay"'),
    file: 'modules/watch-order-declined/module.json',
    line: { text: '"plugnpay"' },
    message: /webhook 'plugnpay' does not exist/,
    suggestion: /did you mean 'plugnpaid'/,
  },
  {
    name: 'a dropdown naming an unknown RPC',
    plant: (app) => replaceOnce(app, 'connector/parameters.json', 'rpc://listProducts', 'rpc://listProduct'),
    file: 'connector/parameters.json',
    line: { text: 'rpc://listProduct' },
    message: /RPC 'listProduct', which does not exist/,
    suggestion: /did you mean 'listProducts'/,
  },
  {
    name: 'sample bundles that differ from what the mapping makes',
    plant: (app) => app.edit('modules/watch-invoice-paid/samples.json', (s) => (s[0].bundles[0].order.currency = 'USD')),
    file: 'modules/watch-invoice-paid/samples.json',
    line: { text: '"currency": "USD"' },
    message: /different bundles .*\[0\]\.order\.currency: "USD" → "EUR"/,
  },
  {
    name: 'a sample of an event type the catalogue does not route to the module',
    plant: (app) => app.edit('modules/watch-order-refunded/samples.json', (s) => (s[0].payload.type = 'refunds')),
    file: 'modules/watch-order-refunded/samples.json',
    line: { text: '"refunds"' },
    message: /event type 'refunds' is not one this module watches/,
    suggestion: /did you mean 'refund'/,
  },
  {
    name: 'a connection parameter of a misspelt type',
    plant: (app) => replaceOnce(app, 'connector/connection.json', '"type": "password"', '"type": "pasword"'),
    file: 'connector/connection.json',
    line: { text: '"pasword"' },
    message: /must be one of/,
    suggestion: /did you mean 'password'/,
  },
  {
    name: 'a $ref to a fragment file that does not exist',
    plant: (app) => replaceOnce(app, 'modules/watch-customers/output.schema.json', 'customer.schema.json', 'costumer.schema.json'),
    file: 'modules/watch-customers/output.schema.json',
    line: { text: 'costumer.schema.json' },
    message: /points to schemas\/bundles\/costumer.schema.json, which does not exist/,
    suggestion: /did you mean 'customer.schema.json'/,
  },
  {
    name: 'a catalogue event with an unknown payload kind',
    plant: (app) => replaceOnce(app, 'schemas/events.json', '"payload": "subscription-cancellation"', '"payload": "subscription-cancelation"'),
    file: 'schemas/events.json',
    line: { text: '"subscription-cancelation"' },
    message: /payload kind 'subscription-cancelation' has no schema/,
    suggestion: /did you mean 'subscription-cancellation'/,
  },
  {
    name: 'a misspelt keyword in a shared bundle schema',
    plant: (app) => replaceOnce(app, ORDER_FRAGMENT, '"title": "Order bundle"', '"titel": "Order bundle"'),
    file: ORDER_FRAGMENT,
    line: { text: '"titel"' },
    message: /unknown property 'titel'/,
    suggestion: /did you mean 'title'/,
    modules: ['watch-one-time-sale', 'watch-order-refunded', 'watch-invoice-paid'],
  },
  {
    name: 'a misspelt x-iml in a shared bundle schema',
    plant: (app) => replaceOnce(app, ORDER_FRAGMENT, '"x-iml": "{{$.status}}"', '"x-imll": "{{$.status}}"'),
    file: ORDER_FRAGMENT,
    line: { text: '"x-imll"' },
    message: /unknown property 'x-imll'/,
    suggestion: /did you mean 'x-iml'/,
    modules: ['watch-one-time-sale', 'watch-order-refunded'],
  },
  {
    name: 'a misspelt type in a shared bundle schema',
    plant: (app) => replaceOnce(app, ORDER_FRAGMENT, '"amountTotal": { "type": "number"', '"amountTotal": { "type": "numbr"'),
    file: ORDER_FRAGMENT,
    line: { text: '"numbr"' },
    message: /must be one of "string", "number"/,
    suggestion: /did you mean 'number'/,
    modules: ['watch-one-time-sale'],
  },
  {
    name: 'a misspelt keyword in a payload schema',
    plant: (app) => replaceOnce(app, 'schemas/payloads/order.schema.json', '"type": { "type": "string", "minLength": 1 }', '"type": { "type": "string", "minLenght": 1 }'),
    file: 'schemas/payloads/order.schema.json',
    line: { text: '"minLenght"' },
    message: /unknown property 'minLenght'/,
    suggestion: /did you mean 'minLength'/,
  },
  {
    name: "a misspelt payload path in a shared fragment's x-iml",
    plant: (app) => replaceOnce(app, ORDER_FRAGMENT, '$.amount_total,', '$.amount_totl,'),
    file: ORDER_FRAGMENT,
    line: { text: 'amount_totl' },
    message: /reads body\.data\.order\.amount_totl, which no sample payload carries/,
    suggestion: /did you mean 'amount_total'/,
    modules: ['watch-one-time-sale', 'watch-order-refunded', 'watch-invoice-paid'],
  },
];

function lineOf(app: AppCopy, mistake: PlantedMistake): number {
  if ('number' in mistake.line) return mistake.line.number;
  const text = readFileSync(join(app.dir, mistake.file), 'utf8');
  const at = mistake.line.last ? text.lastIndexOf(mistake.line.text) : text.indexOf(mistake.line.text);
  expect(at, `'${mistake.line.text}' is in ${mistake.file}`).to.be.greaterThan(-1);
  return text.slice(0, at).split('\n').length;
}

function expectThePlantedProblem(problem: ReportedProblem, mistake: PlantedMistake, line: number): void {
  expect(problem.severity).to.equal('error');
  expect(problem.file).to.equal(mistake.file);
  expect(problem.line, problem.message).to.equal(line);
  expect(problem.column).to.be.a('number').greaterThan(0);
  expect(problem.message).to.match(mistake.message);
  if (mistake.suggestion) expect(problem.suggestion).to.match(mistake.suggestion);
  if (mistake.modules) expect(problem.modules).to.include.members(mistake.modules);
}

describe('validate: every planted mistake is reported once, where it is written', function () {
  // Two full validations of a copied app per case, on a shared machine.
  this.timeout(120_000);

  it(`covers at least 15 kinds of mistake (${mistakes.length})`, () => {
    expect(new Set(mistakes.map((mistake) => mistake.name)).size).to.be.at.least(15);
  });

  for (const mistake of mistakes) {
    it(`reports ${mistake.name} as exactly one error at its file and line, in JSON and in text`, async () => {
      const app = new AppCopy();
      try {
        mistake.plant(app);
        const line = lineOf(app, mistake);

        const json = await cli(['validate', '--app', app.dir, '--format', 'json']);
        expect(json.code, json.stdout).to.equal(1);
        const report = JSON.parse(json.stdout) as { valid: boolean; problems: ReportedProblem[] };
        expect(report.valid).to.equal(false);
        expect(report.problems, JSON.stringify(report.problems, null, 2)).to.have.length(1);
        expectThePlantedProblem(report.problems[0], mistake, line);

        const text = await cli(['validate', '--app', app.dir]);
        expect(text.code).to.equal(1);
        const lines = text.stderr.trimEnd().split('\n');
        expect(lines, text.stderr).to.have.length(2);
        const { column } = report.problems[0];
        expect(lines[0].startsWith(`${displayPath(app.dir, mistake.file)}:${line}:${column}: error: `), lines[0]).to.equal(true);
        expect(lines[1]).to.match(/not valid: 1 error, 0 warnings$/);
      } finally {
        app.remove();
      }
    });
  }
});
