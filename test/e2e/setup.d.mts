// Types of setup.mjs for the TypeScript that imports it (bench/pull.ts).
export declare const ROOT: string;
export declare const CACHE: string;
export declare const CODE_SERVER_VERSION: string;
export declare const CHROMIUM: string;
/** The code-server package folder. */
export declare const CS_PKG: string;
export declare class SetupError extends Error {}
export declare function setup(): { node: string; codeServer: string; chromium: string; cache: string };
