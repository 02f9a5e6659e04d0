// A real OAuth 2.1 authorization server for the tests: the npm package oidc-provider on
// loopback, with dynamic client registration, PKCE, resource indicators (RFC 8707: JWT access
// tokens whose `aud` is the requested resource) and a headless interaction: the test's "browser"
// (browse()) follows the redirects with cookies, and /interaction/:uid signs in `grant.account`
// and consents to `grant.scopes` without a form. rotate() replaces the signing key (the old key
// stays published second) without restarting the listener. `grant.groups`, when set, goes into
// every access token as a `groups` claim (what MCP_AWS_PROFILE_MAP rules match).
import http from 'node:http';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

export function makeJwk(alg = 'ES256') {
  const { privateKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : alg === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg, use: 'sig' };
}

export async function startAuthorizationServer({ scopes = ['appsignals:read', 'appsignals:write'] } = {}) {
  const grant = { account: 'alice', scopes: scopes.join(' ') };
  let keys = [makeJwk('ES256')];
  let provider;
  const server = http.createServer((req, res) => handle(req, res));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;

  function build() {
    provider = new Provider(issuer, {
      jwks: { keys },
      // ID tokens with the first ES256 key (the default RS256 would need an RSA key).
      clientDefaults: { id_token_signed_response_alg: 'ES256', grant_types: ['authorization_code'],
                        response_types: ['code'], token_endpoint_auth_method: 'none' },
      features: {
        devInteractions: { enabled: false },
        registration: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: (ctx, client, oneOf) => oneOf ?? undefined,
          useGrantedResource: () => true,
          getResourceServerInfo: (ctx, resourceIndicator) => ({
            // What this user may get: requested scopes outside it are left out of the token.
            scope: grant.scopes,
            audience: resourceIndicator,
            accessTokenTTL: 600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: keys[0].alg } },
          }),
        },
      },
      scopes: ['openid', 'offline_access', ...scopes],
      pkce: { required: () => true },
      findAccount: (ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
      extraTokenClaims: async () => (grant.groups ? { groups: grant.groups } : undefined),
      interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
      clientBasedCORS: () => true,
    });
    provider.on('server_error', (ctx, err) => console.error('oidc-provider:', err));
  }
  build();

  async function handle(req, res) {
    const m = req.url.match(/^\/interaction\/([^/?]+)/);
    if (!m) return provider.callback()(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      const clientId = details.params.client_id;
      const g = new provider.Grant({ accountId: grant.account, clientId });
      const missing = details.prompt.details;
      if (missing.missingOIDCScope) g.addOIDCScope(missing.missingOIDCScope.join(' '));
      for (const [resource, s] of Object.entries(missing.missingResourceScopes ?? {}))
        g.addResourceScope(resource, s.join(' '));
      const grantId = await g.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: grant.account }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
  }

  return {
    issuer,
    grant,
    // The current public JWKS keys' private halves (for minting refusal tokens).
    keys: () => keys,
    // A new signing key first, the old one still published: tokens from now on use the new kid.
    rotate(alg = 'ES256') {
      keys = [makeJwk(alg), ...keys];
      build();
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

// The user's browser, headless: follows redirects with a cookie jar until one goes to
// `redirectPrefix`; returns that URL (the client's callback with ?code=...).
export async function browse(url, redirectPrefix) {
  const jar = new Map();
  let next = url;
  for (let i = 0; i < 20; i++) {
    if (next.startsWith(redirectPrefix)) return new URL(next);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(next, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
    const location = res.headers.get("location");
    if (!location) throw new Error(`authorization stopped at ${next}: HTTP ${res.status} ${await res.text()}`);
    next = new URL(location, next).href;
  }
  throw new Error('too many redirects during authorization');
}
