import { getNodeValue, parse, type ParseError } from 'jsonc-parser';
import { Severity, type Diagnostic, type ProjectContext, type ValidationOptions } from '../core/types.ts';
import { getLanguageService, type ParsedTemplate } from '../core/languageService.ts';
import { fillVariables, mayHaveVariables, scanVariables } from '../core/rules/variables.ts';
import { checkOpenId, maskOpenId, withRecipient } from './recipient.ts';
import { wechatText } from '../core/l10n/cli/text.ts';

export { checkOpenId, maskOpenId };

/**
 * Turns a template into the body WeChat receives: validated first (errors refuse the send),
 * comments and trailing commas stripped, `touser` replaced by the recipient's OpenID.
 */
export type PreparedTemplate =
  | { ok: true; payload: Record<string, unknown>; body: string; msgtype: string; warnings: Diagnostic[] }
  | { ok: false; reason: 'invalid-template'; errors: Diagnostic[]; message: string }
  | { ok: false; reason: 'invalid-openid'; errors: []; message: string }
  | PayloadRefusal;

/** Why a template has no payload to send (prepareTemplate and the editor's wxmsg/prepareSend). */
export type PayloadRefusal =
  | { ok: false; reason: 'invalid-template'; errors: Diagnostic[]; message: string }
  | { ok: false; reason: 'missing-variables'; errors: []; missing: string[]; message: string }
  /** A media_id still holds a placeholder (MEDIA_ID, {{cover}}): upload the image first. */
  | { ok: false; reason: 'media-placeholder'; errors: Diagnostic[]; message: string };

/** The checked payload without its recipient: what the editor's language server hands the extension. */
export type PreparedPayload =
  | { ok: true; payload: Record<string, unknown>; msgtype: string; warnings: Diagnostic[] }
  | PayloadRefusal;

export interface PrepareOptions {
  /** Only for `wxmsg demo` (see prepareTemplate). */
  allowMediaPlaceholders?: boolean;
  /**
   * The template's diagnostics, when the caller already validated this text against this context
   * with `mediaPlaceholderHint` (`wxmsg send`): it is not validated a second time.
   */
  diagnostics?: Diagnostic[];
}

/**
 * `allowMediaPlaceholders`: only for `wxmsg demo`, which fills image/card media_ids itself after
 * preparing (or sends them as they are to show the simulator's 40007). Every real send refuses them.
 */
export function prepareTemplate(template: string | ParsedTemplate, openid: string, context: ProjectContext = {}, options: ValidationOptions = {}, send: PrepareOptions = {}): PreparedTemplate {
  const bad = checkOpenId(openid, options.locale);
  if (bad) return { ok: false, reason: 'invalid-openid', errors: [], message: bad };
  const prepared = preparePayload(template, context, options, send);
  if (!prepared.ok) return prepared;
  const { payload, body } = withRecipient(prepared.payload, openid);
  return { ok: true, payload, body, msgtype: prepared.msgtype, warnings: prepared.warnings };
}

/**
 * The checked payload of a template (no `touser`): `template` is its text, or the parse the
 * caller already has (the language server's), which is then neither read nor parsed again.
 */
export function preparePayload(template: string | ParsedTemplate, context: ProjectContext = {}, options: ValidationOptions = {}, send: PrepareOptions = {}): PreparedPayload {
  const text = typeof template === 'string' ? template : template.text;
  const { locale, ...rest } = options;
  const t = wechatText(locale);
  const service = getLanguageService(locale);
  const diagnostics = send.diagnostics ?? service.doValidation(template, context, { ...rest, mediaPlaceholderHint: true });
  const errors = diagnostics.filter((d) => d.severity === Severity.Error);
  if (errors.length) {
    return { ok: false, reason: 'invalid-template', errors, message: t.templateErrors(errors.length) };
  }
  // Template variables: every one needs a value (options.variables or its default). The body is
  // the template with the values filled into the parsed strings (variables.ts).
  let filledText: string | undefined;
  let doc = typeof template === 'string' ? undefined : template;
  if (mayHaveVariables(text)) {
    doc ??= service.parseTemplate(text);
    const fill = fillVariables(doc, scanVariables(doc), options.variables);
    if (fill.missing.length) {
      const names = fill.missing.map((n) => `{{${n}}}`).join(', ');
      return {
        ok: false, reason: 'missing-variables', errors: [], missing: fill.missing,
        message: t.missingVariables(names, fill.missing.length, fill.missing.map((n) => `--var ${n}=…`).join(' ')),
      };
    }
    if (fill.filled.length) filledText = fill.text;
  }
  // Placeholders are fine in a committed template, never in a send: refused before posting.
  const placeholders = diagnostics.filter((d) => d.code === 'wxmsg/media-placeholder');
  if (placeholders.length && !send.allowMediaPlaceholders) {
    const fields = placeholders.map((d) => t.placeholder(String(d.data?.key ?? 'media_id'), JSON.stringify(placeholderValue(text, d))));
    return {
      ok: false,
      reason: 'media-placeholder',
      errors: placeholders.map((d) => ({ ...d, severity: Severity.Error })),
      message: t.placeholders(fields),
    };
  }
  const root = payloadOf(filledText ?? doc ?? text);
  if (!root) {
    // validate() reports these as errors unless a severity setting turned them off.
    return { ok: false, reason: 'invalid-template', errors: [], message: t.notAnObject };
  }
  const { touser: _old, ...payload } = root;
  return {
    ok: true,
    payload,
    msgtype: typeof payload.msgtype === 'string' ? payload.msgtype : '',
    warnings: diagnostics.filter((d) => d.severity !== Severity.Error),
  };
}

/** The template's value when it is one JSON object: from the parse at hand, else parsed. */
function payloadOf(source: string | ParsedTemplate): Record<string, unknown> | undefined {
  let root: unknown;
  if (typeof source === 'string') {
    const parseErrors: ParseError[] = [];
    root = parse(source, parseErrors, { allowTrailingComma: true, disallowComments: false });
    if (parseErrors.length) return undefined;
  } else {
    if (source.errors.length || !source.root) return undefined;
    root = getNodeValue(source.root);
  }
  return typeof root === 'object' && root !== null && !Array.isArray(root) ? root as Record<string, unknown> : undefined;
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
