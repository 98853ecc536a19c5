import type { Server } from 'node:http';

export interface PushServerOptions {
  token: string;
  aesKey?: string;
  appid: string;
  apiBase: string;
  secret: string;
  log?: (line: string) => void;
}

export function createPushServer(options: PushServerOptions): Server;
