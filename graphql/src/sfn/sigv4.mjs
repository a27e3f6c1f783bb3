// sigv4.mjs — AWS Signature Version 4, checked on the server side.
//
// The Authorization header names the key, the scope (date/region/service) and
// the signed headers; the server rebuilds the canonical request from what it
// received and compares signatures in constant time.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

const ALGORITHM = "AWS4-HMAC-SHA256";
const MAX_SKEW_MS = 15 * 60 * 1000; // AWS refuses requests signed more than 15 minutes off

// → {accessKey, date, region, service, signedHeaders: [...], signature} or null
export function parseAuthorization(header) {
  if (typeof header !== "string" || !header.startsWith(ALGORITHM + " ")) return null;
  const parts = {};
  for (const piece of header.slice(ALGORITHM.length + 1).split(",")) {
    const eq = piece.indexOf("=");
    if (eq > 0) parts[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
  }
  const scope = (parts.Credential ?? "").split("/");
  if (scope.length !== 5 || scope[4] !== "aws4_request" || !parts.SignedHeaders || !parts.Signature) return null;
  return {
    accessKey: scope[0],
    date: scope[1],
    region: scope[2],
    service: scope[3],
    signedHeaders: parts.SignedHeaders.split(";"),
    signature: parts.Signature,
  };
}

const sha256hex = (data) => createHash("sha256").update(data).digest("hex");
const hmac = (key, data) => createHmac("sha256", key).update(data).digest();

function canonicalUri(path) {
  // services other than S3 normalize the path and encode each segment twice;
  // the path of this protocol is "/"
  const segments = path.split("/").map((s) => encodeURIComponent(encodeURIComponent(decodeURIComponent(s))));
  return segments.join("/") || "/";
}

function canonicalQuery(search) {
  const params = [...new URLSearchParams(search)].map(([k, v]) => [rfc3986(k), rfc3986(v)]);
  params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return params.map(([k, v]) => `${k}=${v}`).join("&");
}
const rfc3986 = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

// → null when the signature holds, else why not (for the error message)
export function verify({ method, url, headers, body, auth, secret, now = Date.now() }) {
  const amzDate = headers["x-amz-date"];
  if (typeof amzDate !== "string" || !/^\d{8}T\d{6}Z$/.test(amzDate)) return "the request has no X-Amz-Date";
  const when = Date.parse(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  if (!(Math.abs(now - when) <= MAX_SKEW_MS)) return "the signature has expired or is from the future (X-Amz-Date is more than 15 minutes off)";
  if (amzDate.slice(0, 8) !== auth.date) return "the credential scope's date is not X-Amz-Date's";
  if (!auth.signedHeaders.includes("host")) return "the host header is not signed";
  const u = new URL(url, "http://placeholder");
  const canonicalHeaders = auth.signedHeaders
    .map((h) => {
      const v = headers[h];
      if (v === undefined) return null;
      return `${h}:${(Array.isArray(v) ? v.join(",") : v).trim().replace(/\s+/g, " ")}\n`;
    });
  if (canonicalHeaders.includes(null)) return "a signed header is missing from the request";
  const canonicalRequest = [
    method, canonicalUri(u.pathname), canonicalQuery(u.search),
    canonicalHeaders.join(""), auth.signedHeaders.join(";"), sha256hex(body),
  ].join("\n");
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256hex(canonicalRequest)].join("\n");
  let key = hmac("AWS4" + secret, auth.date);
  key = hmac(key, auth.region);
  key = hmac(key, auth.service);
  key = hmac(key, "aws4_request");
  const expected = Buffer.from(createHmac("sha256", key).update(stringToSign).digest("hex"));
  const given = Buffer.from(auth.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return "The request signature we calculated does not match the signature you provided";
  return null;
}

// For tests and tools: the Authorization header of a request signed with secret.
export function sign({ method, url, headers, body, accessKey, secret, region, service = "states", amzDate }) {
  const signedHeaders = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const auth = { accessKey, date: amzDate.slice(0, 8), region, service, signedHeaders, signature: "" };
  const u = new URL(url, "http://placeholder");
  const canonicalRequest = [
    method, canonicalUri(u.pathname), canonicalQuery(u.search),
    signedHeaders.map((h) => `${h}:${String(lower[h]).trim().replace(/\s+/g, " ")}\n`).join(""),
    signedHeaders.join(";"), sha256hex(body),
  ].join("\n");
  const scope = `${auth.date}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256hex(canonicalRequest)].join("\n");
  let key = hmac("AWS4" + secret, auth.date);
  key = hmac(key, region);
  key = hmac(key, service);
  key = hmac(key, "aws4_request");
  const signature = createHmac("sha256", key).update(stringToSign).digest("hex");
  return `${ALGORITHM} Credential=${accessKey}/${scope}, SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`;
}
