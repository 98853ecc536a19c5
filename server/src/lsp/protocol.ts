/**
 * The protocol between the VS Code client and the language server, imported by both bundles
 * (client/src/*.ts and server/src/lsp/*.ts). Plain data and names only: no vscode, no
 * connection, so any editor's client can read it as documentation of what the server speaks.
 */
import type { PreviewModel } from '../core/languageService.ts';
import type { Diagnostic, SeveritySetting } from '../core/types.ts';
import type { Profile } from '../core/rules/profileConfig.ts';

/** `workspace/configuration` section the server asks for, one item per document. */
export const CONFIG_SECTION = 'wxmsg';

/**
 * The settings object the server expects for a resource (section `wxmsg`). The VS Code client
 * answers with exactly this shape; other editors send their `settings.wxmsg` table, which the
 * server normalizes with {@link normalizeSettings}.
 */
export interface WxmsgSettings {
  /** The mini program's appid; overrides project.config.json when set. */
  appid?: string;
  /** Per-code severity overrides, keys are full codes (`wxmsg/foreign-appid`); 'off' drops a rule. */
  rules: Record<string, SeveritySetting>;
}

export const DEFAULT_SETTINGS: WxmsgSettings = { rules: {} };

const SEVERITY_SETTINGS: readonly string[] = ['error', 'warning', 'info', 'hint', 'off'];
const APPID = /^wx[0-9a-f]{16}$/i;

/**
 * Merges whatever a client sent over the defaults, dropping what does not fit (a client may
 * send null, a string, or a half-typed table). Rule keys may omit the `wxmsg/` prefix.
 */
export function normalizeSettings(raw: unknown): WxmsgSettings {
  const out: WxmsgSettings = { rules: {} };
  if (!raw || typeof raw !== 'object') return out;
  const r = raw as Record<string, unknown>;
  if (typeof r.appid === 'string' && r.appid.trim()) out.appid = r.appid.trim();
  if (r.rules && typeof r.rules === 'object' && !Array.isArray(r.rules)) {
    for (const [k, v] of Object.entries(r.rules as Record<string, unknown>)) {
      if (typeof v === 'string' && SEVERITY_SETTINGS.includes(v)) {
        out.rules[k.startsWith('wxmsg/') ? k : `wxmsg/${k}`] = v as SeveritySetting;
      }
    }
  }
  return out;
}

/** Whether a string has the shape of a mini program appid (used for the status item's warning). */
export function looksLikeAppid(s: string): boolean {
  return APPID.test(s);
}

/**
 * Node flags the extension starts the language server with; bench/lsp.ts starts it the same way.
 * `--v8-pool-size=1`: one V8 worker thread instead of four. On the 2-core machines our users
 * and CI have, the other three (concurrent GC marking and compilation for a process that mostly
 * waits for keystrokes) compete with the editor for the second core and showed up as the edit
 * latency tail: p99 of the 10 KB edit lower in every one of six interleaved pairs, median
 * 5.92 → 4.75 ms (bench/results/lsp-pool.json, README "Keystroke → squiggle in VS Code").
 * A runtime that does not know a flag never gets it (serverExecArgv).
 */
export const SERVER_NODE_FLAGS = ['--v8-pool-size=1'] as const;

/** SERVER_NODE_FLAGS that `allowed` (the runtime's process.allowedNodeEnvironmentFlags) knows. */
export const serverExecArgv = (allowed: ReadonlySet<string>): string[] => SERVER_NODE_FLAGS.filter((f) => allowed.has(f.split('=')[0]));

/** `initializationOptions` the VS Code client sends. */
export interface InitializationOptions {
  /**
   * The client forwards project.config.json / app.json file events itself
   * (synchronize.fileEvents), so the server need not register its own watchers.
   */
  fileEventsForwarded?: boolean;
}

/** Files whose change makes the server forget project context and revalidate. */
export const WATCHED_GLOBS = ['**/project.config.json', '**/app.json', '**/*.vars.json', '**/.wxmsg/media.json'] as const;

/** Request `wxmsg/status`: which appid and pages the server uses for a document, and why. */
export const STATUS_REQUEST = 'wxmsg/status';

export interface StatusParams {
  /** A document URI (open or not); omitted: only the server's health. */
  uri?: string;
}

export interface StatusResult {
  /** The server's version (package.json). */
  version: string;
  /** 'ok', or 'degraded' after an internal error (see `lastError`). */
  health: 'ok' | 'degraded';
  lastError?: string;
  /** The appid validation uses for this document, when known. */
  appid?: string;
  /** Where it came from: the `wxmsg.appid` setting, a project.config.json, or nowhere. */
  appidSource: 'setting' | 'project.config.json' | 'none';
  /** The project.config.json path when appidSource is 'project.config.json'. */
  projectConfig?: string;
  /** app.json path and how many pages it lists, when found. */
  appJson?: string;
  pageCount?: number;
  /** Problems met while reading the project files (too large, syntax errors, …). */
  problems: string[];
}

/** Notification `wxmsg/serverStatus` (server → client): health changed (first internal error). */
export const SERVER_STATUS_NOTIFICATION = 'wxmsg/serverStatus';

/**
 * Notification `wxmsg/projectChanged` (server → client, no params): settings or project files
 * changed and every open template is being validated again; what `wxmsg/status` answers may
 * have changed with them.
 */
export const PROJECT_CHANGED_NOTIFICATION = 'wxmsg/projectChanged';

export interface ServerStatusParams {
  health: 'ok' | 'degraded';
  lastError?: string;
}

/**
 * Notification `wxmsg/documentEncoding` (client → server): the encoding the editor decoded a
 * document with (VS Code's `TextDocument.encoding` id: `utf8`, `utf8bom`, `gbk`, `utf16le`, …),
 * sent before the document's didOpen and again whenever it changes. The server sees only
 * decoded text: a template decoded with anything but UTF-8 is `wxmsg/not-utf8`, as in the CLI.
 */
export const DOCUMENT_ENCODING_NOTIFICATION = 'wxmsg/documentEncoding';

export interface DocumentEncodingParams {
  uri: string;
  encoding: string;
}

/** Code action kind of the fix-all action (serves `editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = 'source.fixAll.wxmsg';

/** Completion trigger characters. */
export const TRIGGER_CHARACTERS = ['"', '<', ' ', '/', '=', '{'];

/**
 * Request `wxmsg/previewModel` (client → server): what the preview shows for an open template,
 * the same model `wxmsg preview` renders (server/src/core/services/preview/model.ts), built on the server's
 * parse and diagnostics of that document version.
 */
export const PREVIEW_MODEL_REQUEST = 'wxmsg/previewModel';

export interface PreviewModelParams {
  textDocument: { uri: string };
  /**
   * Also render it (the renderer `wxmsg preview` uses stays in the server): `body` is the HTML
   * of the page's content; with `page`, `page` is the whole webview page around it, secured
   * with the webview's nonce, CSP source and script.
   */
  render?: {
    /** Shown in the header (the template's path as the Explorer shows it). */
    fileName?: string;
    loadRemoteImages?: boolean;
    page?: { nonce: string; cspSource: string; scriptUri: string; documentUri: string };
  };
}

/** `null` when the document is not open on the server or is not a template. */
export type PreviewModelResult = {
  uri: string;
  /** The document version the model was built from. */
  version: number;
  model: PreviewModel;
  /** With `render`: the content's HTML, and the whole page when `render.page` was given. */
  body?: string;
  page?: string;
} | null;

/**
 * Request `wxmsg/prepareSend` (client → server): everything a send needs from the language
 * service, for the open document the server already has (no read or parse of the file): its
 * project context (as `wxmsg/status` shows it; an untitled template uses the first workspace
 * folder's), the variables, the check that gates the send and the payload WeChat receives.
 * The client adds the recipient (`touser`), asks, confirms and sends.
 */
export const PREPARE_SEND_REQUEST = 'wxmsg/prepareSend';

export interface PrepareSendParams {
  /** The template; `version`: the client's version, answered with `stale` when the server has another. */
  textDocument: { uri: string; version?: number };
  /**
   * Rule overrides for the check that gates the send: the client sends those of the user's own
   * settings only, so a cloned repository's workspace settings cannot switch off the errors
   * that stop a bad send. Keys as in {@link WxmsgSettings.rules}.
   */
  severities?: Record<string, SeveritySetting>;
  /** Values of template variables given for this send (automation, or entered when asked); over *.vars.json and the profile's. */
  variables?: Record<string, string>;
  /** The active profile's appid (wxmsg.config.json), which ranks over wxmsg.appid and project.config.json. */
  appid?: { value: string; source: string };
}

/** The project context a send uses (and shows in its confirmation). */
export interface SendProjectContext {
  appid?: string;
  /** Where the appid came from: "the wxmsg.appid setting", a project.config.json relative to its workspace folder, a profile. */
  appidSource?: string;
  /** The project.config.json used, and the app.json with its page count, when found. */
  projectConfig?: string;
  appJson?: string;
  pageCount?: number;
  /** Why a project.config.json / app.json that exists could not be used, in the server's language. */
  problems: string[];
  /** The folder whose `.wxmsg/media.json` records uploads, and whether it exists. */
  mediaLedgerRoot?: string;
  mediaLedger: boolean;
}

export type PrepareSendResult =
  /** Not open on the server, or not a template (the client cannot send it). */
  | { kind: 'not-open' }
  /** The server failed while preparing (its output has the error): nothing can be sent. */
  | { kind: 'server-error' }
  /** The server has another version (an edit crossed the request): ask again. */
  | { kind: 'stale'; version: number }
  /** A *.vars.json or the profile's vars cannot be used. */
  | { kind: 'vars-error'; message: string; context: SendProjectContext }
  /** Variables without a value (nor a default), in order of first use: ask, then ask the server again with them. */
  | { kind: 'missing-variables'; missing: string[]; context: SendProjectContext }
  /** The check refused the template: its errors (severity Error after the user's rule settings). */
  | {
    kind: 'refused';
    version: number;
    /** `media-placeholder`: a media_id is still a placeholder (the fix is an upload). */
    reason: 'invalid-template' | 'media-placeholder';
    errors: Diagnostic[];
    message: string;
    context: SendProjectContext;
  }
  | {
    kind: 'ready';
    version: number;
    /** The body without `touser`: comments and trailing commas gone, variables filled. */
    payload: Record<string, unknown>;
    msgtype: string;
    /** Warnings and hints of the check (not blocking). */
    warnings: Diagnostic[];
    /** Variable values used that did not come from a default (remembered for the next send). */
    variables: Record<string, string>;
    context: SendProjectContext;
  };

/**
 * Request `wxmsg/templateInfo` (client → server): what the editor shows on an open template
 * without checking it (the CodeLens: "Upload Image…" for a message type that takes a media_id),
 * from the server's parse of that document, so the extension parses no template itself.
 */
export const TEMPLATE_INFO_REQUEST = 'wxmsg/templateInfo';

export interface TemplateInfoParams {
  textDocument: { uri: string };
}

/**
 * Notification `wxmsg/templateInfoChanged` (server → client): a template's msgtype, sent after
 * a validation when it differs from what the server last told the client about that document
 * (the first validation after a didOpen always sends). The CodeLens keeps it, so typing costs no
 * `wxmsg/templateInfo` round trip; the request remains for a lens asked before the first one.
 */
export const TEMPLATE_INFO_NOTIFICATION = 'wxmsg/templateInfoChanged';

export interface TemplateInfoChangedParams {
  uri: string;
  /** The document version it was read from. */
  version: number;
  /** As in TemplateInfoResult: absent when the template has no string msgtype. */
  msgtype?: string;
}

/** `null` when the document is not open on the server, is not a template or is too large to parse. */
export type TemplateInfoResult = {
  /** The document version the answer is from. */
  version: number;
  /** The top-level `msgtype` as written, when it is a string (the first one, as jsonc-parser finds it). */
  msgtype?: string;
} | null;

/** The project file of profiles (at a workspace folder's root). */
export const PROJECT_FILE_NAME = 'wxmsg.config.json';

/**
 * Request `wxmsg/profiles` (client → server): the profiles of the workspace's project file
 * (wxmsg.config.json at the root of the first workspace folder that has one), read when asked.
 * The editor checks an open project file itself like a template (its diagnostics).
 */
export const PROFILES_REQUEST = 'wxmsg/profiles';

export interface ProfilesResult {
  /** The project file and its folder (token-commands run there); absent: there is none. */
  file?: string;
  root?: string;
  profiles: Record<string, Profile>;
  defaultProfile?: string;
  /** The file has config errors (`wxmsg lint` names them): its profiles cannot be used. */
  hasErrors: boolean;
}

/**
 * Request `wxmsg/recordUpload` (client → server): an upload the extension made, written to the
 * media ledger (`.wxmsg/media.json`) nearest `near` (the template, else the image) within its
 * workspace folder, else at that folder's root. Diagnostics then see the new media_id.
 */
export const RECORD_UPLOAD_REQUEST = 'wxmsg/recordUpload';

export interface RecordUploadParams {
  /** A file path: the template the media_id goes into, else the uploaded image. */
  near: string;
  appid: string;
  mediaId: string;
  /** The uploaded image (its name and hash are recorded). */
  file: string;
}

/** The ledger's folder when it was written; `error`: why not (outside every workspace folder, unwritable). */
export type RecordUploadResult = { root: string } | { error: string };
