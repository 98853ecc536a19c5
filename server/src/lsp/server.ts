// Placeholder module boundary: the language server lands with issue 3.
export function startServer(): void {
  process.stderr.write('wxmsg: the language server is not built yet\n');
  process.exitCode = 2;
}
