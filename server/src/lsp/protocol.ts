/**
 * The protocol between the VS Code client and the language server, imported by both bundles
 * (client/src/*.ts and server/src/lsp/*.ts). Plain data and names only: no vscode, no
 * connection, so any editor's client can read it as documentation of what the server speaks.
 */
import type { PreviewModel } from '../core/services/preview/model.ts';
import type { SeveritySetting } from '../core/types.ts';

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
}

/** `null` when the document is not open on the server or is not a template. */
export type PreviewModelResult = {
  uri: string;
  /** The document version the model was built from. */
  version: number;
  model: PreviewModel;
} | null;
