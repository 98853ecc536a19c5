// An esbuild plugin for the benchmarks only: builds the bundle with the hand-written parser for
// well-formed JSON (server/src/core/parser/fastTree.ts) turned off, so every template is parsed
// by jsonc-parser, the fallback parseTemplate uses for anything the fast parser does not accept.
// The source is not touched and no user-facing switch exists: `npm run bench` builds this variant
// into a temp dir (`node esbuild.mjs --outdir=<dir> --no-fast-parser`, and bench/inprocess.ts's
// bundle) to show what the fast parser buys. The build fails if fastTree.ts is not in it, so a
// renamed module cannot make the "off" row silently measure the "on" code.
export const FAST_TREE = /[\\/]server[\\/]src[\\/]core[\\/]parser[\\/]fastTree\.ts$/;

/** @returns {import('esbuild').Plugin} */
export function fastParserOff() {
  return {
    name: 'wxmsg-fast-parser-off',
    setup(build) {
      let replaced = false;
      build.onStart(() => { replaced = false; });
      build.onLoad({ filter: FAST_TREE }, () => {
        replaced = true;
        // Same export, always "not for me": parseTemplate then parses with jsonc-parser.
        return { contents: 'export function fastParseTree(_text: string): undefined { return undefined; }\n', loader: 'ts' };
      });
      build.onEnd((result) => {
        if (!replaced && result.errors.length === 0) return { errors: [{ text: 'fast parser off: server/src/core/parser/fastTree.ts is not part of this bundle (renamed?)' }] };
        return undefined;
      });
    },
  };
}
