// The structural baseline users would otherwise reach for: what `ajv validate -s schema -d glob`
// (ajv-cli) does, as a script — compile schemas/wxmsg.schema.json once, then for every
// *.wxmsg.json under the given folders read it, JSON.parse it and validate it. (ajv-cli itself
// stops at the first file that is not JSON, so it cannot lint a repository with one broken file.)
//   node bench/baselines/ajv-validate.mjs <dir>...
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { templates } from './walk.mjs';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const schema = JSON.parse(readFileSync(new URL('../../schemas/wxmsg.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ strict: false }).compile(schema);

let valid = 0;
let invalid = 0;
let unparsable = 0;
for (const p of templates(process.argv.slice(2))) {
  let data;
  try { data = JSON.parse(readFileSync(p, 'utf8')); } catch { unparsable++; continue; }
  if (validate(data)) valid++;
  else invalid++;
}
process.stdout.write(JSON.stringify({ valid, invalid, unparsable }) + '\n');
