// A real, certified OpenID provider (panva/node-oidc-provider) for the SSO tests.
//
// Listens on 127.0.0.1 only, on a free port, and prints "READY <issuer>" when it
// is up. Everything is in memory. Test-only parts, none of them in a real provider:
//   POST /interaction/<uid>/login   form field "login" = a subject: signs that user in
//                                    (users with disabled=true are refused: access_denied)
//   POST /_test/accounts            JSON claims with "sub": add or replace a user
//   clients "platform-wrong-aud", "platform-wrong-iss", "platform-wrong-nonce": their ID
//     tokens are re-signed (with the provider's real key) with that claim changed;
//   client "platform-expired-code": its authorization codes are expired when redeemed.
//
// Environment: RP_BASE (default http://localhost), the platform's origin as the Flask
// test client sees it; SECRET (default "test-secret-0123456789"), every client's secret.

import crypto from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const RP_BASE = process.env.RP_BASE || 'http://localhost';
const SECRET = process.env.SECRET || 'test-secret-0123456789';
const PROVIDER_NAMES = ['politiet', 'phs', 'feil'];

const accounts = new Map();
function addAccount(claims) { accounts.set(claims.sub, { ...claims }); }
addAccount({
  sub: 'kari-0001', name: 'Kari Nordmann', email: 'kari.nordmann@politiet.example',
  email_verified: true, groups: ['grp-ost'],
});
addAccount({
  sub: 'disabled', name: 'Deaktivert Bruker', email: 'deaktivert@politiet.example',
  email_verified: true, groups: ['grp-ost'], disabled: true,
});

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const TAMPER = {
  // azp still names the client: only the aud check can catch this one
  'platform-wrong-aud': (payload) => { payload.aud = 'another-client'; payload.azp = 'platform-wrong-aud'; },
  'platform-wrong-iss': (payload) => { payload.iss = 'http://127.0.0.1:9/not-the-issuer'; },
  'platform-wrong-nonce': (payload) => { payload.nonce = 'not-the-nonce'; },
};

function client(clientId) {
  return {
    client_id: clientId,
    client_secret: SECRET,
    redirect_uris: PROVIDER_NAMES.map((name) => `${RP_BASE}/sso/${name}/callback`),
    post_logout_redirect_uris: [`${RP_BASE}/sso/logged-out`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  };
}

const server = http.createServer();
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: ['platform', 'platform-expired-code', ...Object.keys(TAMPER)].map(client),
  jwks: { keys: [signingKey] },
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'groups'],
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  cookies: { keys: ['test-cookie-key'] },
  async findAccount(ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        const { disabled, ...claims } = account;
        return claims;
      },
    };
  },
  // First-party clients: consent is implied, so there is no consent prompt.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>error</title><pre>${JSON.stringify(out)}</pre>`;
  },
});

// Test-only: re-sign the ID tokens of the tampering clients with one claim changed.
const issueIdToken = provider.IdToken.prototype.issue;
provider.IdToken.prototype.issue = async function issue(options) {
  const token = await issueIdToken.call(this, options);
  const tamper = TAMPER[this.client?.clientId];
  if (!tamper || options?.use !== 'idtoken') return token;
  const [header, body] = token.split('.');
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
  tamper(payload);
  const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
};

// Test-only: the codes of "platform-expired-code" are past their lifetime when redeemed.
const findCode = provider.AuthorizationCode.find;
provider.AuthorizationCode.find = async function find(...args) {
  const code = await findCode.apply(this, args);
  if (code && code.clientId === 'platform-expired-code') code.exp = Math.floor(Date.now() / 1000) - 60;
  return code;
};

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

const oidc = provider.callback();
server.on('request', async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    const login = url.pathname.match(/^\/interaction\/([^/]+)\/login$/);
    const page = url.pathname.match(/^\/interaction\/([^/]+)$/);
    if (req.method === 'POST' && url.pathname === '/_test/accounts') {
      addAccount(JSON.parse(await readBody(req)));
      res.writeHead(204).end();
    } else if (req.method === 'GET' && page) {
      const details = await provider.interactionDetails(req, res);
      res.writeHead(200, { 'content-type': 'text/html' }).end(
        `<!doctype html><title>Logg inn</title><form method="post" action="/interaction/${details.uid}/login">`
        + '<label>Bruker <input name="login"></label><button>Logg inn</button></form>',
      );
    } else if (req.method === 'POST' && login) {
      await provider.interactionDetails(req, res);
      const sub = new URLSearchParams(await readBody(req)).get('login');
      const account = accounts.get(sub);
      let result;
      if (!account) {
        result = { error: 'login_required', error_description: 'unknown user' };
      } else if (account.disabled) {
        result = { error: 'access_denied', error_description: 'The account is disabled' };
      } else {
        result = { login: { accountId: sub } };
      }
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    } else {
      oidc(req, res);
    }
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
  }
});

process.stdout.write(`READY ${issuer}\n`);
