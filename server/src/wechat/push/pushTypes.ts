import type { PushFormat, PushMode } from './message.ts';

/** What a push to the developer's server gave: the results pushClient.ts returns and pushText.ts words. */

/** What an answer meant for the user. */
export type PushOutcome =
  | 'handled'       // "success" or an empty body
  | 'transfer'      // an XML (or JSON) reply with MsgType transfer_customer_service
  | 'wrong-reply'   // any other answer: the user sees 该小程序客服暂时无法提供服务，请稍后再试
  | 'timeout'       // no answer within the timeout
  | 'http-error'    // a 5xx
  | 'unreachable';  // connection refused, reset, unknown host

export type VerifyOutcome = 'echoed' | 'wrong-echo' | 'timeout' | 'http-error' | 'unreachable';

export interface HttpAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  latencyMs: number;
  /** timeout, or a network error code (ECONNREFUSED, ECONNRESET, ENOTFOUND…). */
  error?: string;
}

export interface SentRequest {
  method: 'GET' | 'POST';
  /** The URL with its query (signature, timestamp, nonce… : no secret). */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface VerifyResult extends HttpAnswer {
  request: SentRequest;
  echostr: string;
  outcome: VerifyOutcome;
}

export interface PushAttempt extends HttpAnswer {
  try: number;
  outcome: PushOutcome;
  /** Why a reply counts as wrong (or a note on a transfer), in English; `reasonCode` for translations. */
  reason?: string;
  reasonCode?: ReplyProblem;
  reasonDetail?: string;
}

export interface PushResult {
  request: SentRequest;
  /** The message before encryption. */
  plaintext: string;
  format: PushFormat;
  mode: PushMode;
  attempts: PushAttempt[];
  tries: number;
  outcome: PushOutcome;
  /** The decrypted reply when the server answered an encrypted one. */
  replyPlaintext?: string;
  /** handled/transfer: the server took it; otherwise the user saw USER_SEES_FAILURE. */
  accepted: boolean;
  latencyMs: number;
}

export type ReplyProblem =
  | 'plain-reply-in-safe-mode' | 'bad-msg-signature' | 'undecryptable' | 'wrong-appid' | 'no-key'
  | 'not-transfer' | 'unrecognised' | 'http-status' | 'transfer-of-event';
