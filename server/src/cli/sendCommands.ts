/**
 * The commands other than `lint` (and the language server): those that talk HTTP (undici, the
 * simulator), and allow, preview and history, built as their own bundle (dist/send.js) and
 * loaded only when one of them runs, so `wxmsg lint` starts without them (dist/server.js is then
 * about a quarter of the size; test/serverBundle.test.ts keeps it so).
 */
export { runSend } from './commands/send.ts';
export { runUpload } from './commands/upload.ts';
export { runSimulate } from './commands/simulate.ts';
export { runDemo } from './commands/demo.ts';
export { runPush } from './commands/push.ts';
export { runTyping, runMedia } from './commands/typing.ts';
export { runAllow } from './commands/allow.ts';
export { runPreview } from './commands/preview.ts';
export { runHistory } from './commands/history.ts';
