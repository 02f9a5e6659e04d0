// AWS profiles per principal from an OAuth claim (issue #18): oidc-provider puts a `groups`
// claim into its access tokens; MCP_AWS_PROFILE_MAP maps group team-a to profile acct-a and
// team-b to acct-b, each profile pointing at its own fake AWS account (two `appsignals-mcp
// fakeaws` processes, endpoint_url per profile in a temporary AWS config file). The official SDK
// client signs in through the AS and can reach only its group's account; a token of the other
// group reaches only the other one. Which account answered is read from each fake's request log.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { importJWK, SignJWT } from 'jose';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { binDir, startServer } from './lib/server.mjs';
import { browse, startAuthorizationServer } from './lib/oidc_as.mjs';
import { makeTempDir, removeDir } from './lib/harness.mjs';

let as;
let server;
let mcpUrl;
let dir;
const fakes = {};

// `appsignals-mcp fakeaws`: resolves with { port, keyId, secret, requests(), stop() }.
function startFake() {
  const proc = spawn(path.join(binDir, 'appsignals-mcp'), ['fakeaws', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`fakeaws exited with ${code}: ${out}`)));
    proc.stdout.on('data', (chunk) => {
      out += chunk.toString();
      const port = out.match(/export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:(\d+)/);
      const keyId = out.match(/export AWS_ACCESS_KEY_ID=(\S+)/);
      const secret = out.match(/export AWS_SECRET_ACCESS_KEY=(\S+)/);
      if (!port || !keyId || !secret) return;
      proc.removeAllListeners('exit');
      const url = `http://127.0.0.1:${port[1]}`;
      resolve({
        url,
        keyId: keyId[1],
        secret: secret[1],
        requests: async () => (await (await fetch(`${url}/__requests`)).json()).requests.length,
        stop: () => new Promise((res) => {
          if (proc.exitCode !== null) return res();
          proc.once('exit', () => res());
          proc.kill('SIGTERM');
        }),
      });
    });
  });
}

before(async () => {
  as = await startAuthorizationServer();
  fakes.a = await startFake();
  fakes.b = await startFake();
  dir = await makeTempDir('profiles');
  const config = path.join(dir, 'config');
  let text = '';
  for (const [name, fake] of [['acct-a', fakes.a], ['acct-b', fakes.b]])
    text += `[profile ${name}]\nregion = us-east-1\naws_access_key_id = ${fake.keyId}\n` +
            `aws_secret_access_key = ${fake.secret}\nendpoint_url = ${fake.url}\n\n`;
  await writeFile(config, text);
  server = await startServer('appsignals-mcp', ['serve', '--host', '127.0.0.1', '--port', '0'], {
    env: {
      AWS_REGION: 'us-east-1',
      AWS_CONFIG_FILE: config,
      AWS_ENDPOINT_URL: '',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: '',
      MCP_API_KEY: undefined,
      MCP_API_KEY_FILE: undefined,
      MCP_OAUTH_ISSUER: as.issuer,
      MCP_AWS_PROFILES: 'acct-a,acct-b',
      MCP_AWS_PROFILE_MAP: 'groups=team-a -> acct-a; groups=team-b -> acct-b',
    },
  });
  mcpUrl = `${server.url}/mcp`;
});

after(async () => {
  const code = await server?.stop();
  await as?.stop();
  await fakes.a?.stop();
  await fakes.b?.stop();
  await removeDir(dir);
  assert.equal(code, 0, 'the server exits 0 on SIGTERM');
  for (const fake of [fakes.a, fakes.b]) assert.ok(!server.output().includes(fake.secret), 'no AWS secret in the log');
});

class HeadlessProvider {
  constructor() {
    this.redirectUrl = 'http://127.0.0.1:1/callback';
    this.clientMetadata = {
      client_name: 'e2e-profiles',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() { return this.client; }
  saveClientInformation(info) { this.client = info; }
  tokens() { return this.saved; }
  saveTokens(tokens) { this.saved = tokens; }
  saveCodeVerifier(v) { this.verifier = v; }
  codeVerifier() { return this.verifier; }
  async redirectToAuthorization(url) {
    this.code = (await browse(url.href, this.redirectUrl)).searchParams.get('code');
  }
}

async function signIn() {
  const provider = new HeadlessProvider();
  const first = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  await assert.rejects(new Client({ name: 'e2e', version: '1.0.0' }).connect(first), UnauthorizedError);
  await first.finishAuth(provider.code);
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider }));
  return client;
}

async function withToken(groups) {
  const jwk = as.keys()[0];
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ scope: 'appsignals:read', groups })
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: 'at+jwt' })
    .setIssuer(as.issuer)
    .setSubject(`member-of-${groups.join('-')}`)
    .setAudience(mcpUrl)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(await importJWK(jwk, 'ES256'));
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  }));
  return client;
}

const text = (result) => result.content.map((c) => c.text ?? '').join('\n');

describe('AWS profiles mapped from an OAuth group claim', () => {
  test('a user of group team-a, signed in through the AS, reaches only acct-a', async () => {
    as.grant.groups = ['team-a'];
    try {
      const client = await signIn();
      const { tools } = await client.listTools();
      const list = tools.find((t) => t.name === 'list_monitored_services');
      assert.deepEqual(list.inputSchema.properties.profile.enum, ['acct-a'], 'tools/list shows only its profiles');
      const a0 = await fakes.a.requests();
      const b0 = await fakes.b.requests();
      const ok = await client.callTool({ name: 'list_monitored_services', arguments: {} });
      assert.ok(!ok.isError, text(ok));
      assert.ok((await fakes.a.requests()) > a0, 'the default profile of team-a is acct-a');
      const refused = await client.callTool({ name: 'list_monitored_services', arguments: { profile: 'acct-b' } });
      assert.equal(refused.isError, true);
      assert.match(text(refused), /must be one of: acct-a \(got 'acct-b'\)/);
      assert.equal(await fakes.b.requests(), b0, 'acct-b was never reached');
      await client.close();
    } finally {
      as.grant.groups = undefined;
    }
  });

  test('a token of group team-b reaches only acct-b; a token of no mapped group reaches none', async () => {
    const b = await withToken(['team-b']);
    const a0 = await fakes.a.requests();
    const b0 = await fakes.b.requests();
    const ok = await b.callTool({ name: 'list_monitored_services', arguments: { profile: 'ACCT-B' } });
    assert.ok(!ok.isError, text(ok));
    assert.ok((await fakes.b.requests()) > b0);
    const refused = await b.callTool({ name: 'list_monitored_services', arguments: { profile: 'acct-a' } });
    assert.equal(refused.isError, true);
    assert.match(text(refused), /must be one of: acct-b \(got 'acct-a'\)/);
    assert.equal(await fakes.a.requests(), a0);
    const { tools } = await b.listTools();
    assert.deepEqual(tools.find((t) => t.name === 'get_slo').inputSchema.properties.profile.enum, ['acct-b']);
    await b.close();

    const none = await withToken(['other']);
    const listed = await none.listTools();
    assert.ok(listed.tools.every((t) => !('profile' in (t.inputSchema.properties ?? {}))), 'no profile argument');
    const r = await none.callTool({ name: 'list_monitored_services', arguments: {} });
    assert.equal(r.isError, true);
    assert.match(text(r), /no AWS profile is allowed for you/);
    assert.equal(await fakes.a.requests(), a0);
    await none.close();
  });
});
