import type { Locale } from '../../core/types.ts';
import { pushText } from '../../core/l10n/cli/text.ts';
import { USER_SEES_FAILURE } from './config.ts';
import type { PushAttempt, PushResult, ReplyProblem, VerifyResult } from './pushTypes.ts';

/** The user-facing lines of pushes (wxmsg push, wxmsg simulate, the demo), from the CLI catalog's push section. */
export function reasonText(problem: ReplyProblem, detail: string | undefined, locale: Locale): string {
  return pushText(locale).reasons[problem](detail);
}

const quote = (s: string | undefined, max = 120): string => {
  const t = s ?? '';
  return JSON.stringify(t.length > max ? `${t.slice(0, max)}…` : t);
};

function transport(a: { error?: string; status?: number }, timeoutMs: number, locale: Locale): string {
  const t = pushText(locale);
  if (a.error === 'timeout') return t.noAnswer(timeoutMs / 1000);
  if (a.error) return t.cannotConnect(a.error);
  return `HTTP ${a.status}`;
}

/** One line on a URL verification. */
export function verifyLine(v: VerifyResult, timeoutMs: number, locale: Locale): string {
  const t = pushText(locale);
  switch (v.outcome) {
    case 'echoed':
      return t.verifyPassed(v.latencyMs);
    case 'wrong-echo': {
      const trimmedOk = v.status === 200 && v.body?.trim() === v.echostr;
      const what = v.status !== 200 ? `HTTP ${v.status} ${quote(v.body)}` : quote(v.body);
      return t.verifyWrongEcho(what, quote(v.echostr), trimmedOk);
    }
    default:
      return t.verifyFailed(transport(v, timeoutMs, locale));
  }
}

/** One line on one try of a push. */
export function attemptLine(a: PushAttempt, of: number, timeoutMs: number, locale: Locale): string {
  const what = a.error || a.outcome === 'http-error' ? transport(a, timeoutMs, locale) : `HTTP ${a.status} ${quote(a.body)} (${a.latencyMs} ms)`;
  return pushText(locale).attempt(a.try, of, what);
}

/** The verdict on a push, what the user saw. */
export function verdictLine(r: PushResult, timeoutMs: number, locale: Locale): string {
  const t = pushText(locale);
  const last = r.attempts[r.attempts.length - 1];
  const note = last.reasonCode ? reasonText(last.reasonCode, last.reasonDetail, locale) : undefined;
  switch (r.outcome) {
    case 'handled':
      return t.handled(last.body === '');
    case 'transfer':
      return t.transfer(note);
    default: {
      const why = r.outcome === 'wrong-reply' ? note ?? '' : transport(last, timeoutMs, locale) + (r.tries > 1 ? t.tries(r.tries) : '');
      return t.refused(why, USER_SEES_FAILURE);
    }
  }
}
