import type { Command } from '../languageTypes.ts';
import type { Diagnostic, Locale, ProjectContext } from '../types.ts';

/**
 * The quick fixes of the media findings: "Upload again" re-uploads the file the ledger recorded
 * (the client writes the new media_id into the template and the ledger in one step), "Upload
 * image…" asks for a file. Both run the client's `wxmsg.uploadImage` command.
 */
export const UPLOAD_COMMAND = 'wxmsg.uploadImage';

export interface MediaAction {
  title: string;
  kind: 'quickfix';
  diagnostics: Diagnostic[];
  isPreferred?: boolean;
  command: Command;
}

const TITLES = {
  en: { again: (f: string) => `Upload again (${f})`, pick: 'Upload image…' },
  'zh-cn': { again: (f: string) => `重新上传（${f}）`, pick: '上传图片…' },
};

const MEDIA_CODES = new Set(['wxmsg/media-placeholder', 'wxmsg/media-other-appid', 'wxmsg/media-expired', 'wxmsg/media-unknown']);

export function mediaActions(uri: string, diagnostics: readonly Diagnostic[], context: ProjectContext, locale: Locale): MediaAction[] {
  const t = TITLES[locale];
  const out: MediaAction[] = [];
  for (const d of diagnostics) {
    if (!MEDIA_CODES.has(String(d.code))) continue;
    const source = d.data?.expected;
    if (source && context.mediaLedgerRoot && (d.code === 'wxmsg/media-expired' || d.code === 'wxmsg/media-other-appid')) {
      const file = joinPath(context.mediaLedgerRoot, source);
      out.push({ title: t.again(source), kind: 'quickfix', diagnostics: [d], isPreferred: true, command: { title: t.again(source), command: UPLOAD_COMMAND, arguments: [{ uri, file }] } });
    }
    out.push({ title: t.pick, kind: 'quickfix', diagnostics: [d], command: { title: t.pick, command: UPLOAD_COMMAND, arguments: [{ uri }] } });
  }
  return out;
}

/** `root` + a ledger source (always `/`-separated), in the root's own separator style. */
export function joinPath(root: string, source: string): string {
  const sep = root.includes('\\') && !root.includes('/') ? '\\' : '/';
  return `${root.replace(/[\\/]+$/, '')}${sep}${source.split('/').join(sep)}`;
}
