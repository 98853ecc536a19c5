import { escapeControl } from '../../../server/src/core/escape.ts';
import { commandHash, configKey } from '../../../server/src/node/consent.ts';

/**
 * Consent to a project's token-command in the editor (issue 20): the command runs only in a
 * trusted workspace, after a confirmation that shows the exact command, and is asked again
 * whenever the command changes. What was approved (a hash of the argv per project file and
 * profile) is kept in the extension's global state, never in the project. Without vscode, so the
 * rule is tested as it is (test/tokenConsent.test.ts); profiles.ts wires the dialog and state.
 */
export const APPROVED_KEY = 'wxmsg.profile.approvedTokenCommands';

export interface ConsentQuestion {
  profile: string;
  /** The argv as shown: JSON, with control and bidi characters escaped (what runs, in order). */
  shown: string;
  /** The folder it runs in (the project file's). */
  root: string;
  /** An approval exists for this profile, for another command. */
  changed: boolean;
}

export interface ConsentDeps {
  /** vscode.workspace.isTrusted */
  trusted: boolean;
  /** Automation (`confirm: false`): never asks, so it can never approve. */
  automation: boolean;
  /** The approvals (key → command hash), as read from the global state. */
  approved: Readonly<Record<string, string>>;
  save(next: Record<string, string>): PromiseLike<void>;
  /** The modal confirmation; true when the user chose to run the command. */
  ask(q: ConsentQuestion): PromiseLike<boolean>;
}

export type ConsentOutcome =
  | { ok: true; asked: boolean }
  | { ok: false; reason: 'untrusted' | 'not-approved' | 'declined'; shown: string };

/** How the command is shown (dialog, refusals, log): exactly its argv, nothing reordered or hidden by control characters. */
export function shownCommand(argv: readonly string[]): string {
  return escapeControl(JSON.stringify(argv));
}

/** One approval per project file (its real path) and profile. */
export function approvalKey(configFile: string, profile: string): string {
  return `${configKey(configFile)}#${profile}`;
}

export async function consentToTokenCommand(configFile: string, root: string, profile: string, argv: readonly string[], deps: ConsentDeps): Promise<ConsentOutcome> {
  const shown = shownCommand(argv);
  if (!deps.trusted) return { ok: false, reason: 'untrusted', shown };
  const key = approvalKey(configFile, profile);
  const hash = commandHash(argv);
  const before = Object.hasOwn(deps.approved, key) ? deps.approved[key] : undefined;
  if (before === hash) return { ok: true, asked: false };
  if (deps.automation) return { ok: false, reason: 'not-approved', shown };
  if (!(await deps.ask({ profile, shown, root, changed: before !== undefined }))) return { ok: false, reason: 'declined', shown };
  await deps.save({ ...deps.approved, [key]: hash });
  return { ok: true, asked: true };
}
