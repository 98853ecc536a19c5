// Shared by the send / simulator tests: an in-process simulator on 127.0.0.1 and small helpers.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { request } from 'undici';
import { runCli } from '../server/src/cli/main.ts';
import { runSend, type SendCommandOptions } from '../server/src/cli/commands/send.ts';
import { Simulator } from '../server/src/simulator/simulator.ts';
import type { SecretStore, StateStore } from '../client/src/send/sendService.ts';

export const EXAMPLES = path.resolve(__dirname, '..', 'examples');
export const TEMPLATES = path.join(EXAMPLES, 'templates');
export const APPID = 'wx1234567890abcdef';

/** Forced-refresh records of the tests: test/run.mjs's folder, else one of this process's own. */
if (!process.env.WXMSG_CACHE_DIR) process.env.WXMSG_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-test-cache-'));
const testEnv = (env: Record<string, string | undefined>) => ({ WXMSG_CACHE_DIR: process.env.WXMSG_CACHE_DIR, ...env });

export async function startSim(): Promise<Simulator> {
  return Simulator.start({ host: '127.0.0.1', port: 0 });
}

/** Calls the simulator's control API over HTTP, as the e2e suite does. */
export async function control(sim: Simulator, method: 'GET' | 'POST' | 'DELETE', route: string, body?: unknown): Promise<any> {
  const res = await request(`${sim.url}${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const text = await res.body.text();
  return { status: res.statusCode, ...JSON.parse(text) as object, json: JSON.parse(text) };
}

export interface CliRun { code: number; stdout: string; stderr: string }

export async function cli(argv: string[], env: Record<string, string | undefined> = {}, cwd = EXAMPLES): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli({ argv, cwd, env: testEnv(env), stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

/** runSend in-process with injectable client options (no real backoff sleeps). */
export async function cliSend(argv: string[], env: Record<string, string | undefined>, extra: SendCommandOptions = {}, cwd = EXAMPLES): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runSend(argv, { argv, cwd, env: testEnv(env), stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } }, extra);
  return { code, stdout, stderr };
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const s = await Simulator.start();
  const port = s.port;
  await s.close();
  return port;
}

export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

export function readExample(name: string): string {
  return fs.readFileSync(path.join(TEMPLATES, name), 'utf8');
}

/** The extension's SecretStorage and workspace state, in memory, for SendService tests. */
export class MapSecrets implements SecretStore {
  readonly map = new Map<string, string>();
  async get(k: string) { return this.map.get(k); }
  async store(k: string, v: string) { this.map.set(k, v); }
  async delete(k: string) { this.map.delete(k); }
}
export class MapState implements StateStore {
  readonly map = new Map<string, unknown>();
  get(k: string) { return this.map.get(k); }
  async update(k: string, v: unknown) { this.map.set(k, v); }
}
