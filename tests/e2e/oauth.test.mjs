// OAuth 2.1: appsignals-mcp as the resource server of a real authorization server (oidc-provider
// on loopback, lib/oidc_as.mjs). The official TypeScript SDK client completes the whole flow
// from our 401 (protected resource metadata, AS discovery, dynamic registration, authorization
// with PKCE, token with `resource`) and calls tools; tokens of another audience, expired, signed
// by an unknown key or unsigned, and a read-only token calling a writing tool, are refused with
// the right status and WWW-Authenticate; a rotated AS key is accepted without a restart.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { importJWK, SignJWT } from 'jose';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { startServer } from './lib/server.mjs';
import { browse, makeJwk, startAuthorizationServer } from './lib/oidc_as.mjs';
import { initializeRequest, makeKey } from './lib/harness.mjs';

const KEY = makeKey('oauth');
let as;
let server;
let mcpUrl;

before(async () => {
  as = await startAuthorizationServer();
  server = await startServer('appsignals-mcp', ['serve', '--host', '127.0.0.1', '--port', '0'], {
    env: {
      AWS_REGION: 'us-east-1',
      MCP_API_KEY: KEY,
      MCP_API_KEY_FILE: undefined,
      MCP_OAUTH_ISSUER: as.issuer,
      // Every unknown kid may refresh the JWKS (the default waits 10 s between refreshes).
      MCP_OAUTH_JWKS_MIN_REFRESH_SECONDS: '0',
    },
  });
  mcpUrl = `${server.url}/mcp`;
});

after(async () => {
  const code = await server?.stop();
  await as?.stop();
  assert.equal(code, 0, 'the server exits 0 on SIGTERM');
  assert.ok(!server.output().includes(KEY), 'no key in the log');
});

// An OAuthClientProvider whose "browser" is browse(): the redirect to the AS is followed at once
// and the code kept for finishAuth.
class HeadlessProvider {
  constructor() {
    this.redirectUrl = 'http://127.0.0.1:1/callback';
    this.clientMetadata = {
      client_name: 'e2e',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
    this.code = undefined;
    this.authorizationUrl = undefined;
  }
  clientInformation() { return this.client; }
  saveClientInformation(info) { this.client = info; }
  tokens() { return this.saved; }
  saveTokens(tokens) { this.saved = tokens; }
  saveCodeVerifier(v) { this.verifier = v; }
  codeVerifier() { return this.verifier; }
  async redirectToAuthorization(url) {
    this.authorizationUrl = url;
    const back = await browse(url.href, this.redirectUrl);
    this.code = back.searchParams.get('code');
  }
}

async function signIn() {
  const provider = new HeadlessProvider();
  const first = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  const c1 = new Client({ name: 'e2e-oauth', version: '1.0.0' });
  await assert.rejects(c1.connect(first), UnauthorizedError, 'the first connect needs a sign-in');
  assert.ok(provider.code, 'the authorization step returned a code');
  await first.finishAuth(provider.code);
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  const client = new Client({ name: 'e2e-oauth', version: '1.0.0' });
  await client.connect(transport);
  return { client, provider };
}

async function mint(claims, { key, alg = 'ES256', header = {} } = {}) {
  const jwk = key ?? as.keys()[0];
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: 'appsignals:read appsignals:write', ...claims })
    .setProtectedHeader({ alg, kid: jwk.kid, typ: 'at+jwt', ...header })
    .setIssuer(as.issuer)
    .setSubject('mallory')
    .setAudience(claims.aud ?? mcpUrl)
    .setIssuedAt(claims.iat ?? now)
    .setExpirationTime(claims.exp ?? now + 300)
    .sign(await importJWK(jwk, alg));
}

function post(token, body = initializeRequest()) {
  return fetch(mcpUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
}

const metadataUrl = () => `${server.url}/.well-known/oauth-protected-resource/mcp`;

describe('OAuth 2.1 resource server', () => {
  test('401 names the protected resource metadata, which names the issuer', async () => {
    const res = await post(undefined);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), `Bearer resource_metadata="${metadataUrl()}"`);
    const prm = await (await fetch(metadataUrl())).json();
    assert.equal(prm.resource, mcpUrl);
    assert.deepEqual(prm.authorization_servers, [as.issuer]);
    assert.deepEqual(prm.scopes_supported, ['appsignals:read', 'appsignals:write']);
    assert.deepEqual(prm.bearer_methods_supported, ['header']);
    const root = await (await fetch(`${server.url}/.well-known/oauth-protected-resource`)).json();
    assert.equal(root.resource, mcpUrl);
  });

  test('the SDK client signs in through the AS (registration, PKCE, resource) and calls tools', async () => {
    const { client, provider } = await signIn();
    assert.equal(provider.authorizationUrl.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(provider.authorizationUrl.searchParams.get('resource'), mcpUrl);
    assert.ok(provider.client.client_id, 'dynamically registered');
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    assert.ok(names.includes('list_monitored_services'));
    assert.ok(names.includes('create_instrumentation'), 'the write scope shows the writing tools');
    const result = await client.callTool({ name: 'list_monitored_services', arguments: {} });
    assert.ok(Array.isArray(result.content));
    await client.close();
    assert.ok(!server.output().includes(provider.tokens().access_token), 'no token in the log');
  });

  test('a read-only token sees only read tools; a writing tool is 403 insufficient_scope', async () => {
    as.grant.scopes = 'appsignals:read';
    try {
      const { client, provider } = await signIn();
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      assert.ok(names.includes('list_monitored_services'));
      assert.ok(!names.includes('create_instrumentation'), 'writing tools are hidden');
      await client.close();
      const token = provider.tokens().access_token;
      const init = await post(token);
      assert.equal(init.status, 200);
      const session = init.headers.get('mcp-session-id');
      const res = await fetch(mcpUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          Authorization: `Bearer ${token}`,
          'Mcp-Session-Id': session,
          'MCP-Protocol-Version': '2025-11-25',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call',
                               params: { name: 'delete_instrumentation', arguments: {} } }),
      });
      assert.equal(res.status, 403);
      assert.equal(res.headers.get('www-authenticate'),
                   `Bearer error="insufficient_scope", scope="appsignals:read appsignals:write", resource_metadata="${metadataUrl()}"`);
    } finally {
      as.grant.scopes = 'appsignals:read appsignals:write';
    }
  });

  test('refusals: other audience, expired, unknown key, alg none', async () => {
    const invalid = `Bearer resource_metadata="${metadataUrl()}", error="invalid_token"`;
    const good = await mint({});
    assert.equal((await post(good)).status, 200, 'a token minted with the AS key is accepted');
    const cases = {
      'other audience': await mint({ aud: 'http://127.0.0.1:1/mcp' }),
      expired: await mint({ exp: Math.floor(Date.now() / 1000) - 600, iat: Math.floor(Date.now() / 1000) - 1200 }),
      'unknown key': await mint({}, { key: makeJwk('ES256') }),
      'alg none': [
        Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url'),
        Buffer.from(JSON.stringify({ iss: as.issuer, sub: 'x', aud: mcpUrl, exp: 4e9 })).toString('base64url'),
        '',
      ].join('.'),
    };
    for (const [what, token] of Object.entries(cases)) {
      const res = await post(token);
      assert.equal(res.status, 401, what);
      assert.equal(res.headers.get('www-authenticate'), invalid, what);
    }
  });

  test('2026-07-28 tools/list is private and shows only what the scopes allow', async () => {
    const token = await mint({ scope: 'appsignals:read' });
    const res = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: `Bearer ${token}`,
        'MCP-Protocol-Version': '2026-07-28',
        'Mcp-Method': 'tools/list',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': {} } } }),
    });
    assert.equal(res.status, 200);
    const { result } = await res.json();
    assert.equal(result.cacheScope, 'private');
    const names = result.tools.map((t) => t.name);
    assert.ok(names.includes('list_monitored_services'));
    assert.ok(!names.includes('create_instrumentation'));
  });

  test('the API key still works beside OAuth', async () => {
    const res = await post(KEY);
    assert.equal(res.status, 200);
  });

  test('JWKS rotation: tokens signed with the new key are accepted without a restart', async () => {
    as.rotate('EdDSA');
    const { client } = await signIn();
    const { tools } = await client.listTools();
    assert.ok(tools.length > 0);
    await client.close();
  });
});
