// The two files of the keystroke → squiggle comparison, and where the character goes in each:
// shared by test/e2e/editor.test.ts (in the workbench) and bench/pull.ts (the servers alone).

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
