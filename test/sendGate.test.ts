import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sendGateSeverities } from '../client/src/send/gate.ts';
import { hiddenByWorkspace, refusalText } from '../client/src/send/present.ts';
import { prepareTemplate } from '../server/src/wechat/template.ts';
import { normalizeSettings } from '../server/src/lsp/protocol.ts';

/**
 * The send gate's rule, outside VS Code: rule severity overrides count for the check before a
 * send only from the user's own settings, never from the workspace's or a folder's (a cloned
 * repository's .vscode/settings.json). The VS Code suite checks the same through the real
 * configuration (test/vscode/suite/send.test.ts).
 */
const OPENID = 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M';
const CTX = { appid: 'wx1234567890abcdef', pages: ['pages/index/index'] };
const UNSAFE = '{"touser":"OPENID","msgtype":"text","text":{"content":"hi <a href=\\"javascript:alert(1)\\">x</a>"}}';

function gate(inspected: Parameters<typeof sendGateSeverities>[0]) {
  return prepareTemplate(UNSAFE, OPENID, CTX, { severities: sendGateSeverities(inspected) });
}

test('workspace and folder rule overrides do not switch off an error that refuses a send', () => {
  for (const scope of ['workspaceValue', 'workspaceFolderValue', 'defaultValue'] as const) {
    for (const value of ['off', 'warning', 'info', 'hint']) {
      const inspected = { [scope]: { 'wxmsg/unsafe-href': value } };
      assert.deepEqual(sendGateSeverities(inspected), {}, `${scope}: ${value}`);
      const r = gate(inspected);
      assert.equal(r.ok, false, `${scope}: ${value}`);
      assert.deepEqual(!r.ok && r.errors.map((e) => e.code), ['wxmsg/unsafe-href'], `${scope}: ${value}`);
    }
  }
  // Also when the user's own settings say nothing about this rule.
  const r = gate({ globalValue: { 'wxmsg/openid-format': 'off' }, workspaceValue: { 'wxmsg/unsafe-href': 'off' } });
  assert.deepEqual(!r.ok && r.errors.map((e) => e.code), ['wxmsg/unsafe-href']);
});

test('the user\'s own override counts, with or without the wxmsg/ prefix', () => {
  assert.equal(gate({ globalValue: { 'wxmsg/unsafe-href': 'off' } }).ok, true);
  assert.equal(gate({ globalValue: { 'unsafe-href': 'warning' } }).ok, true);
  // The user's choice wins over the workspace's in both directions.
  assert.equal(gate({ globalValue: { 'wxmsg/unsafe-href': 'off' }, workspaceValue: { 'wxmsg/unsafe-href': 'error' } }).ok, true);
  assert.equal(gate({ globalValue: { 'wxmsg/unsafe-href': 'error' }, workspaceValue: { 'wxmsg/unsafe-href': 'off' } }).ok, false);
  // A value that is no severity is ignored, not read as "off".
  assert.equal(gate({ globalValue: { 'wxmsg/unsafe-href': 'none' } }).ok, false);
  for (const junk of [undefined, null, 'off', ['wxmsg/unsafe-href'], 42]) assert.deepEqual(sendGateSeverities({ globalValue: junk }), {});
  assert.deepEqual(sendGateSeverities(undefined), {});
});

test('a workspace cannot make a send refuse either: raising a rule to error counts only from the user', () => {
  const t = '{"touser":"not-an-openid","msgtype":"text","text":{"content":"hi"}}';
  const raise = { 'wxmsg/openid-format': 'error' };
  assert.equal(prepareTemplate(t, OPENID, CTX, { severities: sendGateSeverities({ workspaceValue: raise }) }).ok, true);
  assert.equal(prepareTemplate(t, OPENID, CTX, { severities: sendGateSeverities({ globalValue: raise }) }).ok, false);
});

test('the refusal names the errors the workspace keeps out of Problems', () => {
  const workspace = { 'wxmsg/unsafe-href': 'off' };
  const r = gate({ workspaceValue: workspace });
  assert.ok(!r.ok);
  // What the editor applies (user, then workspace, merged by VS Code) hides the error.
  const hidden = hiddenByWorkspace(r.errors, normalizeSettings({ rules: workspace }).rules);
  assert.deepEqual([...hidden.values()], ['off']);
  assert.match(refusalText(r.errors, 5, hidden), /\(wxmsg\/unsafe-href\) — not shown in Problems: the workspace's "wxmsg.rules" sets wxmsg\/unsafe-href to "off"/);
  // An error the editor shows as one is not marked.
  assert.equal(hiddenByWorkspace(r.errors, {}).size, 0);
  assert.doesNotMatch(refusalText(r.errors, 5, hiddenByWorkspace(r.errors, { 'wxmsg/unsafe-href': 'error' })), /not shown in Problems/);
});
