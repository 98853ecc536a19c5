// A minimal VS Code language pack for zh-cn (contributes.localizations, no translations of
// VS Code's own strings), packaged by vsce: code-server resolves `--locale zh-cn` only when a
// pack for it is installed, and no VS Code language pack is on npm.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export /** A language pack for zh-cn with no translations, packaged as a .vsix by vsce. */
function buildLanguagePack(dir: string): string {
  mkdirSync(path.join(dir, 'translations'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'wxmsg-test-language-pack-zh-cn',
    displayName: 'zh-cn language pack (wxmsg tests)',
    publisher: 'wxmsg-test',
    version: '0.0.1',
    license: 'MIT',
    engines: { vscode: '^1.90.0' },
    categories: ['Language Packs'],
    contributes: {
      localizations: [{
        languageId: 'zh-cn',
        languageName: 'Chinese Simplified',
        localizedLanguageName: '中文(简体)',
        translations: [{ id: 'vscode', path: './translations/main.i18n.json' }],
      }],
    },
  }, null, 2));
  writeFileSync(path.join(dir, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  writeFileSync(path.join(dir, 'README.md'), 'An empty zh-cn language pack for the wxmsg end-to-end tests.\n');
  writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
  const vsix = path.join(dir, 'language-pack.vsix');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--allow-missing-repository', '--out', vsix], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`packaging the language pack failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return vsix;
}

/**
 * Registers the installed pack in `<user-data>/languagepacks.json`, the cache VS Code's server
 * reads to resolve `--locale`. A running server writes it when it installs a language pack
 * itself; `code-server --install-extension` (another process) does not, so the file is written
 * here in the same shape (hash: md5 of the extension ids and versions).
 */
export function registerLanguagePack(userDataDir: string, extensionsDir: string, id: string, version: string, languageId: string, label: string): void {
  const folder = readdirSync(extensionsDir).find((d) => d.toLowerCase() === `${id}-${version}`.toLowerCase());
  if (!folder) throw new Error(`${id} ${version} is not installed in ${extensionsDir}: ${readdirSync(extensionsDir).join(', ')}`);
  const hash = createHash('md5').update(id).update(version).digest('hex');
  const packs = {
    [languageId]: {
      hash,
      extensions: [{ extensionIdentifier: { id }, version }],
      translations: { vscode: path.join(extensionsDir, folder, 'translations', 'main.i18n.json') },
      label,
    },
  };
  writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}
