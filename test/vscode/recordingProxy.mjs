// A proxy on 127.0.0.1 for the VS Code suites, set as `http.proxy` in the user settings before
// VS Code starts: it records every request line (CONNECT host:port for https) and refuses them
// all (403), so nothing that VS Code routes through it leaves the machine. `GET /_lines` asked
// of it directly (not as a proxy) returns what it recorded.
import { STATUS_CODES, createServer } from 'node:http';

export async function startRecordingProxy() {
  const lines = [];
  const sockets = new Set();
  const server = createServer((req, res) => {
    if (req.url === '/_lines') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(lines));
      return;
    }
    lines.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  server.on('connect', (req, socket) => {
    lines.push(`CONNECT ${req.url}`);
    socket.on('error', () => undefined);
    socket.end(`HTTP/1.1 403 ${STATUS_CODES[403]}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    lines,
    close: () => new Promise((res) => { for (const s of sockets) s.destroy(); server.close(() => res()); }),
  };
}
