import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProjectResolver } from '../server/src/node/resolver.ts';
import { validate } from '../server/src/core/services/validate.ts';

/**
 * The template set for the rules issue 16 changed (test/fixtures/rules): each file names what it
 * must produce on its first line (`// expect: wxmsg/… | none`), with its project context read
 * from disk as `wxmsg lint` reads it (project/ has project.config.json and app.json, no-project/
 * has neither).
 */
const DIR = path.resolve(__dirname, 'fixtures', 'rules');
const SETS = [
  { dir: path.join(DIR, 'project', 'templates'), boundary: path.join(DIR, 'project') },
  { dir: path.join(DIR, 'no-project'), boundary: path.join(DIR, 'no-project') },
];

const CHANGED = [
  'wxmsg/wrong-type', 'wxmsg/unknown-key', 'wxmsg/use-thumb-url', 'wxmsg/media-id-not-uploaded', 'wxmsg/link-missing-appid',
  'wxmsg/invalid-appid', 'wxmsg/malformed-link', 'wxmsg/unknown-attribute', 'wxmsg/empty-link-label',
  'wxmsg/literal-newline-escape', 'wxmsg/br-tag', 'wxmsg/escaped-link', 'wxmsg/content-too-long', 'wxmsg/surrounding-whitespace',
];

const resolver = new ProjectResolver();
const seen = new Set<string>();
let valid = 0;

for (const { dir, boundary } of SETS) {
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.wxmsg.json')).sort()) {
    test(`rule fixture ${path.relative(DIR, path.join(dir, name))}`, () => {
      const file = path.join(dir, name);
      const text = fs.readFileSync(file, 'utf8');
      const m = /^\/\/ expect: (.+)$/m.exec(text);
      assert.ok(m, 'the fixture names what it expects');
      const expected = m[1].trim() === 'none' ? [] : m[1].trim().split(/\s+/).sort();
      const ctx = resolver.contextFor(file, { boundary });
      const got = validate(text, ctx).map((d) => d.code).sort();
      assert.deepEqual(got, expected);
      for (const c of got) seen.add(c);
      if (name.startsWith('valid-')) valid++;
      // The file name says the worst severity: valid- (none or info), hint-, warn-, invalid-.
      const worst = Math.min(5, ...validate(text, ctx).map((d) => d.severity));
      const prefix = name.split('-')[0];
      assert.equal(prefix, ({ 1: 'invalid', 2: 'warn', 3: 'valid', 4: 'hint', 5: 'valid' } as Record<number, string>)[worst], `${name}: worst severity ${worst}`);
    });
  }
}

test('the rule fixtures cover every changed rule and its valid side', () => {
  for (const c of CHANGED) assert.ok(seen.has(c), `no fixture reports ${c}`);
  assert.ok(valid >= 6, `${valid} valid fixtures`);
});
