// paging.mjs — maxResults and nextToken where the service model pages.
//
// A token is opaque to clients: base64url of {a: action, k: key}, where key is
// the last row's position the SQL function pages after. A token of another
// action, or one that does not decode, is InvalidToken; a key the database no
// longer finds is InvalidToken too (the SQL functions raise it).
import { SfnError, int, str } from "./protocol.mjs";

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

export function pageSize(body) {
  const n = int(body, "maxResults");
  if (n === null || n === 0) return DEFAULT_PAGE; // AWS: 0 means the default
  if (n < 0 || n > MAX_PAGE)
    throw new SfnError("ValidationException", `1 validation error detected: Value '${n}' at 'maxResults' failed to satisfy constraint: Member must have value between 0 and ${MAX_PAGE}`);
  return n;
}

export function encodeToken(action, key) {
  return Buffer.from(JSON.stringify({ a: action, k: key })).toString("base64url");
}

// → the key, or null when there is no token
export function decodeToken(body, action) {
  const token = str(body, "nextToken", { max: 3096 });
  if (token === null || token === "") return null;
  let parsed;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error("not base64url");
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new SfnError("InvalidToken", "Invalid Token: the nextToken was not issued by this endpoint");
  }
  if (!parsed || parsed.a !== action || parsed.k === undefined || parsed.k === null)
    throw new SfnError("InvalidToken", `Invalid Token: the nextToken was not issued for ${action}`);
  return parsed.k;
}

// rows: fetched with limit size + 1; → {items: first size rows, nextToken}
export function page(rows, size, action, keyOf) {
  if (rows.length <= size) return { items: rows, nextToken: undefined };
  const items = rows.slice(0, size);
  return { items, nextToken: encodeToken(action, keyOf(items[items.length - 1])) };
}
