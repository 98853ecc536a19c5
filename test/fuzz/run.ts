// npm run fuzz [-- --count N --seed S]: mutates the valid templates and checks the core on
// every input (no throw, ranges inside the document, same output twice). Crashing inputs are
// saved under test/fixtures/fuzz-regressions/ and replayed by test/fuzz.test.ts.
import { parseArgs } from 'node:util';
import { fuzzInput } from './mutate.ts';
import { checkOne, saveRegression, seedTemplates } from './check.ts';
import { languageFeatureChecks } from './features.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '100000' }, seed: { type: 'string', default: '20261126' } } });
const count = Number(values.count);
const seed = Number(values.seed);
const seeds = seedTemplates();
const extra = languageFeatureChecks();
const started = Date.now();
let failures = 0;
let chars = 0;
for (let i = 0; i < count; i++) {
  const input = fuzzInput(seeds, seed, i);
  chars += input.length;
  const problem = checkOne(input, extra);
  if (problem) {
    failures++;
    const file = saveRegression(input, problem);
    console.error(`input #${i}: ${problem.split('\n')[0]}\n  saved ${file}`);
  }
  if ((i + 1) % 10000 === 0) console.log(`${i + 1} inputs…`);
}
const secs = (Date.now() - started) / 1000;
console.log(`fuzz: ${count} inputs (seed ${seed}, ${(chars / 1e6).toFixed(1)} M characters) in ${secs.toFixed(1)} s, ${failures} failing`);
console.log(`${count - failures} passed, ${failures} failed`);
process.exitCode = failures ? 1 : 0;
