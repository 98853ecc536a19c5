import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'jsonc-parser';
import { validate } from '../server/src/core/services/validate.ts';
import { Severity } from '../server/src/core/types.ts';

const ROOT = path.resolve(__dirname, '..');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/wxmsg.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
const check = ajv.compile(schema);

/** Codes that are about the payload's structure, which the schema also describes. */
const STRUCTURAL = new Set([
  'wxmsg/root-not-object', 'wxmsg/missing-msgtype', 'wxmsg/invalid-msgtype', 'wxmsg/wrong-type',
  'wxmsg/missing-body', 'wxmsg/body-mismatch', 'wxmsg/missing-field', 'wxmsg/empty-value',
  'wxmsg/invalid-url', 'wxmsg/use-thumb-url',
]);

const fixtures = [
  ...fs.readdirSync(path.join(ROOT, 'test/fixtures/templates')).map((f) => path.join(ROOT, 'test/fixtures/templates', f)),
  ...fs.readdirSync(path.join(ROOT, 'examples/templates')).map((f) => path.join(ROOT, 'examples/templates', f)),
].filter((f) => f.endsWith('.wxmsg.json'));

test('the schema is valid draft-07', () => {
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.ok(ajv.validateSchema(schema));
});

test('fixtures cover valid and invalid templates', () => {
  assert.ok(fixtures.filter((f) => path.basename(f).startsWith('bad-')).length >= 10);
  assert.ok(fixtures.filter((f) => !path.basename(f).startsWith('bad-')).length >= 4);
});

for (const file of fixtures) {
  test(`schema and core agree on ${path.relative(ROOT, file)}`, () => {
    const text = fs.readFileSync(file, 'utf8');
    const schemaOk = check(parse(text, [], { allowTrailingComma: true }));
    const structural = validate(text, {}).filter((d) => STRUCTURAL.has(d.code) && d.severity === Severity.Error);
    assert.equal(schemaOk, structural.length === 0,
      `schema ${schemaOk ? 'accepts' : 'rejects'} (${ajv.errorsText(check.errors)}), core reports ${JSON.stringify(structural.map((d) => d.code))}`);
    assert.equal(!path.basename(file).startsWith('bad-'), schemaOk, 'fixture name says bad-/valid-');
  });
}
