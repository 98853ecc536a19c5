import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fuzzInput, MUTATORS } from './fuzz/mutate.ts';
import { checkOne, REGRESSIONS, seedTemplates } from './fuzz/check.ts';
import { languageFeatureChecks } from './fuzz/features.ts';

// A bounded run inside npm test; `npm run fuzz` runs 100,000 inputs with the same generator.
const COUNT = 3000;
const SEED = 20261126;

test(`core survives ${COUNT} fuzzed inputs (seed ${SEED})`, () => {
  const seeds = seedTemplates();
  const extra = languageFeatureChecks();
  const failures: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const input = fuzzInput(seeds, SEED, i);
    const problem = checkOne(input, extra);
    if (problem) failures.push(`#${i}: ${problem.split('\n')[0]}`);
  }
  assert.deepEqual(failures.slice(0, 5), []);
});

test('the generator is deterministic and uses every mutator', () => {
  const seeds = seedTemplates();
  assert.equal(fuzzInput(seeds, 1, 42), fuzzInput(seeds, 1, 42));
  assert.notEqual(fuzzInput(seeds, 1, 42), fuzzInput(seeds, 1, 43));
  assert.ok(Object.keys(MUTATORS).length >= 10);
});

test('saved crashing inputs stay fixed', () => {
  const files = fs.existsSync(REGRESSIONS) ? fs.readdirSync(REGRESSIONS).filter((f) => f.endsWith('.json')) : [];
  for (const f of files) {
    const { text } = JSON.parse(fs.readFileSync(path.join(REGRESSIONS, f), 'utf8'));
    assert.equal(checkOne(text, languageFeatureChecks()), undefined, f);
  }
});
