// Start-up: (a) the language server, from spawning `node <server> --stdio` to the first
// publishDiagnostics for one opened template (initialize → initialized → didOpen, as an editor
// does), and (b) the CLI, `node <server> lint <one file>` wall time to exit. Both against the
// same baseline in the same run: `node -e 0`, spawned and waited for the same way (the floor of
// any Node process). Runs are interleaved and the median is reported. Measured for the bundle
// in dist/ (what `npm run build` makes) and the production bundle the .vsix ships (minified,
// built into a temp dir by esbuild.mjs). Targets: server < 300 ms, CLI < 150 ms.
//   node --import tsx bench/startup.ts [--runs=N]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LspSession } from './lsp.ts';
import { BENCH_APPID, SERVER, benchProject, isMain, median, ms, printTable } from './shared.ts';
import { buildProduction } from './size.ts';

export interface StartupFigures {
  bundle: string;
  /** Spawn → first publishDiagnostics, median ms. */
  serverMs: number;
  /** `lint <one file>` spawn → exit, median ms. */
  cliMs: number;
}

export interface StartupBenchResult {
  runs: number;
  /** `node -e 0` spawn → exit, median ms. */
  nodeMs: number;
  bundles: StartupFigures[];
  baseline: string;
  targets: { serverMs: number; cliMs: number };
}

export interface StartupBenchOptions {
  /** Runs per figure (after one warm-up). Default 10. */
  runs?: number;
  /** Also measure the production (minified) bundle. Default true. */
  production?: boolean;
  log?: (line: string) => void;
}

const TEMPLATE = `// A text message with a link that opens a page of this mini program.
{
  "touser": "OPENID",
  "msgtype": "text",
  "text": {
    "content": "您好，订单已发货。<a href=\\"https://example.com/orders\\" data-miniprogram-appid=\\"${BENCH_APPID}\\" data-miniprogram-path=\\"pages/order/detail?id=42\\">查看订单</a>"
  }
}
`;

function timeProcess(args: string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, args, { cwd, stdio: 'ignore' });
    p.on('error', reject);
    p.on('exit', (code) => (code === null || code > 1 ? reject(new Error(`${args.join(' ')} exited with ${code}`)) : resolve(performance.now() - t0)));
  });
}

async function timeServer(server: string, dir: string, file: string): Promise<number> {
  const t0 = performance.now();
  const s = new LspSession(server, dir);
  try {
    await s.initialize(dir);
    const first = s.diagnostics(1, 30_000);
    const uri = pathToFileURL(file).href;
    await s.open(uri, TEMPLATE);
    const { at } = await first;
    return at - t0;
  } finally {
    await s.stop();
  }
}

export async function benchStartup(opts: StartupBenchOptions = {}): Promise<StartupBenchResult> {
  const runs = opts.runs ?? 10;
  const log = opts.log ?? (() => undefined);
  const project = benchProject(200);
  const file = join(project.templates, 'welcome.wxmsg.json');
  writeFileSync(file, TEMPLATE);
  const tmp = mkdtempSync(join(tmpdir(), 'wxmsg-startup-'));
  try {
    const bundles: { name: string; server: string }[] = [{ name: 'dist/server.js', server: SERVER }];
    if (opts.production !== false) {
      buildProduction(tmp);
      bundles.push({ name: 'production (minified)', server: join(tmp, 'server.js') });
    }
    const node: number[] = [];
    const figures = bundles.map(() => ({ server: [] as number[], cli: [] as number[] }));
    log(`startup: ${runs} runs each…`);
    // Run 0 warms the file cache and is not counted; the figures take turns in every run.
    for (let r = 0; r <= runs; r++) {
      const n = await timeProcess(['-e', '0'], project.dir);
      if (r) node.push(n);
      for (const [i, b] of bundles.entries()) {
        const sv = await timeServer(b.server, project.dir, file);
        const cli = await timeProcess([b.server, 'lint', file], project.dir);
        if (r) {
          figures[i].server.push(sv);
          figures[i].cli.push(cli);
        }
      }
    }
    return {
      runs,
      nodeMs: median(node),
      bundles: bundles.map((b, i) => ({ bundle: b.name, serverMs: median(figures[i].server), cliMs: median(figures[i].cli) })),
      baseline: '`node -e 0` spawned and waited for the same way (Node process floor)',
      targets: { serverMs: 300, cliMs: 150 },
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    project.cleanup();
  }
}

export function startupTable(r: StartupBenchResult): string[][] {
  const rows = [['start-up (median of ' + r.runs + ')', 'ms', 'target', '× node -e 0']];
  for (const b of r.bundles) {
    rows.push([`server → first diagnostics, ${b.bundle}`, ms(b.serverMs), `< ${r.targets.serverMs}`, `${(b.serverMs / r.nodeMs).toFixed(1)}×`]);
    rows.push([`wxmsg lint <one file>, ${b.bundle}`, ms(b.cliMs), `< ${r.targets.cliMs}`, `${(b.cliMs / r.nodeMs).toFixed(1)}×`]);
  }
  rows.push(['baseline: node -e 0', ms(r.nodeMs), '', '1.0×']);
  return rows;
}

if (isMain(__filename)) {
  const runs = process.argv.find((a) => a.startsWith('--runs='));
  void benchStartup({ runs: runs ? Number(runs.slice(7)) : undefined, log: (l) => console.error(l) }).then((r) => printTable(startupTable(r)), (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
