// The files of the keystroke → squiggle comparison, and where the character goes in each:
// shared by test/e2e/editor.test.ts (in the workbench) and bench/pull.ts (the servers alone,
// the template and order.json).

/** The template, in test/e2e/fixture; `x` typed after `"text` makes `"textx"`, wxmsg/invalid-msgtype. */
export const TEMPLATE = 'templates/welcome.wxmsg.json';
export const TEMPLATE_PROBE = '"msgtype": "text';

/** The JSON file beside it. */
export const ORDER_JSON = '{\n  "order": "A1024",\n  "status": "paid"\n}\n';
/** Where `x` is typed in a JSON file: `"paid"` → `"paidx"`. */
export const JSON_PROBE = '"status": "paid';
/** VS Code's JSON validation of order.json: a schema from the json.schemas setting. */
export const ORDER_SCHEMA = {
  type: 'object',
  properties: { order: { type: 'string' }, status: { enum: ['paid', 'shipped', 'refunded'] } },
};

/**
 * The control of the e2e comparison: the template's own text as a plain JSON file, validated by
 * VS Code's JSON language features against this schema. The same text, the same keystroke at
 * the same place (`"textx"` is not in the enum): beside order.json it shows what the method
 * makes of two JSON files, and it is VS Code's JSON validation of exactly what wxmsg validates.
 */
export const CONTROL = 'latency/welcome.json';
export const CONTROL_SCHEMA = {
  type: 'object',
  properties: { msgtype: { enum: ['text', 'image', 'link', 'miniprogrampage'] } },
};
