import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { PREVIEW_MODEL_REQUEST, type PreviewModelResult } from '../../../server/src/lsp/protocol.ts';
import { OnDemand } from '../onDemand.ts';
import type { PreviewManager, PreviewServer } from './previewManager.ts';
import { OPEN_PREVIEW_COMMAND, PREVIEW_VIEW_TYPE } from './webviewMessages.ts';

/**
 * The preview's command and its serializer, registered at activation (VS Code restores previews
 * during activation). The preview itself (previewManager.ts) is bundled apart, in
 * dist/clientPreview.js, and loaded when a preview is first opened or restored.
 */
export function registerPreview(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel): void {
  const server: PreviewServer = {
    state: () => (client.state === State.Starting ? 'starting' : client.state === State.Running ? 'running' : 'stopped'),
    onRunning: (listener) => client.onDidChangeState((e) => { if (e.newState === State.Running) listener(); }),
    asUri: (uri) => client.code2ProtocolConverter.asUri(uri),
    previewModel: (params) => client.sendRequest<PreviewModelResult>(PREVIEW_MODEL_REQUEST, params),
  };
  // esbuild turns this import into require('./clientPreview.js') (esbuild.mjs).
  const manager = new OnDemand<PreviewManager>('dist/clientPreview.js', () => import('./previewManager.ts').then((m) => {
    const pm = new m.PreviewManager(context.extensionUri, server, output);
    context.subscriptions.push(pm);
    return pm;
  }), output);
  context.subscriptions.push(
    vscode.commands.registerCommand(OPEN_PREVIEW_COMMAND, async (uri?: vscode.Uri) => (await manager.get())?.open(uri)),
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        const pm = await manager.get();
        if (pm) await pm.deserializeWebviewPanel(panel, state as { uri?: unknown } | undefined);
        else panel.dispose();
      },
    }),
  );
}
