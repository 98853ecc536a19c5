import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { projectProblem } from '../core/l10n/messages.ts';
import type { ParsedTemplate } from '../core/parser/document.ts';
import { fillVariables, mayHaveVariables, scanVariables } from '../core/rules/variables.ts';
import type { Locale, ProjectContext } from '../core/types.ts';
import { preparePayload } from '../wechat/template.ts';
import type { Projects } from './project.ts';
import {
  normalizeSettings, type PrepareSendParams, type PrepareSendResult, type SendProjectContext, type WxmsgSettings,
} from './protocol.ts';

export interface PrepareSendHost {
  documents: TextDocuments<TextDocument>;
  locale(): Locale;
  projects: Projects;
  /** The open template at `uri`, parsed (the parse the other features share); undefined: not a template or too large to parse. */
  template(uri: string): { doc: TextDocument; parsed: ParsedTemplate } | undefined;
  isTemplate(doc: TextDocument): boolean;
  settings(uri: string): Promise<WxmsgSettings>;
  /** The project context with the media ledger (the one diagnostics use). */
  context(uri: string, settings: WxmsgSettings): ProjectContext;
  encoding(uri: string): string | undefined;
}

/** How often the answer is built again when the document changes while settings are fetched. */
const ATTEMPTS = 3;

/**
 * `wxmsg/prepareSend`: the one check before an editor send, on the server's own copy of the
 * document (its parse, its project context, its media ledger): no file is read for the template.
 */
export function prepareSendHandler(host: PrepareSendHost): (params: PrepareSendParams) => Promise<PrepareSendResult> {
  return async (params) => {
    const uri = params.textDocument.uri;
    const wanted = params.textDocument.version;
    for (let attempt = 0; ; attempt++) {
      const open = host.documents.get(uri);
      if (!open || !host.isTemplate(open)) return { kind: 'not-open' };
      // Too large to parse: checked from its length alone (file-too-large), as in the editor.
      const t = host.template(uri) ?? { doc: open, parsed: open.getText() };
      if (typeof wanted === 'number' && t.doc.version !== wanted) return { kind: 'stale', version: t.doc.version };
      const version = t.doc.version;
      const settings = await host.settings(uri);
      // An edit arrived while the settings were fetched: start over from the newer text.
      if (host.documents.get(uri)?.version !== version) {
        if (attempt + 1 < ATTEMPTS) continue;
        return { kind: 'stale', version: host.documents.get(uri)?.version ?? version };
      }
      return prepare(host, uri, t.parsed, version, settings, params);
    }
  };
}

function prepare(host: PrepareSendHost, uri: string, parsed: ParsedTemplate | string, version: number, settings: WxmsgSettings, params: PrepareSendParams): PrepareSendResult {
  const locale = host.locale();
  const ctx = { ...host.context(uri, settings) };
  // The active profile's appid ranks over the setting and project.config.json.
  const profile = params.appid;
  if (profile && typeof profile.value === 'string' && profile.value && profile.value !== ctx.appid) {
    ctx.appid = profile.value;
    ctx.appidSource = typeof profile.source === 'string' ? profile.source : 'the profile';
  }
  const context = sendContext(host, uri, settings, ctx, locale);
  const known = host.projects.sendVariables(uri, params.variables);
  if (known.error) return { kind: 'vars-error', message: known.error, context };
  if (typeof parsed !== 'string' && mayHaveVariables(parsed.text)) {
    const missing = fillVariables(parsed, scanVariables(parsed), known.values).missing;
    if (missing.length) return { kind: 'missing-variables', missing, context };
  }
  const options = {
    locale,
    severities: normalizeSettings({ rules: params.severities }).rules,
    encoding: host.encoding(uri),
    ...(known.values.size ? { variables: known.values } : {}),
  };
  const prepared = preparePayload(parsed, ctx, options);
  if (prepared.ok) {
    const variables = Object.fromEntries([...known.values].filter(([, v]) => v.source !== 'default').map(([k, v]) => [k, v.value]));
    return { kind: 'ready', version, payload: prepared.payload, msgtype: prepared.msgtype, warnings: prepared.warnings, variables, context };
  }
  if (prepared.reason === 'missing-variables') return { kind: 'missing-variables', missing: prepared.missing, context };
  return { kind: 'refused', version, reason: prepared.reason, errors: prepared.errors, message: prepared.message, context };
}

function sendContext(host: PrepareSendHost, uri: string, settings: WxmsgSettings, ctx: ProjectContext, locale: Locale): SendProjectContext {
  const status = host.projects.status(uri, settings, locale);
  return {
    ...(ctx.appid ? { appid: ctx.appid } : {}),
    ...(ctx.appidSource ? { appidSource: ctx.appidSource } : {}),
    ...(status.projectConfig ? { projectConfig: status.projectConfig } : {}),
    ...(status.appJson ? { appJson: status.appJson, pageCount: status.pageCount ?? 0 } : {}),
    problems: (ctx.problems ?? []).map((p) => projectProblem(locale, p)),
    ...(ctx.mediaLedgerRoot ? { mediaLedgerRoot: ctx.mediaLedgerRoot } : {}),
    mediaLedger: !!ctx.mediaLedger,
  };
}
