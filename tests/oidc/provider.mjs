// A real OpenID provider (npm oidc-provider) on loopback for Stegvis's sign-in tests.
// Usage: node provider.mjs PORT CONFIG.json
// CONFIG: { "clients": [{ "client_id", "client_secret", "redirect_uris", "post_logout_redirect_uris",
//           "tamper": null | "aud" | "iss" | "nonce" }],
//           "accounts": [{ "sub", "email", "groups", "personal_identity_number" }] }
// The interaction needs no human: the account is the one named by `login_hint` (or the first),
// and consent is granted at once. A client with `tamper` gets its ID token re-signed with the
// provider's own key and that claim changed, so only the relying party's checks can catch it.
import Provider from 'oidc-provider';
import * as jose from 'jose';
import fs from 'node:fs';

const port = Number(process.argv[2]);
const config = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const accounts = new Map(config.accounts.map((a) => [a.sub, a]));
const tamper = new Map(config.clients.map((c) => [c.client_id, c.tamper ?? null]));

const provider = new Provider(issuer, {
  clients: config.clients.map(({ tamper: _t, ...c }) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...c,
  })),
  jwks: { keys: [jwk] },
  cookies: { keys: ['stegvis-test-cookie-key'] },
  pkce: { required: () => true },
  // The claims go into the ID token, where Stegvis reads them.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
    pin: ['personal_identity_number'],
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const a = accounts.get(sub);
    if (!a) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: a.email,
          email_verified: true,
          name: a.name ?? a.email,
          groups: a.groups ?? [],
          personal_identity_number: a.personal_identity_number,
        };
      },
    };
  },
});
provider.proxy = false;

provider.use(async (ctx, next) => {
  const m = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (m && ctx.method === 'GET') {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const { prompt, params } = details;
    if (prompt.name === 'login') {
      const sub = accounts.has(params.login_hint) ? params.login_hint : config.accounts[0].sub;
      await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
      return;
    }
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    grant.addOIDCScope(String(params.scope));
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups', 'personal_identity_number']);
    const grantId = await grant.save();
    await provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  await next();
  if (ctx.path === '/token' && ctx.body && ctx.body.id_token) {
    const clientId = ctx.oidc?.client?.clientId;
    const mode = tamper.get(clientId);
    if (mode) {
      const claims = jose.decodeJwt(ctx.body.id_token);
      if (mode === 'aud') claims.aud = 'someone-else';
      if (mode === 'iss') claims.iss = 'http://127.0.0.1:1/not-the-issuer';
      if (mode === 'nonce') claims.nonce = 'not-the-nonce';
      ctx.body = {
        ...ctx.body,
        id_token: await new jose.SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
          .sign(privateKey),
      };
    }
  }
});

provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${issuer}\n`);
});
