import { modify, parseTree, findNodeAtLocation, type EditResult } from 'jsonc-parser';
import { mediaFieldOf } from './mediaPolicy.ts';

/**
 * The media_id of an upload written into the template's text (Upload Image…, loaded with the
 * send code): the edit jsonc-parser makes, in the template's own indentation.
 */

export function msgtypeOf(text: string): string | undefined {
  try {
    const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
    const node = root ? findNodeAtLocation(root, ['msgtype']) : undefined;
    return typeof node?.value === 'string' ? node.value : undefined;
  } catch {
    return undefined;
  }
}

export interface MediaEdit {
  /** "image.media_id" / "miniprogrampage.thumb_media_id". */
  target: string;
  /** Offsets in the text (as jsonc-parser gives them). */
  edits: EditResult;
}

/** The edit writing `mediaId` into the template, or undefined when its msgtype has no media field. */
export function mediaIdEdit(text: string, mediaId: string, eol = text.includes('\r\n') ? '\r\n' : '\n'): MediaEdit | undefined {
  const field = mediaFieldOf(msgtypeOf(text));
  if (!field) return undefined;
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const edits = modify(text, [...field], mediaId, {
    formattingOptions: { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol },
  });
  return { target: field.join('.'), edits };
}
