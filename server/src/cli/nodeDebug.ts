/**
 * NODE_DEBUG=undici (or fetch, http, net, tls…) makes Node and undici print every request they
 * make on stderr, URL and all: the access token travels in the URL (`?access_token=`). Node reads
 * NODE_DEBUG once at start-up (util.debuglog), so removing it from process.env later changes
 * nothing: a command that sends runs again in a child process without those names.
 */

/** The debuglog sections whose output can carry a request URL, a header or a body. */
export const LEAKY_DEBUG_SECTIONS = ['undici', 'fetch', 'websocket', 'http', 'http2', 'https', 'net', 'tls', 'child_process'] as const;

export interface DebugCheck {
  /** The NODE_DEBUG entries that would enable a leaky section (as written). */
  leaky: string[];
  /** NODE_DEBUG without them (undefined when nothing is left). */
  kept: string | undefined;
}

/**
 * Splits NODE_DEBUG as Node does (commas; spaces too, to be safe) and matches each entry the way
 * util.debuglog does: case-insensitive, `*` as a wildcard (`NODE_DEBUG=*`, `und*`).
 */
export function checkNodeDebug(value: string | undefined): DebugCheck {
  const entries = (value ?? '').split(/[\s,]+/).filter(Boolean);
  const leaky: string[] = [];
  const kept: string[] = [];
  for (const entry of entries) {
    const re = new RegExp(`^${entry.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
    if (LEAKY_DEBUG_SECTIONS.some((s) => re.test(s))) leaky.push(entry);
    else kept.push(entry);
  }
  return { leaky, kept: kept.length ? kept.join(',') : undefined };
}

/**
 * The child_process section logs the options of every process started, environment included:
 * with it enabled, running again would itself print the AppSecret or token (they are passed in
 * the environment). Then the command is refused instead.
 */
export function enablesChildProcessDebug(value: string | undefined): boolean {
  return (value ?? '').split(/[\s,]+/).filter(Boolean).some((entry) =>
    new RegExp(`^${entry.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test('child_process'));
}

/** Set in the child's environment: a second run never starts a third. */
export const RESPAWNED_ENV = 'WXMSG_NODE_DEBUG_CLEANED';
