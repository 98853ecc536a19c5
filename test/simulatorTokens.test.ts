// The simulator's token rules (issue 16), at their edges, with the simulator's frozen clock:
// stable_token rotation and overlap, the 30 s force rule, the daily force cap, and plain
// cgi-bin/token's 5-minute overlap.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { Simulator, SIM_DEFAULT_SECRET, SIM_USERS } from '../server/src/simulator/simulator.ts';
import { parseSimulateArgs } from '../server/src/cli/commands/simulate.ts';
import { UsageError } from '../server/src/cli/io.ts';
import { APPID, control } from './sendHelpers.ts';

let sim: Simulator;
before(async () => { sim = await Simulator.start(); });
after(async () => { await sim.close(); });
beforeEach(async () => {
  sim.reset();
  await control(sim, 'POST', '/_sim/clock', { freeze: true });
  // Token checks are what these tests probe: let the test user receive as many as they send.
  await control(sim, 'POST', '/_sim/rules', { 'user-message': { maxMessages: 1_000_000 } });
});

const advance = (advanceMs: number, s = sim) => control(s, 'POST', '/_sim/clock', { advanceMs });

async function stable(force = false, s = sim): Promise<{ access_token?: string; expires_in?: number; errcode?: number; errmsg?: string }> {
  const res = await request(`${s.url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: APPID, secret: SIM_DEFAULT_SECRET, force_refresh: force }) });
  return JSON.parse(await res.body.text());
}

async function plain(s = sim): Promise<string> {
  const res = await request(`${s.url}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SIM_DEFAULT_SECRET}`);
  const j = JSON.parse(await res.body.text());
  assert.equal(typeof j.access_token, 'string');
  return j.access_token;
}

/** errcode of a send with `token` (0: the token was accepted). */
async function sendWith(token: string, s = sim): Promise<number> {
  const res = await request(`${s.url}/cgi-bin/message/custom/send?access_token=${encodeURIComponent(token)}`, {
    method: 'POST', body: JSON.stringify({ touser: SIM_USERS.ready[0], msgtype: 'text', text: { content: 'hi' } }),
  });
  return JSON.parse(await res.body.text()).errcode;
}

test('stable_token normal mode: the same token until 300 s are left, then the next one; both valid for those 5 minutes', async () => {
  const t1 = await stable();
  assert.equal(t1.expires_in, 7200);
  await advance(6_900_000);
  const same = await stable();
  assert.equal(same.access_token, t1.access_token, 'exactly 300 s left: still the current token');
  assert.equal(same.expires_in, 300);
  await advance(1);
  const t2 = await stable();
  assert.notEqual(t2.access_token, t1.access_token, '299.999 s left: rotated');
  assert.equal(t2.expires_in, 7200);
  assert.equal((await stable()).access_token, t2.access_token, 'normal mode keeps handing out the new one');
  assert.equal(await sendWith(t1.access_token!), 0, 'the old token is still valid in the overlap');
  assert.equal(await sendWith(t2.access_token!), 0);
  await advance(299_998);
  assert.equal(await sendWith(t1.access_token!), 0, 'the old token at its last millisecond');
  await advance(1);
  assert.equal(await sendWith(t1.access_token!), 42001, 'the old token expired at exactly 7200 s');
  assert.equal(await sendWith(t2.access_token!), 0);
});

test('stable_token normal mode: expires_in is never below 300 and the token handed out always works', async () => {
  const seen = new Set<string>();
  // Three lifetimes in steps of 97 s (a divisor of nothing here): every phase of a rotation.
  for (let t = 0; t < 3 * 7200; t += 97) {
    const r = await stable();
    assert.ok(r.expires_in! >= 300 && r.expires_in! <= 7200, `expires_in ${r.expires_in} at ${t} s`);
    if (!seen.has(r.access_token!)) {
      seen.add(r.access_token!);
      assert.equal(await sendWith(r.access_token!), 0);
    }
    await advance(97_000);
  }
  assert.ok(seen.size >= 3, `rotated ${seen.size - 1} times over three lifetimes`);
});

test('force_refresh: a new token that invalidates the old one at once; within 30 s the same token', async () => {
  const t0 = (await stable()).access_token!;
  const f1 = await stable(true);
  assert.notEqual(f1.access_token, t0);
  assert.equal(f1.expires_in, 7200);
  assert.equal(await sendWith(t0), 40001, 'forcing invalidates the previous token at once');
  await advance(29_999);
  assert.equal((await stable(true)).access_token, f1.access_token, '29.999 s after the last force: not refreshed');
  assert.equal(await sendWith(f1.access_token!), 0, 'and the token still works');
  await advance(1);
  const f2 = (await stable(true)).access_token!;
  assert.notEqual(f2, f1.access_token, 'exactly 30 s: refreshed');
  assert.equal(await sendWith(f1.access_token!), 40001);
  // A force that did not refresh does not restart the 30 s.
  await advance(20_000);
  assert.equal((await stable(true)).access_token, f2);
  await advance(10_000);
  assert.notEqual((await stable(true)).access_token, f2, '30 s after the last real refresh');
});

test('force_refresh also invalidates a token still in its rotation overlap', async () => {
  const t1 = (await stable()).access_token!;
  await advance(6_900_001);
  const t2 = (await stable()).access_token!;
  assert.notEqual(t2, t1);
  assert.equal(await sendWith(t1), 0);
  const f = (await stable(true)).access_token!;
  assert.equal(await sendWith(t1), 40001);
  assert.equal(await sendWith(t2), 40001);
  assert.equal(await sendWith(f), 0);
});

/** Moves the frozen clock to `msAfter` ms after the next midnight in Beijing (UTC+8). */
async function toBeijingMidnight(s: Simulator, msAfter = 0): Promise<void> {
  const day = 86_400_000;
  const cst = s.now() + 8 * 3_600_000;
  await advance(day - (cst % day) + msAfter, s);
}

test('force_refresh: 20 a day (Beijing days), the 21st is 45009 and changes nothing; the next day forces again', async () => {
  await toBeijingMidnight(sim);
  const tokens = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const r = await stable(true);
    assert.equal(r.errcode, undefined, `force ${i + 1}: ${r.errmsg}`);
    tokens.add(r.access_token!);
    await advance(30_000);
  }
  assert.equal(tokens.size, 20, 'twenty distinct tokens');
  const last = [...tokens].at(-1)!;
  const over = await stable(true);
  assert.equal(over.errcode, 45009);
  assert.match(over.errmsg!, /^reach max api daily quota limit rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
  assert.equal(await sendWith(last), 0, 'a refused force leaves the token valid');
  assert.equal((await stable()).access_token, last, 'normal mode is not limited');
  // 23:59:59.999 in Beijing: still today.
  await toBeijingMidnight(sim, -1);
  assert.equal((await stable(true)).errcode, 45009);
  await advance(1);
  const next = await stable(true);
  assert.equal(next.errcode, undefined, 'midnight in Beijing: a new day');
  assert.notEqual(next.access_token, last);
});

test('force_refresh daily cap is configurable (SimulatorOptions, wxmsg simulate --force-refresh-per-day)', async () => {
  const s = await Simulator.start({ forceRefreshPerDay: 2 });
  try {
    await control(s, 'POST', '/_sim/clock', { freeze: true });
    await toBeijingMidnight(s);
    assert.ok((await stable(true, s)).access_token);
    await advance(30_000, s);
    assert.ok((await stable(true, s)).access_token);
    await advance(30_000, s);
    assert.equal((await stable(true, s)).errcode, 45009, 'the third of 2');
  } finally {
    await s.close();
  }
  const none = await Simulator.start({ forceRefreshPerDay: 0 });
  try {
    assert.equal((await stable(true, none)).errcode, 45009);
  } finally {
    await none.close();
  }
  const parsed = parseSimulateArgs(['--force-refresh-per-day', '3'], process.cwd());
  assert.ok(parsed !== 'help');
  assert.equal(parsed.options.forceRefreshPerDay, 3);
  assert.equal((parseSimulateArgs(['--force-refresh-per-day', '0'], process.cwd()) as { options: { forceRefreshPerDay?: number } }).options.forceRefreshPerDay, 0);
  for (const bad of ['-1', 'x', '2.5', '']) {
    assert.throws(() => parseSimulateArgs(['--force-refresh-per-day', bad], process.cwd()), (e: unknown) => UsageError.is(e) && /--force-refresh-per-day/.test((e as Error).message), bad);
  }
});

test('plain cgi-bin/token: the previous token works for 5 more minutes, then 40001; stable tokens are untouched', async () => {
  const s0 = (await stable()).access_token!;
  const a = await plain();
  await advance(10_000);
  const b = await plain();
  assert.notEqual(a, b);
  await advance(299_999);
  assert.equal(await sendWith(a), 0, 'the previous token at 299.999 s');
  await advance(1);
  assert.equal(await sendWith(a), 40001, 'exactly 300 s after the next one was issued');
  assert.equal(await sendWith(b), 0);
  const c = await plain();
  assert.equal(await sendWith(a), 40001, 'a newer token does not revive an older one');
  await advance(300_000);
  assert.equal(await sendWith(b), 40001);
  assert.equal(await sendWith(c), 0);
  assert.equal(await sendWith(s0), 0, 'cgi-bin/token does not touch the stable token');
  const listed = (await control(sim, 'GET', '/_sim/tokens')).json as { token: string; invalidAt?: number }[];
  assert.equal(typeof listed.find((t) => t.token === a)?.invalidAt, 'number');
  assert.equal(listed.find((t) => t.token === c)?.invalidAt, undefined);
});

test('the request log records force_refresh of stable_token requests, never the body', async () => {
  await stable();
  await stable(true);
  const log = (await control(sim, 'GET', '/_sim/requests')).json as { path: string; forceRefresh?: boolean }[];
  assert.deepEqual(log.map((r) => [r.path, r.forceRefresh]), [['/cgi-bin/stable_token', false], ['/cgi-bin/stable_token', true]]);
  assert.equal(JSON.stringify(log).includes(SIM_DEFAULT_SECRET), false);
});

test('one instant per token request: a clock that ticks while answering keeps 7200 and the last 300 s whole', async () => {
  const s = await Simulator.start();
  try {
    // Every reading of this clock is 1 ms later than the one before.
    let t = 1_000_000_000;
    s.now = () => t++;
    const fresh = await stable(false, s);
    assert.equal(fresh.expires_in, 7200);
    const p = JSON.parse(await (await request(`${s.url}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SIM_DEFAULT_SECRET}`)).body.text());
    assert.equal(p.expires_in, 7200);
    const expiresAt = s.issuedTokens().find((x) => x.token === fresh.access_token)!.expiresAt;
    // Around the rotation edge, whatever the number of clock readings per request: never 299.
    const seen: number[] = [];
    for (let before = 310; before >= 290; before--) {
      t = expiresAt - 300_000 - before;
      seen.push((await stable(false, s)).expires_in!);
    }
    assert.ok(seen.every((e) => e >= 300), seen.join(' '));
    assert.ok(seen.includes(300), 'the current token at its last whole 300 s');
  } finally {
    await s.close();
  }
});
