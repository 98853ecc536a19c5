// The floor for any whole-process linter: a bare Node process that finds every *.wxmsg.json
// under the given folders (same walk as wxmsg lint: skips node_modules and .git), reads each one
// and JSON.parses it. Prints how many parsed and how many did not.
//   node bench/baselines/read-parse.mjs <dir>...
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let ok = 0;
let bad = 0;
const stack = process.argv.slice(2);
while (stack.length) {
  const dir = stack.pop();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== '.git') stack.push(p);
    } else if (e.name.endsWith('.wxmsg.json')) {
      try { JSON.parse(readFileSync(p, 'utf8')); ok++; } catch { bad++; }
    }
  }
}
process.stdout.write(JSON.stringify({ ok, bad }) + '\n');
