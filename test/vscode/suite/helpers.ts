/**
 * What the VS Code suites share: opening the fixture workspace with the extension active,
 * waiting on `languages.onDidChangeDiagnostics` (never a sleep; the only timer is the failure
 * deadline) and leaving the editors as found.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'wxmsg.wxmsg';
export const OWN = 'wx0123456789abcdef';
export const DEADLINE_MS = 30_000;

/** The document's diagnostics from one `source` ('wxmsg' for validation, 'WeChat API' for send results). */
export function diagnosticsFrom(source: string, uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === source);
}

/**
 * Resolves with the document's `source` diagnostics as soon as `test` holds for them; on the
 * deadline, rejects with `timeout(have)` where `have` are the diagnostics present then.
 */
export function waitForDiagnostics(
  source: string,
  uri: vscode.Uri,
  test: (ds: vscode.Diagnostic[]) => boolean,
  timeout: (have: vscode.Diagnostic[]) => string,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const done = (): boolean => {
      const ds = diagnosticsFrom(source, uri);
      if (!test(ds)) return false;
      sub.dispose();
      clearTimeout(deadline);
      resolve(ds);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) done();
    });
    const deadline = setTimeout(() => {
      sub.dispose();
      reject(new Error(timeout(diagnosticsFrom(source, uri))));
    }, DEADLINE_MS);
    done();
  });
}

/** Activates the extension and returns the first workspace folder (the fixture the launcher opened). */
export async function activateInWorkspace(): Promise<vscode.Uri> {
  const ws = vscode.workspace.workspaceFolders?.[0];
  assert.ok(ws, 'the launcher opens test/fixtures/workspace (or a copy) as the first folder');
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  await ext.activate();
  return ws.uri;
}

/** Leaves the fixture as found: reverts and closes every document a test changed. */
export async function revertDirtyDocuments(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

/**
 * The text of the wxmsg output channel once it holds what `ready` looks for (it is opened by
 * "WeChat (wxmsg): Show Output"; its document updates as lines are appended).
 */
export async function outputText(ready: (text: string) => boolean): Promise<string> {
  const isOurs = (d: vscode.TextDocument) => d.uri.scheme === 'output' && d.uri.toString().includes('wxmsg') && d.getText().includes('[send]') && ready(d.getText());
  const found = new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(() => { subs.forEach((x) => x.dispose()); reject(new Error('the wxmsg output channel never showed what the test waits for')); }, DEADLINE_MS);
    const check = (d: vscode.TextDocument) => {
      if (!isOurs(d)) return;
      clearTimeout(deadline);
      subs.forEach((x) => x.dispose());
      resolve(d.getText());
    };
    const subs = [vscode.workspace.onDidOpenTextDocument(check), vscode.workspace.onDidChangeTextDocument((e) => check(e.document))];
    vscode.workspace.textDocuments.forEach(check);
  });
  await vscode.commands.executeCommand('wxmsg.showOutput');
  return found;
}
