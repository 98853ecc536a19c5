import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * Consent for a project's token-command, as direnv's `allow` works: `wxmsg allow` records the
 * project file's real path and a hash of the command in the user's config folder (never in the
 * project), and a changed command needs a new allow. WXMSG_ALLOW_TOKEN_COMMAND=1 allows every
 * command for one run (a CI job).
 */
export const ALLOW_FILE = 'allowed-token-commands.json';
export const ALLOW_ENV = 'WXMSG_ALLOW_TOKEN_COMMAND';

export function wxmsgConfigDir(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform, home?: string): string {
  const own = env.WXMSG_CONFIG_DIR?.trim();
  if (own) return path.resolve(own);
  const xdg = env.XDG_CONFIG_HOME?.trim();
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'wxmsg');
  if (platform === 'win32') {
    const appData = env.APPDATA?.trim();
    return appData ? path.win32.join(appData, 'wxmsg') : path.win32.join(home ?? os.homedir(), 'AppData', 'Roaming', 'wxmsg');
  }
  if (platform === 'darwin') return path.join(home ?? os.homedir(), 'Library', 'Application Support', 'wxmsg');
  return path.join(home ?? os.homedir(), '.config', 'wxmsg');
}

/** The hash recorded for a command: its argv, exactly (a changed argument is a changed command). */
export function commandHash(argv: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(argv)).digest('hex');
}

/** The project file's real path (a symlinked checkout is the same project). */
export function configKey(configFile: string): string {
  try {
    return fs.realpathSync(configFile);
  } catch {
    return path.resolve(configFile);
  }
}

type Store = Record<string, string[]>;

function readStore(dir: string): Store {
  try {
    const j = JSON.parse(fs.readFileSync(path.join(dir, ALLOW_FILE), 'utf8')) as unknown;
    if (typeof j !== 'object' || j === null || Array.isArray(j)) return {};
    const out: Store = {};
    for (const [k, v] of Object.entries(j)) if (Array.isArray(v)) out[k] = v.filter((h): h is string => typeof h === 'string');
    return out;
  } catch {
    return {};
  }
}

export function isCommandAllowed(env: Record<string, string | undefined>, configFile: string, argv: readonly string[]): boolean {
  if (env[ALLOW_ENV] === '1') return true;
  return readStore(wxmsgConfigDir(env))[configKey(configFile)]?.includes(commandHash(argv)) ?? false;
}

/** Records `commands` as the allowed ones of `configFile` (replacing what was allowed before). */
export function allowCommands(env: Record<string, string | undefined>, configFile: string, commands: readonly (readonly string[])[]): string {
  const dir = wxmsgConfigDir(env);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const store = readStore(dir);
  const key = configKey(configFile);
  if (commands.length) store[key] = [...new Set(commands.map(commandHash))];
  else delete store[key];
  const file = path.join(dir, ALLOW_FILE);
  writeFileAtomic.sync(file, `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600 });
  return file;
}
