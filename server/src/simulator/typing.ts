/**
 * The simulator's typing indicator (customerServiceMessage.setTyping): POST
 * /cgi-bin/message/custom/typing {touser, command: "Typing" | "CancelTyping"}. As the official
 * page describes it: typing shows for 15 s or until a message is sent to the user; errcode 45072
 * for another command, 45080 unless a message was exchanged with the user in the last 30 s (the
 * user's message or entering, or one sent to them), 45081 while already typing.
 * The page also names /cgi-bin/message/custom/business/typing: that is the variant for
 * customer-service sub-merchants (businessid); a mini program without them uses this path.
 */
export const TYPING_MS = 15_000;
export const TYPING_INTERACTION_MS = 30_000;
export const TYPING_COMMANDS = ['Typing', 'CancelTyping'] as const;

export class SimTyping {
  /** appid\nopenid → until when the user sees "typing…". */
  private until = new Map<string, number>();

  clear(): void {
    this.until.clear();
  }

  /** A message was sent to the user: it ends the typing indicator. */
  messageSent(key: string): void {
    this.until.delete(key);
  }

  isTyping(key: string, now: number): boolean {
    const u = this.until.get(key);
    return u !== undefined && now < u;
  }

  /** The errcode for a typing command; `lastInteraction` is the latest message exchanged with the user (ms, or undefined). */
  command(key: string, command: unknown, now: number, lastInteraction: number | undefined): number {
    if (command !== 'Typing' && command !== 'CancelTyping') return 45072;
    if (lastInteraction === undefined || now - lastInteraction > TYPING_INTERACTION_MS) return 45080;
    if (command === 'CancelTyping') {
      this.until.delete(key);
      return 0;
    }
    if (this.isTyping(key, now)) return 45081;
    this.until.set(key, now + TYPING_MS);
    return 0;
  }
}
