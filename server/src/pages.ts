/** `pages/a/b?x=1` and `/pages/a/b` name the page `pages/a/b`, as app.json lists it. */
export function pageOf(path: string): string {
  let p = path.trim();
  const q = p.search(/[?#]/);
  if (q !== -1) p = p.slice(0, q);
  return p.replace(/^\/+/, '');
}

export function hasPage(pages: readonly string[], path: string): boolean {
  const page = pageOf(path);
  return pages.includes(page);
}
