// The floor for any whole-process linter: a bare Node process that finds every *.wxmsg.json
// under the given folders (same walk as wxmsg lint: skips node_modules and .git), reads each one
// and JSON.parses it. Prints how many parsed and how many did not.
//   node bench/baselines/read-parse.mjs <dir>...
import { readFileSync } from 'node:fs';
import { templates } from './walk.mjs';

let ok = 0;
let bad = 0;
for (const p of templates(process.argv.slice(2))) {
  try { JSON.parse(readFileSync(p, 'utf8')); ok++; } catch { bad++; }
}
process.stdout.write(JSON.stringify({ ok, bad }) + '\n');
