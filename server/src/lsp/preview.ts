import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { renderPreviewBody, renderPreviewPage } from '../core/languageService.ts';
import type { Locale, ProjectContext } from '../core/types.ts';
import type { Features } from './features.ts';
import type { PreviewModelParams, PreviewModelResult, WxmsgSettings } from './protocol.ts';

export interface PreviewHost {
  documents: TextDocuments<TextDocument>;
  features: Features;
  locale(): Locale;
  settings(uri: string): Promise<WxmsgSettings>;
  context(uri: string, settings: WxmsgSettings): ProjectContext;
}

/** How often the model is built again when the document changes while it is being built. */
const ATTEMPTS = 3;

/**
 * `wxmsg/previewModel`: the preview model of an open template, from the same parse and the same
 * diagnostics (settings, project context, locale) as the Problems view, for one document version.
 */
export function previewModelHandler(host: PreviewHost): (params: PreviewModelParams) => Promise<PreviewModelResult> {
  return async (params) => {
    const uri = params.textDocument.uri;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const doc = host.documents.get(uri);
      if (!doc) return null;
      const version = doc.version;
      const settings = await host.settings(uri);
      const diagnostics = await host.features.validate(doc);
      if (!diagnostics) return null;
      // An edit arrived while settings were fetched: build from the newer text instead.
      if (host.documents.get(uri) !== doc || doc.version !== version) continue;
      const t = host.features.template(uri);
      const model = host.features.service.buildPreview(t ? t.parsed : doc.getText(), host.context(uri, settings), { diagnostics });
      const render = params.render;
      if (!render || typeof render !== 'object') return { uri, version, model };
      const opts = {
        locale: host.locale(),
        ...(typeof render.fileName === 'string' ? { fileName: render.fileName } : {}),
        loadRemoteImages: render.loadRemoteImages === true,
      };
      const body = renderPreviewBody(model, opts);
      const p = render.page;
      if (!p || typeof p !== 'object' || ![p.nonce, p.cspSource, p.scriptUri, p.documentUri].every((v) => typeof v === 'string') || !/^[A-Za-z0-9+/=]{8,128}$/.test(p.nonce)) return { uri, version, model, body };
      const page = renderPreviewPage(model, { ...opts, body, documentUri: p.documentUri, security: { kind: 'webview', nonce: p.nonce, cspSource: p.cspSource, scriptUri: p.scriptUri } });
      return { uri, version, model, body, page };
    }
    return null;
  };
}
