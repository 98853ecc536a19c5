import type { Node } from 'jsonc-parser';
import { property } from '../parser/document.ts';
import { BODY_FIELDS } from '../rules/fields.ts';
import { closest } from '../rules/suggest.ts';
import { MSGTYPES, type MsgType } from '../types.ts';

/**
 * What the msgtype quick fixes need to know about what is there: whether a body would be valid
 * under a type, which bodies are, and the type a near-miss msgtype value means.
 */

/** A body that is an object with exactly the type's keys: all required ones, nothing unknown, string values. */
export function bodyFitsType(body: Node | undefined, t: MsgType): boolean {
  if (!body || body.type !== 'object') return false;
  const fields = BODY_FIELDS[t];
  for (const p of body.children ?? []) {
    const k = p.children?.[0];
    const v = p.children?.[1];
    const f = fields.find((x) => x.key === k?.value);
    if (!f || !v || v.type !== 'string' || (f.required && v.value === '')) return false;
  }
  return fields.every((f) => !f.required || !!property(body, f.key));
}

/** The root's bodies that are valid as their own type (`"link": { title, description, url, thumb_url }`). */
export function validBodies(root: Node): MsgType[] {
  return MSGTYPES.filter((t) => bodyFitsType(property(root, t)?.children?.[1], t));
}

/**
 * The type a msgtype value near-misses: another case (`Text`), a small typo (`txet`), or a
 * part of the name (`miniprogram`, `mini_program_page`).
 */
export function nearMsgtype(value: string): MsgType | undefined {
  const v = value.trim().toLowerCase();
  if (!v) return undefined;
  const squashed = v.replace(/[\s_-]+/g, '');
  const exact = MSGTYPES.find((t) => t === squashed);
  if (exact) return exact;
  const c = closest(squashed, MSGTYPES);
  if (c) return c as MsgType;
  const partial = MSGTYPES.filter((t) => squashed.length >= 4 && (t.startsWith(squashed) || squashed.startsWith(t)));
  return partial.length === 1 ? partial[0] : undefined;
}
