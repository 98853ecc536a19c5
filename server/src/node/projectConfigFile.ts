import * as fs from 'node:fs';
import * as path from 'node:path';
import { LIMITS } from '../core/rules/codes.ts';
import { CONFIG_FILE, configFileErrors, parseProjectConfig, type LoadedConfig } from '../core/rules/profileConfig.ts';
import type { Locale } from '../core/types.ts';

/** The project file (wxmsg.config.json) on disk: found and read here, parsed by the core. */

/** The nearest wxmsg.config.json from `dir` upwards (its path), or undefined. */
export function findProjectConfig(dir: string): string | undefined {
  let d = path.resolve(dir);
  for (;;) {
    const f = path.join(d, CONFIG_FILE);
    try {
      if (fs.statSync(f).isFile()) return f;
    } catch { /* not here */ }
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** Reads and parses a project file (bounded read; unreadable/too large → one located error). */
export function loadProjectConfig(file: string, locale: Locale = 'en'): LoadedConfig {
  const root = path.dirname(file);
  let text = '';
  try {
    const size = fs.statSync(file).size;
    if (size > LIMITS.maxConfigBytes) return { file, root, text, diagnostics: configFileErrors({ tooLarge: size }, locale) };
    text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return { file, root, text, diagnostics: configFileErrors({ unreadable: reason }, locale) };
  }
  return { file, root, text, ...parseProjectConfig(text, locale) };
}
