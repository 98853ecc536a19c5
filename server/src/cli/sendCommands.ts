/**
 * The commands that talk HTTP (undici, the simulator), built as their own bundle
 * (dist/send.js) and loaded only when one of them runs, so `wxmsg lint` starts without them.
 */
export { runSend } from './send.ts';
export { runUpload } from './upload.ts';
export { runSimulate } from './simulate.ts';
export { runDemo } from './demo.ts';
export { runPush } from './push.ts';
export { runTyping, runMedia } from './typing.ts';
