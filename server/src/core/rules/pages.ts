const QUERY = /[?#]/;
const LEADING_SLASHES = /^\/+/;

/** `pages/a/b?x=1` and `/pages/a/b` name the page `pages/a/b`, as app.json lists it. */
export function pageOf(path: string): string {
  let p = path.trim();
  const q = p.search(QUERY);
  if (q !== -1) p = p.slice(0, q);
  return p.charCodeAt(0) === 47 /* / */ ? p.replace(LEADING_SLASHES, '') : p;
}

/** One Set per pages list (the resolver shares a list across every template of a project). */
const pageSets = new WeakMap<readonly string[], Set<string>>();

let lastPages: readonly string[] | undefined;
let lastSet: Set<string> | undefined;

export function hasPage(pages: readonly string[], path: string): boolean {
  let set = lastPages === pages ? lastSet : pageSets.get(pages);
  if (!set) pageSets.set(pages, (set = new Set(pages)));
  lastPages = pages;
  lastSet = set;
  // Most paths are written plainly ("pages/a/b"): look them up as they are first.
  return set.has(path) || set.has(pageOf(path));
}
