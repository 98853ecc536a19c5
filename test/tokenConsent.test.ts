// The editor's consent to a project's token-command (issue 20), as a rule without vscode:
// only in a trusted workspace, after a confirmation showing the exact command, asked again
// whenever the command changes; automation can never approve. profiles.ts wires it to the modal
// dialog and the global state; the code-server suites drive that glue.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { approvalKey, consentToTokenCommand, shownCommand, type ConsentDeps, type ConsentQuestion } from '../client/src/send/tokenConsent.ts';
import { tmpDir } from './sendHelpers.ts';

function harness(opts: { trusted?: boolean; automation?: boolean; answers?: boolean[]; approved?: Record<string, string> } = {}) {
  const asked: ConsentQuestion[] = [];
  const answers = [...(opts.answers ?? [])];
  const store = { approved: { ...opts.approved } as Record<string, string> };
  const deps = (): ConsentDeps => ({
    trusted: opts.trusted ?? true,
    automation: opts.automation ?? false,
    approved: store.approved,
    save: async (next) => { store.approved = next; },
    ask: async (q) => { asked.push(q); return answers.shift() ?? false; },
  });
  return { asked, store, deps };
}

describe('token-command consent in the editor', () => {
  const dir = tmpDir('wxmsg-consent-editor-');
  const file = path.join(dir, 'wxmsg.config.json');
  fs.writeFileSync(file, '{}');
  const cmd = ['./scripts/token.sh', 'dev'];

  test('an untrusted workspace: refused without asking, whatever was approved before', async () => {
    const h = harness({ trusted: false, answers: [true] });
    assert.deepEqual(await consentToTokenCommand(file, dir, 'dev', cmd, h.deps()), { ok: false, reason: 'untrusted', shown: '["./scripts/token.sh","dev"]' });
    assert.equal(h.asked.length, 0);
    // Approved earlier, the workspace no longer trusted: still refused.
    const trustedOnce = harness({ answers: [true] });
    await consentToTokenCommand(file, dir, 'dev', cmd, trustedOnce.deps());
    const later = harness({ trusted: false, approved: trustedOnce.store.approved });
    assert.equal((await consentToTokenCommand(file, dir, 'dev', cmd, later.deps())).ok, false);
  });

  test('the first run asks, showing the exact command and where it runs; declined: not approved', async () => {
    const h = harness({ answers: [false] });
    assert.deepEqual(await consentToTokenCommand(file, dir, 'dev', cmd, h.deps()), { ok: false, reason: 'declined', shown: '["./scripts/token.sh","dev"]' });
    assert.deepEqual(h.asked, [{ profile: 'dev', shown: '["./scripts/token.sh","dev"]', root: dir, changed: false }]);
    assert.deepEqual(h.store.approved, {}, 'nothing recorded');
  });

  test('approved once: runs without asking again; the same command in another profile or file is asked for', async () => {
    const h = harness({ answers: [true] });
    assert.deepEqual(await consentToTokenCommand(file, dir, 'dev', cmd, h.deps()), { ok: true, asked: true });
    assert.deepEqual(await consentToTokenCommand(file, dir, 'dev', cmd, h.deps()), { ok: true, asked: false });
    assert.equal(h.asked.length, 1);
    // What is kept is a hash, never the command itself.
    assert.ok(!JSON.stringify(h.store.approved).includes('token.sh'));
    assert.equal((await consentToTokenCommand(file, dir, 'staging', cmd, h.deps())).ok, false, 'another profile: asked (and declined)');
    const other = path.join(tmpDir('wxmsg-consent-other-'), 'wxmsg.config.json');
    fs.writeFileSync(other, '{}');
    assert.equal((await consentToTokenCommand(other, path.dirname(other), 'dev', cmd, h.deps())).ok, false, 'another project file: asked');
    assert.equal(h.asked.length, 3);
  });

  test('a changed command is asked again and said to have changed; a one-argument change counts', async () => {
    const h = harness({ answers: [true, true] });
    await consentToTokenCommand(file, dir, 'dev', cmd, h.deps());
    const changed = ['./scripts/token.sh', 'prod'];
    assert.deepEqual(await consentToTokenCommand(file, dir, 'dev', changed, h.deps()), { ok: true, asked: true });
    assert.deepEqual(h.asked.map((q) => [q.shown, q.changed]), [['["./scripts/token.sh","dev"]', false], ['["./scripts/token.sh","prod"]', true]]);
    // Now the old one is the changed one.
    const back = harness({ answers: [false], approved: h.store.approved });
    assert.equal((await consentToTokenCommand(file, dir, 'dev', cmd, back.deps())).ok, false);
    assert.equal(back.asked[0].changed, true);
  });

  test('automation (confirm: false) never approves: refused without asking; an approved command runs', async () => {
    const h = harness({ automation: true, answers: [true] });
    assert.deepEqual(await consentToTokenCommand(file, dir, 'dev', cmd, h.deps()), { ok: false, reason: 'not-approved', shown: '["./scripts/token.sh","dev"]' });
    assert.equal(h.asked.length, 0);
    const approved = harness({ answers: [true] });
    await consentToTokenCommand(file, dir, 'dev', cmd, approved.deps());
    const auto = harness({ automation: true, approved: approved.store.approved });
    assert.deepEqual(await consentToTokenCommand(file, dir, 'dev', cmd, auto.deps()), { ok: true, asked: false });
  });

  test('the command is shown as it runs: control and bidi characters cannot disguise it', () => {
    // U+202E would show "hs.nekot" reversed: "./token.sh" look-alike.
    assert.equal(shownCommand(['./x\u202Ehs.nekot', 'a\nb']), '["./x\\u202ehs.nekot","a\\nb"]');
    assert.equal(shownCommand(['node', 'token.js']), '["node","token.js"]');
  });

  test('a symlinked checkout is the same project file', () => {
    const link = path.join(tmpDir('wxmsg-consent-link-'), 'checkout');
    fs.symlinkSync(dir, link);
    assert.equal(approvalKey(path.join(link, 'wxmsg.config.json'), 'dev'), approvalKey(file, 'dev'));
    assert.notEqual(approvalKey(file, 'dev'), approvalKey(file, 'dev2'));
  });
});
