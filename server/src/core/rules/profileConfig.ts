import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { CODES, LIMITS, codeHref, type CodeName } from './codes.ts';
import { message } from '../l10n/messages.ts';
import { computeLineStarts, positionAt } from '../parser/document.ts';
import { severityFromName, Severity, type Diagnostic, type Locale, type Range, type SeverityName } from '../types.ts';

/**
 * The project file `wxmsg.config.json` (JSONC) at a project's root: named profiles, each with an
 * appid, an API base URL, a token source, test users and variables. Pure: text in, the profiles
 * and LSP-shaped diagnostics out (0-based lines, UTF-16 characters). It never holds a secret:
 * values shaped like one are reported (`wxmsg/secret-in-config`).
 */
export const CONFIG_FILE = 'wxmsg.config.json';

export type TokenSource =
  | { source: 'appsecret' }
  | { source: 'access-token' }
  | { source: 'token-url'; url: string; header: string; headerEnv: string }
  /** argv: a program and its arguments, run without a shell. */
  | { source: 'token-command'; command: string[] };

export interface Profile {
  name: string;
  appid?: string;
  apiBase?: string;
  token?: TokenSource;
  testUsers: Record<string, string>;
  vars: Record<string, unknown>;
  production: boolean;
}

export interface ProjectConfig {
  defaultProfile?: string;
  profiles: Record<string, Profile>;
}

export interface ParsedConfig {
  /** Undefined when the file is not usable at all (syntax, not an object). */
  config?: ProjectConfig;
  diagnostics: Diagnostic[];
}

export const TOKEN_SOURCES = ['appsecret', 'token-url', 'token-command', 'access-token'] as const;
const APPID = /^wx[0-9a-f]{16}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

type Detail = { en: string; zh: string };

class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly lineStarts: number[];
  constructor(private readonly text: string, private readonly locale: Locale) {
    this.lineStarts = computeLineStarts(text);
  }
  range(node: Node | undefined): Range {
    const start = node?.offset ?? 0;
    const end = node ? node.offset + node.length : 0;
    return { start: positionAt(this.lineStarts, start, this.text.length), end: positionAt(this.lineStarts, end, this.text.length) };
  }
  add(name: CodeName, node: Node | undefined, detail: Detail, severity?: SeverityName): void {
    const code = `wxmsg/${name}`;
    this.diagnostics.push({
      range: this.range(node),
      severity: severityFromName(severity ?? CODES[name]),
      code,
      source: 'wxmsg',
      message: message(this.locale, name, { detail: this.locale === 'zh-cn' ? detail.zh : detail.en }),
      codeDescription: { href: codeHref(code) },
    });
  }
}

function prop(obj: Node | undefined, key: string): Node | undefined {
  return obj?.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1];
}

function members(obj: Node | undefined): [string, Node, Node][] {
  return (obj?.children ?? []).filter((p) => p.children?.length === 2).map((p) => [String(p.children![0].value), p.children![0], p.children![1]]);
}

const TYPE_ZH: Record<string, string> = { string: '字符串', object: '对象', boolean: '布尔值', array: '数组', number: '数字', null: 'null' };

function wrongType(r: Reporter, node: Node, where: string, expected: string): void {
  r.add('config-error', node, {
    en: `${where} must be ${expected === 'array' || expected === 'object' ? 'an' : 'a'} ${expected}, not ${node.type === 'array' || node.type === 'object' ? 'an' : 'a'} ${node.type}`,
    zh: `${where} 必须是${TYPE_ZH[expected] ?? expected}，而不是${TYPE_ZH[node.type] ?? node.type}`,
  });
}

function str(r: Reporter, node: Node | undefined, where: string, opts: { required?: boolean } = {}): string | undefined {
  if (!node) return undefined;
  if (node.type !== 'string') { wrongType(r, node, where, 'string'); return undefined; }
  const v = String(node.value);
  if (opts.required !== false && !v.trim()) { r.add('config-error', node, { en: `${where} must not be empty`, zh: `${where} 不能为空` }); return undefined; }
  return v;
}

const PROFILE_KEYS = ['appid', 'apiBase', 'token', 'testUsers', 'vars', 'production', 'description'];
const TOKEN_KEYS: Record<string, string[]> = {
  appsecret: ['source'], 'access-token': ['source'], 'token-url': ['source', 'url', 'header', 'headerEnv'], 'token-command': ['source', 'command'],
};

function unknownKeys(r: Reporter, obj: Node, allowed: string[], where: string): void {
  for (const [key, keyNode] of members(obj)) {
    if (!allowed.includes(key)) {
      r.add('config-error', keyNode, { en: `unknown key "${key}" in ${where} (known: ${allowed.join(', ')})`, zh: `${where} 中的未知键 "${key}"（可用：${allowed.join('、')}）` }, 'warning');
    }
  }
}

function parseToken(r: Reporter, node: Node, where: string): TokenSource | undefined {
  if (node.type !== 'object') { wrongType(r, node, where, 'object'); return undefined; }
  const srcNode = prop(node, 'source');
  if (!srcNode) { r.add('config-error', node, { en: `${where} needs "source": one of ${TOKEN_SOURCES.join(', ')}`, zh: `${where} 需要 "source"：${TOKEN_SOURCES.join('、')} 之一` }); return undefined; }
  const source = str(r, srcNode, `${where}.source`);
  if (source === undefined) return undefined;
  if (!(TOKEN_SOURCES as readonly string[]).includes(source)) {
    r.add('config-error', srcNode, { en: `${where}.source "${source}" is not one of ${TOKEN_SOURCES.join(', ')}`, zh: `${where}.source "${source}" 不是 ${TOKEN_SOURCES.join('、')} 之一` });
    return undefined;
  }
  unknownKeys(r, node, TOKEN_KEYS[source], where);
  if (source === 'appsecret' || source === 'access-token') return { source };
  if (source === 'token-url') {
    const urlNode = prop(node, 'url');
    if (!urlNode) { r.add('config-error', node, { en: `${where} with source "token-url" needs "url"`, zh: `source 为 "token-url" 的 ${where} 需要 "url"` }); return undefined; }
    const url = str(r, urlNode, `${where}.url`);
    if (url !== undefined) {
      let ok = false;
      try { const u = new URL(url); ok = u.protocol === 'https:' || u.protocol === 'http:'; } catch { /* reported below */ }
      if (!ok) { r.add('config-error', urlNode, { en: `${where}.url must be an absolute https URL`, zh: `${where}.url 必须是 https 绝对地址` }); return undefined; }
    }
    const headerNode = prop(node, 'header');
    const header = headerNode ? str(r, headerNode, `${where}.header`) : 'Authorization';
    if (header !== undefined && !HEADER_NAME.test(header)) { r.add('config-error', headerNode, { en: `${where}.header "${header}" is not an HTTP header name`, zh: `${where}.header "${header}" 不是 HTTP 头名称` }); return undefined; }
    const envNode = prop(node, 'headerEnv');
    if (!envNode) { r.add('config-error', node, { en: `${where} with source "token-url" needs "headerEnv": the environment variable that holds the header's value (the value itself never goes in this file)`, zh: `source 为 "token-url" 的 ${where} 需要 "headerEnv"：存放该请求头取值的环境变量名（取值本身不能写在此文件中）` }); return undefined; }
    const headerEnv = str(r, envNode, `${where}.headerEnv`);
    if (headerEnv !== undefined && !ENV_NAME.test(headerEnv)) { r.add('config-error', envNode, { en: `${where}.headerEnv must name an environment variable (letters, digits, _), not hold a value`, zh: `${where}.headerEnv 必须是环境变量名（字母、数字、_），而不是取值本身` }); return undefined; }
    if (url === undefined || header === undefined || headerEnv === undefined) return undefined;
    return { source, url, header, headerEnv };
  }
  const cmdNode = prop(node, 'command');
  if (!cmdNode) { r.add('config-error', node, { en: `${where} with source "token-command" needs "command"`, zh: `source 为 "token-command" 的 ${where} 需要 "command"` }); return undefined; }
  if (cmdNode.type === 'string') {
    const c = str(r, cmdNode, `${where}.command`);
    if (c === undefined) return undefined;
    if (/\s/.test(c.trim())) {
      r.add('config-error', cmdNode, {
        en: `${where}.command runs without a shell, so "${c}" would be one program name: write the program and its arguments as an array, e.g. ${JSON.stringify(c.trim().split(/\s+/))}`,
        zh: `${where}.command 不经过 shell 运行，"${c}" 会被当作一个程序名：请把程序和参数写成数组，例如 ${JSON.stringify(c.trim().split(/\s+/))}`,
      });
      return undefined;
    }
    return { source: 'token-command', command: [c.trim()] };
  }
  if (cmdNode.type !== 'array' || !cmdNode.children?.length) { wrongType(r, cmdNode, `${where}.command`, cmdNode.type === 'array' ? 'array' : 'string'); return undefined; }
  const argv: string[] = [];
  for (const [i, item] of cmdNode.children.entries()) {
    const s = str(r, item, `${where}.command[${i}]`, { required: i === 0 });
    if (s === undefined) return undefined;
    argv.push(s);
  }
  return { source: 'token-command', command: argv };
}

function parseProfile(r: Reporter, name: string, node: Node): Profile | undefined {
  const where = `profiles.${name}`;
  if (node.type !== 'object') { wrongType(r, node, where, 'object'); return undefined; }
  unknownKeys(r, node, PROFILE_KEYS, where);
  const profile: Profile = { name, testUsers: {}, vars: {}, production: false };
  const appidNode = prop(node, 'appid');
  const appid = str(r, appidNode, `${where}.appid`);
  if (appid !== undefined) {
    if (!APPID.test(appid)) r.add('config-error', appidNode, { en: `${where}.appid "${appid}" is not an appid ("wx" and 16 hex digits)`, zh: `${where}.appid "${appid}" 不是 appid 的格式（"wx" 加 16 位十六进制数字）` });
    else profile.appid = appid;
  }
  const baseNode = prop(node, 'apiBase');
  const base = str(r, baseNode, `${where}.apiBase`);
  if (base !== undefined) {
    let ok = false;
    try { const u = new URL(base); ok = (u.protocol === 'https:' || u.protocol === 'http:') && !u.search && !u.hash; } catch { /* below */ }
    if (!ok) r.add('config-error', baseNode, { en: `${where}.apiBase must be an absolute http(s) URL without a query, e.g. https://api.weixin.qq.com`, zh: `${where}.apiBase 必须是不带查询参数的 http(s) 绝对地址，例如 https://api.weixin.qq.com` });
    else profile.apiBase = base;
  }
  const tokenNode = prop(node, 'token');
  if (tokenNode) profile.token = parseToken(r, tokenNode, `${where}.token`);
  const usersNode = prop(node, 'testUsers');
  if (usersNode) {
    if (usersNode.type !== 'object') wrongType(r, usersNode, `${where}.testUsers`, 'object');
    else {
      for (const [alias, keyNode, v] of members(usersNode)) {
        if (!alias.trim()) { r.add('config-error', keyNode, { en: `${where}.testUsers: an alias must not be empty`, zh: `${where}.testUsers：别名不能为空` }); continue; }
        const id = str(r, v, `${where}.testUsers["${alias}"]`);
        if (id === undefined) continue;
        if (!/^[A-Za-z0-9_-]{1,128}$/.test(id.trim())) { r.add('config-error', v, { en: `${where}.testUsers["${alias}"] is not an OpenID (letters, digits, _ and -)`, zh: `${where}.testUsers["${alias}"] 不是 OpenID（字母、数字、_ 和 -）` }); continue; }
        profile.testUsers[alias] = id.trim();
      }
    }
  }
  const varsNode = prop(node, 'vars');
  if (varsNode) {
    if (varsNode.type !== 'object') wrongType(r, varsNode, `${where}.vars`, 'object');
    else for (const [k, , v] of members(varsNode)) profile.vars[k] = nodeValue(v);
  }
  const prodNode = prop(node, 'production');
  if (prodNode) {
    if (prodNode.type !== 'boolean') wrongType(r, prodNode, `${where}.production`, 'boolean');
    else profile.production = prodNode.value === true;
  }
  return profile;
}

function nodeValue(n: Node): unknown {
  if (n.type === 'object') return Object.fromEntries(members(n).map(([k, , v]) => [k, nodeValue(v)]));
  if (n.type === 'array') return (n.children ?? []).map(nodeValue);
  return n.value;
}

export function parseProjectConfig(text: string, locale: Locale = 'en'): ParsedConfig {
  const r = new Reporter(text, locale);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors.slice(0, LIMITS.maxSyntaxErrors)) {
    r.add('config-error', { offset: e.offset, length: e.length } as Node, { en: `syntax error: ${printParseErrorCode(e.error)}`, zh: `语法错误：${printParseErrorCode(e.error)}` });
  }
  if (root) scanSecrets(r, root);
  if (errors.length) return { diagnostics: r.diagnostics };
  if (!root || root.type !== 'object') {
    r.add('config-error', root, { en: `${CONFIG_FILE} must be a JSON object with "profiles"`, zh: `${CONFIG_FILE} 必须是带有 "profiles" 的 JSON 对象` });
    return { diagnostics: r.diagnostics };
  }
  unknownKeys(r, root, ['$schema', 'defaultProfile', 'profiles', 'history'], CONFIG_FILE);
  const config: ProjectConfig = { profiles: {} };
  const profilesNode = prop(root, 'profiles');
  if (!profilesNode) r.add('config-error', root, { en: `${CONFIG_FILE} has no "profiles" object`, zh: `${CONFIG_FILE} 没有 "profiles" 对象` });
  else if (profilesNode.type !== 'object') wrongType(r, profilesNode, 'profiles', 'object');
  else {
    for (const [name, keyNode, v] of members(profilesNode)) {
      if (!name.trim()) { r.add('config-error', keyNode, { en: 'a profile name must not be empty', zh: '配置名不能为空' }); continue; }
      const p = parseProfile(r, name, v);
      if (p) config.profiles[name] = p;
    }
  }
  const defNode = prop(root, 'defaultProfile');
  const def = str(r, defNode, 'defaultProfile');
  if (def !== undefined) {
    if (profilesNode?.type === 'object' && !members(profilesNode).some(([k]) => k === def)) {
      r.add('config-error', defNode, { en: `defaultProfile "${def}" is not one of the profiles (${Object.keys(config.profiles).join(', ') || 'none'})`, zh: `defaultProfile "${def}" 不在 profiles 中（${Object.keys(config.profiles).join('、') || '无'}）` });
    } else config.defaultProfile = def;
  }
  return { config, diagnostics: r.diagnostics };
}

/** Keys whose string value is a secret whatever it looks like. */
const SECRET_KEYS = /^(app_?secret|secret|access_?token|token|password|passwd|api_?key|authorization|header_?value|encoding_?aes_?key)$/i;
/** An AppSecret: exactly 32 hex digits. */
export const APPSECRET_SHAPE = /^[0-9a-fA-F]{32}$/;
/** A credential as a header value: "Bearer …", "Basic …", "token …". */
const AUTH_VALUE = /^(bearer|basic|token)\s+\S{8,}$/i;
/**
 * A token: 40 or more characters of a token alphabet with letters and digits and no "/" or "."
 * (an access token has 100+, an OpenID 28; paths and URLs have "/" or ".").
 */
const TOKEN_SHAPE = /^[A-Za-z0-9_+=-]{40,}$/;

export type SecretKind = 'appsecret' | 'token' | 'secret-key';

/** Whether a string value (under `key`) looks like a secret, and which kind. */
export function secretKind(value: string, key?: string): SecretKind | undefined {
  const v = value.trim();
  if (!v) return undefined;
  if (APPSECRET_SHAPE.test(v)) return 'appsecret';
  if (AUTH_VALUE.test(v)) return 'token';
  if (TOKEN_SHAPE.test(v) && /[A-Za-z]/.test(v) && /[0-9]/.test(v)) return 'token';
  if (key !== undefined && SECRET_KEYS.test(key)) return 'secret-key';
  return undefined;
}

const SECRET_TEXT: Record<SecretKind, Detail> = {
  appsecret: {
    en: 'this value looks like an AppSecret (32 hex digits)',
    zh: '该值看起来像 AppSecret（32 位十六进制数字）',
  },
  token: {
    en: 'this value looks like an access token or credential',
    zh: '该值看起来像 access_token 或凭据',
  },
  'secret-key': {
    en: 'a secret under a key named like one',
    zh: '以密钥命名的键下有一个值',
  },
};

function scanSecrets(r: Reporter, node: Node, key?: string): void {
  if (node.type === 'string') {
    const kind = secretKind(String(node.value), key);
    if (kind) r.add('secret-in-config', node, SECRET_TEXT[kind]);
    return;
  }
  if (node.type === 'object') {
    for (const [k, , v] of members(node)) scanSecrets(r, v, k);
  } else if (node.type === 'array') {
    for (const c of node.children ?? []) scanSecrets(r, c, key);
  }
}

export interface LoadedConfig extends ParsedConfig {
  file: string;
  /** The folder that holds the file: token-commands run there. */
  root: string;
  text: string;
}

/** The one located error for a project file that was not read: over the size limit, or unreadable. */
export function configFileErrors(problem: { tooLarge: number } | { unreadable: string }, locale: Locale = 'en'): Diagnostic[] {
  const r = new Reporter('', locale);
  if ('tooLarge' in problem) {
    const size = problem.tooLarge;
    r.add('config-error', undefined, { en: `${CONFIG_FILE} is ${size} bytes, over the ${LIMITS.maxConfigBytes}-byte limit: not read`, zh: `${CONFIG_FILE} 有 ${size} 字节，超过 ${LIMITS.maxConfigBytes} 字节上限，未读取` });
  } else {
    const reason = problem.unreadable;
    r.add('config-error', undefined, { en: `cannot read ${CONFIG_FILE}: ${reason}`, zh: `无法读取 ${CONFIG_FILE}：${reason}` });
  }
  return r.diagnostics;
}

export function configErrors(c: ParsedConfig): Diagnostic[] {
  return c.diagnostics.filter((d) => d.severity === Severity.Error && d.code === 'wxmsg/config-error');
}
