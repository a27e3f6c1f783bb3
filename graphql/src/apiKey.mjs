// apiKey.mjs — AppSync-style API key: with BOOKING_API_KEY set, every GraphQL
// request must carry it in the x-api-key header.
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
import { GraphQLError } from "postgraphile/graphql";

const digest = (s) => createHash("sha256").update(String(s)).digest();

export function keyMatches(expected, given) {
  if (typeof given !== "string" || given === "") return false;
  return timingSafeEqual(digest(expected), digest(given));
}

const headerValue = (v) => (Array.isArray(v) ? v[0] : v);

export const UNAUTHORIZED = {
  errors: [
    {
      errorType: "UnauthorizedException",
      message: "You are not authorized to make this call.",
    },
  ],
};

export function makeApiKeyPlugin(apiKey) {
  return {
    name: "BookingApiKeyPlugin",
    version: "1.0.0",
    grafserv: {
      middleware: {
        processRequest(next, event) {
          const { requestDigest, resolvedPreset } = event;
          const graphqlPath = resolvedPreset.grafserv?.graphqlPath ?? "/graphql";
          if (apiKey && requestDigest.path === graphqlPath &&
              !keyMatches(apiKey, headerValue(requestDigest.headers["x-api-key"]))) {
            return {
              type: "json",
              statusCode: 401,
              headers: { "content-type": "application/json; charset=utf-8" },
              json: UNAUTHORIZED,
            };
          }
          return next();
        },
        onSubscribe(next, event) {
          if (!apiKey) return next();
          const { ctx } = event;
          const params = ctx.connectionParams ?? {};
          const fromParams = Object.entries(params).find(([k]) => k.toLowerCase() === "x-api-key")?.[1];
          const fromHeader = headerValue(ctx.extra?.request?.headers?.["x-api-key"]);
          if (keyMatches(apiKey, fromParams) || keyMatches(apiKey, fromHeader)) return next();
          return [
            new GraphQLError(UNAUTHORIZED.errors[0].message, {
              extensions: { errorType: UNAUTHORIZED.errors[0].errorType },
            }),
          ];
        },
      },
    },
  };
}

// The upgrade request of a websocket: a wrong x-api-key header is refused
// before the websocket opens. (No header: the key may come in connection_init.)
export function upgradeRefused(apiKey, req) {
  if (!apiKey) return false;
  const given = headerValue(req.headers["x-api-key"]);
  return given !== undefined && !keyMatches(apiKey, given);
}
