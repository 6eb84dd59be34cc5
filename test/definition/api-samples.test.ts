import { expect } from 'chai';
import { join } from 'node:path';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';
import type { ReportedProblem } from '../../src/definition/problems';
import { validateApp } from '../../src/definition/validate';
import { AppCopy } from '../helpers/app-copy';

const PLUG_AND_PAY_DIR = join(DEFAULT_APP_DIR, 'apps', 'plug-and-pay');
const FILE = 'connector/api-samples.json';

/** Changes one thing in a copy of the Plug&Pay app and returns what validate reports, as `file:line:column: message`. */
function reportAfter(change: (copy: AppCopy) => void): { lines: string[]; problems: ReportedProblem[] } {
  const copy = new AppCopy(PLUG_AND_PAY_DIR);
  try {
    change(copy);
    const { problems } = validateApp(copy.dir);
    return { problems, lines: problems.map((problem) => `${problem.file}:${problem.line}:${problem.column}: ${problem.severity}: ${problem.message}`) };
  } finally {
    copy.remove();
  }
}

describe("Recorded API answers (connector/api-samples.json): validate checks what the sandbox serves", () => {
  it('accepts both shipped apps as they are', () => {
    expect(validateApp(DEFAULT_APP_DIR).problems).to.deep.equal([]);
    expect(validateApp(PLUG_AND_PAY_DIR).problems).to.deep.equal([]);
  });

  it('reports a recorded request that no connection or RPC makes at its key, with the request meant', () => {
    const { lines, problems } = reportAfter((copy) => copy.write(FILE, '{\n  "GET /auth/tenants/me": { "data": {} },\n  "GET /product": { "data": [] }\n}\n'));
    expect(lines).to.deep.equal([
      `${FILE}:3:3: error: 'GET /product' is no request the connection or an RPC makes (they make: GET /auth/tenants/me, GET /products); a key is the method and the path after the base URL, as the definition writes it`,
      'connector/rpcs/list-products.json:4:5: warning: RPC listProducts (GET /products) has no recorded answer in connector/api-samples.json: the sandbox answers it 404',
    ]);
    expect(problems[0].suggestion).to.equal("did you mean 'GET /products'?");
  });

  it("sends a module's request to its samples, where its answer already is", () => {
    const { lines } = reportAfter((copy) => copy.edit(FILE, (answers: Record<string, unknown>) => (answers['GET /orders/52841'] = { data: { id: 52841 } })));
    expect(lines).to.deep.equal([
      `${FILE}:30:3: error: 'GET /orders/52841' is a module's request: its answer is the 'response' of watch-order-paid sample 1 (modules/watch-order-paid/samples.json); record it there only`,
    ]);
  });

  it('reports broken JSON where parsing stopped', () => {
    const { lines } = reportAfter((copy) => copy.write(FILE, '{\n  "GET /auth/tenants/me": { "data": { "id": 1187, } }\n}\n'));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(new RegExp(`^${FILE}:2:\\d+: error: `));
  });

  it('reports a file that is not an object of answers by its meta-schema', () => {
    const { lines } = reportAfter((copy) => copy.write(FILE, '[]\n'));
    expect(lines).to.deep.equal([`${FILE}:1:1: error: must be object`]);
  });

  it('reports a manifest entry naming a file that does not exist at the entry', () => {
    const { lines } = reportAfter((copy) => copy.edit('manifest.json', (manifest: { components: Record<string, unknown> }) => (manifest.components.apiSamples = 'connector/api-sample.json')));
    expect(lines).to.deep.equal(['manifest.json:20:5: error: connector/api-sample.json does not exist']);
  });

  it('reports two samples that record different answers for the same request at the second one', () => {
    const { lines } = reportAfter((copy) =>
      copy.edit('modules/watch-affiliate-stopped/samples.json', (samples: Array<{ payload: { triggerable_id: number } }>) => (samples[0].payload.triggerable_id = 640)),
    );
    expect(lines).to.include(
      'modules/watch-affiliate-stopped/samples.json:12:5: error: answers GET /affiliates/sellers/640 differently from watch-affiliate-accepted sample 1 (modules/watch-affiliate-accepted/samples.json): the sandbox, like the API at one moment, has one answer per request; give one of the two samples an object id of its own',
    );
  });
});
