// The shape of bench/results/latest.json, written by bench/run.ts and read by bench/readme.ts
// (which renders the README's performance tables from it).
import type { PullBenchResult } from './pull.ts';
import type { LspBenchResult } from './lsp.ts';
import type { SizeBenchResult } from './size.ts';
import type { StartupBenchResult } from './startup.ts';

/** Whole-process `wxmsg lint --format json` on the main corpus and its baselines, median ms. */
export interface ThroughputResult {
  files: number;
  withErrors: number;
  bytes: number;
  pages: number;
  rounds: number;
  ms: {
    wxmsg: number;
    /** The same command built with the fast parser off (every file parsed by jsonc-parser). */
    wxmsgFastParserOff: number;
    ajv: number;
    bare: number;
  };
}

export interface InProcessPass { parseMs: number; validateMs: number; validateFastParserOffMs: number }
/** All checks against jsonc-parser's bare parseTree, in-process; cold = a fresh process's first pass. */
export interface InProcessSummary { files: number; rounds: number; cold: InProcessPass; warm: InProcessPass }

export interface ScaleRow { files: number; bareMs: number; oneThreadMs: number; twoThreadsMs: number }

export interface BenchResults {
  date: string;
  machine: string;
  quick: boolean;
  throughput: ThroughputResult;
  inProcess: InProcessSummary;
  scaling: ScaleRow[];
  scaleRounds: number;
  lsp: LspBenchResult;
  /** The 10 KB case again, the server on Node's default flags (no SERVER_NODE_FLAGS): the same run's before. */
  lspNodeDefaults?: LspBenchResult;
  /** The 10 KB case over node IPC, the transport the VS Code extension uses. */
  lspIpc?: LspBenchResult;
  /**
   * The e2e's keystroke without the workbench: wxmsg's server beside VS Code's JSON server
   * (bench/pull.ts). Absent when code-server is not installed (`npm run test:e2e` installs it).
   */
  pull?: PullBenchResult;
  /** Why `pull` is absent. */
  pullSkipped?: string;
  startup: StartupBenchResult;
  size: SizeBenchResult;
  totalSeconds: number;
}

/** The ratio targets of issue 7 (the LSP, start-up and size targets travel in their own results). */
export const TARGETS = {
  /** wxmsg lint ÷ ajv (schema only), whole process. */
  overAjv: 1.0,
  /** wxmsg lint ÷ bare read + JSON.parse, whole process. */
  overBare: 1.6,
  /** All checks ÷ jsonc-parser parseTree, in-process. */
  overParseTree: 2.0,
} as const;
