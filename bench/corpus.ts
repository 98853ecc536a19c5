// A seeded, reproducible corpus of templates for the benchmarks: a mini program project
// (project.config.json + app.json with 200 pages, some in a subpackage) and N *.wxmsg.json files
// across the four msgtypes, written the way people write them (2-space indented, Chinese text,
// text links), about 10% of them with a mistake wxmsg reports.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rng } from './shared.ts';

export { rng };

export const CORPUS_APPID = 'wx1234567890abcdef';
const FOREIGN_APPID = 'wxfedcba0987654321';
export const PAGE_COUNT = 200;
const PER_FOLDER = 100;

export interface Corpus {
  dir: string;
  /** Template paths relative to dir, in write order. */
  files: string[];
  /** How many were written with a deliberate mistake. */
  withErrors: number;
  bytes: number;
}

export function corpusPages(): { pages: string[]; subPackages: { root: string; pages: string[] }[] } {
  const main = Array.from({ length: PAGE_COUNT - 20 }, (_, i) => `pages/p${i}/index`);
  main.unshift('pages/index/index');
  main.push('pages/order/detail');
  const sub = Array.from({ length: PAGE_COUNT - main.length }, (_, i) => `pages/c${i}/index`);
  return { pages: main, subPackages: [{ root: 'packageA/', pages: sub }] };
}

const PHRASES = ['您好，', '订单已发货。', '感谢您的咨询，', '优惠券已到账，', '请点击查看：', '如有问题请回复本消息。', 'Your order is on its way. ', '😀 ', '退款已处理，'];
const TITLES = ['领取优惠券', '查看订单', '会员中心', 'Happy Day', '新品上市', '物流详情'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function pagePath(r: () => number, all: string[]): string {
  const p = pick(r, all);
  return r() < 0.5 ? `${p}?id=${Math.floor(r() * 10000)}` : p;
}

type Mistake = 'foreign-appid' | 'unknown-page' | 'missing-field' | 'invalid-msgtype' | 'syntax' | 'wrong-type' | 'content-too-long' | 'unsafe-href';
const MISTAKES: Mistake[] = ['foreign-appid', 'unknown-page', 'missing-field', 'invalid-msgtype', 'syntax', 'wrong-type', 'content-too-long', 'unsafe-href'];

/** One template's text; `mistake` decides what (if anything) is wrong with it. */
export function template(r: () => number, i: number, allPages: string[], mistake?: Mistake): string {
  const kinds = ['text', 'text', 'image', 'link', 'miniprogrampage'] as const;
  let kind: string = kinds[i % kinds.length];
  if (mistake === 'foreign-appid' || mistake === 'content-too-long' || mistake === 'unsafe-href') kind = 'text';
  if (mistake === 'unknown-page' && kind !== 'text') kind = 'miniprogrampage';
  let body: Record<string, unknown>;
  switch (kind) {
    case 'text': {
      let content = '';
      const links = Math.floor(r() * 4);
      for (let k = 0; k < 2 + Math.floor(r() * 4); k++) content += pick(r, PHRASES);
      for (let k = 0; k < links; k++) {
        const appid = mistake === 'foreign-appid' && k === 0 ? FOREIGN_APPID : CORPUS_APPID;
        const page = mistake === 'unknown-page' && k === 0 ? 'pages/missing/index' : pagePath(r, allPages);
        const href = mistake === 'unsafe-href' && k === 0 ? 'javascript:alert(1)' : `https://example.com/o/${Math.floor(r() * 1e6)}`;
        content += `<a href="${href}" data-miniprogram-appid="${appid}" data-miniprogram-path="${page}">${pick(r, TITLES)}</a> `;
      }
      if (mistake === 'foreign-appid' && links === 0) content += `<a href="https://example.com" data-miniprogram-appid="${FOREIGN_APPID}" data-miniprogram-path="pages/index/index">查看</a>`;
      if (mistake === 'unknown-page' && links === 0) content += `<a href="https://example.com" data-miniprogram-appid="${CORPUS_APPID}" data-miniprogram-path="pages/missing/index">查看</a>`;
      if (mistake === 'unsafe-href' && links === 0) content += `<a href="javascript:alert(1)">查看</a>`;
      if (mistake === 'content-too-long') content = content.repeat(Math.ceil(2100 / content.length));
      body = { content };
      break;
    }
    case 'image':
      body = { media_id: `MEDIA_${Math.floor(r() * 1e9).toString(36)}` };
      break;
    case 'link':
      body = { title: pick(r, TITLES), description: pick(r, PHRASES), url: `https://example.com/a/${i}`, thumb_url: `https://example.com/a/${i}.png` };
      break;
    default:
      body = { title: pick(r, TITLES), pagepath: mistake === 'unknown-page' ? 'pages/missing/index' : pagePath(r, allPages), thumb_media_id: `THUMB_${Math.floor(r() * 1e9).toString(36)}` };
  }
  if (mistake === 'missing-field') delete body[Object.keys(body)[0]];
  if (mistake === 'wrong-type') body[Object.keys(body)[0]] = 42;
  const msg: Record<string, unknown> = { touser: 'OPENID', msgtype: mistake === 'invalid-msgtype' ? 'news' : kind, [kind]: body };
  let text = JSON.stringify(msg, null, 2) + '\n';
  if (mistake === 'syntax') text = text.replace('"msgtype"', '"msgtype');
  return text;
}

/** Writes the project and `count` templates under `dir` (created, must be empty or absent). */
export function writeCorpus(dir: string, count: number, seed = 20261126, errorRate = 0.1): Corpus {
  const r = rng(seed);
  const { pages, subPackages } = corpusPages();
  const allPages = pages.concat(subPackages.flatMap((s) => s.pages.map((p) => s.root + p)));
  fs.mkdirSync(path.join(dir, 'miniprogram'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'project.config.json'), JSON.stringify({ appid: CORPUS_APPID, miniprogramRoot: 'miniprogram/' }, null, 2));
  fs.writeFileSync(path.join(dir, 'miniprogram', 'app.json'), JSON.stringify({ pages, subPackages }, null, 2));
  const files: string[] = [];
  let withErrors = 0;
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const folder = path.join('templates', `g${String(Math.floor(i / PER_FOLDER)).padStart(3, '0')}`);
    if (i % PER_FOLDER === 0) fs.mkdirSync(path.join(dir, folder), { recursive: true });
    const mistake = r() < errorRate ? MISTAKES[Math.floor(r() * MISTAKES.length)] : undefined;
    if (mistake) withErrors++;
    const text = template(r, i, allPages, mistake);
    const file = path.join(folder, `t${i}.wxmsg.json`);
    fs.writeFileSync(path.join(dir, file), text);
    files.push(file);
    bytes += Buffer.byteLength(text);
  }
  return { dir, files, withErrors, bytes };
}
