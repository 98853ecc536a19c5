import { parse, type ParseError } from 'jsonc-parser';
import { Severity, type Diagnostic, type ProjectContext, type ValidationOptions } from '../core/types.ts';
import { validate } from '../core/services/validate.ts';
import { maskOpenIdTail } from '../core/rules/openid.ts';
import { parseTemplate } from '../core/parser/document.ts';
import { fillVariables, mayHaveVariables, scanVariables } from '../core/rules/variables.ts';

/**
 * Turns a template into the body WeChat receives: validated first (errors refuse the send),
 * comments and trailing commas stripped, `touser` replaced by the recipient's OpenID.
 */
export type PreparedTemplate =
  | { ok: true; payload: Record<string, unknown>; body: string; msgtype: string; warnings: Diagnostic[] }
  | { ok: false; reason: 'invalid-template'; errors: Diagnostic[]; message: string }
  | { ok: false; reason: 'invalid-openid'; errors: []; message: string }
  | { ok: false; reason: 'missing-variables'; errors: []; missing: string[]; message: string }
  /** A media_id still holds a placeholder (MEDIA_ID, {{cover}}): upload the image first. */
  | { ok: false; reason: 'media-placeholder'; errors: Diagnostic[]; message: string };

/** OpenIDs are 28 characters of [A-Za-z0-9_-] in practice; we only refuse what cannot be one. */
const OPENID_CHARS = /^[A-Za-z0-9_-]{1,128}$/;

export function checkOpenId(openid: string): string | undefined {
  const id = openid.trim();
  if (!id) return 'the OpenID is empty';
  if (!OPENID_CHARS.test(id)) return 'an OpenID holds only letters, digits, "_" and "-" (28 characters in practice)';
  return undefined;
}

/**
 * `allowMediaPlaceholders`: only for `wxmsg demo`, which fills image/card media_ids itself after
 * preparing (or sends them as they are to show the simulator's 40007). Every real send refuses them.
 */
export function prepareTemplate(text: string, openid: string, context: ProjectContext = {}, options: ValidationOptions = {}, send: { allowMediaPlaceholders?: boolean } = {}): PreparedTemplate {
  const bad = checkOpenId(openid);
  if (bad) return { ok: false, reason: 'invalid-openid', errors: [], message: bad };
  const diagnostics = validate(text, context, { ...options, mediaPlaceholderHint: true });
  const errors = diagnostics.filter((d) => d.severity === Severity.Error);
  if (errors.length) {
    return { ok: false, reason: 'invalid-template', errors, message: `the template has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before sending` };
  }
  // Template variables: every one needs a value (options.variables or its default). The body is
  // the template with the values filled into the parsed strings (variables.ts).
  let filledText = text;
  if (mayHaveVariables(text)) {
    const doc = parseTemplate(text);
    const fill = fillVariables(doc, scanVariables(doc), options.variables);
    if (fill.missing.length) {
      const names = fill.missing.map((n) => `{{${n}}}`).join(', ');
      return {
        ok: false, reason: 'missing-variables', errors: [], missing: fill.missing,
        message: `no value for ${names}: give ${fill.missing.length === 1 ? 'it' : 'them'} with ${fill.missing.map((n) => `--var ${n}=…`).join(' ')} (or --vars, the profile's vars, a *.vars.json next to the template, or a {{name|default}}); 没有变量 ${names} 的值，未发送`,
      };
    }
    filledText = fill.text;
  }
  // Placeholders are fine in a committed template, never in a send: refused before posting.
  const placeholders = diagnostics.filter((d) => d.code === 'wxmsg/media-placeholder');
  if (placeholders.length && !send.allowMediaPlaceholders) {
    const fields = placeholders.map((d) => `${d.data?.key ?? 'media_id'} is still the placeholder ${JSON.stringify(placeholderValue(text, d))}`).join('; ');
    return {
      ok: false,
      reason: 'media-placeholder',
      errors: placeholders.map((d) => ({ ...d, severity: Severity.Error })),
      message: `${fields}: upload the image first (WeChat: Upload Image… in VS Code, or wxmsg upload <image>) and put the media_id it prints in the template`,
    };
  }
  const parseErrors: ParseError[] = [];
  const root: unknown = parse(filledText, parseErrors, { allowTrailingComma: true, disallowComments: false });
  if (parseErrors.length || typeof root !== 'object' || root === null || Array.isArray(root)) {
    // validate() reports these as errors unless a severity setting turned them off.
    return { ok: false, reason: 'invalid-template', errors: [], message: 'the template is not a JSON object' };
  }
  const { touser: _old, ...rest } = root as Record<string, unknown>;
  const payload: Record<string, unknown> = { touser: openid.trim(), ...rest };
  return {
    ok: true,
    payload,
    // Re-serialized: comments go, and JSON.stringify writes non-ASCII as UTF-8, so \uXXXX escapes in
    // a template never reach WeChat (whether custom/send answers 40033 to them is unconfirmed).
    body: JSON.stringify(payload),
    msgtype: typeof payload.msgtype === 'string' ? payload.msgtype : '',
    warnings: diagnostics.filter((d) => d.severity !== Severity.Error),
  };
}

function placeholderValue(text: string, d: Diagnostic): string {
  const lines = text.split(/\r\n|\r|\n/);
  const line = lines[d.range.start.line] ?? '';
  const raw = line.slice(d.range.start.character, d.range.start.line === d.range.end.line ? d.range.end.character : undefined);
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw;
  }
}

/**
 * "oWx…0001": the end, as the OpenIDs of one app share their start (profiles/openid.ts; use
 * maskAmong() there when a set of test users is in view).
 */
export function maskOpenId(openid: string): string {
  return maskOpenIdTail(openid);
}
