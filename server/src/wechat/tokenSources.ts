import { execFile } from 'node:child_process';
import type { Transport } from './transport.ts';
import { MIN_SECRET_CHARS } from './redact.ts';
import { ERRCODES } from '../core/facts/errcodes.ts';
import type { Texts } from '../core/types.ts';
import { wechatBoth, type CliCatalog } from '../core/l10n/cli/text.ts';

/**
 * The token sources of a profile that are not WeChat's own (stable_token with an AppSecret is
 * client.ts): a command that prints a token, and a company token service. Neither ever echoes
 * what it got: a failure names the command or the host, an exit code or an HTTP status, never
 * the output or the body (either may hold the token).
 *
 * When WeChat refuses a token as stale (40001/42001/40014), what happens depends on the source:
 * - appsecret: the WeChatClient asks stable_token again (normal mode, forced only when it hands
 *   back the refused token; client.ts), once;
 * - token-url: callWithTokenRefetch (below) asks the token service once more; the same token
 *   again is an error;
 * - token-command and access-token: not retried (the client treats the token as a ready one:
 *   the answer is an API error whose note says to set a new token); a command is not run twice
 *   for one send.
 */
export const TOKEN_COMMAND_TIMEOUT_MS = 10_000;
const MAX_OUTPUT = 64 * 1024;
const MAX_BODY = 64 * 1024;

/** A failure says what went wrong in both languages (types.ts Texts), never with the output or body. */
export type TokenResult = { ok: true; token: string; expiresIn?: number } | { ok: false; message: Texts };

const fail = (say: (t: CliCatalog['wechat']) => string): TokenResult => ({ ok: false, message: wechatBoth(say) });

/** Runs `argv` without a shell in `cwd`; its trimmed stdout is the token. */
export function runTokenCommand(argv: readonly string[], cwd: string, opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<TokenResult> {
  const timeoutMs = opts.timeoutMs ?? TOKEN_COMMAND_TIMEOUT_MS;
  const shown = JSON.stringify(argv);
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    execFile(file, args, { cwd, shell: false, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT, windowsHide: true, env: opts.env ?? process.env, encoding: 'utf8' }, (err, stdout) => {
      if (err) {
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: string | number | null };
        if (e.code === 'ENOENT') return resolve(fail((t) => t.cmdNotFound(shown, cwd)));
        if (e.code === 'EACCES') return resolve(fail((t) => t.cmdDenied(shown)));
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve(fail((t) => t.cmdTooMuch(shown, MAX_OUTPUT)));
        if (e.killed || e.signal) return resolve(fail((t) => t.cmdTimeout(shown, timeoutMs / 1000)));
        return resolve(fail((t) => t.cmdFailed(shown, String(e.code))));
      }
      const token = String(stdout).trim();
      if (!token) return resolve(fail((t) => t.cmdNothing(shown)));
      if (/\s/.test(token)) return resolve(fail((t) => t.cmdWords(shown)));
      if (token.length < MIN_SECRET_CHARS) return resolve(fail((t) => t.cmdShort(shown, token.length)));
      resolve({ ok: true, token });
    });
  });
}

/** GET `url` with `header: value`; the answer is {access_token, expires_in}. */
export async function fetchTokenUrl(url: string, header: string, value: string, transport: Transport, timeoutMs: number): Promise<TokenResult> {
  const host = new URL(url).host;
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    let res;
    try {
      res = await transport.request({ method: 'GET', url, headers: { [header]: value, accept: 'application/json' }, signal: ac.signal, timeoutMs });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException)?.code;
      return fail((t) => t.svcUnreachable(host, code));
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const c of res.body) {
        size += c.length;
        if (size > MAX_BODY) { res.destroy(); return fail((t) => t.svcTooMuch(host, MAX_BODY)); }
        chunks.push(c);
      }
    } catch {
      return fail((t) => t.svcBroke(host));
    }
    if (res.status !== 200) {
      const check = res.status === 401 || res.status === 403;
      return fail((t) => t.svcHttp(host, res.status, check ? header : undefined));
    }
    const expected = '{"access_token": …, "expires_in": …}';
    let j: unknown;
    try {
      j = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return fail((t) => t.svcNotJson(host, expected));
    }
    const o = (typeof j === 'object' && j !== null ? j : {}) as Record<string, unknown>;
    const token = typeof o.access_token === 'string' ? o.access_token.trim() : '';
    if (!token) return fail((t) => t.svcNoToken(host, expected));
    if (token.length < MIN_SECRET_CHARS) return fail((t) => t.svcShort(host, token.length));
    return { ok: true, token, ...(typeof o.expires_in === 'number' ? { expiresIn: o.expires_in } : {}) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * errcodes in which WeChat refuses an access token as stale or invalid (40001, 42001, 40014):
 * the errcode catalog's refresh codes, so this and the WeChatClient's own refresh cannot disagree.
 */
export const STALE_TOKEN_CODES: ReadonlySet<number> = new Set(Object.entries(ERRCODES).filter(([, i]) => i.retry === 'refresh-token').map(([c]) => Number(c)));

/** What the refetch needs of an API result (a SendResult fits). */
export interface RefetchableResult { status: string; decoded?: { errcode: number }; attempts: number; tokenRefreshed: boolean }

/** The errcode when WeChat answered `result` by refusing the token as stale (STALE_TOKEN_CODES), else undefined. */
export function staleTokenErrcode(result: RefetchableResult): number | undefined {
  const code = result.status === 'api-error' ? result.decoded?.errcode : undefined;
  return code !== undefined && STALE_TOKEN_CODES.has(code) ? code : undefined;
}

export type RefetchOutcome<R> =
  /** The answer to use: the first one, or (`refetched`) the one to the new token, with the attempts of both. */
  | { kind: 'result'; result: R; refetched: boolean; errcode?: number }
  /** WeChat refused the token (`errcode`) and fetching another failed (`message`, never holding a token). */
  | { kind: 'refetch-failed'; first: R; errcode: number; message: Texts }
  /** WeChat refused the token and the token service handed back that same token. */
  | { kind: 'same-token'; first: R; errcode: number };

/**
 * A call with a token-url token: when WeChat refuses the token as stale (40001, 42001, 40014),
 * `refetch` (the token service, with the transport and header of the caller: the CLI's or the
 * extension's) is asked exactly once more. A different token is tried once; the same token again
 * is `same-token` (the service holds a stale or another app's token: another try cannot help).
 * Any other answer, including another errcode such as 40003, is returned as it is, unretried.
 * Pure of vscode and of any transport: the CLI (cli/commands/send.ts) and the extension (client/src/send/sendService.ts)
 * both call it.
 */
export async function callWithTokenRefetch<R extends RefetchableResult>(token: string, call: (token: string) => Promise<R>, refetch: () => Promise<TokenResult>): Promise<RefetchOutcome<R>> {
  const first = await call(token);
  const errcode = staleTokenErrcode(first);
  if (errcode === undefined) return { kind: 'result', result: first, refetched: false };
  const again = await refetch();
  if (!again.ok) return { kind: 'refetch-failed', first, errcode, message: again.message };
  if (again.token === token) return { kind: 'same-token', first, errcode };
  const second = await call(again.token);
  return { kind: 'result', result: { ...second, attempts: first.attempts + second.attempts, tokenRefreshed: true }, refetched: true, errcode };
}
