// identity.mjs — who a request is, and where its ARNs live.
//
// By default any credentials are accepted, as local emulators accept them: the
// request runs as the default role, in the signing region, and a 12-digit
// access key is the account in the ARNs it creates (as Step Functions Local
// and LocalStack do). With BOOKING_SFN_KEYS set, only those key pairs are
// accepted, each verified with SigV4 and mapped to the database role the
// request runs as.
//
//   BOOKING_SFN_KEYS    "ACCESS_KEY:SECRET:role[,ACCESS_KEY:SECRET:role…]"
//   BOOKING_SFN_ROLE    the role of requests with any credentials (default booking_sfn_client)
//   BOOKING_SFN_REGION  the region when a request is not signed (default us-east-1)
//   BOOKING_SFN_ACCOUNT the account when the access key is not 12 digits (default 000000000000)
import { SfnError } from "./protocol.mjs";
import { parseAuthorization, verify } from "./sigv4.mjs";

const ROLE_NAME = /^[a-z_][a-z0-9_$]{0,62}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function parseKeys(spec) {
  const keys = new Map();
  if (!spec) return keys;
  for (const entry of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [accessKey, secret, role, ...rest] = entry.split(":");
    if (!accessKey || !secret || !role || rest.length)
      throw new Error(`BOOKING_SFN_KEYS: "${accessKey ?? ""}:…" must be ACCESS_KEY:SECRET:role`);
    if (!ROLE_NAME.test(role)) throw new Error(`BOOKING_SFN_KEYS: "${role}" is not a plain role name`);
    keys.set(accessKey, { secret, role });
  }
  return keys;
}

export function makeIdentity(env = process.env) {
  const keys = parseKeys(env.BOOKING_SFN_KEYS);
  const defaultRole = env.BOOKING_SFN_ROLE || "booking_sfn_client";
  if (!ROLE_NAME.test(defaultRole)) throw new Error(`BOOKING_SFN_ROLE: "${defaultRole}" is not a plain role name`);
  const defaultRegion = env.BOOKING_SFN_REGION || "us-east-1";
  const defaultAccount = env.BOOKING_SFN_ACCOUNT || "000000000000";
  return {
    verifying: keys.size > 0,
    // → {role, region, account}; SfnError when the credentials are refused
    resolve(req, rawBody) {
      const auth = parseAuthorization(req.headers.authorization);
      const region = auth && REGION.test(auth.region) ? auth.region : defaultRegion;
      const account = auth && /^\d{12}$/.test(auth.accessKey) ? auth.accessKey : defaultAccount;
      if (keys.size === 0) return { role: defaultRole, region, account };
      if (!auth) throw new SfnError("MissingAuthenticationTokenException", "Missing Authentication Token", 403);
      const key = keys.get(auth.accessKey);
      if (!key) throw new SfnError("UnrecognizedClientException", "The security token included in the request is invalid.", 403);
      const why = verify({ method: req.method, url: req.url, headers: req.headers, body: rawBody, auth, secret: key.secret });
      if (why) throw new SfnError(why.startsWith("The request signature") ? "InvalidSignatureException" : "IncompleteSignatureException", why, 403);
      return { role: key.role, region, account };
    },
  };
}
