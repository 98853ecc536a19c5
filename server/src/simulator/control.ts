import { ruleFor, type DeliveryOverrides, type DeliveryTrigger } from '../core/facts/deliveryRules.ts';
import { json, parseObject, type Answer } from './answer.ts';
import type { SimClock } from './clock.ts';
import { SIM_LIMITS } from './constants.ts';
import { FAULT_TYPES, isFaultType, type Fault, type FaultQueue } from './faults.ts';
import type { SimState } from './state.ts';

/** What the control routes work with (the Simulator). */
export interface ControlHost {
  readonly state: SimState;
  readonly clock: SimClock;
  readonly faults: FaultQueue;
  readonly defaultAppid: string;
  now(): number;
  reset(empty: boolean): void;
}

type Body = Record<string, unknown>;

/** One control route: a method, a path (exact, or a pattern whose groups are the params) and its handler. */
export interface ControlRoute {
  method: 'GET' | 'POST' | 'DELETE';
  path: string | RegExp;
  handle: (sim: ControlHost, body: Body, params: string[]) => Answer;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const agoMs = (body: Body): number => (typeof body.agoMs === 'number' && Number.isFinite(body.agoMs) ? body.agoMs : 0);
const ok = (): Answer => json({ ok: true });

/** "The user sent a message" / "the user entered through the button", for a registered user. */
function userAction(sim: ControlHost, body: Body, [rawOpenid, what]: string[]): Answer {
  let openid: string;
  try { openid = decodeURIComponent(rawOpenid); } catch { return json({ error: 'the openid in the path is not valid percent-encoding' }, 400); }
  const appid = str(body.appid) ?? sim.defaultAppid;
  const trigger: DeliveryTrigger = what === 'enter' ? 'enter-session' : 'user-message';
  if (!sim.state.userActs(appid, openid, trigger, agoMs(body))) return json({ error: `no user ${openid} of app ${appid}: register it with POST /_sim/users first` }, 404);
  const rule = ruleFor(trigger, sim.state.rules);
  const now = sim.state.userAllowance(appid, openid)!;
  // remaining / until: what the user allows now (allowances do not add up; the larger one wins).
  return json({ ok: true, appid, openid, trigger, maxMessages: rule.maxMessages, windowMs: rule.windowMs, remaining: now.remaining, until: now.deadline });
}

/**
 * The control API (documented in simulator.ts), one row per route. Message push adds its own
 * routes in front of these (push.ts).
 */
export const CONTROL_ROUTES: readonly ControlRoute[] = [
  {
    method: 'GET', path: '/_sim/state',
    handle: (sim) => {
      const { state, clock, faults } = sim;
      return json({
        apps: [...state.apps.values()].map((a) => ({ appid: a.appid, pages: a.pages ?? null, checkMedia: !!a.checkMedia })),
        users: [...state.users.values()].map((u) => ({ ...u, ...state.userAllowance(u.appid, u.openid) })),
        rules: state.rules, faults: faults.list, delivered: state.delivered.length, requests: state.requests.length,
        media: state.media.length, tokens: state.tokens.size, dropped: state.dropped, limits: SIM_LIMITS,
        clockOffsetMs: clock.offsetMs, clockFrozen: clock.frozen, now: sim.now(),
      });
    },
  },
  { method: 'POST', path: '/_sim/reset', handle: (sim, body) => { sim.reset(body.empty === true); return ok(); } },
  {
    method: 'POST', path: '/_sim/apps',
    handle: ({ state }, body) => {
      if (!str(body.appid) || !str(body.secret)) return json({ error: 'appid and secret are required' }, 400);
      const pages = Array.isArray(body.pages) ? body.pages.filter((x): x is string => typeof x === 'string') : undefined;
      state.addApp({ appid: body.appid as string, secret: body.secret as string, ...(pages ? { pages } : {}), checkMedia: body.checkMedia === true });
      return ok();
    },
  },
  {
    method: 'POST', path: '/_sim/users',
    handle: (sim, body) => {
      const appid = str(body.appid) ?? sim.defaultAppid;
      const ids = [...(Array.isArray(body.openids) ? body.openids : []), ...(str(body.openid) ? [body.openid] : [])].filter((x): x is string => typeof x === 'string' && x.length > 0);
      if (!ids.length) return json({ error: 'openid or openids is required' }, 400);
      const action = body.action === undefined ? 'user-message' : body.action;
      if (action !== 'user-message' && action !== 'enter-session' && action !== 'none') return json({ error: 'action is user-message, enter-session or none' }, 400);
      sim.state.addUsers(appid, ids, action, agoMs(body));
      return json({ ok: true, count: ids.length });
    },
  },
  { method: 'POST', path: /^\/_sim\/users\/([^/]+)\/(message|enter)$/, handle: userAction },
  {
    method: 'POST', path: '/_sim/faults',
    handle: ({ faults }, body) => {
      if (!isFaultType(body.type)) return json({ error: `type is one of ${FAULT_TYPES.join(', ')}` }, 400);
      faults.inject(body as unknown as Fault);
      return ok();
    },
  },
  { method: 'DELETE', path: '/_sim/faults', handle: ({ faults }) => { faults.clear(); return ok(); } },
  {
    method: 'POST', path: '/_sim/tokens/expire',
    handle: ({ state }, body) => json({ count: state.expireTokens({ appid: str(body.appid), token: str(body.token), mode: body.mode === 'invalid' ? 'invalid' : 'expired' }) }),
  },
  { method: 'GET', path: '/_sim/tokens', handle: ({ state }) => json(state.issuedTokens()) },
  { method: 'GET', path: '/_sim/delivered', handle: ({ state }) => json(state.delivered) },
  { method: 'DELETE', path: '/_sim/delivered', handle: ({ state }) => { state.clearDelivered(); return ok(); } },
  { method: 'GET', path: '/_sim/requests', handle: ({ state }) => json(state.requests) },
  { method: 'DELETE', path: '/_sim/requests', handle: ({ state }) => { state.requests = []; return ok(); } },
  { method: 'GET', path: '/_sim/media', handle: ({ state }) => json(state.media) },
  {
    method: 'POST', path: '/_sim/clock',
    handle: (sim, body) => {
      const { clock } = sim;
      const { advanceMs: advance, freeze } = body;
      if (advance === undefined && freeze === undefined) return json({ error: 'advanceMs (a number) or freeze (a boolean) is required' }, 400);
      if (advance !== undefined && (typeof advance !== 'number' || !Number.isFinite(advance))) return json({ error: 'advanceMs must be a number' }, 400);
      if (freeze !== undefined && typeof freeze !== 'boolean') return json({ error: 'freeze must be true or false' }, 400);
      if (typeof freeze === 'boolean') clock.freeze(freeze);
      if (typeof advance === 'number') clock.advance(advance);
      return json({ ok: true, now: sim.now(), frozen: clock.frozen });
    },
  },
  { method: 'POST', path: '/_sim/rules', handle: ({ state }, body) => { state.setRules(body as DeliveryOverrides); return json({ ok: true, rules: state.rules }); } },
];

/** The route for a method and a control path (trailing slashes ignored), with its params. */
export function findControlRoute(method: string, path: string): { route: ControlRoute; params: string[] } | undefined {
  const p = path.replace(/\/+$/, '');
  for (const route of CONTROL_ROUTES) {
    if (route.method !== method) continue;
    if (typeof route.path === 'string') {
      if (route.path === p) return { route, params: [] };
    } else {
      const m = route.path.exec(p);
      if (m) return { route, params: m.slice(1) };
    }
  }
  return undefined;
}

/** Answers a control request: 400 for a body that is not a JSON object, 404 for no route. */
export function control(sim: ControlHost, method: string, path: string, raw: string): Answer {
  const body = raw.trim() ? parseObject(raw) : {};
  if (!body) return json({ error: 'body must be a JSON object' }, 400);
  const found = findControlRoute(method, path);
  if (!found) return json({ error: `no control route ${method} ${path.replace(/\/+$/, '')}` }, 404);
  return found.route.handle(sim, body, found.params);
}
