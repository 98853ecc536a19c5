/**
 * The simulator's defaults, timings and bounds. Its WeChat limits are its own numbers with their
 * sources, not the client's or the language service's: a rule that drifts on one side shows up as
 * a disagreement in the tests instead of both sides moving together.
 */
export const SIM_DEFAULT_APPID = 'wx1234567890abcdef';
/** Documented test secret of the default app. Not a real AppSecret. */
export const SIM_DEFAULT_SECRET = 'wxmsg-simulator-secret';
export const SIM_USERS = {
  /** Messaged just now: 5 sends succeed (user-message rule). */
  ready: ['oWxmsgSimReadyUser0000000001', 'oWxmsgSimReadyUser0000000002', 'oWxmsgSimReadyUser0000000003'],
  /** Entered through the customer-service button just now: 2 sends within 1 minute. */
  entered: 'oWxmsgSimEnteredUser00000001',
  /** Last messaged 49 hours ago: 45015. */
  stale: 'oWxmsgSimStaleUser0000000001',
  /** Known but never messaged: 45015. */
  silent: 'oWxmsgSimSilentUser000000001',
} as const;

/*
 * Token rules, from the official getStableAccessToken page
 * (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getStableAccessToken.html,
 * 其他说明): "在普通模式调用下，平台会提前5分钟更新access_token … 新旧access_token都可用 …
 * expires_in >= 300"; "强制刷新模式 … 限制每天20次 … 调用时间隔至少为30s，否则不会刷新".
 * The page names no errcode for the daily cap: 45009 "reach max api daily quota limit" is WeChat's
 * daily-quota code, and users report /cgi-bin/stable_token answering it
 * (developers.weixin.qq.com/community/personal/oCJUsw-dwHxcKb6QIOAEFgg8LDP0/answer).
 * Plain getAccessToken: each call issues a new token and the previous one stays usable for 5 more
 * minutes (its page: "公众平台后台会保证在5分钟内，新老 access_token 都可用"), then 40001.
 */
/** Normal mode hands out the next token this long before the current one expires. */
export const STABLE_ROTATE_MS = 5 * 60_000;
/** A second force_refresh sooner than this returns the same token. */
export const FORCE_REFRESH_INTERVAL_MS = 30_000;
export const DEFAULT_FORCE_REFRESH_PER_DAY = 20;
/** A superseded plain cgi-bin/token token answers 40001 this long after the next one was issued. */
export const PLAIN_TOKEN_OVERLAP_MS = 5 * 60_000;
/** WeChat's daily quotas count calendar days in Beijing time (UTC+8). */
export const CST_OFFSET_MS = 8 * 3_600_000;
/** Lifetime of an access token when the options name none (WeChat's expires_in). */
export const DEFAULT_TOKEN_TTL_SECONDS = 7200;

/**
 * media/upload takes images up to 10 MB; over it: 40009 "invalid image size". WeChat documents
 * the figure inconsistently (2 MB vs 10 MB, shared/wechat-api-facts.md); wxmsg uses the larger.
 */
export const SIM_MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Temporary media live 3 days (shared/wechat-api-facts.md); an older media_id answers 40007. */
export const SIM_MEDIA_LIFETIME_MS = 3 * 86_400_000;

/**
 * As long as real ones, so a caller that stores them in a short column fails here, not in
 * production: media_ids are 64 characters, access tokens about 136 (WeChat reserves up to 512).
 */
export const SIM_MEDIA_ID_LENGTH = 64;
export const SIM_TOKEN_LENGTH = 136;

/**
 * Bounds on everything the simulator keeps, so a long run or a flood cannot grow it without limit.
 * Logs (delivered, requests, media) are rings: the oldest entry goes when a new one comes.
 * Registries (apps, users, faults) refuse more with HTTP 400 until /_sim/reset. Issued tokens
 * drop the oldest (it then answers 40001), never an app's current stable token.
 */
export const SIM_LIMITS = Object.freeze({
  delivered: 1000,
  /** Bytes of delivered payloads kept (the ring also drops the oldest beyond this). */
  deliveredBytes: 32 * 1024 * 1024,
  requests: 1000,
  media: 1000,
  /** Bytes of uploaded and user-sent images kept (media/get, PicUrl); the oldest media go beyond this. */
  mediaBytes: 64 * 1024 * 1024,
  tokens: 1000,
  users: 10_000,
  apps: 100,
  faults: 100,
  /**
   * Request bodies of media/upload: an image up to 10 MB plus the multipart framing. Over it:
   * HTTP 413, and nothing past the cap is kept in memory.
   */
  uploadBody: SIM_MAX_IMAGE_BYTES + 1024 * 1024,
  /** Every other route (a WeChat message is a few KB). Over it: HTTP 413. */
  body: 1024 * 1024,
  /** A recorded request path is cut to this many characters. */
  path: 256,
});

/** A limit of the simulator was reached: the control API answers 400 with this message. */
export class SimLimitError extends Error {}
