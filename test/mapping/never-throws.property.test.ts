import { expect } from 'chai';
import fc from 'fast-check';
import { loadApp } from '../../src/definition/loader';
import { mapWithModule } from '../../src/mapping/map-event';

const app = loadApp();

// Arbitrary JSON, plus payload-shaped JSON with every event type, so mapping goes deep rather than stopping at `type`.
const payloadLike = fc.record({
  type: fc.constantFrom(...Object.keys(app.events)),
  data: fc.oneof(fc.jsonValue(), fc.record({ order: fc.jsonValue(), products: fc.jsonValue(), customer: fc.jsonValue(), product: fc.jsonValue() })),
});
const parameters = fc.record({ bundlePerOrderLine: fc.oneof(fc.boolean(), fc.jsonValue()), products: fc.oneof(fc.array(fc.string()), fc.jsonValue()) }, { requiredKeys: [] });

describe('mapping arbitrary JSON', () => {
  for (const module of app.modules) {
    it(`${module.label} returns bundles or a structured error, never throws`, () => {
      fc.assert(
        fc.property(fc.oneof(fc.jsonValue(), payloadLike), parameters, (payload, values) => {
          const result = mapWithModule(module, payload, { parameters: values });
          expect(result.module).to.equal(module.name);
          if (result.ok) {
            result.bundles.forEach((bundle) => {
              expect(bundle.data).to.be.an('object');
              expect(bundle.errors).to.be.an('array');
            });
          } else {
            expect(result.error).to.be.a('string').and.not.equal('');
          }
        }),
        { numRuns: 150 },
      );
    });
  }
});
