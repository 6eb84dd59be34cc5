import { expect } from 'chai';
import { loadApp } from '../../src/definition/loader';
import { compileDirective } from '../../src/iml';
import { directivePaths, PathReads } from '../../src/iml/read-paths';
import { isCovered, moduleReadPaths, readPathsByEvent } from '../../src/mapping/mapped-paths';
import { collapsedPointer, payloadPaths, shapeSignature } from '../../src/runtime/drift/shape';

const app = loadApp();
const plugAndPay = loadApp('apps/plug-and-pay');
const reads = (template: unknown) => [...directivePaths(compileDirective(template), { body: { paths: [''] } })].sort();

describe('Payload paths a mapping reads', () => {
  it('reads a member chain as one path, with array indexes collapsed', () => {
    expect(reads('{{lower(body.data.order.customer.addresses.billing[1].email)}}')).to.deep.equal(['data.order.customer.addresses.billing[].email']);
    expect(reads("{{body.data['odd key'].x}}")).to.deep.equal(['data.odd key.x']);
  });

  it('reads the element keys map() and toCollection() name, not the whole array', () => {
    expect(reads("{{map(body.data.order.products, 'id')}}")).to.deep.equal(['data.order.products[].id']);
    expect(reads("{{toCollection(body.x.fields, 'label', 'value')}}")).to.deep.equal(['x.fields[].label', 'x.fields[].value']);
  });

  it('follows ifempty() and if() to the member read after them', () => {
    expect(reads('{{ifempty(body.a, body.b).c}}')).to.deep.equal(['a.c', 'b.c']);
  });

  it('knows the paths read only as an ifempty() fallback, and what they fall back from', () => {
    const read = new PathReads();
    directivePaths(compileDirective('{{ifempty(body.a, body.b).c}} {{body.d}} {{ifempty(body.e, body.d)}}'), { body: { paths: [''] } }, read);
    expect(read.primariesOf('b.c')).to.deep.equal(['a.c']);
    expect(read.primariesOf('a.c')).to.deep.equal([]);
    // Read plainly elsewhere: not only a fallback.
    expect(read.primariesOf('d')).to.deep.equal([]);
    const fallbacks = readPathsByEvent(plugAndPay).get('order_paid')!.fallbacks;
    expect(fallbacks.get('event.trigger_type')).to.deep.equal(['trigger_type']);
  });

  it('ignores variables that are not the payload (parameters, literals)', () => {
    expect(reads('{{length(parameters.products) == 0 || body.type}}')).to.deep.equal(['type']);
  });

  it('reads an order line (item) as an element of the iterated array', () => {
    const paths = moduleReadPaths(app, app.modules.find((m) => m.name === 'watch-one-time-sale')!);
    expect(paths).to.include.members(['data.order.products', 'data.order.products[]', 'data.order.products[].id', 'data.order.customer.name', 'type']);
  });

  it('reads no made-up field: the order line is the item itself, so drift never reports products[].absent as missing', () => {
    for (const candidate of [app, plugAndPay]) {
      for (const module of candidate.modules) expect(moduleReadPaths(candidate, module).filter((path) => path.endsWith('absent')), module.name).to.deep.equal([]);
    }
  });

  it('resolves shared fragments ($ bound by x-iml-subject) to the payload paths they stand for', () => {
    const paths = moduleReadPaths(app, app.modules.find((m) => m.name === 'watch-recurring-subscription-canceled')!);
    expect(paths).to.include('data.customer.email');
    expect(paths.some((path) => path.includes('$'))).to.equal(false);
  });

  it('reads a Plug&Pay payload through the webhook item, not the API answer', () => {
    const paths = moduleReadPaths(plugAndPay, plugAndPay.modules.find((m) => m.name === 'watch-order-paid')!);
    expect(paths).to.include.members(['trigger_type', 'event.trigger_type', 'triggerable_id', 'event.triggerable_id']);
    expect(paths.some((path) => path.startsWith('data.'))).to.equal(false);
  });

  it('counts a path as covered when it or an ancestor is read whole', () => {
    const read = readPathsByEvent(app).get('new_simple_sale')!.read;
    expect(isCovered('data.order.products[].sku', read)).to.equal(true);
    expect(isCovered('data.order.coupon_code', read)).to.equal(false);
    expect(isCovered('data.order.customer.name', read)).to.equal(true);
    expect(isCovered('data.order.customer.vat', read)).to.equal(false);
  });
});

describe('Payload shapes', () => {
  it('gives payloads of the same shape one signature, whatever their values and array lengths', () => {
    expect(shapeSignature({ a: 'x', b: [{ id: 1 }, { id: 2 }] })).to.equal(shapeSignature({ a: 'y', b: [{ id: 3 }] }));
    expect(shapeSignature({ a: 'x' })).to.not.equal(shapeSignature({ a: '' }));
    expect(shapeSignature({ a: 1 })).to.not.equal(shapeSignature({ a: 1.5 }));
    // Length-prefixed keys: a key cannot imitate structure.
    expect(shapeSignature({ 'a:s,1:b': 1 })).to.not.equal(shapeSignature({ a: 'x', b: 1 }));
  });

  it('lists every path once, leaves marked', () => {
    expect(payloadPaths({ a: { b: [{ c: 1 }, { d: null }] }, e: [] })).to.deep.equal([
      { path: 'a', leaf: false },
      { path: 'a.b', leaf: false },
      { path: 'a.b[]', leaf: false },
      { path: 'a.b[].c', leaf: true },
      { path: 'a.b[].d', leaf: true },
      { path: 'e', leaf: true },
    ]);
  });

  it('collapses array indexes in a pointer, and only those', () => {
    expect(collapsedPointer('/data/products/3/title', { data: { products: [{}, {}, {}, { title: 1 }] } })).to.equal('/data/products/*/title');
    expect(collapsedPointer('/data/3', { data: { 3: 'x' } })).to.equal('/data/3');
  });
});
