// jwt.mjs — verifying a request's JSON Web Token (jose), and what of it reaches
// PostgreSQL.
//
//   BOOKING_JWT_SECRET       HS256 tokens, signed with this shared secret
//   BOOKING_JWT_PUBLIC_KEY   RS256 tokens, verified with this public key (PEM, SPKI:
//                            "-----BEGIN PUBLIC KEY-----…"; "\n" escapes allowed)
//   BOOKING_JWT_AUDIENCE     when set, the token's aud must name it (a comma list:
//                            one of them)
//   BOOKING_JWT_ISSUER       when set, the token's iss must be it (a comma list: one of them)
//
// A token verifies when its signature does (with the key of its alg: HS256 with
// the secret, RS256 with the public key; no other alg, never "none"), it has an
// exp that has not passed, its nbf (if any) has, and aud/iss match when asked for.
// Its claims become pgSettings (PostGraphile's convention): `role` → the
// transaction's role (SET LOCAL ROLE), every claim → `jwt.claims.<name>`.
import { jwtVerify, importSPKI } from "jose";

export function jwtSettingsFromEnv(env = process.env) {
  const list = (v) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : []);
  const secret = env.BOOKING_JWT_SECRET || null;
  const publicKey = env.BOOKING_JWT_PUBLIC_KEY ? env.BOOKING_JWT_PUBLIC_KEY.replace(/\\n/g, "\n") : null;
  if (!secret && !publicKey) return null;
  const audience = list(env.BOOKING_JWT_AUDIENCE);
  const issuer = list(env.BOOKING_JWT_ISSUER);
  return {
    secret,
    publicKey,
    audience: audience.length ? audience : null,
    issuer: issuer.length ? issuer : null,
  };
}

// makeJwtVerifier(settings) → {algorithms, ready, verify(token) → claims}; verify
// rejects (a jose error) whatever is wrong with the token. `ready` settles when the
// keys are imported (a bad public key rejects it: the server does not start).
export function makeJwtVerifier({ secret = null, publicKey = null, audience = null, issuer = null }) {
  const keys = {};
  if (secret) keys.HS256 = new TextEncoder().encode(secret);
  const ready = (async () => {
    if (publicKey) keys.RS256 = await importSPKI(publicKey, "RS256");
  })();
  ready.catch(() => {}); // handled by whoever awaits it (server.mjs, verify)
  const algorithms = [...(secret ? ["HS256"] : []), ...(publicKey ? ["RS256"] : [])];
  if (algorithms.length === 0) throw new Error("makeJwtVerifier: neither a secret nor a public key");
  const options = {
    algorithms,
    requiredClaims: ["exp"],
    ...(audience ? { audience } : {}),
    ...(issuer ? { issuer } : {}),
  };
  return {
    algorithms,
    ready,
    async verify(token) {
      await ready;
      const { payload } = await jwtVerify(token, (header) => {
        // the key that belongs to the alg (jose has checked alg against
        // `algorithms`): an RS256 public key is never used as an HMAC secret
        const key = keys[header.alg];
        if (!key) throw new Error(`no key for alg ${header.alg}`);
        return key;
      }, options);
      return payload;
    },
  };
}

// Authorization: "Bearer <jwt>" (the scheme case-insensitive), or the bare token
// as AppSync's OIDC and Cognito modes take it. null when it is neither.
export function bearerToken(authorization) {
  if (typeof authorization !== "string") return null;
  const value = authorization.trim();
  const m = /^bearer\s+(\S+)$/i.exec(value);
  const token = m ? m[1] : value;
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token) ? token : null;
}

// the claim names that can be PostgreSQL settings: jwt.claims.<name> must be a
// valid custom parameter name of at most 63 bytes
const CLAIM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_CLAIM_NAME = 63 - "jwt.claims.".length;

// claims → pgSettings: {role: claims.role (when present), "jwt.claims.<name>": value}
// for every claim whose name can be a setting (others are left out); strings as
// they are, numbers and booleans as text, objects and arrays as JSON, null left out.
export function pgSettingsFromClaims(claims) {
  const settings = {};
  if (typeof claims.role === "string" && claims.role !== "") settings.role = claims.role;
  for (const [name, value] of Object.entries(claims)) {
    if (value === null || value === undefined) continue;
    if (!CLAIM_NAME.test(name) || name.length > MAX_CLAIM_NAME) continue;
    settings[`jwt.claims.${name}`] = typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  return settings;
}
