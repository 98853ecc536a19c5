import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DefinitionParams, DocumentLink, DocumentLinkParams, Location } from 'vscode-languageserver/node';
import { findRecord } from '../core/rules/mediaLedger.ts';
import type { LedgerContext } from './ledgerContext.ts';
import { rangeOf } from '../core/parser/document.ts';
import { LIMITS } from '../core/rules/codes.ts';
import type { Range } from '../core/types.ts';
import type { Features } from './features.ts';
import { uriToPath, type Projects } from './project.ts';

/** Page files a mini program page may have, in the order Go to Definition lists them. */
const PAGE_SOURCES = ['.ts', '.js'];

/**
 * Go to Definition and document links from a page path to its entry in app.json and to the
 * page's .ts/.js file. The core finds the page paths (definition.ts); this reads the files.
 */
export class Navigation {
  constructor(private readonly features: Features, private readonly projects: Projects, private readonly ledgers: LedgerContext) {}

  /** app.json of the template's project and where it lists `page`, read when asked. */
  private entry(templateUri: string, page: string): { appJson: string; range: Range | undefined } | undefined {
    const file = uriToPath(templateUri);
    if (!file) return undefined;
    const info = this.projects.resolver.projectFor(file, this.projects.boundaryFor(file));
    const appJson = info?.appJsonPath;
    if (!appJson) return undefined;
    let text: string;
    try {
      if (fs.statSync(appJson).size > LIMITS.maxConfigBytes) return { appJson, range: undefined };
      text = fs.readFileSync(appJson, 'utf8');
    } catch {
      return undefined;
    }
    return { appJson, range: this.features.service.findPageEntry(text, page) };
  }

  definition(params: DefinitionParams): Location[] {
    const t = this.features.template(params.textDocument.uri);
    if (!t) return [];
    const offset = t.doc.offsetAt(params.position);
    const target = this.features.service.findDefinitionTarget(t.parsed, offset);
    if (!target) return [];
    if ('mediaId' in target) return this.mediaSource(t.doc.uri, target.mediaId);
    const site = target.page;
    const e = this.entry(t.doc.uri, site.page);
    if (!e?.range) return [];
    const out: Location[] = [{ uri: pathToFileURL(e.appJson).href, range: e.range }];
    const root = path.dirname(e.appJson);
    for (const ext of PAGE_SOURCES) {
      const f = path.join(root, ...site.page.split('/')) + ext;
      if (isFile(f)) out.push({ uri: pathToFileURL(f).href, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    }
    return out;
  }

  /** The image the media ledger recorded for a media_id, when the file is still there. */
  private mediaSource(uri: string, mediaId: string): Location[] {
    const ctx = this.ledgers.with({}, uri);
    const record = ctx.mediaLedger && findRecord(ctx.mediaLedger, mediaId);
    if (!record || !ctx.mediaLedgerRoot) return [];
    const file = path.resolve(ctx.mediaLedgerRoot, ...record.source.split('/'));
    return isFile(file) ? [{ uri: pathToFileURL(file).href, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] : [];
  }

  documentLinks(params: DocumentLinkParams): DocumentLink[] {
    const t = this.features.template(params.textDocument.uri);
    if (!t) return [];
    const out: DocumentLink[] = [];
    for (const site of this.features.service.findPageSites(t.parsed)) {
      const e = this.entry(t.doc.uri, site.page);
      if (!e?.range) continue;
      const { line, character } = e.range.start;
      out.push({
        range: rangeOf(t.parsed, site.start, site.end),
        // VS Code opens a file: URI's #L<line>,<column> fragment at that position (1-based).
        target: `${pathToFileURL(e.appJson).href}#L${line + 1},${character + 1}`,
        tooltip: `app.json: "${site.page}"`,
      });
    }
    return out;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
