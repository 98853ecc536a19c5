// LSP-shaped data (structurally identical to vscode-languageserver-types) so the core needs no
// LSP package: lines are 0-based, characters are UTF-16 code units.

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export const Severity = { Error: 1, Warning: 2, Information: 3, Hint: 4 } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

export type SeverityName = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = SeverityName | 'off';

export interface Diagnostic {
  range: Range;
  severity: Severity;
  code: string;
  source: 'wxmsg';
  message: string;
  codeDescription?: { href: string };
  /** What a quick fix needs (the replacement, the key to insert, …); see codeActions.ts. */
  data?: DiagnosticData;
}

export interface DiagnosticData {
  /** Suggested replacement text for the diagnostic's range (raw source text, already escaped). */
  replacement?: string;
  /** For missing members: the JSON path of the object and the keys it lacks. */
  path?: (string | number)[];
  missing?: string[];
  /** Key named by the diagnostic (unknown key, mismatched body). */
  key?: string;
  expected?: string;
  /** Which variant of a rule (malformed-link: glued, no-equals, …). */
  kind?: string;
}

export type { Locale } from './l10n/cli/text.ts';
import type { Locale } from './l10n/cli/text.ts';

export const MSGTYPES = ['text', 'image', 'link', 'miniprogrampage'] as const;
export type MsgType = (typeof MSGTYPES)[number];

/** Project facts the core needs, passed in as data (see resolver.ts for where they come from). */
export interface ProjectContext {
  /** The mini program's own appid, when known. */
  appid?: string;
  /** Where the appid came from, for messages ("wxmsg.appid", "/x/project.config.json"). */
  appidSource?: string;
  /** Page paths from app.json (pages + subpackage pages), when known. */
  pages?: readonly string[];
  pagesSource?: string;
  /** Why a project.config.json or app.json that exists could not be used (told with no-project-context). */
  problems?: readonly ProjectProblem[];
  /**
   * The media ledger's records (`.wxmsg/media.json`, see mediaLedger.ts); media_ids are checked
   * against it only when it is given (the editor, a send, `wxmsg lint --media-ledger`).
   */
  mediaLedger?: readonly import('./rules/mediaLedger.ts').MediaRecord[];
  /** The folder holding `.wxmsg/` (absolute; sources in the ledger are relative to it). */
  mediaLedgerRoot?: string;
  /** The current time (ms since the epoch) for the ledger's 3-day check: the core reads no clock. */
  now?: number;
}

/** A project file that exists but cannot be used (fully), and why. */
export interface ProjectProblem {
  /** The file (absolute in the resolver; the editor shows it relative to the workspace folder). */
  file: string;
  reason: 'too-large' | 'not-utf8' | 'syntax' | 'not-object' | 'appid-type' | 'no-appid' | 'tourist-appid' | 'pages-type' | 'unreadable';
  /** The size, the likely encoding, where the syntax error is, the JSON type found, the OS error… */
  detail?: string;
}

export interface ValidationOptions {
  locale?: Locale;
  /** Per-code severity override; 'off' drops the rule. Keys are full codes (`wxmsg/foreign-appid`). */
  severities?: Record<string, SeveritySetting | undefined>;
  /**
   * The encoding the editor decoded the document with (VS Code's id: `utf8`, `gbk`, …), when the
   * client reports it; anything but UTF-8 is `wxmsg/not-utf8`. The CLI decodes bytes itself.
   */
  encoding?: string;
  /**
   * Values of template variables (`{{name}}`), from --var / --vars, the profile, `*.vars.json`
   * (variables.ts). Strings with a placeholder without a value (and without a default) are not
   * checked: `wxmsg/unfilled-variable`.
   */
  variables?: ReadonlyMap<string, { value: string; source: string }>;
  /** The editor: a blank file gets one hint (type `wxmsg` for a snippet) instead of a syntax error. */
  emptyFileHint?: boolean;
  /** The editor: a placeholder media_id (MEDIA_ID, {{…}}) gets a hint that a send will refuse it. */
  mediaPlaceholderHint?: boolean;
}

export function severityName(s: Severity): SeverityName {
  return s === Severity.Error ? 'error' : s === Severity.Warning ? 'warning' : s === Severity.Information ? 'info' : 'hint';
}

export function severityFromName(n: SeverityName): Severity {
  return n === 'error' ? Severity.Error : n === 'warning' ? Severity.Warning : n === 'info' ? Severity.Information : Severity.Hint;
}

/**
 * A user-facing text in both languages, for the layers both shells show (wechat/: token sources,
 * allowed hosts): the CLI picks by its locale, the extension by VS Code's display language.
 */
export interface Texts { en: string; zh: string }

export function textIn(t: Texts, locale: Locale): string {
  return locale === 'zh-cn' ? t.zh : t.en;
}
