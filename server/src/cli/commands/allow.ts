import * as fs from 'node:fs';
import * as path from 'node:path';
import { escapeControl } from '../../core/escape.ts';
import { CONFIG_FILE, configErrors } from '../../core/rules/profileConfig.ts';
import { findProjectConfig, loadProjectConfig } from '../../node/projectConfigFile.ts';
import { allowCommands, ALLOW_ENV } from '../../node/consent.ts';
import { EXIT, UsageError, parseCliArgs, type CliIO } from '../io.ts';
import { localeFromEnv } from '../locale.ts';
import { located } from '../formatters.ts';
import { teamText } from '../../core/l10n/cli/text.ts';
import { helpText } from '../../core/l10n/cli/text.ts';
import { frameLocale } from '../locale.ts';
import type { Locale } from '../../core/types.ts';

/** The help of wxmsg allow in `l` (the catalog's help section). */
export const allowHelp = (l?: Locale): string => helpText(l).allow({ configFile: CONFIG_FILE, allowEnv: ALLOW_ENV });
export const ALLOW_HELP = allowHelp('en');

export async function runAllow(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCliArgs({ args, allowPositionals: true, options: { revoke: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (parsed.values.help) { io.stdout.write(allowHelp(frameLocale(args, io.env))); return EXIT.ok; }
  const locale = localeFromEnv(io.env);
  const t = teamText(locale);
  if (parsed.positionals.length > 1) throw new UsageError(t.allowOnePath({ n: parsed.positionals.length }));
  const given = parsed.positionals[0] !== undefined ? path.resolve(io.cwd, parsed.positionals[0]) : undefined;
  let file: string | undefined;
  if (given) {
    let isDir = false;
    try { isDir = fs.statSync(given).isDirectory(); } catch { throw new UsageError(t.allowNotThere({ path: parsed.positionals[0] })); }
    file = isDir ? path.join(given, CONFIG_FILE) : given;
    if (!fs.existsSync(file)) throw new UsageError(t.allowNoFileIn({ file: CONFIG_FILE, path: parsed.positionals[0] }));
  } else {
    file = findProjectConfig(io.cwd);
    if (!file) throw new UsageError(t.allowNoFile({ file: CONFIG_FILE, dir: io.cwd }));
  }
  const shown = escapeControl(path.relative(io.cwd, file) || file);
  if (parsed.values.revoke) {
    const where = allowCommands(io.env, file, []);
    io.stdout.write(`${t.allowRevoked({ file: shown, where: escapeControl(where) })}\n`);
    return EXIT.ok;
  }
  const config = loadProjectConfig(file, locale);
  const errors = configErrors(config);
  if (errors.length) throw new UsageError(`${t.allowFixFirst({ file: CONFIG_FILE })}\n  ${located(config, errors, io.cwd, locale)}`);
  const commands = Object.values(config.config?.profiles ?? {}).flatMap((p) => (p.token?.source === 'token-command' ? [{ name: p.name, argv: p.token.command }] : []));
  if (!commands.length) {
    io.stdout.write(`${t.allowNothing({ file: shown })}\n`);
    return EXIT.ok;
  }
  const where = allowCommands(io.env, file, commands.map((c) => c.argv));
  for (const c of commands) io.stdout.write(`${t.allowed({ name: escapeControl(c.name), command: escapeControl(JSON.stringify(c.argv)) })}\n`);
  io.stdout.write(`${t.allowRecorded({ where: escapeControl(where) })}\n`);
  return EXIT.ok;
}
