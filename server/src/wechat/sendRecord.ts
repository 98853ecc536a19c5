import { createHash } from 'node:crypto';
import type { SendResult } from './apiClient.ts';

/**
 * The send history: one JSON object per send. The extension keeps it in its workspace state;
 * the CLI appends it as JSON lines to `history.file` of the project file (wxmsg.config.json),
 * only when that is set. An entry never holds a token, an AppSecret or a whole OpenID: the
 * fields below are all there is (entries are built field by field, never by spreading a result).
 */
export interface HistoryEntry {
  /** ISO 8601, UTC. */
  time: string;
  profile: string | null;
  appid: string | null;
  /** The recipient's alias (a test user's name), when it was chosen by one. */
  alias: string | null;
  /** The OpenID masked (`oWx…0001`). */
  to: string;
  /** The template, relative to the project file's folder (or as given). */
  template: string;
  /** `sha256:` of the body sent (the filled payload), so two sends of the same message match. */
  payloadHash: string;
  status: string;
  errcode: number | null;
  errmsg: string | null;
  rid: string | null;
  latencyMs: number;
  apiHost: string;
}

export function payloadHash(body: string): string {
  return `sha256:${createHash('sha256').update(body, 'utf8').digest('hex')}`;
}

/** A history entry, field by field from the result: nothing else (no token, no whole OpenID) can slip in. */
export function historyEntry(r: SendResult, o: { template: string; to: string; appid: string | null; apiHost: string; body: string; latencyMs: number; profile?: string | null; alias?: string | null }): HistoryEntry {
  return {
    time: new Date().toISOString(),
    profile: o.profile ?? null,
    appid: o.appid,
    alias: o.alias ?? null,
    to: o.to,
    template: o.template,
    payloadHash: payloadHash(o.body),
    status: r.status === 'failed' ? (r.failure.deliveryUnknown ? 'delivery-unknown' : 'not-sent') : r.status,
    errcode: r.decoded?.errcode ?? null,
    errmsg: r.decoded?.errmsg ?? null,
    rid: r.decoded?.rid ?? null,
    latencyMs: o.latencyMs,
    apiHost: o.apiHost,
  };
}
