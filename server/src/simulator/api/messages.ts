import { allowance, recordSend } from '../../core/facts/deliveryRules.ts';
import { err, json, parseObject, type Answer } from '../answer.ts';
import { appHasPage, checkMessage } from '../payload.ts';
import { userKey } from '../state.ts';
import type { ApiContext } from './context.ts';
import { checkToken } from './tokens.ts';

/**
 * POST /cgi-bin/message/custom/send?access_token=
 *   41001 / 40001 / 42001 (the token), then the body (payload.ts: 44002, 47001, 40003 form-encoded,
 *   45162, 40008, 44004, 41006), 40165 pagepath not in the app's pages (when configured), 40007
 *   media_id not issued here (or older than 3 days), 40003 touser not a known user of the app,
 *   45015 outside the reply window, 45047 over quota (deliveryRules.ts) → {errcode:0, errmsg:"ok"}
 */
export function send(ctx: ApiContext, url: URL, raw: string): Answer {
  const { state, clock } = ctx;
  const auth = checkToken(ctx, url);
  if ('status' in auth) return auth;
  const app = state.apps.get(auth.appid)!;
  const m = checkMessage(raw);
  if ('errcode' in m) return err(m.errcode);
  if (m.pagepath !== undefined && app.pages && !appHasPage(app.pages, m.pagepath)) return err(40165);
  if (app.checkMedia && m.mediaIds.some((id) => !state.issuedMedia(app.appid, id))) return err(40007);
  const user = state.user(app.appid, m.touser);
  if (!user) return err(40003);
  state.firstUse(user);
  // The window includes its last millisecond: "within 1 minute" of the action.
  const allowed = allowance(user.grants, clock.now(), state.rules);
  if (!allowed.open) return err(45015);
  if (allowed.remaining <= 0) return err(45047);
  user.grants = recordSend(user.grants);
  state.deliver({ appid: app.appid, touser: m.touser, msgtype: m.msgtype, payload: m.payload, at: clock.now() }, Buffer.byteLength(raw));
  state.typing.messageSent(userKey(app.appid, m.touser));
  return json({ errcode: 0, errmsg: 'ok' });
}

/**
 * POST /cgi-bin/message/custom/typing?access_token=  {touser, command} (setTyping, typing.ts):
 * 44002 empty, 47001 bad JSON or no touser, 40003 unknown user, 45072 bad command, 45080 no
 * message exchanged in the last 30 s, 45081 already typing.
 */
export function typing(ctx: ApiContext, url: URL, raw: string): Answer {
  const { state, clock } = ctx;
  const auth = checkToken(ctx, url);
  if ('status' in auth) return auth;
  if (!raw.trim()) return err(44002);
  const p = parseObject(raw);
  if (!p) return err(47001);
  if (typeof p.touser !== 'string' || !p.touser) return err(47001);
  const user = state.user(auth.appid, p.touser);
  if (!user) return err(40003);
  state.firstUse(user);
  const code = state.typing.command(userKey(auth.appid, p.touser), p.command, clock.now(), state.lastExchange(user));
  return code === 0 ? json({ errcode: 0, errmsg: 'ok' }) : err(code);
}
