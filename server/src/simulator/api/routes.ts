import { err, notFound, type Answer } from '../answer.ts';
import type { ApiContext, ApiRequest } from './context.ts';
import { getMedia, upload } from './media.ts';
import { send, typing } from './messages.ts';
import { plainToken, stableToken } from './tokens.ts';

/** One WeChat endpoint: the method it takes, what another method gets, and its handler. */
export interface ApiRoute {
  method: 'POST' | 'GET' | 'ANY';
  /** The answer to another method. */
  otherMethod?: () => Answer;
  handle: (ctx: ApiContext, req: ApiRequest) => Answer | Promise<Answer>;
}

// Like WeChat, a wrong method on a POST route is HTTP 200 with 43002 "require POST method"
// (shared/wechat-api-facts.md, "Other codes users of these calls see").
const requirePost = () => err(43002);

/** The WeChat endpoints the simulator answers, by path. */
export const API_ROUTES: Readonly<Record<string, ApiRoute>> = {
  '/cgi-bin/stable_token': { method: 'POST', otherMethod: requirePost, handle: (ctx, r) => stableToken(ctx, r.text) },
  '/cgi-bin/token': { method: 'ANY', handle: (ctx, r) => plainToken(ctx, r.url.searchParams) },
  '/cgi-bin/message/custom/send': { method: 'POST', otherMethod: requirePost, handle: (ctx, r) => send(ctx, r.url, r.text) },
  '/cgi-bin/media/upload': { method: 'POST', otherMethod: requirePost, handle: (ctx, r) => upload(ctx, r.url, r.bytes, r.contentType) },
  '/cgi-bin/message/custom/typing': { method: 'POST', otherMethod: requirePost, handle: (ctx, r) => typing(ctx, r.url, r.text) },
  '/cgi-bin/media/get': { method: 'GET', otherMethod: notFound, handle: (ctx, r) => getMedia(ctx, r.url) },
};

export async function routeApi(ctx: ApiContext, req: ApiRequest): Promise<Answer> {
  const route = Object.hasOwn(API_ROUTES, req.url.pathname) ? API_ROUTES[req.url.pathname] : undefined;
  if (!route) {
    // An API path WeChat does not have answers HTTP 200 with 40066 "invalid url", as users
    // report for mistyped /cgi-bin/ paths (wechatpy issues #179 and #289). Outside /cgi-bin/
    // the simulator is a plain web server: 404.
    return req.url.pathname.startsWith('/cgi-bin/') ? err(40066) : notFound();
  }
  if (route.method !== 'ANY' && req.method !== route.method) return (route.otherMethod ?? notFound)();
  return route.handle(ctx, req);
}
