import { modify, parseTree, findNodeAtLocation, type EditResult } from 'jsonc-parser';

/**
 * Where an uploaded image's media_id goes in the open template: `image.media_id` for an image
 * message, `miniprogrampage.thumb_media_id` (the card cover) for a mini program card. Other
 * message types have no media field.
 */
export const MEDIA_FIELDS: Record<string, [string, string]> = {
  image: ['image', 'media_id'],
  miniprogrampage: ['miniprogrampage', 'thumb_media_id'],
};

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
  const type = msgtypeOf(text);
  const field = type ? MEDIA_FIELDS[type] : undefined;
  if (!field) return undefined;
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const edits = modify(text, field, mediaId, {
    formattingOptions: { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol },
  });
  return { target: field.join('.'), edits };
}
