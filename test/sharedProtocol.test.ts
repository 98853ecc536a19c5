// The custom messages between the extension and the language server (wxmsg/prepareSend,
// wxmsg/templateInfo, …) are declared in one module, server/src/lsp/protocol.ts, which both sides
// import (as vscode-eslint's client and server share `$shared`): no other source file spells a
// method name, and each message is used by both the client and the server.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import * as protocol from '../server/src/lsp/protocol.ts';

const ROOT = path.resolve(__dirname, '..');
const PROTOCOL = 'server/src/lsp/protocol.ts';

/** The custom methods protocol.ts declares: its `*_REQUEST` and `*_NOTIFICATION` constants. */
const METHODS = Object.entries(protocol).filter(([k, v]) => /_(REQUEST|NOTIFICATION)$/.test(k) && typeof v === 'string') as [string, string][];

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f).split(path.sep).join('/'));
}

/** The string literals of a file (code only: comments do not count), and the names it imports from protocol.ts. */
function scan(file: string): { strings: string[]; imported: Set<string> } {
  const src = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const strings: string[] = [];
  const imported = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) strings.push(n.text);
    if (ts.isTemplateExpression(n)) strings.push(n.head.text, ...n.templateSpans.map((s) => s.literal.text));
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)
      && path.posix.join(path.posix.dirname(file), n.moduleSpecifier.text) === PROTOCOL) {
      const named = n.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) for (const e of named.elements) imported.add((e.propertyName ?? e.name).text);
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return { strings, imported };
}

/** Files other than protocol.ts that spell one of `methods` in code. */
export function spelledElsewhere(files: ReadonlyMap<string, string[]>, methods: readonly string[]): string[] {
  const out: string[] = [];
  for (const [file, strings] of files) {
    if (file === PROTOCOL) continue;
    for (const m of methods) if (strings.some((s) => s.includes(m))) out.push(`${file}: ${m}`);
  }
  return out;
}

test('protocol.ts declares the custom messages', () => {
  const names = METHODS.map(([, v]) => v);
  for (const m of ['wxmsg/status', 'wxmsg/prepareSend', 'wxmsg/templateInfo', 'wxmsg/previewModel', 'wxmsg/profiles', 'wxmsg/recordUpload', 'wxmsg/documentEncoding', 'wxmsg/serverStatus']) {
    assert.ok(names.includes(m), m);
  }
  assert.equal(new Set(names).size, names.length, 'each method once');
});

test('no other file spells a method name; the client and the server both import each message', () => {
  const client = sources('client/src');
  const server = sources('server/src/lsp');
  const scanned = new Map([...client, ...server].map((f) => [f, scan(f)]));
  assert.deepEqual(spelledElsewhere(new Map([...scanned].map(([f, s]) => [f, s.strings])), METHODS.map(([, v]) => v)), []);
  const importers = (files: string[], name: string) => files.filter((f) => scanned.get(f)!.imported.has(name));
  for (const [name] of METHODS) {
    assert.ok(importers(client, name).length > 0, `the client imports ${name} from ${PROTOCOL}`);
    assert.ok(importers(server, name).length > 0, `the server imports ${name} from ${PROTOCOL}`);
  }
});

test('the check sees a method spelled in code, not in a comment (near misses pass)', () => {
  const methods = ['wxmsg/prepareSend'];
  assert.deepEqual(spelledElsewhere(new Map([['client/src/x.ts', ['wxmsg/prepareSend']], ['client/src/y.ts', ['x wxmsg/prepareSend y']]]), methods), ['client/src/x.ts: wxmsg/prepareSend', 'client/src/y.ts: wxmsg/prepareSend']);
  assert.deepEqual(spelledElsewhere(new Map([[PROTOCOL, ['wxmsg/prepareSend']], ['client/src/z.ts', ['wxmsg/prepare', 'wxmsg/prepare-send']]]), methods), []);
  assert.deepEqual(scan('server/src/lsp/prepareSend.ts').strings.filter((s) => s.includes('wxmsg/prepareSend')), [], 'its doc comment names it: not counted');
});
