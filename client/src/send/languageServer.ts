import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  PREPARE_SEND_REQUEST, PROFILES_REQUEST, RECORD_UPLOAD_REQUEST, STATUS_REQUEST, TEMPLATE_INFO_NOTIFICATION, TEMPLATE_INFO_REQUEST, type PrepareSendParams, type PrepareSendResult,
  type ProfilesResult, type RecordUploadParams, type RecordUploadResult, type StatusParams, type StatusResult, type TemplateInfoChangedParams, type TemplateInfoParams, type TemplateInfoResult,
} from '../../../server/src/lsp/protocol.ts';

/**
 * What sending asks the language server: the check and payload of a template
 * (wxmsg/prepareSend) and, for the commands without one, the appid it would use
 * (wxmsg/status). The project context is resolved there only, as the status item shows it.
 * The template's msgtype for the CodeLens comes from there too (wxmsg/templateInfo): the
 * extension parses no template.
 */
export interface LanguageService {
  prepareSend(doc: vscode.TextDocument, params: Omit<PrepareSendParams, 'textDocument'>): Promise<PrepareSendResult | { kind: 'unavailable'; reason: string }>;
  /** The appid for `uri` (a template, a stand-in in a workspace folder), or undefined. */
  appid(uri: vscode.Uri | undefined): Promise<string | undefined>;
  /** The workspace's profiles (wxmsg.config.json), undefined when the server cannot answer. */
  profiles(): Promise<ProfilesResult | undefined>;
  /** Records an upload in the media ledger; a string says why it was not. */
  recordUpload(params: RecordUploadParams): Promise<RecordUploadResult>;
  /** The template's msgtype as the server parsed it; null when it cannot tell (not open there, not running). */
  templateInfo(doc: vscode.TextDocument): Promise<TemplateInfoResult>;
  /** The server's report of a template's msgtype, sent after a validation when it changed. */
  onTemplateInfo(listener: (uri: vscode.Uri, info: { version: number; msgtype?: string }) => void): vscode.Disposable;
}

/** Tries again when an edit crosses the request (the server answers `stale`). */
const STALE_RETRIES = 3;

export function languageService(client: LanguageClient): LanguageService {
  const unavailable = (reason: string) => ({ kind: 'unavailable' as const, reason });
  const usable = (): string | undefined => (client.state === State.Stopped ? vscode.l10n.t('the wxmsg language server is not running (WeChat (wxmsg): Restart Server)') : undefined);
  return {
    async prepareSend(doc, params) {
      const down = usable();
      if (down) return unavailable(down);
      for (let i = 0; ; i++) {
        const request: PrepareSendParams = { ...params, textDocument: { uri: client.code2ProtocolConverter.asUri(doc.uri), version: doc.version } };
        let r: PrepareSendResult;
        try {
          r = await client.sendRequest<PrepareSendResult>(PREPARE_SEND_REQUEST, request);
        } catch (e) {
          return unavailable(vscode.l10n.t('the wxmsg language server did not answer: {0}', (e as Error)?.message ?? String(e)));
        }
        if (r.kind !== 'stale' || i + 1 >= STALE_RETRIES) return r;
      }
    },
    async appid(uri) {
      if (usable()) return undefined;
      const params: StatusParams = uri ? { uri: client.code2ProtocolConverter.asUri(uri) } : {};
      try {
        return (await client.sendRequest<StatusResult | undefined>(STATUS_REQUEST, params))?.appid;
      } catch {
        return undefined;
      }
    },
    async profiles() {
      if (usable()) return undefined;
      try {
        return await client.sendRequest<ProfilesResult>(PROFILES_REQUEST, {});
      } catch {
        return undefined;
      }
    },
    async templateInfo(doc) {
      if (usable()) return null;
      const params: TemplateInfoParams = { textDocument: { uri: client.code2ProtocolConverter.asUri(doc.uri) } };
      try {
        return await client.sendRequest<TemplateInfoResult>(TEMPLATE_INFO_REQUEST, params);
      } catch {
        return null;
      }
    },
    onTemplateInfo(listener) {
      return client.onNotification(TEMPLATE_INFO_NOTIFICATION, (p: TemplateInfoChangedParams) => listener(client.protocol2CodeConverter.asUri(p.uri), p));
    },
    async recordUpload(params) {
      const down = usable();
      if (down) return { error: down };
      try {
        return await client.sendRequest<RecordUploadResult>(RECORD_UPLOAD_REQUEST, params);
      } catch (e) {
        return { error: (e as Error)?.message ?? String(e) };
      }
    },
  };
}
