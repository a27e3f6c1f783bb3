// auth.mjs — who may call the API, and as which database role.
//
// Two kinds of credential, either or both configured:
//   API key  BOOKING_API_KEY: the x-api-key header (AppSync's API key), apiKey.mjs;
//            served as the server's own role, booking_graphql (roles.sql)
//   JWT      BOOKING_JWT_SECRET (HS256) and/or BOOKING_JWT_PUBLIC_KEY (RS256):
//            Authorization: Bearer <jwt> (jwt.mjs); served as the role the token's
//            `role` claim names (SET LOCAL ROLE, through pgSettings), booking_graphql
//            when it has none; its claims as the settings jwt.claims.<name>
//
// The rules, for HTTP requests to /graphql and for websocket subscriptions alike:
//   1. nothing configured: everyone is served, as booking_graphql (Authorization
//      and x-api-key are ignored), as before JWTs existed
//   2. every credential presented for a configured kind must be valid: a wrong
//      x-api-key, or an Authorization that is not a token that verifies (bad
//      signature, expired, not yet valid, wrong aud/iss, no exp, a role claim that
//      is not a string), is refused (401) even when the other credential is good;
//      a credential of a kind that is not configured is ignored
//   3. at least one valid credential is needed (401 otherwise): either kind
//      authenticates by itself
//   4. the role: a valid JWT's role claim, else booking_graphql. A role the
//      server's login role is not a member of (so SET ROLE would fail), or that
//      does not exist, is refused before anything runs: HTTP 403, or a
//      subscription error, errorType AccessDeniedException
//
// Websockets: the credentials come from connection_init's payload
// ({"x-api-key": …, "Authorization": "Bearer …"}, names case-insensitive) or the
// upgrade request's headers; a wrong x-api-key or a bad Authorization header on
// the upgrade request refuses the upgrade (401). A subscription's token is
// checked when it subscribes; the subscription then runs as that role until it
// ends (a token that expires later does not end it).
import { GraphQLError } from "postgraphile/graphql";
import { withPgClientFromPgService } from "postgraphile/@dataplan/pg";
import { keyMatches, headerValue, UNAUTHORIZED } from "./apiKey.mjs";
import { makeJwtVerifier, bearerToken, pgSettingsFromClaims } from "./jwt.mjs";

export const ACCESS_DENIED_TYPE = "AccessDeniedException";
const accessDenied = (role) => ({
  errors: [{ errorType: ACCESS_DENIED_TYPE, message: `The token's role ${JSON.stringify(role)} is not one this API can assume.` }],
});

// makeAuth({apiKey, jwt}) → the server's auth, shared by the preset (HTTP,
// subscriptions, the grafast context) and server.mjs (websocket upgrades)
export function makeAuth({ apiKey = null, jwt = null } = {}) {
  const verifier = jwt ? makeJwtVerifier(jwt) : null;
  return {
    apiKey,
    verifier,
    configured: Boolean(apiKey || verifier),
    ready: verifier ? verifier.ready : Promise.resolve(),
    // what the request was granted, by request object (node's IncomingMessage,
    // for websockets the upgrade request): set when it is let through, read by
    // the grafast context to set pgSettings
    granted: new WeakMap(),
    // role → {member, at}: whether the login role may SET ROLE to it (a few
    // seconds' cache; SET ROLE in the transaction is what really decides)
    roleCache: new Map(),
  };
}

// authenticate(auth, {keys, authorization}) → {ok: true, pgSettings} | {ok: false}
// keys: the x-api-key values presented (undefined: absent); authorization: the
// Authorization value (undefined: absent)
export async function authenticate(auth, { keys = [], authorization }) {
  if (!auth.configured) return { ok: true, pgSettings: null };
  let keyOk = false;
  if (auth.apiKey) {
    const presented = keys.filter((k) => k !== undefined && k !== null);
    keyOk = presented.some((k) => keyMatches(auth.apiKey, k));
    if (presented.length > 0 && !keyOk) return { ok: false };
  }
  let claims = null;
  if (auth.verifier && authorization !== undefined && authorization !== null) {
    const token = bearerToken(authorization);
    if (!token) return { ok: false };
    try {
      claims = await auth.verifier.verify(token);
    } catch {
      return { ok: false };
    }
    if (claims.role !== undefined && (typeof claims.role !== "string" || claims.role === "")) return { ok: false };
  }
  if (!keyOk && !claims) return { ok: false };
  return { ok: true, pgSettings: claims ? pgSettingsFromClaims(claims) : null };
}

const ROLE_CACHE_MS = 5000;

// may the server's login role SET ROLE to `role`? (PostgreSQL 15: membership,
// direct or through other roles, whatever INHERIT says)
async function roleAssumable(auth, pgService, role) {
  const cached = auth.roleCache.get(role);
  if (cached && Date.now() - cached.at < ROLE_CACHE_MS) return cached.member;
  const member = await withPgClientFromPgService(pgService, null, async (client) => {
    const { rows } = await client.query({
      text: `select exists (select from pg_catalog.pg_roles r
                             where r.rolname = $1 and pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER')) as member`,
      values: [role],
    });
    return rows[0]?.member === true;
  });
  if (auth.roleCache.size > 1000) auth.roleCache.clear();
  auth.roleCache.set(role, { member, at: Date.now() });
  return member;
}

// the whole decision: {status: 200, pgSettings} | {status: 401 | 403, body}
async function decide(auth, pgService, credentials) {
  const result = await authenticate(auth, credentials);
  if (!result.ok) return { status: 401, body: UNAUTHORIZED };
  const role = result.pgSettings?.role;
  if (role !== undefined && !(await roleAssumable(auth, pgService, role))) {
    return { status: 403, body: accessDenied(role) };
  }
  return { status: 200, pgSettings: result.pgSettings };
}

const paramValue = (params, name) =>
  Object.entries(params ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];

export function makeAuthPlugin(auth) {
  return {
    name: "BookingAuthPlugin",
    version: "1.0.0",
    grafserv: {
      middleware: {
        async processRequest(next, event) {
          const { requestDigest, resolvedPreset } = event;
          const graphqlPath = resolvedPreset.grafserv?.graphqlPath ?? "/graphql";
          if (!auth.configured || requestDigest.path !== graphqlPath) return next();
          const headers = requestDigest.headers;
          const decision = await decide(auth, resolvedPreset.pgServices[0], {
            keys: [headerValue(headers["x-api-key"])],
            authorization: headerValue(headers.authorization),
          });
          if (decision.status !== 200) {
            return {
              type: "json",
              statusCode: decision.status,
              headers: { "content-type": "application/json; charset=utf-8" },
              json: decision.body,
            };
          }
          const req = requestDigest.requestContext?.node?.req;
          if (req) auth.granted.set(req, decision.pgSettings);
          return next();
        },
        async onSubscribe(next, event) {
          if (!auth.configured) return next();
          const { ctx, resolvedPreset } = event;
          const params = ctx.connectionParams ?? {};
          const headers = ctx.extra?.request?.headers ?? {};
          const authorization = paramValue(params, "authorization") ?? headerValue(headers.authorization);
          const decision = await decide(auth, resolvedPreset.pgServices[0], {
            keys: [paramValue(params, "x-api-key"), headerValue(headers["x-api-key"])],
            authorization,
          });
          if (decision.status !== 200) {
            const [{ errorType, message }] = decision.body.errors;
            return [new GraphQLError(message, { extensions: { errorType } })];
          }
          if (ctx.extra?.request) auth.granted.set(ctx.extra.request, decision.pgSettings);
          return next();
        },
      },
    },
  };
}

// preset.grafast.context: the pgSettings (role, jwt.claims.*) the request was
// granted by the middleware above
export function makeAuthContext(auth) {
  return (requestContext) => {
    const req = requestContext?.node?.req ?? requestContext?.ws?.request;
    const pgSettings = req ? auth.granted.get(req) : null;
    return pgSettings ? { pgSettings } : {};
  };
}

// The upgrade request of a websocket: a wrong x-api-key header, or an
// Authorization header that does not verify, is refused before the websocket
// opens. (Neither header: the credentials may come in connection_init.)
export async function upgradeRefused(auth, req) {
  if (!auth.configured) return false;
  const key = headerValue(req.headers["x-api-key"]);
  if (auth.apiKey && key !== undefined && !keyMatches(auth.apiKey, key)) return true;
  const authorization = headerValue(req.headers.authorization);
  if (auth.verifier && authorization !== undefined) {
    const token = bearerToken(authorization);
    if (!token) return true;
    try {
      await auth.verifier.verify(token);
    } catch {
      return true;
    }
  }
  return false;
}
