import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../server/src/core/services/validate.ts';
import { parseTemplate } from '../server/src/core/parser/document.ts';
import { fillVariables, scanVariables, variableNames, type VariableValue } from '../server/src/core/rules/variables.ts';
import { prepareTemplate } from '../server/src/wechat/template.ts';
import { parseVarFlags, parseVars, fromObject } from '../server/src/node/varsFile.ts';
import { LIMITS } from '../server/src/core/rules/codes.ts';
import { Severity } from '../server/src/core/types.ts';
import { APPID, CTX, rangeIn } from './helpers.ts';

const text = (content: string) => JSON.stringify({ touser: 'OPENID', msgtype: 'text', text: { content } }, null, 2);
const vars = (o: Record<string, string>, source = '--var'): Map<string, VariableValue> => new Map(Object.entries(o).map(([k, v]) => [k, { value: v, source }]));
const codes = (t: string, v?: Map<string, VariableValue>, ctx = CTX) => validate(t, ctx, { variables: v }).map((d) => d.code);
const page = (pagepath: string) => JSON.stringify({ touser: 'OPENID', msgtype: 'miniprogrampage', miniprogrampage: { title: 't', pagepath, thumb_media_id: 'MEDIA_ID_abc' } }, null, 2);

describe('template variables: syntax', () => {
  test('names are letters (any script), digits, _ . -; near misses are malformed-variable errors', () => {
    for (const ok of ['{{name}}', '{{名字}}', '{{order.id}}', '{{a-b_c.1}}', '{{x|}}', '{{x|默认 值}}']) {
      const t = text(`Hi ${ok}`);
      assert.deepEqual(codes(t).filter((c) => c === 'wxmsg/malformed-variable'), [], ok);
    }
    for (const [bad, kind] of [['{{ name}}', 'name'], ['{{name }}', 'name'], ['{{a b}}', 'name'], ['{{a/b}}', 'name'], ['{{}}', 'empty'], ['{{|x}}', 'empty'], ['{{name', 'unclosed'], ['{{name}', 'unclosed']]) {
      const t = text(`Hi ${bad} there`);
      const d = validate(t, CTX).filter((x) => x.code === 'wxmsg/malformed-variable');
      assert.equal(d.length, 1, bad);
      assert.equal(d[0].severity, Severity.Error);
      assert.deepEqual(d[0].range.start, rangeIn(t, bad.slice(0, 2)).start, bad);
      assert.match(d[0].message, kind === 'unclosed' ? /never closed/ : kind === 'empty' ? /no name/ : /not a variable name/);
    }
    // A single brace is text, and so is a lone }}.
    assert.deepEqual(codes(text('{a} and }} and {x}}')), []);
  });

  test('\\{{ is a literal {{: no variable, and the send gets {{', () => {
    const t = text('literal \\{{name}} here');
    assert.deepEqual(codes(t), []);
    const p = prepareTemplate(t, 'oWxmsgSimReadyUser0000000001', CTX);
    assert.ok(p.ok);
    assert.equal((p.payload.text as { content: string }).content, 'literal {{name}} here');
  });

  test('a placeholder (or any {{) in a key is an error; touser is left alone', () => {
    const t = JSON.stringify({ touser: '{{openid}}', msgtype: 'text', text: { content: 'x', '{{k}}': 'y' } });
    const d = validate(t, CTX).filter((x) => x.code === 'wxmsg/variable-in-key');
    assert.equal(d.length, 1);
    assert.deepEqual(d[0].range, rangeIn(t, '"{{k}}"'));
    assert.ok(!codes(t).includes('wxmsg/unfilled-variable'));
    assert.deepEqual(codes(JSON.stringify({ touser: 'OPENID', msgtype: 'text', text: { content: 'x', '{k}': 'y' } })).filter((c) => c === 'wxmsg/variable-in-key'), []);
  });

  test('messages exist in both languages', () => {
    const t = JSON.stringify({ msgtype: 'text', text: { content: '{{a b}} {{x}}', '{{k}}': 1 } });
    const zh = validate(t, CTX, { locale: 'zh-cn' });
    for (const c of ['wxmsg/malformed-variable', 'wxmsg/variable-in-key', 'wxmsg/unfilled-variable']) {
      const d = zh.find((x) => x.code === c);
      assert.ok(d && /[\u4e00-\u9fff]/.test(d.message), c);
    }
  });
});

describe('template variables: filling', () => {
  test('values with quotes, backslashes and newlines fill the decoded string; the JSON stays valid', () => {
    const value = 'a"b\\c\n"}, "msgtype": "image';
    const t = text('Hi {{name}}!');
    const doc = parseTemplate(t);
    const fill = fillVariables(doc, scanVariables(doc), vars({ name: value }));
    assert.deepEqual(fill.missing, []);
    assert.equal(JSON.parse(fill.text).text.content, `Hi ${value}!`);
    assert.equal(JSON.parse(fill.text).msgtype, 'text');
    const p = prepareTemplate(t, 'oWxmsgSimReadyUser0000000001', CTX, { variables: vars({ name: value }) });
    assert.ok(p.ok);
    assert.equal(JSON.parse(p.body).text.content, `Hi ${value}!`);
  });

  test('a default is used when no value is given; a given value wins over it', () => {
    const t = text('order {{order|N/A}}');
    assert.deepEqual(codes(t), []);
    const p = prepareTemplate(t, 'oWxmsgSimReadyUser0000000001', CTX);
    assert.ok(p.ok);
    assert.equal((p.payload.text as { content: string }).content, 'order N/A');
    const q = prepareTemplate(t, 'oWxmsgSimReadyUser0000000001', CTX, { variables: vars({ order: '42' }) });
    assert.ok(q.ok);
    assert.equal((q.payload.text as { content: string }).content, 'order 42');
  });

  test('a send with a variable without value refuses and names it', () => {
    const t = text('Hi {{name}}, {{order|1}} {{名字}}');
    const p = prepareTemplate(t, 'oWxmsgSimReadyUser0000000001', CTX, { variables: vars({}) });
    assert.equal(p.ok, false);
    assert.ok(!p.ok && p.reason === 'missing-variables');
    assert.deepEqual(!p.ok && p.reason === 'missing-variables' ? p.missing : [], ['name', '名字']);
    assert.match(p.message, /\{\{name\}\}, \{\{名字\}\}/);
    assert.match(p.message, /--var name=/);
    assert.ok(prepareTemplate(t, 'oWxmsgSimReadyUser0000000001', CTX, { variables: vars({ name: 'x', 名字: 'y' }) }).ok);
  });

  test('variableNames lists each name once', () => {
    assert.deepEqual(variableNames(parseTemplate(text('{{a}} {{b|x}} {{a}} \\{{c}}'))), ['a', 'b']);
  });
});

describe('template variables: every rule runs on the filled payload', () => {
  const link = (appid: string, path = 'pages/index/index') => text(`<a href="https://x.cn" data-miniprogram-appid="${appid}" data-miniprogram-path="${path}">go</a>`);

  test('link appid: an error after filling is on the placeholder, with the filled value', () => {
    const t = link('{{appid}}');
    const d = validate(t, CTX, { variables: vars({ appid: 'wx0000000000000000' }) });
    const e = d.find((x) => x.code === 'wxmsg/foreign-appid');
    assert.ok(e, JSON.stringify(d));
    assert.deepEqual(e.range, rangeIn(t, '{{appid}}'));
    assert.match(e.message, /after filling: \{\{appid\}\} = "wx0000000000000000" \(--var\)/);
    assert.equal(e.data, undefined, 'no quick fix over a placeholder');
    // Near miss: the project's own appid is fine.
    assert.deepEqual(validate(t, CTX, { variables: vars({ appid: APPID }) }).filter((x) => x.severity === Severity.Error), []);
    // zh
    const zh = validate(t, CTX, { locale: 'zh-cn', variables: vars({ appid: 'wx0000000000000000' }) }).find((x) => x.code === 'wxmsg/foreign-appid');
    assert.match(zh!.message, /填入变量后：\{\{appid\}\} = "wx0000000000000000"/);
  });

  test('page path: unknown page after filling; a known one is fine', () => {
    const t = page('pages/{{p}}?id=1');
    const bad = validate(t, CTX, { variables: vars({ p: 'order/details' }, 'profile "dev"') }).find((x) => x.code === 'wxmsg/unknown-page');
    assert.ok(bad);
    assert.deepEqual(bad.range, rangeIn(t, '{{p}}'));
    assert.match(bad.message, /\{\{p\}\} = "order\/details" \(profile "dev"\)/);
    assert.deepEqual(codes(t, vars({ p: 'order/detail' })), []);
    // A text link's path too.
    const l = link(APPID, 'pages/{{p}}');
    assert.ok(codes(l, vars({ p: 'nope' })).includes('wxmsg/unknown-page'));
    assert.ok(!codes(l, vars({ p: 'index/index' })).includes('wxmsg/unknown-page'));
  });

  test('byte length: over 2048 bytes only after filling, at the exact edge', () => {
    const t = text('{{body}}x');
    const at = (n: number) => codes(t, vars({ body: '好'.repeat(n) }));
    // 3 bytes each + 1: 682 → 2047, 683 → 2050.
    assert.ok(!at(682).includes('wxmsg/content-too-long'));
    assert.ok(at(683).includes('wxmsg/content-too-long'));
    const exact = codes(t, vars({ body: 'a'.repeat(LIMITS.contentBytes - 1) }));
    assert.ok(!exact.includes('wxmsg/content-too-long'));
    assert.ok(codes(t, vars({ body: 'a'.repeat(LIMITS.contentBytes) })).includes('wxmsg/content-too-long'));
  });

  test('media placeholders: a file path filled into media_id is an error; a media_id is not', () => {
    const t = JSON.stringify({ touser: 'OPENID', msgtype: 'image', image: { media_id: '{{media}}' } });
    const d = validate(t, CTX, { variables: vars({ media: './cover.png' }) }).find((x) => x.code === 'wxmsg/media-id-not-uploaded');
    assert.ok(d);
    assert.deepEqual(d.range, rangeIn(t, '{{media}}'));
    assert.deepEqual(codes(t, vars({ media: 'Hk3J_2sAbCdEf-9' })), []);
  });

  test('a value that injects markup is checked as markup', () => {
    const t = text('Hi {{name}}');
    const d = validate(t, CTX, { variables: vars({ name: '<a href="javascript:alert(1)">x</a>' }) });
    assert.ok(d.some((x) => x.code === 'wxmsg/unsafe-href' && x.severity === Severity.Error));
    assert.deepEqual(codes(t, vars({ name: '<b>' })).filter((c) => c === 'wxmsg/unsafe-href'), []);
  });

  test('the template text around placeholders is still checked, at its own range', () => {
    const t = text('Hi {{name}} <a href="javascript:x">go</a>');
    const d = validate(t, CTX, { variables: vars({ name: 'Li' }) }).find((x) => x.code === 'wxmsg/unsafe-href');
    assert.ok(d);
    assert.deepEqual(d.range, rangeIn(t, 'javascript:x'));
    assert.doesNotMatch(d.message, /after filling/);
  });

  test('unfilled: value checks skipped with an info; a default or known value is checked', () => {
    const t = link('{{appid}}');
    const d = validate(t, CTX);
    assert.deepEqual(d.map((x) => x.code), ['wxmsg/unfilled-variable']);
    assert.equal(d[0].severity, Severity.Information);
    assert.deepEqual(d[0].range, rangeIn(t, '{{appid}}'));
    assert.match(d[0].message, /asked at send time/);
    // Without variables the raw "{{appid}}" would be an invalid-appid error: it is not.
    assert.ok(!codes(t).includes('wxmsg/invalid-appid'));
    // A default is a known value: checked.
    assert.ok(codes(link('{{appid|wx0000000000000000}}')).includes('wxmsg/foreign-appid'));
    assert.ok(!codes(link(`{{appid|${APPID}}}`)).includes('wxmsg/foreign-appid'));
  });

  test('a rule turned off stays off after filling', () => {
    const t = link('{{appid}}');
    const d = validate(t, CTX, { variables: vars({ appid: 'wx0000000000000000' }), severities: { 'wxmsg/foreign-appid': 'off' } });
    assert.ok(!d.some((x) => x.code === 'wxmsg/foreign-appid'));
  });

  test('a template without {{ gives exactly what it gave before', () => {
    const t = link('wx0000000000000000');
    assert.deepEqual(validate(t, CTX, { variables: vars({ a: 'b' }) }), validate(t, CTX));
  });
});

describe('variable sources', () => {
  test('--var name=value: first = splits, names checked', () => {
    const r = parseVarFlags(['a=1', 'b=x=y', 'c=']);
    assert.ok('values' in r);
    assert.equal(r.values.get('b')!.value, 'x=y');
    assert.equal(r.values.get('c')!.value, '');
    assert.match((parseVarFlags(['=1']) as { error: string }).error, /name=value/);
    assert.match((parseVarFlags(['a b=1']) as { error: string }).error, /not a variable name/);
  });

  test('vars files: an object of strings (numbers taken as text); anything else is refused with the key', () => {
    const ok = parseVars('// c\n{"a": "x", "n": 42, "t": true,}', 'v.json');
    assert.ok('values' in ok);
    assert.equal(ok.values.get('n')!.value, '42');
    assert.equal(ok.values.get('a')!.source, 'v.json');
    assert.match((parseVars('{"a": {"b": 1}}', 'v.json') as { error: string }).error, /v\.json: the value of "a" is an object/);
    assert.match((parseVars('[1]', 'v.json') as { error: string }).error, /one JSON object/);
    assert.match((parseVars('{"a": 1,,}', 'v.json') as { error: string }).error, /v\.json: JSON syntax error at 1:9/);
    assert.match((fromObject({ 'a b': 'x' }, 'p') as { error: string }).error, /not a variable name/);
  });
});

describe('template variables in the editor: hover and completion', async () => {
  const { variableHover, variableCompletions } = await import('../server/src/core/services/variableFeatures.ts');
  test('hover on a placeholder shows its value and source, or that it is asked at send time', () => {
    const t = text('Hi {{name}} / {{order|N/A}}');
    const doc = parseTemplate(t);
    const at = t.indexOf('{{name}}') + 3;
    const h = variableHover(doc, at, vars({ name: '李四' }, 'profile "dev"'), 'en')!;
    assert.match(h.contents.value, /Value: `"李四"` \(from profile "dev"\)/);
    assert.deepEqual(h.range, rangeIn(t, '{{name}}'));
    assert.match(variableHover(doc, at, undefined, 'en')!.contents.value, /asked at send time/);
    assert.match(variableHover(doc, at, undefined, 'zh-cn')!.contents.value, /发送时询问/);
    assert.match(variableHover(doc, t.indexOf('{{order') + 2, undefined, 'en')!.contents.value, /from the default/);
    // Just outside a placeholder: no variable hover.
    assert.equal(variableHover(doc, t.indexOf('{{name}}') - 1, undefined, 'en'), undefined);
  });

  test('completion after {{ offers known names and the template\'s own; not elsewhere', () => {
    const t = text('Hi {{na and {{order}}');
    const doc = parseTemplate(t);
    const items = variableCompletions(doc, t.indexOf('{{na') + 4, vars({ name: 'x', city: 'y' }), 'en')!;
    assert.deepEqual(items.map((i) => i.label).sort(), ['city', 'name', 'order']);
    const name = items.find((i) => i.label === 'name')!;
    assert.equal(name.textEdit!.newText, 'name}}');
    assert.deepEqual(name.textEdit!.range, rangeIn(t, 'na', 0));
    assert.equal(variableCompletions(doc, t.indexOf('Hi') + 1, vars({ name: 'x' }), 'en'), undefined);
    // Escaped \{{ is not a placeholder.
    const e = text('\\{{na');
    assert.equal(variableCompletions(parseTemplate(e), e.indexOf('{{na') + 4, vars({ name: 'x' }), 'en'), undefined);
  });
});

test('a {{ followed by another placeholder before any }} is unclosed; the next one still counts', () => {
  const t = text('Hi {{na and {{order}}');
  const d = validate(t, CTX, { variables: vars({ order: '1' }) });
  assert.deepEqual(d.map((x) => x.code), ['wxmsg/malformed-variable']);
  assert.deepEqual(d[0].range, rangeIn(t, '{{na and '));
});

describe('where a variable\'s value comes from, in Chinese hovers', () => {
  test('a profile and a value given at send time are said in Chinese; file names and flags stay', async () => {
    const { sourceZh } = await import('../server/src/core/services/variableFeatures.ts');
    assert.equal(sourceZh('profile "dev"'), '配置档 "dev"');
    assert.equal(sourceZh('profile "产品 环境"'), '配置档 "产品 环境"');
    assert.equal(sourceZh('argument'), '发送时给出的值');
    // Near misses: not a profile source, left as written.
    assert.equal(sourceZh('profile dev'), 'profile dev');
    assert.equal(sourceZh('arguments'), 'arguments');
    assert.equal(sourceZh('welcome.vars.json'), 'welcome.vars.json');
    assert.equal(sourceZh('--var'), '--var');
  });
});
