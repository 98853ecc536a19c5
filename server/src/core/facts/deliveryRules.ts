/**
 * How many customer-service messages a mini program may send after a user's action, and for how
 * long. ONE table read by the simulator, the decoded 45015 / 45047 texts and hover docs.
 *
 * Source: the current official page (developers.weixin.qq.com, custommsg/conversation) says
 * 2 messages within 1 minute after the user enters the chat through the customer-service button
 * and 5 messages within 48 hours after the user sends a message. Older copies said 1 (the seed
 * in shared/) and, in 2017, 3 in 48 h — so the numbers are data, overridable per call/setting.
 */
export type DeliveryTrigger = 'enter-session' | 'user-message';

export interface DeliveryRule {
  trigger: DeliveryTrigger;
  /** The user action, as the official page words it. */
  zh: string;
  en: string;
  /** Messages allowed after one such action. */
  maxMessages: number;
  /** How long after the action the messages may be sent. */
  windowMs: number;
}

export type DeliveryRules = readonly DeliveryRule[];

export const DELIVERY_RULES_SOURCE = 'developers.weixin.qq.com/miniprogram/dev/api/custommsg/conversation.html (current official values)';

export const DELIVERY_RULES: DeliveryRules = Object.freeze([
  Object.freeze({ trigger: 'enter-session', zh: '用户通过客服消息按钮进入会话', en: 'the user enters the chat through the customer-service button', maxMessages: 2, windowMs: 60_000 }),
  Object.freeze({ trigger: 'user-message', zh: '用户发送信息', en: 'the user sends a message', maxMessages: 5, windowMs: 48 * 3_600_000 }),
] as const satisfies DeliveryRule[]);

export type DeliveryOverrides = Partial<Record<DeliveryTrigger, { maxMessages?: number; windowMs?: number }>>;

/** The table with some numbers replaced (a setting, the simulator's control API). Bad numbers are ignored. */
export function withOverrides(overrides: DeliveryOverrides | undefined, base: DeliveryRules = DELIVERY_RULES): DeliveryRules {
  if (!overrides) return base;
  return base.map((r) => {
    const o = overrides[r.trigger];
    if (!o) return r;
    const ok = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;
    return { ...r, maxMessages: ok(o.maxMessages) ? Math.floor(o.maxMessages) : r.maxMessages, windowMs: ok(o.windowMs) ? o.windowMs : r.windowMs };
  });
}

export function ruleFor(trigger: DeliveryTrigger, rules: DeliveryRules = DELIVERY_RULES): DeliveryRule {
  return rules.find((r) => r.trigger === trigger) ?? DELIVERY_RULES.find((r) => r.trigger === trigger)!;
}

/** "48 hours", "1 minute", "90 seconds". */
export function formatWindow(ms: number, locale: 'en' | 'zh-cn' = 'en'): string {
  const units: [number, string, string][] = [[86_400_000, 'day', '天'], [3_600_000, 'hour', '小时'], [60_000, 'minute', '分钟'], [1000, 'second', '秒']];
  for (const [size, en, zh] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      // 48 hours reads better than 2 days: it is how the official page says it.
      if (en === 'day' && ms % 3_600_000 === 0 && n <= 3) continue;
      return locale === 'zh-cn' ? `${n}${zh}` : `${n} ${en}${n === 1 ? '' : 's'}`;
    }
  }
  return locale === 'zh-cn' ? `${ms}毫秒` : `${ms} ms`;
}

/** One line per rule: "the user sends a message → 5 messages within 48 hours". */
export function describeRules(rules: DeliveryRules = DELIVERY_RULES, locale: 'en' | 'zh-cn' = 'en'): string[] {
  return rules.map((r) => locale === 'zh-cn'
    ? `${r.zh}：${formatWindow(r.windowMs, 'zh-cn')}内可下发 ${r.maxMessages} 条`
    : `${r.en} → ${r.maxMessages} message${r.maxMessages === 1 ? '' : 's'} within ${formatWindow(r.windowMs)}`);
}

/**
 * What a user's actions allow right now. Allowances do not add up (official:
 * miniprogram/introduction/custom.html, "可发送客服消息条数不累加"): on each action
 * remaining := max(remaining, the action's quota) and deadline := max(deadline, now + its window).
 * Kept as the latest action of each trigger with the sends since it, so a rule changed later
 * (a setting, the simulator's control API) still applies: the latest action of a trigger always
 * dominates its older ones, whatever the numbers.
 */
export type DeliveryGrants = Partial<Record<DeliveryTrigger, { at: number; sent: number }>>;

export interface Allowance {
  /** Messages that may still be sent (0 when the window has closed). */
  remaining: number;
  /** The last millisecond a message may be sent ("within 1 minute" includes it); undefined: never opened. */
  deadline: number | undefined;
  open: boolean;
}

export function allowance(grants: DeliveryGrants, now: number, rules: DeliveryRules = DELIVERY_RULES): Allowance {
  let remaining = 0;
  let deadline: number | undefined;
  for (const trigger of Object.keys(grants) as DeliveryTrigger[]) {
    const g = grants[trigger]!;
    const rule = ruleFor(trigger, rules);
    remaining = Math.max(remaining, rule.maxMessages - g.sent);
    deadline = Math.max(deadline ?? -Infinity, g.at + rule.windowMs);
  }
  const open = deadline !== undefined && now <= deadline;
  return { remaining: open ? remaining : 0, deadline, open };
}

/** The user acts at `at`: a lapsed allowance is dropped first (nothing carries over a closed window). */
export function userAction(grants: DeliveryGrants, trigger: DeliveryTrigger, at: number, rules: DeliveryRules = DELIVERY_RULES): DeliveryGrants {
  const current = allowance(grants, at, rules);
  return { ...(current.open ? grants : {}), [trigger]: { at, sent: 0 } };
}

/** One message sent: it counts against every action still in force. */
export function recordSend(grants: DeliveryGrants): DeliveryGrants {
  const next: DeliveryGrants = {};
  for (const trigger of Object.keys(grants) as DeliveryTrigger[]) next[trigger] = { at: grants[trigger]!.at, sent: grants[trigger]!.sent + 1 };
  return next;
}
