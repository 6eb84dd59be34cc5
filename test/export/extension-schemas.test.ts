import { expect } from 'chai';
import { join } from 'node:path';
import { DEFAULT_APP_DIR, loadApp } from '../../src/definition/loader';
import { buildMakeTree } from '../../src/export/make-layout';
import { extensionSchemaProblems, MAKE_EXTENSION_VARIABLE } from '../helpers/make-schemas';

describe("the exports against Make's own editor schemas (a local checkout of integromat/vscode-apps-sdk)", () => {
  const checkout = process.env[MAKE_EXTENSION_VARIABLE];
  for (const [label, dir] of [['Plug&Paid', DEFAULT_APP_DIR], ['Plug&Pay', join(DEFAULT_APP_DIR, 'apps', 'plug-and-pay')]]) {
    it(`${label}: every exported file passes the schema the extension associates with it`, function () {
      if (!checkout) {
        console.log(`      skipped: set ${MAKE_EXTENSION_VARIABLE} to a checkout of integromat/vscode-apps-sdk to run this against Make's real schemas`);
        this.skip();
      }
      const tree = buildMakeTree(loadApp(dir));
      const { problems, checked } = extensionSchemaProblems(tree, checkout!);
      expect(problems).to.deep.equal([]);
      expect(checked).to.be.greaterThan(tree.size / 2);
    });
  }
});
