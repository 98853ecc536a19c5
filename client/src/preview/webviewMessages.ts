/**
 * Messages between the preview webview (client/src/preview/webview.js) and the extension. What
 * the webview sends is checked before use: it is a page showing text from the template.
 */
/** The preview's webview panel type (its serializer restores it after a reload) and its command. */
export const PREVIEW_VIEW_TYPE = 'wxmsg.preview';
export const OPEN_PREVIEW_COMMAND = 'wxmsg.openPreview';

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export type ToWebview =
  | { type: 'update'; html: string }
  | { type: 'cursor'; position: Position };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'reveal'; range: Range };

const MAX = 1e9;
const isPosition = (v: unknown): v is Position => {
  const p = v as Position;
  return !!p && typeof p === 'object' && Number.isInteger(p.line) && Number.isInteger(p.character)
    && p.line >= 0 && p.character >= 0 && p.line < MAX && p.character < MAX;
};

/** The message if it is one the extension understands, else undefined. */
export function parseFromWebview(m: unknown): FromWebview | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const o = m as { type?: unknown; range?: { start?: unknown; end?: unknown } };
  if (o.type === 'ready') return { type: 'ready' };
  if (o.type === 'reveal' && o.range && isPosition(o.range.start) && isPosition(o.range.end)) {
    const { start, end } = o.range as Range;
    // Never a reversed selection.
    const reversed = end.line < start.line || (end.line === start.line && end.character < start.character);
    return { type: 'reveal', range: reversed ? { start: end, end: start } : { start, end } };
  }
  return undefined;
}

/** Milliseconds between the last change and the preview's request for a new model. */
export const PREVIEW_DEBOUNCE_MS = 50;
