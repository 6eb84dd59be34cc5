import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minVersion, satisfies } from 'semver';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';

const read = (file: string) => JSON.parse(readFileSync(join(DEFAULT_APP_DIR, file), 'utf8'));

describe('The Node versions the package declares', () => {
  it('are supported by every installed dependency, so npm ci prints no EBADENGINE', () => {
    const lowest = minVersion(read('package.json').engines.node)!.version;
    const packages = read('package-lock.json').packages as Record<string, { engines?: { node?: string } | string[] }>;
    const refusing = Object.entries(packages)
      .filter(([path, entry]) => path !== '' && !Array.isArray(entry.engines) && entry.engines?.node && !satisfies(lowest, entry.engines.node))
      .map(([path, entry]) => `${path} needs node ${(entry.engines as { node: string }).node}`);
    expect(refusing, `the lowest declared Node, ${lowest}`).to.deep.equal([]);
  });
});
