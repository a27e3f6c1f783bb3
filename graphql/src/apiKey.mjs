// apiKey.mjs — AppSync-style API key: with BOOKING_API_KEY set, a GraphQL
// request may authenticate with it in the x-api-key header (auth.mjs decides
// what is needed when a JWT secret is configured as well).
//
//   HTTP (POST/GET /graphql)     refused with 401 and AppSync's error shape
//   websocket (graphql-ws)       the key in the upgrade request's x-api-key
//                                header or in connection_init's payload
//                                ({"x-api-key": …}, what browsers can send);
//                                a wrong header refuses the upgrade (401), a
//                                subscribe without a right key is refused with
//                                an UnauthorizedException error
// The GraphiQL page (development mode) is a static page and is served without
// the key; its requests to /graphql need it (GraphiQL's headers tab).
import { timingSafeEqual, createHash } from "node:crypto";

const digest = (s) => createHash("sha256").update(String(s)).digest();

export function keyMatches(expected, given) {
  if (typeof given !== "string" || given === "") return false;
  return timingSafeEqual(digest(expected), digest(given));
}

export const headerValue = (v) => (Array.isArray(v) ? v[0] : v);

export const UNAUTHORIZED = {
  errors: [
    {
      errorType: "UnauthorizedException",
      message: "You are not authorized to make this call.",
    },
  ],
};
