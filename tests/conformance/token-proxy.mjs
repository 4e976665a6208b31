// Loopback proxy that adds "Authorization: Bearer <token>" to every request and forwards it to TotService.
// Why: the MCP conformance suite cannot send a token, and TotService answers every unauthenticated /mcp request with
// 401. Host, Origin and every other header pass through unchanged (the DNS rebinding scenario sends its own Host),
// and responses stream back unbuffered (SSE).
// POST /.proxy/end-sessions ends every session opened through the proxy and not ended since: the suite's npm release
// (0.1.16) never ends its sessions, and TotService caps the sessions one client may hold.
// Usage: TOKEN=... node token-proxy.mjs <target origin, e.g. http://127.0.0.1:5102>
// Prints "listening <url>" once it accepts connections on a free loopback port.
import http from 'node:http';

const target = new URL(process.argv[2] ?? '');
const token = process.env.TOKEN;
if (!token) {
  console.error('TOKEN is not set');
  process.exit(2);
}
const sessions = new Set();

function forward(method, path, headers, onResponse) {
  return http.request(
    { host: target.hostname, port: target.port, method, path, headers: { ...headers, authorization: `Bearer ${token}` } },
    onResponse,
  );
}

async function endSessions() {
  const ended = [...sessions];
  sessions.clear();
  await Promise.all(ended.map((id) => new Promise((resolve) => {
    const request = forward('DELETE', '/mcp', { 'mcp-session-id': id, host: target.host }, (response) => response.resume().on('end', resolve));
    request.on('error', resolve);
    request.end();
  })));
  return ended.length;
}

const server = http.createServer((incoming, outgoing) => {
  if (incoming.method === 'POST' && incoming.url === '/.proxy/end-sessions') {
    endSessions().then((count) => outgoing.end(`${count}\n`));
    return;
  }
  if (incoming.method === 'DELETE') {
    sessions.delete(incoming.headers['mcp-session-id']);
  }
  const forwarded = forward(incoming.method, incoming.url, incoming.headers, (response) => {
    const session = response.headers['mcp-session-id'];
    if (session && incoming.method !== 'DELETE') {
      sessions.add(session);
    }
    outgoing.writeHead(response.statusCode ?? 502, response.rawHeaders);
    outgoing.flushHeaders();
    response.pipe(outgoing);
  });
  forwarded.on('error', (error) => {
    if (!outgoing.headersSent) {
      outgoing.writeHead(502, { 'content-type': 'text/plain' });
    }
    outgoing.end(`proxy: ${error.message}`);
  });
  outgoing.on('close', () => forwarded.destroy());
  incoming.pipe(forwarded);
});

server.listen(0, '127.0.0.1', () => console.log(`listening http://127.0.0.1:${server.address().port}`));
