// Loopback proxy that adds "Authorization: Bearer <token>" to every request and forwards it to TotService.
// Why: the MCP conformance suite cannot send a token, and TotService answers every unauthenticated /mcp request with
// 401. Host, Origin and every other header pass through unchanged (the DNS rebinding scenario sends its own Host),
// and responses stream back unbuffered (SSE).
// Usage: TOKEN=... node token-proxy.mjs <target origin, e.g. http://127.0.0.1:5102>
// Prints "listening <url>" once it accepts connections on a free loopback port.
import http from 'node:http';

const target = new URL(process.argv[2] ?? '');
const token = process.env.TOKEN;
if (!token) {
  console.error('TOKEN is not set');
  process.exit(2);
}

const server = http.createServer((incoming, outgoing) => {
  const headers = { ...incoming.headers, authorization: `Bearer ${token}` };
  const forwarded = http.request(
    { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers },
    (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.rawHeaders);
      outgoing.flushHeaders();
      response.pipe(outgoing);
    },
  );
  forwarded.on('error', (error) => {
    if (!outgoing.headersSent) {
      outgoing.writeHead(502, { 'content-type': 'text/plain' });
    }
    outgoing.end(`proxy: ${error.message}`);
  });
  outgoing.on("close", () => forwarded.destroy());
  incoming.pipe(forwarded);
});

server.listen(0, '127.0.0.1', () => console.log(`listening http://127.0.0.1:${server.address().port}`));
