// What the CLI itself says (summaries, refusals, results), in the language --locale, WXMSG_LOCALE,
// LC_ALL, LC_MESSAGES or LANG asks for; English when none does. Codes, exit codes and the
// machine-readable formats stay as they are. The strings come from server/src/core/l10n/cli.*.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../server/src/cli/main.ts';

const APPID = 'wx1234567890abcdef';
const OPENID = 'oVKOm5Hd7TVUW8GmbHMYHwYg0u3s';
const GOOD = JSON.stringify({ touser: OPENID, msgtype: 'text', text: { content: '你好' } });
// One error (msgtype image without its body).
const BAD = JSON.stringify({ touser: OPENID, msgtype: 'image' });
// One warning only: a key WeChat does not know.
const WARN = JSON.stringify({ touser: OPENID, msgtype: 'text', text: { content: '你好' }, zzz: 1 });
const CJK = /[\u3400-\u9fff]/;

export async function cli(argv: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli({ argv, cwd, env, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

/** The lines of `text` that hold a word of English prose (three letters or more, not a code, file or flag). */
export function englishProse(text: string, allowed: RegExp[] = []): string[] {
  return text.split('\n').filter((line) => {
    let rest = line;
    for (const a of allowed) rest = rest.replace(a, ' ');
    rest = rest.replace(/wxmsg\/[a-z-]+|--?[a-z][\w-]*|[\w./*-]+\.(?:json|html|png)\b|"[^"]*"|https?:\/\/\S+|\b(?:wxmsg|stylish|json|github|sarif|auto|off|ms|HTTP|JSON|URL|msgtype|appid|errcode|errmsg|rid|OpenID|media_id|access_token|AppSecret|token|WeChat)\b/g, ' ');
    return /\b[A-Za-z]{3,}\b/.test(rest);
  });
}

describe('CLI output in Chinese', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-cli-locale-'));
    fs.writeFileSync(path.join(dir, 'project.config.json'), JSON.stringify({ appid: APPID }));
    fs.mkdirSync(path.join(dir, 'good'));
    fs.writeFileSync(path.join(dir, 'good', 'a.wxmsg.json'), GOOD);
    fs.writeFileSync(path.join(dir, 'good', 'b.wxmsg.json'), GOOD);
    fs.mkdirSync(path.join(dir, 'bad'));
    fs.writeFileSync(path.join(dir, 'bad', 'bad.wxmsg.json'), BAD);
    fs.writeFileSync(path.join(dir, 'bad', 'warn.wxmsg.json'), WARN);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('lint: the clean summary, by --locale and by each variable in turn; English without them', async () => {
    for (const [args, env] of [
      [['--locale', 'zh-CN'], {}],
      [['--locale=zh'], { LANG: 'en_US.UTF-8' }],
      [[], { WXMSG_LOCALE: 'zh-CN', LC_ALL: 'en_US.UTF-8' }],
      [[], { LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }],
      [[], { LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'C' }],
      [[], { LANG: 'zh_CN.UTF-8' }],
    ] as [string[], Record<string, string>][]) {
      const r = await cli(['lint', 'good', ...args], dir, env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '✔ 已检查 2 个模板，没有问题\n', JSON.stringify({ args, env }));
    }
    // Near misses: an earlier variable in English wins over a later Chinese one; nothing set is English.
    for (const env of [{}, { LANG: 'C.UTF-8' }, { LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' }, { WXMSG_LOCALE: 'en', LC_ALL: 'zh_CN.UTF-8' }]) {
      const r = await cli(['lint', 'good'], dir, env);
      assert.equal(r.stdout, '✔ 2 templates checked, no problems\n', JSON.stringify(env));
    }
    const en = await cli(['lint', 'good', '--locale', 'en'], dir, { LANG: 'zh_CN.UTF-8' });
    assert.equal(en.stdout, '✔ 2 templates checked, no problems\n');
  });

  test('lint: findings in stylish (severities, summary), --quiet, --max-warnings; codes and exit codes unchanged', async () => {
    const r = await cli(['lint', 'bad', '--locale', 'zh-CN'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^ {2}1:\d+ +错误 +.*wxmsg\/missing-body$/m);
    assert.match(r.stdout, /^ {2}1:\d+ +警告 +.*wxmsg\/unknown-key$/m);
    assert.match(r.stdout, /^✖ 2 个问题（1 个错误，1 个警告）$/m);
    assert.deepEqual(englishProse(r.stdout), []);
    const en = await cli(['lint', 'bad'], dir);
    assert.match(en.stdout, /^✖ 2 problems \(1 error, 1 warning\)$/m);
    assert.match(en.stdout, / error +.*wxmsg\/missing-body$/m);

    fs.rmSync(path.join(dir, 'bad', 'bad.wxmsg.json'));
    try {
      const quiet = await cli(['lint', 'bad', '--quiet', '--locale', 'zh-CN'], dir);
      assert.equal(quiet.code, 0);
      assert.equal(quiet.stdout, '✔ 已检查 1 个模板，没有错误（1 个警告被 --quiet 隐藏）\n');
      const max = await cli(['lint', 'bad', '--max-warnings', '0', '--locale', 'zh-CN'], dir);
      assert.equal(max.code, 1);
      assert.equal(max.stderr, 'wxmsg: 1 个警告，超过了 --max-warnings 0\n');
      const maxOk = await cli(['lint', 'bad', '--max-warnings', '1', '--locale', 'zh-CN'], dir);
      assert.equal(maxOk.code, 0);
      assert.equal(maxOk.stderr, '');
    } finally {
      fs.writeFileSync(path.join(dir, 'bad', 'bad.wxmsg.json'), BAD);
    }
  });

  test('lint: a pattern that matches nothing, no templates at all, usage errors', async () => {
    const none = await cli(['lint', 'nothing/*.wxmsg.json', '--locale', 'zh-CN'], dir);
    assert.equal(none.code, 2);
    assert.equal(none.stderr, 'wxmsg: 没有与 "nothing/*.wxmsg.json" 匹配的 *.wxmsg.json 文件\n');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-cli-locale-empty-'));
    try {
      const r = await cli(['lint', '--locale', 'zh-CN'], empty);
      assert.equal(r.stderr, 'wxmsg: 没有找到 *.wxmsg.json 文件\n');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
    const format = await cli(['lint', 'good', '--format', 'xml', '--locale', 'zh-CN'], dir);
    assert.equal(format.code, 2);
    assert.equal(format.stderr, 'wxmsg: 没有 "xml" 这种格式（可用 stylish, json, github, sarif）\n运行 "wxmsg --help" 查看用法。\n');
    const max = await cli(['lint', 'good', '--max-warnings', 'many'], dir, { WXMSG_LOCALE: 'zh-CN' });
    assert.match(max.stderr, /^wxmsg: --max-warnings 需要一个整数，而不是 "many"\n运行/);
    const unknown = await cli(['frobnicate', '--locale', 'zh-CN'], dir);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, 'wxmsg: 没有 "frobnicate" 这个命令\n运行 "wxmsg --help" 查看用法。\n');
    // The locale that is itself wrong is said in English, with the supported ones.
    const fr = await cli(['lint', 'good', '--locale', 'fr'], dir, { LANG: 'zh_CN.UTF-8' });
    assert.equal(fr.code, 2);
    assert.match(fr.stderr, /--locale "fr" is not supported; supported locales: en, zh-CN\nRun "wxmsg --help" for usage\.\n$/);
  });

  test('lint --format json, github and sarif keep their keys; only messages follow the locale', async () => {
    const zh = JSON.parse((await cli(['lint', 'bad', '--format', 'json', '--locale', 'zh-CN'], dir)).stdout);
    const en = JSON.parse((await cli(['lint', 'bad', '--format', 'json'], dir)).stdout);
    const shape = (rs: { file: string; diagnostics: { code: string; severity: string; range: unknown }[] }[]) =>
      rs.map((r) => ({ file: r.file, diagnostics: r.diagnostics.map((d) => ({ code: d.code, severity: d.severity, range: d.range })) }));
    assert.deepEqual(shape(zh), shape(en));
    assert.match(zh[0].diagnostics[0].message, CJK);
    const sarif = JSON.parse((await cli(['lint', 'bad', '--format', 'sarif', '--locale', 'zh-CN'], dir)).stdout);
    assert.deepEqual(sarif.runs[0].results.map((r: { level: string }) => r.level).sort(), ['error', 'warning']);
    const github = (await cli(['lint', 'bad', '--format', 'github', '--locale', 'zh-CN'], dir)).stdout;
    assert.match(github, /^::error file=bad\/bad\.wxmsg\.json,line=1,col=\d+,endLine=\d+,endColumn=\d+,title=wxmsg\/missing-body::.*[\u3400-\u9fff]/m);
  });

  test('preview: one line per page, the summary and the pages with errors', async () => {
    const out = path.join(dir, 'out');
    const r = await cli(['preview', '--out', 'out', 'bad', 'good', '--locale', 'zh-CN'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^bad\/bad\.wxmsg\.json → out\/bad\/bad\.html（1 个错误）$/m);
    assert.match(r.stdout, /^bad\/warn\.wxmsg\.json → out\/bad\/warn\.html（1 个警告）$/m);
    assert.match(r.stdout, /^good\/a\.wxmsg\.json → out\/good\/a\.html$/m);
    assert.match(r.stdout, /^✔ 已生成 4 个预览；打开 out\/index\.html$/m);
    assert.equal(r.stderr, 'wxmsg: 1 个模板有错误（见其预览页）\n');
    assert.ok(fs.existsSync(path.join(out, 'index.html')));
    const en = await cli(['preview', '--out', 'out', 'bad', 'good'], dir);
    assert.match(en.stdout, /^✔ 4 previews written; open out\/index\.html$/m);
    assert.equal(en.stderr, 'wxmsg: 1 template has errors (shown in its page)\n');
    const noOut = await cli(['preview', 'good', '--locale', 'zh-CN'], dir);
    assert.equal(noOut.code, 2);
    assert.match(noOut.stderr, /^wxmsg: wxmsg preview 需要 --out <dir>/);
    const outside = await cli(['preview', '--out', 'out', '../x.wxmsg.json', '--locale', 'zh-CN'], path.join(dir, 'good'));
    assert.equal(outside.code, 2);
  });
});
