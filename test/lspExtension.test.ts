// The VS Code extension's static parts: manifest contributions, snippets, the client bundle and
// the settings object shared by client and server. (The extension running inside VS Code is
// test/vscode/, run by `npm run test:vscode`.)
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { expandSnippet, messageSnippet, textLinkSnippet, SNIPPETS } from '../client/src/snippets.ts';
import { ALL_CODES } from '../server/src/core/rules/codes.ts';
import { normalizeSettings } from '../server/src/lsp/protocol.ts';
import { MSGTYPES } from '../server/src/core/types.ts';
import { validate } from '../server/src/core/services/validate.ts';
import { ROOT, ensureBuilt } from './lspClient.ts';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const context = { appid: 'wx1111111111111111', appidSource: 'test', pages: ['pages/index/index'], pagesSource: 'app.json' };

describe('snippets', () => {
  test('each message snippet, placeholders accepted as they are, validates clean', () => {
    for (const t of MSGTYPES) {
      const text = expandSnippet(messageSnippet(t).body);
      assert.deepEqual(validate(text, context), [], `${t}: ${text}`);
      assert.equal(JSON.parse(text).msgtype, t);
    }
  });

  test('the text link snippet validates clean inside content once the appid is filled in', () => {
    const link = expandSnippet(textLinkSnippet().body, { 2: context.appid });
    const text = expandSnippet(messageSnippet('text').body, { 2: `Hi ${link}` });
    assert.deepEqual(validate(text, context), [], text);
    assert.match(JSON.parse(text).text.content, /^Hi <a href="https:\/\/example.com\/" data-miniprogram-appid="wx1111111111111111" data-miniprogram-path="pages\/index\/index">link text<\/a>$/);
    // With the placeholder left as it is, the appid check points at it.
    const unfilled = expandSnippet(messageSnippet('text').body, { 2: expandSnippet(textLinkSnippet().body) });
    assert.deepEqual(validate(unfilled, context).map((d) => d.code), ['wxmsg/foreign-appid']);
  });

  test('snippet syntax: tab stops in order, a final $0, unique prefixes', () => {
    const prefixes = SNIPPETS.flatMap((s) => s.prefix);
    assert.equal(new Set(prefixes).size, prefixes.length);
    for (const s of SNIPPETS) {
      const stops = [...s.body.matchAll(/\$\{(\d+)|\$(\d+)/g)].map((m) => Number(m[1] ?? m[2]));
      assert.ok(stops.includes(0), s.name);
      const numbered = stops.filter((n) => n > 0);
      assert.deepEqual(numbered, numbered.map((_, i) => i + 1), s.name);
    }
  });
});

describe('extension manifest', () => {
  const c = pkg.contributes;

  test('wxmsg language for *.wxmsg.json with a JSONC grammar, configuration, schema', () => {
    // jsonc: wxmsg.config.json (the project file, issue 20) takes comments.
    assert.deepEqual(c.languages.map((l: { id: string }) => l.id), ['wxmsg', 'jsonc']);
    assert.deepEqual(c.languages[1].filenames, ['wxmsg.config.json']);
    assert.deepEqual(c.languages[0].filenamePatterns, ['*.wxmsg.json']);
    const grammar = JSON.parse(readFileSync(join(ROOT, c.grammars[0].path), 'utf8'));
    assert.equal(grammar.scopeName, c.grammars[0].scopeName);
    assert.deepEqual(grammar.patterns, [{ include: 'source.json.comments' }]);
    // The snippets are served by the language server where they fit (not contributed: VS Code
    // would offer them at every position); snippets/wxmsg.json stays their source.
    assert.equal(c.snippets, undefined);
    for (const p of [c.languages[0].configuration, 'snippets/wxmsg.json', c.jsonValidation[0].url]) {
      assert.ok(existsSync(join(ROOT, p)), p);
    }
    assert.equal(c.jsonValidation[0].fileMatch, '*.wxmsg.json');
    JSON.parse(readFileSync(join(ROOT, c.languages[0].configuration), 'utf8'));
  });

  test('activation, engine, untrusted workspaces, entry point', () => {
    assert.deepEqual(pkg.activationEvents, ['onLanguage:wxmsg', 'workspaceContains:**/*.wxmsg.json', 'onWebviewPanel:wxmsg.preview']);
    assert.equal(pkg.engines.vscode, '^1.90.0');
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.equal(pkg.main, './dist/client.js');
    // What ships (npm pack, vsce ls) is checked in test/package.test.ts.
  });

  test('every command the client registers is contributed, and the other way round', () => {
    const src = ['extension.ts', 'status.ts', 'newMessage.ts'].map((f) => readFileSync(join(ROOT, 'client/src', f), 'utf8')).join('\n');
    const registered = [...src.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]).sort();
    const ours = c.commands.map((x: { command: string }) => x.command).filter((id: string) => registered.includes(id)).sort();
    assert.deepEqual(registered, ['wxmsg.newMessage', 'wxmsg.restartServer', 'wxmsg.showEditLatency', 'wxmsg.showOutput']);
    assert.deepEqual(ours, registered);
    for (const x of c.commands.filter((x: { command: string }) => registered.includes(x.command))) assert.equal(x.category, '%category%');
  });

  test('settings: scopes, markdown descriptions, every rule code offered', () => {
    const props = c.configuration.properties;
    assert.equal(props['wxmsg.appid'].scope, 'resource');
    assert.equal(props['wxmsg.rules'].scope, 'resource');
    assert.equal(props['wxmsg.trace.server'].scope, 'window');
    for (const k of ['wxmsg.appid', 'wxmsg.rules', 'wxmsg.trace.server']) assert.ok(props[k].markdownDescription, k);
    assert.deepEqual(props['wxmsg.rules'].propertyNames.enum, ALL_CODES);
    assert.deepEqual(props['wxmsg.rules'].additionalProperties.enum, ['error', 'warning', 'info', 'hint', 'off']);
  });

  test('the client bundles need nothing at run time but vscode, Node built-ins and each other', () => {
    ensureBuilt();
    // client.js loads the send code and the preview on first use, from the files next to it.
    const siblings = ['./clientSend.js', './clientPreview.js'];
    for (const file of ['dist/client.js', 'dist/clientSend.js', 'dist/clientPreview.js']) {
      const bundle = readFileSync(join(ROOT, file), 'utf8');
      const required = new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
      assert.ok(required.has('vscode'), file);
      // `node:` names are built-ins by definition (node:sqlite is not in Node 20's list; undici loads it lazily).
      for (const r of required) {
        const ok = r === 'vscode' || r.startsWith('node:') || builtinModules.includes(r) || (file === 'dist/client.js' && siblings.includes(r));
        assert.ok(ok, `${file}: ${r}`);
      }
    }
  });
});

describe('settings object', () => {
  test('normalizeSettings merges over defaults and drops what does not fit', () => {
    assert.deepEqual(normalizeSettings(undefined), { rules: {} });
    assert.deepEqual(normalizeSettings('x'), { rules: {} });
    assert.deepEqual(
      normalizeSettings({ appid: ' wx1111111111111111 ', rules: { 'unknown-key': 'off', 'wxmsg/foreign-appid': 'hint', 'wxmsg/x': 'loud', y: 3 } }),
      { appid: 'wx1111111111111111', rules: { 'wxmsg/unknown-key': 'off', 'wxmsg/foreign-appid': 'hint' } },
    );
    assert.deepEqual(normalizeSettings({ appid: '', rules: [] }), { rules: {} });
  });
});
