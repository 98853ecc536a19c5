import type { SeverityName } from '../types.ts';

/**
 * Every diagnostic code wxmsg reports, with its default severity. Codes are stable: they are
 * what users put in settings (`wxmsg.rules`), CI filters and SARIF rules. The README documents
 * each one (a test checks the README lists them all).
 */
export const CODES = {
  'syntax-error': 'error',
  'root-not-object': 'error',
  'duplicate-key': 'error',
  'wrong-type': 'error',
  'file-too-large': 'error',
  'binary-file': 'error',
  'not-utf8': 'error',
  'unreadable-file': 'error',
  'nesting-too-deep': 'error',
  'missing-msgtype': 'error',
  'invalid-msgtype': 'error',
  'missing-body': 'error',
  'body-mismatch': 'error',
  'missing-field': 'error',
  'empty-value': 'error',
  'unknown-key': 'warning',
  'use-thumb-url': 'error',
  'invalid-url': 'error',
  'content-too-long': 'warning',
  'control-character': 'warning',
  'foreign-appid': 'error',
  'link-missing-path': 'error',
  'unknown-page': 'error',
  'href-not-http': 'warning',
  'unsafe-href': 'error',
  'link-missing-href': 'info',
  'misspelled-attribute': 'warning',
  'unclosed-link': 'warning',
  'openid-format': 'hint',
  'no-project-context': 'info',
  'media-id-not-uploaded': 'error',
  'link-missing-appid': 'warning',
  'invalid-appid': 'error',
  'surrounding-whitespace': 'error',
  'malformed-link': 'warning',
  'unknown-attribute': 'warning',
  'empty-link-label': 'warning',
  'literal-newline-escape': 'hint',
  'br-tag': 'hint',
  'escaped-link': 'hint',
  'config-error': 'error',
  'secret-in-config': 'error',
  'media-placeholder': 'hint',
  'media-other-appid': 'error',
  'media-expired': 'warning',
  'media-unknown': 'info',
  'malformed-variable': 'error',
  'variable-in-key': 'error',
  'unfilled-variable': 'info',
} as const satisfies Record<string, SeverityName>;

export type CodeName = keyof typeof CODES;
export type Code = `wxmsg/${CodeName}`;

export const ALL_CODES = Object.keys(CODES).map((k) => `wxmsg/${k}` as Code);

export function code(name: CodeName): Code {
  return `wxmsg/${name}`;
}

export const DOCS_BASE = 'https://www.npmjs.com/package/wxmsg#';

/** Anchor of a code's row in the README's rule table. */
export function codeHref(c: string): string {
  return DOCS_BASE + c.replace('/', '');
}

/**
 * Limits with their source. `text.content`: the mini program send page documents no maximum.
 * 2048 bytes is WeCom's documented limit for its customer-service text, where longer text is
 * truncated, not refused (https://developer.work.weixin.qq.com/document/path/90236; SDK docs
 * repeat it; shared/wechat-api-facts.md), so it is reported as a warning by default.
 */
export const LIMITS = {
  contentBytes: 2048,
  /** Templates are a few KB; anything above this is not a template and is not parsed. */
  maxFileChars: 2_000_000,
  /** project.config.json / app.json larger than this are not read (a hostile 50 MB app.json must not stall us). */
  maxConfigBytes: 2 * 1024 * 1024,
  maxSyntaxErrors: 50,
  /** Templates nest 2 levels; the parser recurses, so absurd nesting is refused before parsing. */
  maxDepth: 64,
  /** Text links checked per content (a template has a handful). */
  maxLinks: 100,
  /** Diagnostics per document: past this the editor and CI output only get noisier. */
  maxDiagnostics: 500,
};
