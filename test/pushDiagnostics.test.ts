// When a change is validated (push model): at once for a document whose validation is cheap,
// after a delay for one that is expensive, judged from its last few validations so that one
// slow run (a GC pause, a busy machine) does not make the next keystroke wait (issue 19: the
// tail of the edit latency).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Connection, PublishDiagnosticsParams, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CHEAP_MS, COST_WINDOW, MAX_DELAY_MS, PushDiagnostics, typicalCost } from '../server/src/lsp/diagnostics.ts';
import type { Health } from '../server/src/lsp/guard.ts';

const URI = 'file:///t.wxmsg.json';

/** A PushDiagnostics whose validations take `costs` ms in turn, on a clock the test moves. */
function harness() {
  let clock = 0;
  let next = 0;
  const costs: number[] = [];
  const published: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  const doc = TextDocument.create(URI, 'wxmsg', 1, '{}');
  const documents = { get: (uri: string) => (uri === URI ? doc : undefined), all: () => [doc] } as unknown as TextDocuments<TextDocument>;
  const connection = {
    sendDiagnostics: (p: PublishDiagnosticsParams) => {
      published.push(p);
      waiters.splice(0).forEach((w) => w());
      return Promise.resolve();
    },
  } as unknown as Connection;
  const health = { fail: (_w: string, e: unknown) => { throw e; } } as unknown as Health;
  const push = new PushDiagnostics(connection, documents, async () => {
    clock += costs[next++] ?? 0;
    return [];
  }, health, () => clock);
  /** Validates once with this cost (scheduled at once, whatever the delay would be). */
  const validateOnce = async (cost: number): Promise<void> => {
    costs.push(cost);
    const done = new Promise<void>((r) => waiters.push(r));
    push.schedule(URI, 0);
    await done;
  };
  return { push, validateOnce, published };
}

describe('push diagnostics: when a change is validated', () => {
  test('typicalCost is the cheapest of the recent validations', () => {
    assert.equal(typicalCost([]), 0);
    assert.equal(typicalCost([0.4, 35, 0.5]), 0.4);
    assert.equal(typicalCost([60, 55, 70]), 55);
  });

  test('a cheap document is validated at once, even after one slow validation', async () => {
    const h = harness();
    for (const c of [0.4, 0.5, 0.4]) await h.validateOnce(c);
    assert.equal(h.push.delayFor(URI), 0);
    // One run took 40 ms (a GC pause, the process preempted): the next keystroke still goes at once.
    await h.validateOnce(40);
    assert.equal(h.push.delayFor(URI), 0);
    assert.equal(h.published.length, 4);
  });

  test('an expensive document waits what its validation costs, up to MAX_DELAY_MS', async () => {
    const h = harness();
    for (let i = 0; i < COST_WINDOW; i++) await h.validateOnce(60);
    assert.equal(h.push.delayFor(URI), 60);
    for (let i = 0; i < COST_WINDOW; i++) await h.validateOnce(900);
    assert.equal(h.push.delayFor(URI), MAX_DELAY_MS);
  });

  test('at the edge: just under CHEAP_MS is cheap, CHEAP_MS is not', async () => {
    const under = harness();
    for (let i = 0; i < COST_WINDOW; i++) await under.validateOnce(CHEAP_MS - 0.01);
    assert.equal(under.push.delayFor(URI), 0);
    const at = harness();
    for (let i = 0; i < COST_WINDOW; i++) await at.validateOnce(CHEAP_MS);
    assert.equal(at.push.delayFor(URI), CHEAP_MS);
  });

  test('only the last COST_WINDOW validations count: a document that became cheap is validated at once', async () => {
    const h = harness();
    for (let i = 0; i < COST_WINDOW; i++) await h.validateOnce(80);
    // Most of the text deleted: validations are cheap now.
    await h.validateOnce(0.3);
    assert.equal(h.push.delayFor(URI), 0);
    // And one that became expensive waits once its last COST_WINDOW runs were all expensive.
    for (let i = 0; i < COST_WINDOW - 1; i++) await h.validateOnce(80);
    assert.equal(h.push.delayFor(URI), 0, 'one cheap run is still in the window');
    await h.validateOnce(80);
    assert.equal(h.push.delayFor(URI), 80);
  });
});
