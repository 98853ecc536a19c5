// The folder walk both baselines share, the same as `wxmsg lint` does it: every *.wxmsg.json
// below the given folders, skipping node_modules and .git.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function* templates(dirs) {
  const stack = [...dirs];
  while (stack.length) {
    const dir = stack.pop();
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== '.git') stack.push(p);
      } else if (e.name.endsWith('.wxmsg.json')) {
        yield p;
      }
    }
  }
}
