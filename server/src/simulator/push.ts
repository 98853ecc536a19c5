import { simText, type Locale } from '../core/l10n/cli/text.ts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PUSH_TIMEOUT_MS, PUSH_TRIES, SIM_ORIGINAL_ID, USER_SEES_FAILURE, type PushConfig } from '../wechat/push/config.ts';
import { pushFields, type PushKind, type PushMessageInput } from '../wechat/push/message.ts';
import { pushMessage, verifyUrl, type PushOutcome, type PushResult, type VerifyResult } from '../wechat/push/pushClient.ts';
import { verdictLine, verifyLine } from '../wechat/push/pushText.ts';
import { json, type Answer } from './answer.ts';
import { SIM_MAX_IMAGE_BYTES } from './constants.ts';
import { imageTypeOf } from './payload.ts';

/**
 * The simulator's side of message push (`wxmsg simulate --push-url`): user actions on the
 * control API push to the developer's server as WeChat does, and every push is recorded for
 * GET /_sim/pushes (headers, body, plaintext, answer, latency, tries — never the Token or the
 * key). The simulator opens the delivery window for the action first (the user acted, whatever
 * the server answers), then pushes.
 *
 * Control routes:
 *   POST   /_sim/users/<openid>/enter     {sessionFrom?}                       user_enter_tempsession
 *   POST   /_sim/users/<openid>/message   {type: "text", content}              a text message
 *                                         {type: "image", file?}               an image (uploaded as media)
 *                                         {type: "miniprogrampage", title, pagepath, thumbFile?}
 *   POST   /_sim/push/verify              runs the URL verification again
 *   GET    /_sim/pushes                   the last pushes and verifications; DELETE clears
 *   GET    /_sim/media/<media_id>         the bytes of an image a user "sent" (its PicUrl)
 */
export interface SimPushOptions extends PushConfig {
  /** Per try (default 5000, WeChat's). */
  timeoutMs?: number;
  /** Tries per push (default 3, WeChat's). */
  tries?: number;
  /** ToUserName: the mini program's original id. */
  toUserName?: string;
}

/** What the simulator offers the push side. */
export interface PushHost {
  now(): number;
  readonly url: string;
  readonly defaultAppid: string;
  /** Stores an image a user sent as temporary media; returns its media_id. */
  addUserMedia(appid: string, data: Buffer, type: string): string;
  userMedia(mediaId: string): { data: Buffer; type: string } | undefined;
  log?(line: string): void;
  /** The language of the log lines. */
  readonly locale?: Locale;
}

export interface PushRecord {
  id: number;
  at: number;
  kind: PushKind | 'verify';
  appid?: string;
  openid?: string;
  url: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  /** The message before encryption (pushes only). */
  plaintext?: string;
  format?: string;
  mode?: string;
  answer?: { status?: number; headers?: Record<string, string>; body?: string; error?: string };
  attempts?: PushResult['attempts'];
  tries: number;
  latencyMs: number;
  outcome: PushOutcome | VerifyResult['outcome'];
  accepted: boolean;
  /** transfer_customer_service was answered: the message went to the web customer-service tool. */
  transferred?: boolean;
  replyPlaintext?: string;
  /** What the user saw instead of an answer (failed pushes). */
  userSaw?: string;
  message: string;
  messageZh: string;
}

const MAX_RECORDS = 200;
const MAX_CONTENT = 4096;
/** A 1×1 PNG for image and card pushes without a file. */
const DEFAULT_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

type ActionSpec =
  | { kind: 'enter'; sessionFrom: string }
  | { kind: 'text'; content: string }
  | { kind: 'image'; file?: string }
  | { kind: 'miniprogrampage'; title: string; pagepath: string; thumbFile?: string };

export class SimPush {
  records: PushRecord[] = [];
  private nextId = 1;

  constructor(private readonly host: PushHost, private pushTarget: SimPushOptions | undefined, private readonly cwd = process.cwd()) {}

  get target(): SimPushOptions | undefined {
    return this.pushTarget;
  }

  /** Points the pushes at a (new) server, e.g. one started after the simulator (the demo). */
  setTarget(target: SimPushOptions | undefined): void {
    this.pushTarget = target;
  }

  get timeoutMs(): number {
    return this.target?.timeoutMs ?? PUSH_TIMEOUT_MS;
  }

  clear(): void {
    this.records = [];
  }

  private record(r: Omit<PushRecord, 'id'>): PushRecord {
    const rec = { id: this.nextId++, ...r };
    this.records.push(rec);
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
    this.host.log?.(simText(this.host.locale).push(rec.kind, rec.url, this.host.locale === 'zh-cn' ? rec.messageZh : rec.message));
    return rec;
  }

  /** The URL verification (at start and on POST /_sim/push/verify). */
  async verify(): Promise<PushRecord> {
    const t = this.target!;
    const v = await verifyUrl(t.url, t.secrets.token, { timeoutMs: this.timeoutMs });
    return this.record({
      at: this.host.now(), kind: 'verify', url: t.url.href, request: v.request,
      answer: { status: v.status, headers: v.headers, body: v.body, ...(v.error ? { error: v.error } : {}) },
      tries: 1, latencyMs: v.latencyMs, outcome: v.outcome, accepted: v.outcome === 'echoed',
      message: verifyLine(v, this.timeoutMs, 'en'), messageZh: verifyLine(v, this.timeoutMs, 'zh-cn'),
    });
  }

  /**
   * Handles the push routes. For a user action it checks the body first (a bad one opens no
   * window), lets the simulator record the action (`act`), then pushes.
   */
  async control(method: string, route: string, raw: string | undefined, act: () => Answer): Promise<Answer | undefined> {
    const r = `${method} ${route.replace(/\/+$/, '')}`;
    const media = /^GET \/_sim\/media\/([^/]+)$/.exec(r);
    if (media) {
      const m = this.host.userMedia(decodeURIComponent(media[1]));
      return m ? { status: 200, body: '', bytes: m.data, contentType: m.type } : json({ error: 'no such media' }, 404);
    }
    if (r === 'GET /_sim/pushes') return json(this.records);
    if (r === 'DELETE /_sim/pushes') { this.clear(); return json({ ok: true }); }
    if (r === 'POST /_sim/push/verify') {
      if (!this.target) return json({ error: 'no push URL: start the simulator with --push-url <url> (and WXMSG_PUSH_TOKEN)' }, 409);
      return json(await this.verify());
    }
    const action = /^POST \/_sim\/users\/([^/]+)\/(message|enter)$/.exec(r);
    if (!action || !this.target) return undefined;
    let body: Record<string, unknown> = {};
    if (raw && raw.trim()) {
      try {
        const v: unknown = JSON.parse(raw);
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return json({ error: 'body must be a JSON object' }, 400);
        body = v as Record<string, unknown>;
      } catch { return json({ error: 'body must be a JSON object' }, 400); }
    }
    const spec = actionSpec(action[2] as 'message' | 'enter', body);
    if (typeof spec === 'string') return json({ error: spec }, 400);
    const appid = typeof body.appid === 'string' && body.appid ? body.appid : this.host.defaultAppid;
    // Files are read (and checked as images) before the action is recorded.
    const images: Record<string, { data: Buffer; type: string } | string> = {};
    if (spec.kind === 'image') images.main = this.readImage(spec.file, 'file');
    if (spec.kind === 'miniprogrampage') images.main = this.readImage(spec.thumbFile, 'thumbFile');
    if (typeof images.main === 'string') return json({ error: images.main }, 400);
    const acted = act();
    if (acted.status !== 200) return acted;
    let openid: string;
    try { openid = decodeURIComponent(action[1]); } catch { return acted; }
    const input: PushMessageInput = { kind: spec.kind, toUserName: this.target.toUserName ?? SIM_ORIGINAL_ID, openid, createTime: Math.floor(this.host.now() / 1000) };
    if (spec.kind === 'text') input.content = spec.content;
    if (spec.kind === 'enter') input.sessionFrom = spec.sessionFrom;
    if (spec.kind === 'image' || spec.kind === 'miniprogrampage') {
      const img = images.main as { data: Buffer; type: string };
      const mediaId = this.host.addUserMedia(appid, img.data, img.type);
      const picUrl = `${this.host.url}/_sim/media/${encodeURIComponent(mediaId)}`;
      if (spec.kind === 'image') Object.assign(input, { picUrl, mediaId });
      else Object.assign(input, { title: spec.title, pagePath: spec.pagepath, appid, thumbUrl: picUrl, thumbMediaId: mediaId });
    }
    const rec = await this.push(appid, input);
    return json({ ...(JSON.parse(acted.body) as object), push: rec });
  }

  private readImage(file: string | undefined, field: string): { data: Buffer; type: string } | string {
    if (file === undefined) return { data: DEFAULT_PNG, type: 'image/png' };
    const abs = path.resolve(this.cwd, file);
    let data: Buffer;
    try {
      const st = fs.statSync(abs);
      if (!st.isFile()) return `${field}: ${file} is not a file`;
      if (st.size > SIM_MAX_IMAGE_BYTES) return `${field}: ${file} is over ${SIM_MAX_IMAGE_BYTES / 1048576} MB`;
      data = fs.readFileSync(abs);
    } catch (e) {
      return `${field}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
    }
    const type = imageTypeOf(data);
    if (!type) return `${field}: ${file} is not a JPEG, PNG or GIF image`;
    return { data, type };
  }

  /** Pushes one message with WeChat's contract and records the outcome. */
  async push(appid: string, input: PushMessageInput): Promise<PushRecord> {
    const t = this.target!;
    const r = await pushMessage(t.url, pushFields(input), { format: t.format, mode: t.mode, secrets: t.secrets, appid, timeoutMs: this.timeoutMs, tries: t.tries ?? PUSH_TRIES });
    const last = r.attempts[r.attempts.length - 1];
    return this.record({
      at: this.host.now(), kind: input.kind, appid, openid: input.openid, url: t.url.href,
      request: r.request, plaintext: r.plaintext, format: r.format, mode: r.mode,
      answer: { status: last.status, headers: last.headers, body: last.body, ...(last.error ? { error: last.error } : {}) },
      attempts: r.attempts, tries: r.tries, latencyMs: r.latencyMs, outcome: r.outcome, accepted: r.accepted,
      ...(r.outcome === 'transfer' ? { transferred: true } : {}),
      ...(r.replyPlaintext !== undefined ? { replyPlaintext: r.replyPlaintext } : {}),
      ...(r.accepted ? {} : { userSaw: USER_SEES_FAILURE }),
      message: verdictLine(r, this.timeoutMs, 'en'), messageZh: verdictLine(r, this.timeoutMs, 'zh-cn'),
    });
  }
}

function actionSpec(route: 'message' | 'enter', body: Record<string, unknown>): ActionSpec | string {
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
  if (route === 'enter') {
    if (body.sessionFrom !== undefined && typeof body.sessionFrom !== 'string') return 'sessionFrom must be a string (the button\'s session-from)';
    return { kind: 'enter', sessionFrom: str('sessionFrom') ?? '' };
  }
  const type = body.type ?? 'text';
  switch (type) {
    case 'text': {
      const content = str('content');
      if (!content) return 'a text message needs "content" (a non-empty string)';
      if (content.length > MAX_CONTENT) return `content is over ${MAX_CONTENT} characters`;
      return { kind: 'text', content };
    }
    case 'image':
      if (body.file !== undefined && !str('file')) return '"file" must be a path to a JPEG, PNG or GIF image';
      return { kind: 'image', ...(str('file') ? { file: str('file') } : {}) };
    case 'miniprogrampage': {
      const title = str('title');
      const pagepath = str('pagepath');
      if (!title || !pagepath) return 'a miniprogrampage needs "title" and "pagepath"';
      if (body.thumbFile !== undefined && !str('thumbFile')) return '"thumbFile" must be a path to a JPEG, PNG or GIF image';
      return { kind: 'miniprogrampage', title, pagepath, ...(str('thumbFile') ? { thumbFile: str('thumbFile') } : {}) };
    }
    default:
      return `type is text, image or miniprogrampage, not ${JSON.stringify(type)}`;
  }
}
