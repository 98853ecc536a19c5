import { err, json, parseObject, tokenLike, type Answer } from '../answer.ts';
import { CST_OFFSET_MS, DEFAULT_FORCE_REFRESH_PER_DAY, DEFAULT_TOKEN_TTL_SECONDS, FORCE_REFRESH_INTERVAL_MS, PLAIN_TOKEN_OVERLAP_MS, STABLE_ROTATE_MS } from '../constants.ts';
import type { SimToken } from '../types.ts';
import type { ApiContext } from './context.ts';

/**
 * The token endpoints (rules and sources in constants.ts):
 *   POST /cgi-bin/stable_token  {grant_type, appid, secret, force_refresh} → {access_token, expires_in}
 *   GET  /cgi-bin/token?grant_type&appid&secret
 * and the check of the access_token every other endpoint takes.
 */

// One `now` per request: a clock that ticks between issuing and answering must not turn a fresh
// token's 7200 into 7199, nor the current token's last 300 s into 299.
function issue(ctx: ApiContext, appid: string, kind: 'stable' | 'token', now: number): SimToken {
  const ttl = ctx.options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const t: SimToken = { token: tokenLike(), appid, kind, state: 'valid', expiresAt: now + ttl * 1000 };
  ctx.state.rememberToken(t);
  return t;
}

function tokenAnswer(t: SimToken, now: number): Answer {
  return json({ access_token: t.token, expires_in: Math.max(0, Math.floor((t.expiresAt - now) / 1000)) });
}

/** 5 minutes; half the lifetime when --token-ttl makes tokens live 10 minutes or less. */
function rotateMs(ctx: ApiContext): number {
  return Math.min(STABLE_ROTATE_MS, ((ctx.options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS) * 1000) / 2);
}

function usable(t: SimToken, now: number): boolean {
  return t.state === 'valid' && t.expiresAt > now && (t.invalidAt === undefined || now < t.invalidAt);
}

function issueStable(ctx: ApiContext, appid: string, now: number): SimToken {
  const t = issue(ctx, appid, 'stable', now);
  ctx.state.stable.set(appid, t.token);
  return t;
}

/**
 * getStableAccessToken: 47001 not JSON, 40002 grant_type, 41002 no appid, 40013 unknown appid,
 * 41004 no secret, 40125 wrong secret. Normal mode rotates 5 min before expiry (old and new both
 * valid meanwhile); force_refresh: the same token within 30 s, 45009 over the daily cap.
 */
export function stableToken(ctx: ApiContext, raw: string): Answer {
  const { state } = ctx;
  const body = parseObject(raw);
  if (!body) return err(47001);
  if (body.grant_type !== 'client_credential') return err(40002);
  if (typeof body.appid !== 'string' || !body.appid) return err(41002);
  const app = state.apps.get(body.appid);
  if (!app) return err(40013);
  if (typeof body.secret !== 'string' || !body.secret) return err(41004);
  if (body.secret !== app.secret) return err(40125);
  const now = ctx.clock.now();
  const current = state.stable.get(app.appid);
  const cur = current ? state.tokens.get(current) : undefined;
  if (body.force_refresh === true) {
    const last = state.forced.get(app.appid);
    // "否则不会刷新": within 30 s of the last forced refresh, the token stays as it is.
    if (cur && last && now - last.at < FORCE_REFRESH_INTERVAL_MS) return tokenAnswer(cur, now);
    const day = Math.floor((now + CST_OFFSET_MS) / 86_400_000);
    const count = last && last.day === day ? last.count : 0;
    if (count >= (ctx.options.forceRefreshPerDay ?? DEFAULT_FORCE_REFRESH_PER_DAY)) return err(45009);
    // A forced refresh invalidates the previous token at once (the one in its overlap too).
    for (const t of state.tokens.values()) if (t.appid === app.appid && t.kind === 'stable' && t.state === 'valid') t.state = 'invalid';
    state.forced.set(app.appid, { at: now, day, count: count + 1 });
    return tokenAnswer(issueStable(ctx, app.appid, now), now);
  }
  // Normal mode: the current token while more than the rotation margin is left, so expires_in
  // is never below 300 s; then the next one, while the previous stays valid to its own expiry.
  if (cur && usable(cur, now) && cur.expiresAt - now >= rotateMs(ctx)) return tokenAnswer(cur, now);
  return tokenAnswer(issueStable(ctx, app.appid, now), now);
}

/**
 * getAccessToken: the same codes, but 40001 for a wrong secret (as its official page says); a new
 * token each call, the previous one answers 40001 five minutes later.
 */
export function plainToken(ctx: ApiContext, q: URLSearchParams): Answer {
  const { state } = ctx;
  if (q.get('grant_type') !== 'client_credential') return err(40002);
  if (!q.get('appid')) return err(41002);
  const app = state.apps.get(q.get('appid')!);
  if (!app) return err(40013);
  if (!q.get('secret')) return err(41004);
  // The official getAccessToken page: 40001 "AppSecret 错误或者 AppSecret 不属于这个小程序".
  if (q.get('secret') !== app.secret) return err(40001);
  const now = ctx.clock.now();
  const previous = state.tokens.get(state.plain.get(app.appid) ?? '');
  if (previous && previous.invalidAt === undefined) previous.invalidAt = now + PLAIN_TOKEN_OVERLAP_MS;
  const t = issue(ctx, app.appid, 'token', now);
  state.plain.set(app.appid, t.token);
  return tokenAnswer(t, now);
}

/** The app of the request's access_token, or 41001 none, 40001 unknown or invalid, 42001 expired. */
export function checkToken(ctx: ApiContext, url: URL): { appid: string } | Answer {
  const token = url.searchParams.get('access_token');
  if (!token) return err(41001);
  const t = ctx.state.tokens.get(token);
  const now = ctx.clock.now();
  if (!t || t.state === 'invalid' || (t.invalidAt !== undefined && now >= t.invalidAt)) return err(40001);
  if (t.state === 'expired' || t.expiresAt <= now) return err(42001);
  return { appid: t.appid };
}
