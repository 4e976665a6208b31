// The official MCP TypeScript SDK as a baseline for TotService's tools/call: stateless Streamable HTTP as the SDK's
// own example serves it (a server and a transport per request, no session), whoami with the same shape as
// TotService's, no authentication. Usage: node server.mjs <port>. GET /health answers "Healthy" for the runner.
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import * as z from 'zod/v4';

const port = Number.parseInt(process.argv[2] ?? '', 10);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.mjs <port>');
  process.exit(1);
}

function buildServer() {
  const server = new McpServer({ name: 'bench-typescript-baseline', version: '1.0.0' });
  server.registerTool('whoami', {
    title: 'Who am I',
    description: 'Returns the caller as the server sees it: token subject, client id and granted scopes.',
    outputSchema: {
      subject: z.string().describe('Token subject (sub).'),
      clientId: z.string().nullable().describe('OAuth client id (client_id), when present.'),
      scopes: z.array(z.string()).describe('Scopes granted by the token.'),
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  }, async () => {
    const caller = { subject: 'anonymous', clientId: null, scopes: [] };
    return { content: [{ type: 'text', text: JSON.stringify(caller) }], structuredContent: caller };
  });
  return server;
}

async function readJson(request) {
  const chunks = [];
  for await (const chunk of request) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

createServer(async (request, response) => {
  if (request.method === 'GET' && request.url === '/health') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('Healthy');
    return;
  }
  if (request.method !== 'POST' || request.url !== '/mcp') {
    response.writeHead(405).end();
    return;
  }
  const server = buildServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  response.on('close', () => {
    transport.close();
    server.close();
  });
  try {
    const body = await readJson(request);
    await server.connect(transport);
    await transport.handleRequest(request, response, body);
  } catch {
    if (!response.headersSent) {
      response.writeHead(400, { 'content-type': 'application/json' })
        .end('{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}');
    }
  }
}).listen(port, '127.0.0.1');
