import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTree, type ParseError } from 'jsonc-parser';
import { getCodeActions, getFixAllEdits } from '../server/src/core/services/codeActions.ts';
import { parseTemplate } from '../server/src/core/parser/document.ts';
import type { CodeAction } from '../server/src/core/languageTypes.ts';
import type { Diagnostic, ProjectContext } from '../server/src/core/types.ts';
import { validate } from '../server/src/core/services/validate.ts';
import { APPID, CTX, applyEdits, rangeAt, rangeIn } from './helpers.ts';

function diag(text: string, code: string, ctx: ProjectContext = CTX): Diagnostic {
  const found = validate(text, ctx).filter((d) => d.code === `wxmsg/${code}`);
  assert.equal(found.length, 1, `expected one wxmsg/${code} in ${JSON.stringify(validate(text, ctx).map((d) => d.code))}`);
  return found[0];
}

function actionsFor(text: string, code: string, ctx: ProjectContext = CTX, locale: 'en' | 'zh-cn' = 'en'): CodeAction[] {
  const d = diag(text, code, ctx);
  const actions = getCodeActions(parseTemplate(text), [d], ctx, locale);
  for (const a of actions) {
    assert.equal(a.kind, 'quickfix');
    assert.deepEqual(a.diagnostics, [d]);
  }
  return actions;
}

/** Parses strictly (no comments tolerated beyond what the input had, no trailing commas). */
function assertValidJson(text: string, allowTrailingComma = false): void {
  const errors: ParseError[] = [];
  parseTree(text, errors, { allowTrailingComma, disallowComments: false });
  assert.deepEqual(errors, [], `not valid JSON after the fix:\n${text}`);
}

/** Applies the action and checks the diagnostic is gone and the result still parses. */
function applyAndRevalidate(text: string, action: CodeAction, code: string, ctx: ProjectContext = CTX): string {
  const out = applyEdits(text, action.edits);
  assertValidJson(out);
  const left = validate(out, ctx).filter((d) => d.code === `wxmsg/${code}`);
  assert.deepEqual(left, [], `wxmsg/${code} still reported after "${action.title}":\n${out}`);
  return out;
}

function only(actions: CodeAction[], title: RegExp): CodeAction {
  const found = actions.filter((a) => title.test(a.title));
  assert.equal(found.length, 1, `expected one action matching ${title}, got ${JSON.stringify(actions.map((a) => a.title))}`);
  return found[0];
}

const textMsg = (content: string): string => `{
  "touser": "OPENID",
  "msgtype": "text",
  "text": {
    "content": ${JSON.stringify(content)}
  }
}
`;

const LINK = `{
  "touser": "OPENID",
  "msgtype": "link",
  "link": {
    "title": "Happy Day",
    "description": "Is Really A Happy Day",
    "url": "https://example.com/happy-day",
    "picurl": "https://example.com/happy-day.png"
  }
}
`;

describe('text link fixes', () => {
  test('foreign appid → the configured appid (preferred), edit only the attribute value', () => {
    const text = textMsg('<a href="https://example.com" data-miniprogram-appid="wxother0000000000" data-miniprogram-path="pages/index/index">go</a>');
    const [a] = actionsFor(text, 'foreign-appid');
    assert.equal(a.isPreferred, true);
    assert.deepEqual(a.edits, [{ range: rangeIn(text, 'wxother0000000000'), newText: APPID }]);
    const out = applyAndRevalidate(text, a, 'foreign-appid');
    assert.ok(out.includes(`data-miniprogram-appid=\\"${APPID}\\"`));
  });

  test('foreign appid in a content with escapes and astral characters before it', () => {
    const text = textMsg('😀 "quoted"\n<a href="https://example.com" data-miniprogram-appid="wxother0000000000" data-miniprogram-path="pages/index/index">𠀀</a>');
    const [a] = actionsFor(text, 'foreign-appid');
    assert.deepEqual(a.edits[0].range, rangeIn(text, 'wxother0000000000'));
    applyAndRevalidate(text, a, 'foreign-appid');
  });

  test('an empty appid value gets the configured appid inserted', () => {
    const text = textMsg('<a href="https://example.com" data-miniprogram-appid="" data-miniprogram-path="pages/index/index">go</a>');
    const [a] = actionsFor(text, 'foreign-appid');
    const out = applyAndRevalidate(text, a, 'foreign-appid');
    assert.ok(out.includes(`data-miniprogram-appid=\\"${APPID}\\"`), out);
  });

  test('herf → href (preferred)', () => {
    const text = textMsg(`<a herf="https://example.com" data-miniprogram-appid="${APPID}" data-miniprogram-path="pages/index/index">go</a>`);
    const [a] = actionsFor(text, 'misspelled-attribute');
    assert.equal(a.isPreferred, true);
    assert.deepEqual(a.edits, [{ range: rangeIn(text, 'herf'), newText: 'href' }]);
    applyAndRevalidate(text, a, 'misspelled-attribute');
  });

  test('unknown page in a text link → closest page, query kept', () => {
    const text = textMsg(`<a href="https://example.com" data-miniprogram-appid="${APPID}" data-miniprogram-path="pages/order/detial?id=42">go</a>`);
    const [a] = actionsFor(text, 'unknown-page');
    const out = applyAndRevalidate(text, a, 'unknown-page');
    assert.ok(out.includes('data-miniprogram-path=\\"pages/order/detail?id=42\\"'), out);
  });
});

describe('key fixes', () => {
  test('picurl → thumb_url (preferred)', () => {
    const actions = actionsFor(LINK, 'use-thumb-url');
    const rename = only(actions, /thumb_url/);
    assert.equal(rename.isPreferred, true);
    assert.deepEqual(rename.edits, [{ range: rangeIn(LINK, '"picurl"'), newText: '"thumb_url"' }]);
    const out = applyAndRevalidate(LINK, rename, 'use-thumb-url');
    assert.deepEqual(validate(out, CTX), []);
  });

  test('picurl next to an existing thumb_url is an unknown key: removed, not renamed', () => {
    const text = LINK.replace('"picurl"', '"thumb_url": "https://example.com/t.png",\n    "picurl"');
    const actions = actionsFor(text, 'unknown-key');
    assert.equal(actions.length, 1);
    assert.ok(!actions[0].isPreferred);
    const out = applyAndRevalidate(text, actions[0], 'unknown-key');
    assert.ok(!out.includes('picurl'));
  });

  test('unknown key with did-you-mean → rename (preferred) or remove', () => {
    const text = `{
  "touser": "OPENID",
  "msgtype": "image",
  "image": {
    "mediaid": "MEDIA_ID"
  }
}`;
    const actions = actionsFor(text, 'unknown-key');
    const rename = only(actions, /Rename/);
    assert.equal(rename.isPreferred, true);
    assert.deepEqual(rename.edits, [{ range: rangeIn(text, '"mediaid"'), newText: '"media_id"' }]);
    const renamed = applyAndRevalidate(text, rename, 'unknown-key');
    assert.deepEqual(validate(renamed, CTX), []);
    const remove = only(actions, /Remove/);
    assert.ok(!remove.isPreferred);
    const removed = applyAndRevalidate(text, remove, 'unknown-key');
    assert.equal(removed, `{
  "touser": "OPENID",
  "msgtype": "image",
  "image": {
  }
}`);
  });

  test('a root key renamed to a body msgtype does not name is offered but not preferred', () => {
    const text = '{\n  "msgtype": "text",\n  "text": { "content": "hi" },\n  "imge": { "media_id": "M" }\n}';
    const actions = actionsFor(text, 'unknown-key');
    const rename = only(actions, /Rename "imge" to "image"/);
    assert.ok(!rename.isPreferred);
    assert.deepEqual(getFixAllEdits(parseTemplate(text), validate(text, CTX), CTX), []);
  });

  test('a stale diagnostic (the key moved since) yields no edit', () => {
    const before = '{\n  "msgtype": "image",\n  "image": { "mediaid": "M" }\n}';
    const d = diag(before, 'unknown-key');
    const after = before.replace('{ "mediaid"', '{ "x": 1, "mediaid"');
    assert.deepEqual(getCodeActions(parseTemplate(after), [d], CTX, 'en'), []);
  });

  const removeCases: Array<[string, string, string]> = [
    ['first of several (own line)', '{\n  "extra": 1,\n  "msgtype": "image",\n  "image": { "media_id": "M" }\n}', '{\n  "msgtype": "image",\n  "image": { "media_id": "M" }\n}'],
    ['middle', '{\n  "msgtype": "image",\n  "extra": [1, 2],\n  "image": { "media_id": "M" }\n}', '{\n  "msgtype": "image",\n  "image": { "media_id": "M" }\n}'],
    ['last: the previous comma goes', '{\n  "msgtype": "image",\n  "image": { "media_id": "M" },\n  "extra": { "a": 1 }\n}', '{\n  "msgtype": "image",\n  "image": { "media_id": "M" }\n}'],
    ['last with a trailing comma', '{\n  "msgtype": "image",\n  "image": { "media_id": "M" },\n  "extra": true,\n}', '{\n  "msgtype": "image",\n  "image": { "media_id": "M" },\n}'],
    ['inline, first', '{"extra": 1, "msgtype": "image", "image": {"media_id": "M"}}', '{"msgtype": "image", "image": {"media_id": "M"}}'],
    ['inline, last', '{"msgtype": "image", "image": {"media_id": "M"}, "extra": 1}', '{"msgtype": "image", "image": {"media_id": "M"}}'],
    ['in the body, only member besides the required one', '{\n  "msgtype": "image",\n  "image": {\n    "media_id": "M",\n    "extra": 1 // why\n  }\n}', '{\n  "msgtype": "image",\n  "image": {\n    "media_id": "M"\n  }\n}'],
    ['CRLF', '{\r\n  "msgtype": "image",\r\n  "extra": 1,\r\n  "image": { "media_id": "M" }\r\n}\r\n', '{\r\n  "msgtype": "image",\r\n  "image": { "media_id": "M" }\r\n}\r\n'],
  ];
  for (const [name, text, expected] of removeCases) {
    test(`remove unknown key: ${name}`, () => {
      const remove = only(actionsFor(text, 'unknown-key'), /Remove/);
      const out = applyEdits(text, remove.edits);
      assert.equal(out, expected);
      assertValidJson(out, text.includes(',\n}'));
      assert.deepEqual(validate(out, CTX).map((d) => d.code), []);
    });
  }

  test('duplicate key → remove the later one', () => {
    const text = '{\n  "msgtype": "image",\n  "image": { "media_id": "A", "media_id": "B" }\n}';
    const [a] = actionsFor(text, 'duplicate-key');
    const out = applyAndRevalidate(text, a, 'duplicate-key');
    assert.equal(out, '{\n  "msgtype": "image",\n  "image": { "media_id": "A" }\n}');
  });
});

describe('msgtype and body fixes', () => {
  test('invalid msgtype with a suggestion → replace (preferred)', () => {
    const text = '{\n  "msgtype": "txt",\n  "text": { "content": "hi" }\n}';
    const [a] = actionsFor(text, 'invalid-msgtype');
    assert.equal(a.isPreferred, true);
    assert.deepEqual(a.edits, [{ range: rangeIn(text, '"txt"'), newText: '"text"' }]);
    const out = applyAndRevalidate(text, a, 'invalid-msgtype');
    assert.deepEqual(validate(out, CTX), []);
  });

  test('body mismatch → rename the body (only when it would be valid), or change msgtype (neither preferred)', () => {
    // A text body renamed to "image" would be an invalid image body: no rename, only msgtype.
    const text = '{\n  "msgtype": "image",\n  "text": { "content": "hi" }\n}';
    const actions = actionsFor(text, 'body-mismatch');
    assert.deepEqual(actions.map((a) => a.title), ['Change msgtype to "text"']);
    assert.ok(actions.every((a) => !a.isPreferred));
    // A body that holds an image's fields under the wrong key: renaming it makes it valid.
    const misfiled = '{\n  "msgtype": "image",\n  "text": { "media_id": "M" }\n}';
    const both = actionsFor(misfiled, 'body-mismatch');
    assert.equal(both.length, 2);
    const rename = only(both, /Rename "text" to "image"/);
    assert.deepEqual(rename.edits, [{ range: rangeIn(misfiled, '"text"'), newText: '"image"' }]);
    assert.deepEqual(validate(applyEdits(misfiled, rename.edits!), CTX), []);
    const change = only(actions, /Change msgtype to "text"/);
    assert.deepEqual(change.edits, [{ range: rangeIn(text, '"image"'), newText: '"text"' }]);
    const changed = applyAndRevalidate(text, change, 'body-mismatch');
    assert.deepEqual(validate(changed, CTX), []);
  });

  test('missing body → the body object with its required fields, indented like the file', () => {
    const text = '{\n    "touser": "OPENID",\n    "msgtype": "link"\n}\n';
    const [a] = actionsFor(text, 'missing-body');
    assert.ok(!a.isPreferred);
    const out = applyAndRevalidate(text, a, 'missing-body');
    assert.equal(out, `{
    "touser": "OPENID",
    "msgtype": "link",
    "link": {
        "title": "Title",
        "description": "Description",
        "url": "https://example.com/",
        "thumb_url": "https://example.com/thumb.png"
    }
}
`);
    assert.deepEqual(validate(out, CTX), []);
  });

  test('missing body in a one-line file stays on one line', () => {
    const text = '{"msgtype": "image"}';
    const [a] = actionsFor(text, 'missing-body');
    assert.equal(applyAndRevalidate(text, a, 'missing-body'), '{"msgtype": "image", "image": { "media_id": "MEDIA_ID" }}');
  });

  test('missing msgtype with one body → msgtype of that body (preferred), inserted first', () => {
    const text = '{\n\t"touser": "OPENID",\n\t"image": {\n\t\t"media_id": "M"\n\t}\n}';
    const actions = actionsFor(text, 'missing-msgtype');
    assert.equal(actions.length, 1);
    assert.equal(actions[0].isPreferred, true);
    const out = applyAndRevalidate(text, actions[0], 'missing-msgtype');
    assert.equal(out, '{\n\t"msgtype": "image",\n\t"touser": "OPENID",\n\t"image": {\n\t\t"media_id": "M"\n\t}\n}');
  });

  test('missing msgtype without a body → one choice per type, none preferred', () => {
    const text = '{\n  "touser": "OPENID"\n}';
    const actions = actionsFor(text, 'missing-msgtype');
    assert.deepEqual(actions.map((a) => a.title), ['text', 'image', 'link', 'miniprogrampage'].map((t) => `Add "msgtype": "${t}"`));
    assert.ok(actions.every((a) => !a.isPreferred));
    for (const a of actions) applyAndRevalidate(text, a, 'missing-msgtype');
  });

  test('missing msgtype in an empty object', () => {
    const text = '{\n}\n';
    const actions = actionsFor(text, 'missing-msgtype');
    const out = applyAndRevalidate(text, actions[0], 'missing-msgtype');
    assert.equal(out, '{\n  "msgtype": "text"\n}\n');
  });
});

describe('missing fields', () => {
  test('inserted after the last member with the document indentation', () => {
    const text = '{\n  "msgtype": "link",\n  "link": {\n    "title": "T"\n  }\n}';
    const [a] = actionsFor(text, 'missing-field');
    assert.equal(a.title, 'Add missing fields "description", "url", "thumb_url"');
    const out = applyAndRevalidate(text, a, 'missing-field');
    assert.equal(out, '{\n  "msgtype": "link",\n  "link": {\n    "title": "T",\n    "description": "Description",\n    "url": "https://example.com/",\n    "thumb_url": "https://example.com/thumb.png"\n  }\n}');
    assert.deepEqual(validate(out, CTX), []);
  });

  test('into an empty body object', () => {
    const text = '{\n  "msgtype": "miniprogrampage",\n  "miniprogrampage": {}\n}';
    const [a] = actionsFor(text, 'missing-field');
    const out = applyAndRevalidate(text, a, 'missing-field');
    assert.equal(out, '{\n  "msgtype": "miniprogrampage",\n  "miniprogrampage": {\n    "title": "Title",\n    "pagepath": "pages/index/index",\n    "thumb_media_id": "THUMB_MEDIA_ID"\n  }\n}');
  });

  test('inline body stays inline', () => {
    const text = '{\n  "msgtype": "link",\n  "link": { "title": "T", "url": "https://a.com/" }\n}';
    const [a] = actionsFor(text, 'missing-field');
    const out = applyAndRevalidate(text, a, 'missing-field');
    assert.ok(out.includes('{ "title": "T", "url": "https://a.com/", "description": "Description", "thumb_url": "https://example.com/thumb.png" }'), out);
  });

  test('a comment after the last member stays with it', () => {
    const text = '{\n  "msgtype": "link",\n  "link": {\n    "title": "T",\n    "description": "D",\n    "url": "https://a.com/" // landing page\n  }\n}';
    const [a] = actionsFor(text, 'missing-field');
    const out = applyAndRevalidate(text, a, 'missing-field');
    assert.ok(out.includes('"url": "https://a.com/", // landing page\n    "thumb_url": "https://example.com/thumb.png"\n  }'), out);
  });

  test('a comment after the last member that already has its comma', () => {
    const text = '{\n  "msgtype": "image",\n  "image": {\n    "x": 1, /* old */\n  }\n}';
    const ds = validate(text, CTX).filter((d) => d.code === 'wxmsg/missing-field');
    const [a] = getCodeActions(parseTemplate(text), ds, CTX, 'en');
    const out = applyEdits(text, a.edits);
    assert.ok(out.includes('"x": 1, /* old */\n    "media_id": "MEDIA_ID"\n  }'), out);
    assertValidJson(out);
  });

  test('CRLF files get CRLF lines', () => {
    const text = '{\r\n  "msgtype": "link",\r\n  "link": {\r\n    "title": "T",\r\n    "description": "D",\r\n    "url": "https://a.com/"\r\n  }\r\n}\r\n';
    const [a] = actionsFor(text, 'missing-field');
    const out = applyAndRevalidate(text, a, 'missing-field');
    assert.ok(out.includes('"url": "https://a.com/",\r\n    "thumb_url": "https://example.com/thumb.png"\r\n  }'), JSON.stringify(out));
    assert.ok(!/[^\r]\n/.test(out));
  });

  test('a body whose last member already has a trailing comma', () => {
    const text = '{\n  "msgtype": "link",\n  "link": {\n    "title": "T",\n    "description": "D",\n    "url": "https://a.com/",\n  }\n}';
    const [a] = actionsFor(text, 'missing-field');
    const out = applyEdits(text, a.edits);
    assertValidJson(out, true);
    assert.ok(!validate(out, CTX).some((d) => d.code === 'wxmsg/missing-field'));
  });
});

describe('pagepath', () => {
  test('unknown page → closest page, the query kept, the string re-quoted', () => {
    const text = '{\n  "msgtype": "miniprogrampage",\n  "miniprogrampage": {\n    "title": "T",\n    "pagepath": "/pages/indx/index?from=kf",\n    "thumb_media_id": "M"\n  }\n}';
    const [a] = actionsFor(text, 'unknown-page');
    assert.ok(!a.isPreferred);
    assert.deepEqual(a.edits, [{ range: rangeIn(text, '"/pages/indx/index?from=kf"'), newText: '"pages/index/index?from=kf"' }]);
    const out = applyAndRevalidate(text, a, 'unknown-page');
    assert.deepEqual(validate(out, CTX), []);
  });
});

describe('issue 16 fixes', () => {
  const OK = 'href="https://example.com" data-miniprogram-appid="wx1234567890abcdef" data-miniprogram-path="pages/index/index"';

  test('surrounding whitespace → trimmed (preferred), on a pagepath literal and inside a link', () => {
    const card = (p: string) => `{"msgtype":"miniprogrampage","miniprogrampage":{"title":"t","pagepath":${JSON.stringify(p)},"thumb_media_id":"M"}}`;
    for (const p of [' pages/index/index', 'pages/index/index\t', '\u3000pages/index/index\n']) {
      const text = card(p);
      const [a] = actionsFor(text, 'surrounding-whitespace');
      assert.equal(a.isPreferred, true);
      assert.deepEqual(a.edits, [{ range: rangeIn(text, JSON.stringify(p)), newText: '"pages/index/index"' }]);
      const out = applyAndRevalidate(text, a, 'surrounding-whitespace');
      assert.deepEqual(validate(out, CTX), []);
    }
    const text = textMsg(`<a ${OK.replace('"wx1234567890abcdef"', '" wx1234567890abcdef "').replace('"pages/index/index"', '"pages/index/index\n"')}>go</a>`);
    const ds = validate(text, CTX).filter((d) => d.code === 'wxmsg/surrounding-whitespace');
    assert.equal(ds.length, 2);
    let out = text;
    for (const d of ds.reverse()) {
      const [a] = getCodeActions(parseTemplate(out), [d], CTX, 'en');
      assert.ok(a, 'a trim fix');
      out = applyEdits(out, a.edits);
    }
    assert.deepEqual(validate(out, CTX), []);
    assert.equal(JSON.parse(out).text.content, `<a ${OK}>go</a>`);
    // Stale: the value was trimmed meanwhile → no fix.
    const d = diag(card(' pages/index/index'), 'surrounding-whitespace');
    assert.deepEqual(getCodeActions(parseTemplate(card('pages/index/index')), [d], CTX, 'en'), []);
  });

  test('a path without an appid → add this mini program\'s appid (preferred); none without context', () => {
    const text = textMsg('<a href="https://example.com" data-miniprogram-path="pages/index/index">go</a>');
    const [a] = actionsFor(text, 'link-missing-appid');
    assert.equal(a.isPreferred, true);
    assert.equal(a.title, `Add data-miniprogram-appid="${APPID}"`);
    const out = applyAndRevalidate(text, a, 'link-missing-appid');
    assert.deepEqual(validate(out, CTX), []);
    assert.ok(JSON.parse(out).text.content.includes(`data-miniprogram-appid="${APPID}" data-miniprogram-path=`));
    assert.deepEqual(actionsFor(text, 'link-missing-appid', { pages: CTX.pages }), []);
  });

  test('malformed markup: a glued attribute gets a space, a missing = is inserted', () => {
    const glued = textMsg(`<a ${OK.replace('" data-miniprogram-appid', '"data-miniprogram-appid')}>go</a>`);
    const [g] = actionsFor(glued, 'malformed-link');
    const at = glued.indexOf('data-miniprogram-appid');
    assert.deepEqual(g.edits, [{ range: rangeAt(glued, at, at), newText: ' ' }]);
    assert.deepEqual(validate(applyAndRevalidate(glued, g, 'malformed-link'), CTX), []);
    const noEq = textMsg(`<a ${OK.replace('href=', 'href ')}>go</a>`);
    const [e] = actionsFor(noEq, 'malformed-link');
    assert.deepEqual(validate(applyAndRevalidate(noEq, e, 'malformed-link'), CTX), []);
    // No safe fix for a lost quote or a name run into its value.
    assert.deepEqual(actionsFor(textMsg(`<a ${OK.replace('href="', 'href=')}>go</a>`), 'malformed-link'), []);
    assert.deepEqual(actionsFor(textMsg(`<a ${OK.replace('appid="', 'appid')}>go</a>`), 'malformed-link'), []);
  });

  test('literal backslash-n → line breaks (not preferred: the text may mean it)', () => {
    const text = textMsg('line 1\\nline 2\\r\\nline 3 C:\\\\new');
    const [a] = actionsFor(text, 'literal-newline-escape');
    assert.ok(!a.isPreferred);
    assert.equal(a.edits.length, 2);
    const out = applyAndRevalidate(text, a, 'literal-newline-escape');
    assert.equal(JSON.parse(out).text.content, 'line 1\nline 2\nline 3 C:\\\\new');
  });

  test('<br> → line breaks (preferred), every one in the content', () => {
    const text = textMsg('a<br>b<BR/>c<br />d');
    const [a] = actionsFor(text, 'br-tag');
    assert.equal(a.isPreferred, true);
    const out = applyAndRevalidate(text, a, 'br-tag');
    assert.equal(JSON.parse(out).text.content, 'a\nb\nc\nd');
    assert.deepEqual(validate(out, CTX), []);
  });

  test('an HTML-escaped link → unescaped markup (preferred), only inside the link', () => {
    const text = textMsg(`1 &lt; 2 &lt;a ${OK.replace(/"/g, '&quot;')}&gt;go&lt;/a&gt; &amp; more`);
    const [a] = actionsFor(text, 'escaped-link');
    assert.equal(a.isPreferred, true);
    const out = applyAndRevalidate(text, a, 'escaped-link');
    assert.equal(JSON.parse(out).text.content, `1 &lt; 2 <a ${OK}>go</a> &amp; more`);
    assert.deepEqual(validate(out, CTX), []);
  });

  test('fix all takes the preferred serializer fixes and leaves the literal \\n to a human', () => {
    const text = textMsg('a<br>b\\nc');
    const out = applyEdits(text, getFixAllEdits(parseTemplate(text), validate(text, CTX), CTX));
    assert.equal(JSON.parse(out).text.content, 'a\nb\\nc');
  });
});

describe('titles', () => {
  test('zh-cn titles', () => {
    const [a] = actionsFor(textMsg('<a href="https://example.com" data-miniprogram-appid="wxother0000000000" data-miniprogram-path="pages/index/index">go</a>'), 'foreign-appid', CTX, 'zh-cn');
    assert.equal(a.title, `改为本小程序的 appid "${APPID}"`);
  });
});

describe('fix all', () => {
  test('applies every preferred fix at once and leaves a clean file', () => {
    const text = `{
  "tousr": "OPENID",
  "msgtype": "txt",
  "text": {
    "content": "Hi <a herf=\\"https://example.com\\" data-miniprogram-appid=\\"wxother0000000000\\" data-miniprogram-path=\\"pages/index/index\\">go</a>"
  }
}
`;
    const before = validate(text, CTX).map((d) => d.code).sort();
    assert.deepEqual(before, ['wxmsg/foreign-appid', 'wxmsg/invalid-msgtype', 'wxmsg/misspelled-attribute', 'wxmsg/unknown-key']);
    const edits = getFixAllEdits(parseTemplate(text), validate(text, CTX), CTX);
    assert.equal(edits.length, 4);
    const out = applyEdits(text, edits);
    assertValidJson(out);
    assert.deepEqual(validate(out, CTX), []);
  });

  test('leaves out fixes that need a human and overlapping edits', () => {
    const text = '{\n  "msgtype": "link",\n  "link": { "title": "T", "picurl": "https://a.com/p.png", "picurl": "https://a.com/q.png" }\n}';
    const ds = validate(text, CTX);
    const edits = getFixAllEdits(parseTemplate(text), ds, CTX);
    // missing-field (placeholders) and duplicate-key are not preferred; one picurl rename only.
    assert.deepEqual(edits.map((e) => e.newText), ['"thumb_url"']);
    assertValidJson(applyEdits(text, edits));
  });

  test('the same diagnostic twice (or two fixes on one span) is applied once', () => {
    const text = '{\n  "msgtype": "image",\n  "image": { "mediaid": "M" }\n}';
    const ds = validate(text, CTX);
    const once = getFixAllEdits(parseTemplate(text), ds, CTX);
    assert.equal(once.length, 1);
    assert.deepEqual(getFixAllEdits(parseTemplate(text), [...ds, ...ds], CTX), once);
  });

  test('nothing to fix → no edits', () => {
    const text = '{"msgtype": "image", "image": {"media_id": "M"}}';
    assert.deepEqual(getFixAllEdits(parseTemplate(text), validate(text, CTX), CTX), []);
  });
});

describe('every fix on a corpus of broken templates', () => {
  const base = {
    text: '{\n  "touser": "OPENID",\n  "msgtype": "text",\n  "text": {\n    "content": "您好 <a href=\\"https://example.com/o\\" data-miniprogram-appid=\\"wx1234567890abcdef\\" data-miniprogram-path=\\"pages/order/detail?id=42\\">查看</a>"\n  }\n}\n',
    link: '{\n  "touser": "OPENID",\n  "msgtype": "link",\n  "link": {\n    "title": "T",\n    "description": "D",\n    "url": "https://example.com/",\n    "thumb_url": "https://example.com/t.png"\n  }\n}\n',
    card: '{\n  "msgtype": "miniprogrampage",\n  "miniprogrampage": {\n    "title": "T",\n    "pagepath": "pages/index/index",\n    "thumb_media_id": "M"\n  }\n}\n',
    image: '{"touser": "OPENID", "msgtype": "image", "image": {"media_id": "M"}}',
  };
  const mutations: Array<[keyof typeof base, string, string]> = [
    ['text', 'wx1234567890abcdef', 'wxffffffffffffffff'],
    ['text', 'href=', 'herf='],
    ['text', 'data-miniprogram-path=', 'data-miniprogram-pth='],
    ['text', 'pages/order/detail', 'pages/ordr/detail'],
    ['text', '"content"', '"contnet"'],
    ['text', '"msgtype": "text"', '"msgtype": "txt"'],
    ['text', '"msgtype": "text"', '"msgtype": "image"'],
    ['text', '  "msgtype": "text",\n', ''],
    ['text', '"touser"', '"tousr"'],
    ['link', '"thumb_url"', '"picurl"'],
    ['link', '    "description": "D",\n', ''],
    ['link', '    "title": "T",\n    "description": "D",\n', '    "x": 1,\n'],
    ['link', '"link": {', '"lnk": {'],
    ['card', '"pages/index/index"', '"pages/index/indx?x=1"'],
    ['card', '"thumb_media_id": "M"', '"thumb_media_id": "M", "extra": [1, {"a": 2}]'],
    ['card', '"msgtype": "miniprogrampage",', ''],
    ['image', '"media_id": "M"', '"media_id": "M", "media_id": "N"'],
    ['image', '"media_id": "M"', ''],
    ['image', ', "image": {"media_id": "M"}', ''],
    ['image', '{"touser"', '{"zzz": null, "touser"'],
    ['text', 'data-miniprogram-appid=\\"wx1234567890abcdef\\" ', ''],
    ['text', '查看', '查看\\\\n第二行'],
    ['text', '您好 ', '您好<br/>'],
    ['text', '"您好 <a href=\\"https://example.com/o\\"', '"您好 &lt;a href=&quot;https://example.com/o&quot;&gt;x&lt;/a&gt; <a href=\\"https://example.com/o\\"'],
    ['text', '\\" data-miniprogram-path', '\\"data-miniprogram-path'],
    ['text', 'data-miniprogram-path=\\"', 'data-miniprogram-path \\"'],
    ['text', 'data-miniprogram-path=\\"pages', 'data-miniprogram-path=\\" pages'],
    ['card', '"pages/index/index"', '"pages/index/index "'],
  ];
  for (const crlf of [false, true]) {
    test(`each action removes its diagnostic and keeps the JSON valid${crlf ? ' (CRLF)' : ''}`, () => {
      let applied = 0;
      for (const [which, from, to] of mutations) {
        let text = base[which].replace(from, to);
        assert.notEqual(text, base[which], `mutation ${from} did not apply`);
        if (crlf) text = text.replace(/\n/g, '\r\n');
        const ds = validate(text, CTX);
        for (const d of ds) {
          const zh = getCodeActions(parseTemplate(text), [d], CTX, 'zh-cn');
          for (const a of zh) assert.ok(a.title && !a.title.includes('undefined') && /[\u4e00-\u9fff]/.test(a.title), a.title);
          for (const a of getCodeActions(parseTemplate(text), [d], CTX, 'en')) {
            assert.ok(!a.title.includes('undefined'), a.title);
            const out = applyEdits(text, a.edits);
            assertValidJson(out);
            if (crlf) assert.ok(!/[^\r]\n/.test(out), `LF introduced by "${a.title}"`);
            const count = (t: string): number => validate(t, CTX).filter((x) => x.code === d.code).length;
            assert.ok(count(out) < count(text), `"${a.title}" left ${d.code} in:\n${out}`);
            applied++;
          }
        }
        // fix-all result parses and has fewer problems.
        const fixed = applyEdits(text, getFixAllEdits(parseTemplate(text), ds, CTX));
        assertValidJson(fixed);
        assert.ok(validate(fixed, CTX).length <= ds.length);
      }
      assert.ok(applied >= 25, `only ${applied} actions applied`);
    });
  }
});

test('a foreign appid written with escapes is replaced whole', () => {
  const text = textMsg('<a href="https://example.com" data-miniprogram-appid="wxother" data-miniprogram-path="pages/index/index">go</a>').replace('wxother', '\\u0077xother');
  const [a] = actionsFor(text, 'foreign-appid');
  assert.deepEqual(a.edits[0].range, rangeIn(text, '\\u0077xother'));
  applyAndRevalidate(text, a, 'foreign-appid');
});

test('a stale foreign-appid range (now over other text) gives no fix', () => {
  const before = textMsg('<a href="https://example.com" data-miniprogram-appid="wxother0000000000" data-miniprogram-path="pages/index/index">go</a>');
  const d = diag(before, 'foreign-appid');
  const after = before.replace('<a href', 'Hello there, <a href');
  assert.deepEqual(getCodeActions(parseTemplate(after), [d], CTX, 'en'), []);
});
