import { parse, type ParseError } from 'jsonc-parser';
import { Severity, type Diagnostic, type ProjectContext, type ValidationOptions } from '../types.ts';
import { validate } from '../validate.ts';
import { maskOpenIdTail } from '../profiles/openid.ts';

/**
 * Turns a template into the body WeChat receives: validated first (errors refuse the send),
 * comments and trailing commas stripped, `touser` replaced by the recipient's OpenID.
 */
export type PreparedTemplate =
  | { ok: true; payload: Record<string, unknown>; body: string; msgtype: string; warnings: Diagnostic[] }
  | { ok: false; reason: 'invalid-template'; errors: Diagnostic[]; message: string }
  | { ok: false; reason: 'invalid-openid'; errors: []; message: string };

/** OpenIDs are 28 characters of [A-Za-z0-9_-] in practice; we only refuse what cannot be one. */
const OPENID_CHARS = /^[A-Za-z0-9_-]{1,128}$/;

export function checkOpenId(openid: string): string | undefined {
  const id = openid.trim();
  if (!id) return 'the OpenID is empty';
  if (!OPENID_CHARS.test(id)) return 'an OpenID holds only letters, digits, "_" and "-" (28 characters in practice)';
  return undefined;
}

export function prepareTemplate(text: string, openid: string, context: ProjectContext = {}, options: ValidationOptions = {}): PreparedTemplate {
  const bad = checkOpenId(openid);
  if (bad) return { ok: false, reason: 'invalid-openid', errors: [], message: bad };
  const diagnostics = validate(text, context, options);
  const errors = diagnostics.filter((d) => d.severity === Severity.Error);
  if (errors.length) {
    return { ok: false, reason: 'invalid-template', errors, message: `the template has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before sending` };
  }
  const parseErrors: ParseError[] = [];
  const root: unknown = parse(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  if (parseErrors.length || typeof root !== 'object' || root === null || Array.isArray(root)) {
    // validate() reports these as errors unless a severity setting turned them off.
    return { ok: false, reason: 'invalid-template', errors: [], message: 'the template is not a JSON object' };
  }
  const { touser: _old, ...rest } = root as Record<string, unknown>;
  const payload: Record<string, unknown> = { touser: openid.trim(), ...rest };
  return {
    ok: true,
    payload,
    // JSON.stringify keeps non-ASCII as UTF-8 (WeChat rejects \uXXXX escapes with 40033).
    body: JSON.stringify(payload),
    msgtype: typeof payload.msgtype === 'string' ? payload.msgtype : '',
    warnings: diagnostics.filter((d) => d.severity !== Severity.Error),
  };
}

/**
 * "oWx…0001": the end, as the OpenIDs of one app share their start (profiles/openid.ts; use
 * maskAmong() there when a set of test users is in view).
 */
export function maskOpenId(openid: string): string {
  return maskOpenIdTail(openid);
}
