// The English catalog: wxmsg's user-facing strings, keyed by where they are shown — diagnostics
// (diag, malformed, syntax, project), quick fix titles (fix), hover (hover), the language server
// (lsp). Not in it yet: the CLI's own output, send results and the simulator's console output.
// zh-cn.ts has the same keys: its type is Catalog (below), so a key missing there fails
// `npm run typecheck`. WeChat's own errmsg strings are never in here: they are shown verbatim.
import { EMPTY_FILE } from './keys.ts';
import { LIMITS } from '../rules/codes.ts';
import type { ProjectProblem } from '../types.ts';

type Args = Record<string, string | number>;
type Fn = (a: Args) => string;
type FixFn = (a: Record<string, string>) => string;

const syntaxKinds = {
  InvalidSymbol: 'this is not JSON: keys and strings are written in straight double quotes ("…")',
  InvalidNumberFormat: 'this number is not written the JSON way',
  PropertyNameExpected: 'a key in double quotes is expected here (is there a comma too many before it?)',
  ValueExpected: 'a value is expected here (a string in double quotes, a number, an object…)',
  ColonExpected: 'a colon is missing between the key and its value',
  CommaExpected: 'a comma is missing between two members',
  CloseBraceExpected: 'this object is not closed: a } is missing',
  CloseBracketExpected: 'this list is not closed: a ] is missing',
  EndOfFileExpected: 'the message already ended: remove what follows its closing }',
  InvalidCommentToken: 'this comment is not valid',
  UnexpectedEndOfComment: 'this comment is not closed: a */ is missing',
  UnexpectedEndOfString: 'this value is not closed: the string is missing its closing "',
  UnexpectedEndOfNumber: 'this number is cut off',
  InvalidUnicode: 'a \\u escape needs four hex digits',
  InvalidEscapeCharacter: 'this is not a JSON escape: a backslash is written \\\\ (escapes are \\n, \\t, \\", \\\\ and \\uXXXX)',
  InvalidCharacter: 'a line break or tab inside a string must be written \\n or \\t',
} satisfies Record<string, string>;

const syntax = {
  /** jsonc-parser's error names in plain words. */
  kinds: syntaxKinds,
  words: (kind: string) => (syntaxKinds as Record<string, string>)[kind] ?? `JSON syntax error (${kind})`,
  emptyFile: 'Empty file: type `wxmsg` for a message snippet (wxmsg-text, wxmsg-link, …).',
};

const malformed = {
  glued: (a) => `Attribute "${a.name}" is glued to the one before it: put a space between them.`,
  'glued-value': (a) => `"${a.name}" runs the attribute name into its value: write ${a.expected}="…".`,
  'no-equals': (a) => `Attribute "${a.name}" is missing = before its value.`,
  'no-value': (a) => `Attribute "${a.name}" has no value: it is missing = and a quoted value.`,
  'open-quote': (a) => `The value of "${a.name}" is missing its opening quote.`,
  'close-quote': (a) => `The value of "${a.name}" is missing its closing quote.`,
  stray: (a) => `Stray text ${a.name} in the <a> tag: a missing = or quote before it?`,
} satisfies Record<string, Fn>;

export const en = {
  diag: {
    'syntax-error': (a) => a.detail === EMPTY_FILE ? syntax.emptyFile : `Syntax error: ${syntax.words(String(a.detail))}.`,
    'root-not-object': () => 'A message template must be a JSON object.',
    'duplicate-key': (a) => `Duplicate key "${a.key}": WeChat would only see one of them.`,
    'wrong-type': (a) => `"${a.key}" must be ${a.expected}, not ${a.actual}.`,
    'file-too-large': (a) => `File is ${a.size} characters; a message template is at most a few KB, so it was not checked (limit ${a.limit}).`,
    'binary-file': () => 'This file holds binary data (NUL characters), not a JSON message template.',
    'unreadable-file': (a) => `Cannot read this file: ${a.reason}.`,
    'not-utf8': (a) => {
      const convert = `iconv -f ${a.iconv} -t UTF-8, or in VS Code "Reopen with Encoding" → "${a.vscode}", then "Save with Encoding" → "UTF-8"`;
      if (a.kind === 'editor') return `VS Code decoded this file as ${a.encoding}, not UTF-8: wxmsg lint and wxmsg send read templates as UTF-8 (as WeChat does) and refuse it. Save it as UTF-8: "Save with Encoding" → "UTF-8" (or iconv -f ${a.iconv} -t UTF-8).`;
      if (a.kind === 'replacement') return 'U+FFFD (the replacement character) here: the file holds bytes that are not UTF-8 and were replaced when it was read. Find its real encoding ("Reopen with Encoding", e.g. "Simplified Chinese (GBK)"), then "Save with Encoding" → "UTF-8". If you mean the character itself, write \\ufffd.';
      const what = a.bom ? `This file is ${a.encoding}, not UTF-8` : `This file is not UTF-8${a.offset !== '' ? ` (first invalid byte at offset ${a.offset})` : ''}; it looks like ${a.encoding}`;
      return `${what}. wxmsg reads templates as UTF-8, as WeChat does, so it was not checked and cannot be sent. Convert it: ${convert}.`;
    },
    'nesting-too-deep': (a) => `Objects and arrays are nested more than ${a.limit} levels deep here; a message template nests 2 levels, so the file was not checked further.`,
    'missing-msgtype': () => 'Missing "msgtype": one of "text", "image", "link", "miniprogrampage".',
    'invalid-msgtype': (a) => `"${a.value}" is not a message type a mini program can send; use one of "text", "image", "link", "miniprogrampage".`,
    'missing-body': (a) => `Missing the "${a.key}" object that msgtype "${a.key}" needs.`,
    'body-mismatch': (a) => `"${a.key}" is the body of msgtype "${a.key}", but msgtype is "${a.msgtype}".`,
    'missing-field': (a) => `Missing required field${String(a.fields).includes(',') ? 's' : ''} ${a.fields} in "${a.object}".`,
    'empty-value': (a) => `"${a.key}" must not be empty.`,
    'unknown-key': (a) => `Unknown key "${a.key}"${a.suggestion ? `; did you mean "${a.suggestion}"?` : ` in "${a.object}".`}`,
    'use-thumb-url': () => '"picurl" is in the official parameter table, but the link payload takes "thumb_url": use "thumb_url".',
    'invalid-url': (a) => `"${a.key}" must be an absolute http(s) URL, not "${a.value}".`,
    'control-character': (a) => a.kind === 'surrogate'
      ? `Text content holds a lone surrogate (${a.char}): it is half of a character and cannot be encoded in UTF-8, so what the user receives is undefined (often U+FFFD). Remove it or complete the pair.`
      : `Text content holds the control character ${a.char}${a.kind === 'cr' ? ' (carriage return): WeChat breaks lines with \\n; use \\n instead' : ': it is invisible, and WeChat clients may show it as a box or drop it; remove it'}. Only \\n and \\t are expected in text.`,
    'content-too-long': (a) => `Text content is ${a.bytes} bytes (UTF-8), over ${a.limit}: the mini program send page documents no limit, but WeCom documents ${a.limit} bytes for customer-service text and truncates longer text.`,
    'foreign-appid': (a) => `data-miniprogram-appid "${a.value}" is not this mini program's appid "${a.appid}" (from ${a.source}); a mini program may only link to itself.`,
    'link-missing-path': () => 'A link with data-miniprogram-appid needs data-miniprogram-path (a page from app.json).',
    'unknown-page': (a) => `Page "${a.page}" is not in ${a.source}.`,
    'href-not-http': (a) => `href "${a.value}" should be an absolute http(s) URL: it is what clients older than 6.5.16 open.`,
    'unsafe-href': (a) => `href "${a.value}" uses the ${a.scheme} scheme; only http(s) links are allowed.`,
    'link-missing-href': () => 'This mini program link has no href: clients older than 6.5.16 show nothing clickable.',
    'misspelled-attribute': (a) => `Unknown attribute "${a.name}"; did you mean "${a.suggestion}"?`,
    'unclosed-link': () => 'This <a> tag is never closed with </a>.',
    'openid-format': (a) => `"${a.value}" does not look like an OpenID (28 characters of A-Z, a-z, 0-9, _ and -).`,
    // appid / pages: 1 when that context is missing, else ''.
    'no-project-context': (a) => {
      const what = a.appid && a.pages ? 'The appid and the app.json pages are' : a.appid ? 'The appid is' : 'The app.json pages are';
      const checks = [a.appid ? 'text-link appids' : '', a.pages ? 'page paths' : ''].filter(Boolean).join(' and ');
      return a.problems
        ? `${what} not known, so ${checks} were not checked: ${a.problems}. Fix that, or set "wxmsg.appid" (or --appid).`
        : `${what} not known, so ${checks} were not checked. Set "wxmsg.appid" (or --appid) or add project.config.json${a.pages ? ' and app.json' : ''} to the mini program project.`;
    },
    'media-id-not-uploaded': (a) => `"${a.key}" is "${a.value}", which looks like ${a.shape === 'url' ? 'a URL' : 'a file path'}, not a media_id: WeChat answers 40007 (invalid media_id). Upload the image first (WeChat: Upload Image… in VS Code, or wxmsg upload) and use the media_id it returns.`,
    'link-missing-appid': () => 'data-miniprogram-path without data-miniprogram-appid: only the appid makes a text link open the mini program, so WeChat ignores the path and the link opens href.',
    'invalid-appid': (a) => `data-miniprogram-appid "${a.value}" is not shaped like an appid ("wx" and 16 hex digits); it must be this mini program's own appid.`,
    'surrounding-whitespace': (a) => `"${a.key}" has ${a.where} whitespace: WeChat compares the exact string, so "${a.value}" does not match.`,
    'malformed-link': (a) => (malformed as Record<string, Fn>)[String(a.kind)]?.(a) ?? `Malformed <a> markup at "${a.name}".`,
    'unknown-attribute': (a) => `Unknown attribute "${a.name}" on <a>: WeChat text links take only href, data-miniprogram-appid and data-miniprogram-path.`,
    'empty-link-label': () => 'This link has no text between <a …> and </a>: there is nothing to tap.',
    'literal-newline-escape': (a) => `A literal backslash-n (\\\\n in the JSON${Number(a.count) > 1 ? `, ${a.count} times` : ''}): WeChat shows the two characters, not a line break. A line break is \\n in the JSON.`,
    'br-tag': (a) => `${a.tag}${Number(a.count) > 1 ? ` (${a.count} times)` : ''} is not a line break in a WeChat text message: it is shown as text. Use a line break (\\n in the JSON).`,
    'escaped-link': () => 'An HTML-escaped link (&lt;a …&gt;): WeChat shows the markup as text, not as a link. Write the tag with < and >.',
    'config-error': (a) => `wxmsg.config.json: ${a.detail ?? 'invalid'}.`,
    'secret-in-config': (a) => `${a.detail ?? 'A secret'}: the project file is shared through git and must never hold a secret. Remove it and keep it in the environment (WXMSG_APPSECRET, WXMSG_ACCESS_TOKEN, the variable a token-url's "headerEnv" names) or in VS Code's secret storage.`,
    'media-placeholder': (a) => `"${a.key}" is the placeholder "${a.value}": fine in a committed template and in wxmsg lint, but a send refuses it. Upload the image (Upload Image… or wxmsg upload) to fill in a media_id.`,
    'media-other-appid': (a) => `media_id "${a.value}" was uploaded for appid ${a.other} (from ${a.source}), not this mini program's ${a.appid}: WeChat answers 40007. Upload the image again for this appid.`,
    'media-expired': (a) => `media_id "${a.value}" was uploaded ${a.age} ago (from ${a.source}): temporary media expire after 3 days, so WeChat answers 40007. Upload ${a.source} again.`,
    'media-unknown': (a) => `media_id "${a.value}" is not in the media ledger (.wxmsg/media.json): wxmsg cannot tell whether it is still valid (temporary media expire after 3 days) or from this appid.`,
    'malformed-variable': (a) => a.kind === 'unclosed'
      ? 'This {{ is never closed with }}. A variable is {{name}} or {{name|default}}; write \\{{ in the JSON for a literal {{.'
      : a.kind === 'empty-name'
        ? 'This placeholder has no name: write {{name}} or {{name|default}}.'
        : `"${a.name}" is not a variable name: names are letters, digits, _, . and - (no spaces). Write \\{{ in the JSON for a literal {{.`,
    'variable-in-key': (a) => `The key "${a.key}" holds {{: variables are filled into string values only, never into keys.`,
    'unfilled-variable': (a) => `{{${a.name}}} has no value here (no default, profile or *.vars.json value), so this string's checks were skipped; it is asked at send time (VS Code) or given with --var ${a.name}=… (wxmsg send).`,
  } satisfies Record<string, Fn>,
  malformed,
  syntax,
  fix: {
    'syntax.comma': () => 'Insert the missing comma',
    'syntax.quote': () => 'Close the string with "',
    appid: (a) => `Use this mini program's appid "${a.value}"`,
    attribute: (a) => `Change to "${a.value}"`,
    msgtype: (a) => `Change msgtype to "${a.value}"`,
    setMsgtype: (a) => `Set msgtype to "${a.value}" (the body present)`,
    rename: (a) => `Rename "${a.from}" to "${a.to}"`,
    renameBody: (a) => `Rename "${a.from}" to "${a.to}" to match msgtype`,
    remove: (a) => `Remove "${a.key}"`,
    removeDuplicate: (a) => `Remove this duplicate "${a.key}"`,
    addFields: (a) => `Add missing ${a.many ? 'fields' : 'field'} ${a.keys}`,
    addMsgtype: (a) => `Add "msgtype": "${a.value}"`,
    addBody: (a) => `Add the "${a.value}" object`,
    page: (a) => `Change page to "${a.value}"`,
    trim: (a) => `Remove the whitespace around "${a.value}"`,
    addAppid: (a) => `Add data-miniprogram-appid="${a.value}"`,
    newline: () => 'Replace the literal \\n with a line break',
    br: () => 'Replace <br> with a line break',
    unescapeLink: () => 'Unescape the link markup (&lt; → <, &gt; → >)',
    space: () => 'Insert a space between the attributes',
    equals: () => 'Insert = between the name and its value',
  } satisfies Record<string, FixFn>,
  hover: {
    required: 'required', optional: 'optional', limit: 'Limit', bodyOf: (t: string) => `body of msgtype "${t}"`,
    fields: 'Fields', msgtype: 'msgtype', link: 'Text link',
    opensPage: (p: string) => `Opens the mini program page ${p}`,
    query: (q: string) => ` (with query ${q})`,
    pageFound: (src: string) => `✓ listed in ${src}`,
    pageMissing: (src: string) => `⚠ not in ${src}`,
    pagesUnknown: 'app.json not found: the page was not checked',
    appidOwn: (a: string) => `appid ${a}: this mini program`,
    appidForeign: (a: string, own: string) => `⚠ appid ${a} is not this mini program (${own}): WeChat rejects the message`,
    appidUnknown: (a: string) => `appid ${a} (this mini program's appid is not known)`,
    fallback: (u: string) => `Clients older than 6.5.16 open ${u}`,
    noFallback: 'No href: clients older than 6.5.16 show nothing clickable',
    opensUrl: (u: string) => `Opens the web page ${u}`,
    noTarget: 'Has neither data-miniprogram-path nor href: it goes nowhere',
    pathIgnored: 'data-miniprogram-path is ignored: without data-miniprogram-appid the link does not open the mini program',
    picurl: 'The official table calls the thumbnail `picurl`, but the link payload takes `thumb_url`.',
    delivery: 'WeChat delivers customer-service messages only after the user acts (otherwise errcode 45015, over the count 45047):',
    notCumulative: 'Allowances do not add up: each action raises the messages left to at most its own quota and moves the deadline to the later of the two.',
  },
  lsp: {
    fixAll: 'Fix all auto-fixable wxmsg problems',
  },
  /** wxmsg send with a token-url profile, when WeChat refuses its token (cli/commands/send.ts); errcode, what (the errcode in words), reason. */
  tokenUrl: {
    sameToken: (a) => `WeChat refused the token service's token (errcode ${a.errcode} ${a.what}), and asked once more the token service handed back the same token: it holds a stale token or another app's. Ask its owners to refresh it; nothing was sent`,
    refetchFailed: (a) => `WeChat refused the token service's token (errcode ${a.errcode} ${a.what}), and fetching a new one failed: ${a.reason}`,
    refusedAgain: (a) => `WeChat refused the new token from the token service too (errcode ${a.errcode}): the service may hand out tokens of another appid; check which app it serves`,
    refetched: () => 'after fetching a new token from the token service',
  } satisfies Record<string, Fn>,
  /** Why a project file (project.config.json, app.json) cannot be used: file, detail. */
  project: {
    'too-large': (f: string, d: string) => `${f} is ${d} bytes, over the ${LIMITS.maxConfigBytes}-byte limit: not read`,
    'not-utf8': (f: string, d: string) => `${f} is not UTF-8 (it looks like ${d}): not read; save it as UTF-8`,
    syntax: (f: string, d: string) => `${f} has a JSON syntax error at ${d}`,
    'not-object': (f: string) => `${f} is not a JSON object`,
    'appid-type': (f: string, d: string) => `"appid" in ${f} is ${d}, not a string`,
    'no-appid': (f: string) => `${f} has no "appid"`,
    'tourist-appid': (f: string) => `${f} has "appid": "touristappid" (a test account without a real appid)`,
    'pages-type': (f: string, d: string) => (d === 'missing' ? `${f} has no "pages" array` : `"pages" in ${f} is ${d}, not an array`),
    unreadable: (f: string, d: string) => `${f} cannot be read: ${d}`,
  } satisfies Record<ProjectProblem['reason'], (f: string, d: string) => string>,
  words: {
    /** A JSON type as the messages name it ("a string", "an object"…). */
    typeName: (t: string) => t,
  },
};

/** What every other locale provides: the same sections and keys, each value of the same kind. */
export type Catalog = { readonly [S in keyof typeof en]: { readonly [K in keyof (typeof en)[S]]: (typeof en)[S][K] } };
