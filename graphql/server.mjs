// server.mjs — booking's GraphQL server (PostGraphile 5): `npm start`.
//
//   DATABASE_URL      the database, as the least-privilege role (graphql/roles.sql)
//   PORT              default 5000 (0: any free port, printed)
//   HOST              default 127.0.0.1
//   BOOKING_API_KEY   when set, requests need it in x-api-key (as AppSync's API key)
//   BOOKING_JWT_SECRET, BOOKING_JWT_PUBLIC_KEY (and BOOKING_JWT_AUDIENCE,
//                     BOOKING_JWT_ISSUER): when set, Authorization: Bearer <jwt>
//                     authenticates too, as the role its `role` claim names
//                     (src/auth.mjs has the rules)
//   GRAPHILE_ENV      development: GraphiQL at /graphiql, explain; else production
//   BOOKING_METRICS_DATABASE_URL  when set, GET /metrics serves Prometheus text
//                     from booking.metrics, connecting as this (the role
//                     booking_metrics of roles.sql); BOOKING_METRICS_TOKEN, when
//                     set, is required as a bearer token (src/metrics.mjs)
import "./src/node-compat.mjs";
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import { makePreset, settingsFromEnv } from "./src/preset.mjs";
import { makeAuth, upgradeRefused } from "./src/auth.mjs";
import { makeMetrics, metricsSettingsFromEnv, routeMetrics } from "./src/metrics.mjs";

const settings = settingsFromEnv();
const auth = makeAuth(settings);
await auth.ready; // a public key that does not parse stops the server here
const pgl = postgraphile(makePreset({ ...settings, auth }));
const serv = pgl.createServ(grafserv);

const server = createServer();
server.on("error", (e) => {
  console.error(e);
  process.exit(1);
});
await serv.addTo(server, false);
const metrics = makeMetrics(metricsSettingsFromEnv());
routeMetrics(server, metrics);
// websockets (graphql-ws) on /graphql; a wrong x-api-key header, or an
// Authorization header that does not verify, on the upgrade request is refused
// before the socket opens
const upgradeHandler = await serv.getUpgradeHandler();
server.on("upgrade", async (req, socket, head) => {
  if (!upgradeHandler || !serv.shouldHandleUpgrade(req, socket, head)) {
    socket.destroy();
  } else if (await upgradeRefused(auth, req)) {
    socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  } else {
    upgradeHandler(req, socket, head);
  }
});
// make sure the schema builds (and the database answers) before saying we listen
await pgl.getSchema();

server.listen(settings.port, settings.host, () => {
  const { port } = server.address();
  const base = `http://${settings.host}:${port}`;
  console.log(`booking GraphQL listening on ${base}/graphql` +
    (settings.development ? ` (GraphiQL: ${base}/graphiql)` : "") +
    (settings.apiKey && auth.verifier ? ` (x-api-key or a JWT (${auth.verifier.algorithms.join(", ")}) required)`
      : settings.apiKey ? " (x-api-key required)"
      : auth.verifier ? ` (a JWT (${auth.verifier.algorithms.join(", ")}) required)`
      : " (no API key: BOOKING_API_KEY is not set)") +
    (metrics ? `; metrics on ${base}/metrics` : ""));
});

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`booking GraphQL: ${signal}, stopping`);
  server.close();
  server.closeAllConnections?.();
  try {
    await metrics?.close();
    await pgl.release();
  } finally {
    process.exit(0);
  }
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
