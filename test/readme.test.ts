import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_CODES, CODES, codeHref } from '../server/src/core/rules/codes.ts';

const readme = fs.readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');

test('the README documents every code with its default severity and an anchor', () => {
  for (const code of ALL_CODES) {
    const anchor = codeHref(code).split('#')[1];
    const row = readme.split('\n').find((l) => l.includes(`id="${anchor}"`));
    assert.ok(row, `README has no row for ${code}`);
    assert.ok(row.includes('`' + code + '`'), row);
    const sev = CODES[code.slice('wxmsg/'.length) as keyof typeof CODES];
    assert.ok(row.includes(`| ${sev} |`), `${code}: README severity differs from ${sev}`);
    const cells = row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    assert.equal(cells.length, 4, `${code}: code, default, what, source`);
    assert.ok(cells[3].length > 0, `${code}: README row names its source`);
  }
});

test('the README keeps the two-command quick start', () => {
  assert.ok(readme.includes('npm install && npm start'));
  assert.ok(readme.includes('npm test'));
});

test('the README errcode table lists every catalog code with its source', async () => {
  const { ERRCODES } = await import('../server/src/core/facts/errcodes.ts');
  for (const [code, info] of Object.entries(ERRCODES)) {
    const row = readme.split('\n').find((l) => l.startsWith(`| ${code} |`));
    assert.ok(row, `README errcode table has no row for ${code}`);
    assert.ok(row.includes(info.zh.replace(/\|/g, '\\|')), `${code}: README 说明 differs from the catalog`);
    assert.ok(row.endsWith(`| ${info.source} |`), `${code}: README source differs from ${info.source}`);
  }
});
