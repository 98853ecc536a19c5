import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distance, closest } from '../server/src/core/rules/suggest.ts';

test('bounded edit distance agrees with the full one up to the bound', () => {
  const words = ['href', 'herf', 'hre', 'data-miniprogram-appid', 'data-miniprogram-apid', 'pages/p1/index', 'pages/p12/index', 'pagse/p1/index', '', 'x'];
  for (const a of words) for (const b of words) {
    const full = distance(a, b);
    for (const max of [0, 1, 2, 3]) {
      const bounded = distance(a, b, max);
      if (full <= max) assert.equal(bounded, full, `${a} / ${b} max ${max}`);
      else assert.ok(bounded > max, `${a} / ${b} max ${max}: ${bounded}`);
    }
  }
  assert.equal(distance('herf', 'href'), 1);
  assert.equal(closest('pagse/p1/index', ['pages/p12/index', 'pages/p1/index']), 'pages/p1/index');
  assert.equal(closest('zzzz', ['href']), undefined);
});

/** closest() as it was before any shortcut: full distance against every candidate. */
function referenceClosest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d <= Math.max(1, Math.min(3, Math.floor(c.length / 3))) && d < bestDist) { best = c; bestDist = d; }
  }
  return best;
}

test('on a long page list the shortcuts pick what the full search picks', () => {
  const pages = Array.from({ length: 200 }, (_, i) => `pages/p${i}/index`).concat('pages/order/detail', 'packageA/pages/coupon/coupon', '页面/详情/index');
  const words = ['pages/p1/indx', 'pages/p12/index', 'pages/order/detial', 'Pages/Order/Detail', 'packageA/pages/cuopon/coupon',
    'pages/missing/index', 'pages/p1999/index', '页面/详情/indx', 'x', ''];
  for (const w of words) assert.equal(closest(w, pages), referenceClosest(w, pages), w);
  assert.equal(closest('pages/order/detial', pages), 'pages/order/detail');
  assert.equal(closest('pages/missing/index', pages), undefined);
});
