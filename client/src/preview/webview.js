// The preview's script, run inside the webview (bundled to dist/preview.js, loaded through
// asWebviewUri with the page's nonce). It only moves things around: the HTML comes rendered
// from the extension (server/src/core/services/preview/render.ts). Messages:
//   in:  {type:'update', html}          replace the preview (as the document changes)
//        {type:'cursor', position}      highlight and scroll to what the editor's cursor is in
//   out: {type:'ready'}                 the script runs (the extension then sends the cursor)
//        {type:'reveal', range}         the user picked something: reveal it in the editor
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('wx-root');
  if (!root) return;
  const uri = document.body.dataset.uri;
  // Kept by VS Code across reloads: the serializer reopens the preview of this document.
  if (uri) vscode.setState({ uri });
  /** @type {{line:number,character:number} | undefined} */
  let cursor;

  /** @param {Element} el */
  function rangeOf(el) {
    const m = /^(\d+):(\d+)-(\d+):(\d+)$/.exec(el.getAttribute('data-range') || '');
    return m ? { start: { line: +m[1], character: +m[2] }, end: { line: +m[3], character: +m[4] } } : undefined;
  }
  /** @param {{line:number,character:number}} a @param {{line:number,character:number}} b */
  function cmp(a, b) {
    return a.line - b.line || a.character - b.character;
  }
  /** @param {{line:number,character:number}} pos @param {boolean} scroll */
  function highlight(pos, scroll) {
    /** @type {Element | undefined} */
    let inside;
    let insideSize = Infinity;
    /** @type {Element | undefined} */
    let before;
    for (const el of root.querySelectorAll('.wx-chat [data-range]')) {
      const r = rangeOf(el);
      if (!r) continue;
      if (cmp(r.start, pos) <= 0 && cmp(pos, r.end) <= 0) {
        const size = (r.end.line - r.start.line) * 1e6 + (r.end.character - r.start.character);
        if (size < insideSize) { inside = el; insideSize = size; }
      } else if (cmp(r.start, pos) <= 0) {
        before = el;
      }
    }
    for (const el of root.querySelectorAll('.wx-current')) el.classList.remove('wx-current');
    if (inside) inside.classList.add('wx-current');
    const target = inside || before;
    if (target && scroll) target.scrollIntoView({ block: 'nearest' });
  }

  window.addEventListener('message', (e) => {
    const m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'update' && typeof m.html === 'string') {
      root.innerHTML = m.html;
      if (cursor) highlight(cursor, false);
    } else if (m.type === 'cursor' && m.position) {
      cursor = m.position;
      highlight(m.position, true);
    }
  });

  /** @param {EventTarget | null} t */
  function pick(t) {
    const el = t instanceof Element ? t.closest('[data-range]') : null;
    const range = el && rangeOf(el);
    if (range) vscode.postMessage({ type: 'reveal', range });
    return !!range;
  }
  root.addEventListener('click', (e) => { pick(e.target); });
  root.addEventListener('keydown', (e) => {
    if ((e.key === 'Enter' || e.key === ' ') && e.target instanceof Element && e.target.hasAttribute('data-range') && pick(e.target)) e.preventDefault();
  });
  vscode.postMessage({ type: 'ready' });
})();
