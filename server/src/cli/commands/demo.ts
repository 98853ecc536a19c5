import type { Locale } from '../../core/types.ts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProjectResolver } from '../../node/resolver.ts';
import { Severity } from '../../core/types.ts';
import { WeChatClient, type Credentials, type SendResult } from '../../wechat/client.ts';
import { describeRules, formatWindow, ruleFor } from '../../core/facts/deliveryRules.ts';
import type { DecodedResult } from '../../core/facts/errcodes.ts';
import { sniffImage } from '../../wechat/image.ts';
import { Simulator, SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET, SIM_USERS } from '../../simulator/simulator.ts';
import { TokenCache } from '../../wechat/tokenCache.ts';
import { prepareTemplate } from '../../wechat/template.ts';
import { walkTree } from '../../node/files.ts';
import { templateOperands } from '../operands.ts';
import { formatStylish } from '../formatters.ts';
import { escapeControl } from '../../core/escape.ts';
import { EXIT, UsageError, type CliIO, parseCliArgs } from '../io.ts';
import { localeFromEnv } from '../locale.ts';
import { checkTemplateFile, type CheckedTemplate } from '../../node/templateFiles.ts';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createPushServer } from '../../../../examples/push-server/server.mjs';
import { parseEncodingAesKey } from '../../wechat/push/crypto.ts';
import type { PushRecord } from '../../simulator/push.ts';
import { apiText, demoText } from '../../core/l10n/cli/text.ts';
import { helpText } from '../../core/l10n/cli/text.ts';
import { frameLocale } from '../locale.ts';

/** The help of wxmsg demo in `l` (the catalog's help section). */
export const demoHelp = (l?: Locale): string => helpText(l).demo();
export const DEMO_HELP = demoHelp('en');

const IMAGE_EXT = /\.(png|jpe?g|gif)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git']);

/** The first image under `dir` (sorted, breadth first, four levels), for the upload step. */
export function findImage(dir: string): string | undefined {
  const enter = (_rel: string, name: string) => !SKIP_DIRS.has(name) && !name.startsWith('.');
  for (const { rel, entry } of walkTree(dir, { maxDepth: 4, enter })) {
    if (!entry.isFile() || !IMAGE_EXT.test(entry.name)) continue;
    try { if (sniffImage(fs.readFileSync(rel).subarray(0, 16))) return rel.split('/').join(path.sep); } catch { /* unreadable: try the next */ }
  }
  return undefined;
}

/** Where a template takes a media_id: image.media_id, miniprogrampage.thumb_media_id. */
const MEDIA_FIELD: Record<string, [string, string]> = { image: ['image', 'media_id'], miniprogrampage: ['miniprogrampage', 'thumb_media_id'] };

export async function runDemo(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCliArgs({ args, allowPositionals: true, options: { locale: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (parsed.values.help) { io.stdout.write(demoHelp(frameLocale(args, io.env))); return EXIT.ok; }
  const locale = localeFromEnv(io.env, parsed.values.locale);
  const t = demoText(locale);
  if (parsed.positionals.length > 1) throw new UsageError(t.oneFolder(parsed.positionals.length));
  const dirArg = parsed.positionals[0] ?? '.';
  const dir = path.resolve(io.cwd, dirArg);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(t.noFolder(dirArg));
  const out = (s: string) => io.stdout.write(s);
  // File names, like everything a server says (outcome()), are escaped before they are printed.
  const rel = (p: string) => escapeControl(path.relative(io.cwd, p) || '.');
  const shownDir = escapeControl(dirArg);

  const resolver = new ProjectResolver();
  const project = resolver.projectFor(path.join(dir, 'probe.wxmsg.json'));
  const appid = project?.appid ?? SIM_DEFAULT_APPID;
  const sim = await Simulator.start({ host: '127.0.0.1', port: 0, defaultAppid: appid, ...(project?.pages ? { defaultPages: project.pages } : {}) });
  const client = new WeChatClient({ baseUrl: sim.url, tokenCache: new TokenCache(), locale });
  // The simulator's documented test secret; tokens are masked by the client's redactor.
  const creds: Credentials = { appid, appSecret: SIM_DEFAULT_SECRET };
  const print = (s: string) => out(client.redact(s));
  const unexpected: string[] = [];
  const outcome = (r: SendResult) => outcomeOf(r, locale);
  try {
    print(`${t.intro}\n\n`);
    print(`${t.simulator(sim.url)}\n`);
    // The simulator's documented test secret is shown as is (not through the redactor, which masks it).
    out(`${t.app(escapeControl(appid), project?.appid ? rel(project.configPath) : undefined, project?.pages?.length, SIM_DEFAULT_SECRET)}\n`);
    for (const line of describeRules(sim.rules, locale)) print(`${t.rule(line)}\n`);

    // 2. Lint.
    const { files, errors: unread } = templateOperands([dirArg], io.cwd);
    for (const e of unread) unexpected.push(t.folderUnreadable(escapeControl(e.path), escapeControl(e.reason)));
    // Each template is read and checked once: step 3 sends what was checked here.
    const checked = new Map<string, CheckedTemplate>(files.map((f) => [f, checkTemplateFile(path.resolve(io.cwd, f), resolver, { locale })]));
    const results = files.map((file) => ({ file, diagnostics: checked.get(file)!.diagnostics }));
    const errors = results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === Severity.Error).length, 0);
    const findings = results.reduce((n, r) => n + r.diagnostics.length, 0);
    print(`\n${t.lint(files.length, rel(dir), errors, findings - errors)}\n`);
    if (findings) print(formatStylish(results.filter((r) => r.diagnostics.length), locale).replace(/^/gm, '   ').replace(/ +$/gm, ''));
    if (!files.length) {
      io.stderr.write(`wxmsg: ${t.noTemplates(rel(dir))}\n`);
      return EXIT.findings;
    }
    if (errors) {
      io.stderr.write(`wxmsg: ${t.hasErrors(shownDir)}\n`);
      return EXIT.findings;
    }

    // 3. Upload, for image.media_id and miniprogrampage.thumb_media_id.
    const image = findImage(dir);
    let mediaId: string | undefined;
    if (image) {
      const up = await client.upload(image, creds);
      const shownImage = rel(image);
      if (up.status === 'uploaded') {
        mediaId = up.mediaId;
        print(`\n${t.uploaded(shownImage, mediaId.slice(0, 10))}\n`);
      } else {
        const why = escapeControl(up.status === 'api-error' ? `errcode ${up.decoded.errcode} ${locale === 'zh-cn' ? up.decoded.description : up.decoded.en}` : up.failure.message);
        print(`\n${t.uploadFailed(shownImage, why)}\n`);
        unexpected.push(t.uploadUnexpected(shownImage, why));
      }
    } else {
      print(`\n${t.noImage(rel(dir))}\n`);
    }

    // 4. Every template to users who just messaged (5 messages each within 48 h).
    const userRule = ruleFor('user-message', sim.rules);
    print(`\n${t.sendHeader(userRule.maxMessages, formatWindow(userRule.windowMs, locale))}\n`);
    let delivered = 0;
    // For step 5: a text template if there is one (the shortest to read), else the first that was sent.
    let forQuota: { file: string; payload: Record<string, unknown>; msgtype: string } | undefined;
    const width = Math.max(...files.map((f) => rel(path.resolve(io.cwd, f)).length));
    for (const [i, file] of files.entries()) {
      const abs = path.resolve(io.cwd, file);
      const to = SIM_USERS.ready[Math.floor(i / Math.max(1, userRule.maxMessages)) % SIM_USERS.ready.length];
      const check = checked.get(file)!;
      if (!check.template) { unexpected.push(t.cannotRead(rel(abs))); continue; }
      const { text, parsed, context } = check.template;
      const prepared = prepareTemplate(parsed ?? text, to, context, { locale }, { allowMediaPlaceholders: true, diagnostics: check.diagnostics });
      if (!prepared.ok) { unexpected.push(`${rel(abs)}: ${escapeControl(prepared.message)}`); print(`   ✖ ${rel(abs)}  ${escapeControl(prepared.message)}\n`); continue; }
      const payload = prepared.payload;
      let note = '';
      const field = MEDIA_FIELD[prepared.msgtype];
      const body = field && payload[field[0]];
      if (mediaId && body && typeof body === 'object' && !Array.isArray(body)) {
        payload[field[0]] = { ...(body as Record<string, unknown>), [field[1]]: mediaId };
        note = t.mediaNote(field.join('.'));
      }
      const r = await client.send(payload, creds);
      // Simulated users are documented test ids, shown whole (real OpenIDs are masked by wxmsg send).
      const label = `${rel(abs).padEnd(width)}  ${prepared.msgtype.padEnd(15)} → ${to}`;
      if (r.status === 'sent') {
        delivered++;
        if (!forQuota || (forQuota.msgtype !== 'text' && prepared.msgtype === 'text')) forQuota = { file: abs, payload, msgtype: prepared.msgtype };
        print(`   ✔ ${label}  errcode 0 ${r.decoded.description}${note}\n`);
      } else {
        print(`   ✖ ${label}  ${outcome(r)}\n`);
        unexpected.push(`${rel(abs)}: ${outcome(r)}`);
      }
    }

    // 5. The deliberate failure: more messages than entering through the button allows.
    const enterRule = ruleFor('enter-session', sim.rules);
    let refused: DecodedResult | undefined;
    if (forQuota) {
      const to = SIM_USERS.entered;
      const n = enterRule.maxMessages + 1;
      print(`\n${t.quotaHeader(rel(forQuota.file), n, to, enterRule.maxMessages, formatWindow(enterRule.windowMs, locale))}\n`);
      const payload = { ...forQuota.payload, touser: to };
      for (let k = 1; k <= n; k++) {
        const r = await client.send(payload, creds);
        if (k < n) {
          if (r.status === 'sent') { delivered++; print(`   ✔ ${k}/${n}  errcode 0 ${r.decoded.description}\n`); } else { print(`   ✖ ${k}/${n}  ${outcome(r)}\n`); unexpected.push(t.quotaStep(k, outcome(r))); }
        } else if (r.status === 'api-error' && r.decoded.errcode === 45047) {
          refused = r.decoded;
          const d = r.decoded;
          const a = apiText(locale);
          print(`${t.expected(k, n, d.errcode)}\n`);
          // WeChat's official words; the English ones in English (cause and action are in the locale).
          print(`        ${d.description}\n${locale === 'zh-cn' ? '' : `        ${d.en}\n`}`);
          if (d.cause) print(`        ${a.cause}${d.cause}\n`);
          if (d.action) print(`        ${a.action}${d.action}\n`);
          if (d.rid) print(`${t.rid(escapeControl(d.rid))}\n`);
        } else {
          print(`${t.notExpected(k, n, outcome(r))}\n`);
          unexpected.push(t.quotaStepNot(k, outcome(r)));
        }
      }
    }

    // 6. Message push: a user message pushed to the example receiving server, which answers
    // "success" and replies through custom/send (the loop of "Test your message handler locally").
    delivered += await pushRoundTrip(sim, appid, print, unexpected, locale);

    // The simulator's own record must agree with what the client saw (and the push server sent).
    if (sim.delivered.length !== delivered) unexpected.push(t.deliveries(sim.delivered.length, delivered));
    print(`\n${t.summary(files.length, mediaId !== undefined, delivered, sim.delivered.length)}`);
    print(`${refused ? t.refusedAsDesigned(refused.description, refused.en) : t.notRefused}\n`);
    if (unexpected.length) {
      io.stderr.write(`wxmsg: ${t.notAsDesigned}\n${unexpected.map((u) => `  - ${client.redact(u)}`).join('\n')}\n`);
      return EXIT.findings;
    }
    print(`\n${t.next(shownDir)}\n`);
    out(`  WXMSG_APPSECRET=${SIM_DEFAULT_SECRET} wxmsg send <template> --to ${SIM_USERS.ready[0]} --api-base http://127.0.0.1:8700\n`);
    print(`${t.openInVsCode(shownDir)}\n`);
    return EXIT.ok;
  } finally {
    await client.close();
    await sim.close();
  }
}

/**
 * Step 6: starts examples/push-server on a free loopback port with a made-up Token and
 * EncodingAESKey (never printed), points the simulator's pushes at it (JSON, safe mode), runs the
 * URL verification and pushes one user message. Returns how many replies the server delivered.
 */
async function pushRoundTrip(sim: Simulator, appid: string, print: (s: string) => void, unexpected: string[], locale: Locale): Promise<number> {
  const t = demoText(locale);
  const said = (r: PushRecord) => (locale === 'zh-cn' ? r.messageZh : r.message);
  const token = randomBytes(12).toString('hex');
  const aesKey = randomBytes(32).toString('base64').replace(/[^A-Za-z0-9]/g, 'A').slice(0, 43);
  const serverLog: string[] = [];
  const server = createPushServer({ token, aesKey, appid, apiBase: sim.url, secret: SIM_DEFAULT_SECRET, log: (l) => serverLog.push(l) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat`);
    sim.pushes.setTarget({ url, format: 'json', mode: 'safe', secrets: { token, key: parseEncodingAesKey(aesKey) } });
    const to = SIM_USERS.ready[1];
    print(`\n${t.pushHeader(to)}\n`);
    const v = await sim.pushes.verify();
    print(`   ${v.accepted ? '✔' : '✖'} ${said(v)}\n`);
    if (!v.accepted) { unexpected.push(t.pushProblem(said(v))); return 0; }
    const res = await fetch(`${sim.url}/_sim/users/${to}/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'text', content: '你好' }) });
    const p = ((await res.json()) as { push?: PushRecord }).push;
    if (!p) { unexpected.push(t.noPushRecord(res.status)); return 0; }
    print(`   ${p.accepted ? '✔' : '✖'} ${t.pushed(said(p), p.latencyMs, p.tries)}\n`);
    if (!p.accepted) { unexpected.push(t.pushProblem(said(p))); return 0; }
    // The server replies after answering: wait for its custom/send (at most 5 s).
    const before = sim.delivered.length;
    for (let i = 0; i < 250 && !serverLog.some((l) => l.startsWith('custom/send')); i++) await new Promise((r) => setTimeout(r, 20));
    const reply = sim.delivered.slice(before).find((d) => d.touser === to);
    if (!reply) { unexpected.push(t.noReply(serverLog.join('; '))); return 0; }
    print(`${t.replied(escapeControl(String((reply.payload.text as { content?: unknown } | undefined)?.content)))}\n`);
    return sim.delivered.length - before;
  } finally {
    sim.pushes.setTarget(undefined);
    await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  }
}

function outcomeOf(r: SendResult, locale: Locale): string {
  const t = demoText(locale);
  if (r.status === 'sent') return t.sent;
  if (r.status === 'api-error') return escapeControl(t.apiError(r.decoded.errcode, r.decoded.description, r.decoded.en));
  return escapeControl(r.failure.message);
}
