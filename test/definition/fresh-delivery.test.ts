import { expect } from 'chai';
import { problemsAfter } from '../helpers/app-copy';

const located = (problems: Array<{ file: string; line: number; column: number; message: string; suggestion?: string }>) =>
  problems.map((problem) => `${problem.file}:${problem.line}:${problem.column}: ${problem.message}${problem.suggestion ? `; ${problem.suggestion}` : ''}`);

describe("The webhook's freshDelivery (what `send --fresh` renews)", () => {
  it('reports a first sample that carries none of the fields, at its payload', () => {
    const problems = problemsAfter((copy) =>
      copy.edit('modules/watch-product-created/samples.json', (samples: Array<{ payload: { data: Record<string, unknown> } }>) => {
        delete (samples[0].payload.data.product as Record<string, unknown>).id;
      }),
    );
    expect(located(problems)).to.include(
      "modules/watch-product-created/samples.json:4:5: the first sample (the one `send` posts) carries none of the fields connector/webhook.json's freshDelivery renews (data.order.id, data.product.id, data.subscription.id), so `send --fresh` cannot make it a new event: add one to the sample, or its path to freshDelivery",
    );
  });

  it('reports a misspelt key and a path that is not a dotted name by the meta-schema', () => {
    const problems = problemsAfter((copy) => copy.edit('connector/webhook.json', (webhook: Record<string, unknown>) => (webhook.freshDelivery = { id: ['data.order.id'], times: ['data[0]'] })));
    expect(located(problems)).to.have.members([
      "connector/webhook.json:24:5: unknown property 'id'; did you mean 'ids'?",
      'connector/webhook.json:28:7: must match pattern "^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$"',
    ]);
  });
});
