import type { Plugin } from 'esbuild';
export declare const FAST_TREE: RegExp;
export declare function fastParserOff(): Plugin;
