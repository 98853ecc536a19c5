// npm run bench: how much wxmsg costs on top of what it cannot avoid. Every figure is a ratio
// against a baseline measured in the same run on the same inputs, so machines compare:
//   parse     — jsonc-parser's parseTree alone (the floor for any JSONC validator)
//   read      — reading the template files from disk (the floor for the CLI)
// Timings are medians of several rounds; nothing here is asserted by tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseTree } from 'jsonc-parser';
import { validate } from '../server/src/validate.ts';
import { parseTemplate } from '../server/src/document.ts';
import { lintFiles } from '../server/src/cli/lint.ts';
import type { ProjectContext } from '../server/src/types.ts';

const ROUNDS = 7;
const ROOT = path.resolve(__dirname, '..');
const CONTEXT: ProjectContext = { appid: 'wx1234567890abcdef', appidSource: 'bench', pages: Array.from({ length: 200 }, (_, i) => `pages/p${i}/index`).concat('pages/index/index', 'pages/order/detail', 'packageA/pages/coupon/coupon'), pagesSource: 'bench' };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time(fn: () => void, iterations: number): number {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

const examples = fs.readdirSync(path.join(ROOT, 'examples/templates')).map((f) => fs.readFileSync(path.join(ROOT, 'examples/templates', f), 'utf8'));
const link = '<a href=\\"https://example.com/o\\" data-miniprogram-appid=\\"wx1234567890abcdef\\" data-miniprogram-path=\\"pages/index/index?id=1\\">订单</a>';
const linkHeavy = `{"touser":"OPENID","msgtype":"text","text":{"content":"${('您好 😀 ' + link + ' ').repeat(40)}"}}`;
const large = `{"touser":"OPENID","msgtype":"text","text":{"content":"${'客服消息内容 text '.repeat(20000)}"}}`;

const cases: Array<{ name: string; text: string; n: number }> = [
  { name: 'examples (4 templates)', text: '', n: 2000 },
  { name: 'text with 40 links', text: linkHeavy, n: 500 },
  { name: '300 KB content', text: large, n: 20 },
];

const rows: string[][] = [['input', 'baseline parse (ms)', 'wxmsg validate (ms)', 'ratio']];
for (const c of cases) {
  const texts = c.text ? [c.text] : examples;
  const base = time(() => { for (const t of texts) parseTree(t, [], { allowTrailingComma: true }); }, c.n);
  const ours = time(() => { for (const t of texts) validate(parseTemplate(t), CONTEXT); }, c.n);
  rows.push([`${c.name} ×${c.n}`, base.toFixed(1), ours.toFixed(1), `${(ours / base).toFixed(2)}×`]);
}

// CLI: lint 1,000 files vs just reading them.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-bench-'));
fs.writeFileSync(path.join(dir, 'project.config.json'), JSON.stringify({ appid: CONTEXT.appid }));
fs.writeFileSync(path.join(dir, 'app.json'), JSON.stringify({ pages: CONTEXT.pages }));
const files: string[] = [];
for (let i = 0; i < 1000; i++) {
  const f = `t${i}.wxmsg.json`;
  fs.writeFileSync(path.join(dir, f), examples[i % examples.length]);
  files.push(f);
}
const read = time(() => { for (const f of files) fs.readFileSync(path.join(dir, f), 'utf8'); }, 1);
const lint = time(() => { lintFiles(files, dir, { locale: 'en' }); }, 1);
rows.push(['lint 1,000 files (baseline: read them)', read.toFixed(1), lint.toFixed(1), `${(lint / read).toFixed(2)}×`]);
fs.rmSync(dir, { recursive: true, force: true });

const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
console.log(`wxmsg bench — node ${process.version}, ${os.cpus().length} cores, median of ${ROUNDS} rounds\n`);
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
