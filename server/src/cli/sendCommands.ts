/**
 * The commands that talk HTTP (undici, the simulator), built as their own bundle
 * (dist/send.js) and loaded only when one of them runs, so `wxmsg lint` starts without them.
 */
export { runSend } from './commands/send.ts';
export { runUpload } from './commands/upload.ts';
export { runSimulate } from './commands/simulate.ts';
export { runDemo } from './commands/demo.ts';
export { runPush } from './commands/push.ts';
export { runTyping, runMedia } from './commands/typing.ts';
