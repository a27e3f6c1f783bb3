// AppSync's API-key auth: with BOOKING_API_KEY set, a request without x-api-key
// or with a wrong one is refused (HTTP 401, AppSync's UnauthorizedException), over
// HTTP and over websockets. GraphiQL is served in development mode only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { startServer, API_KEY } from "./lib/server.mjs";
import { post, closeAll, wsClient, subscribe } from "./lib/client.mjs";

const UNAUTHORIZED = { errors: [{ errorType: "UnauthorizedException", message: "You are not authorized to make this call." }] };
const QUERY = { query: "{ getStepFunctions { id arn } }" };

let prod; // production mode, API key required
let dev; // development mode, no API key
before(async () => {
  [prod, dev] = await Promise.all([
    startServer(),
    startServer({ env: { GRAPHILE_ENV: "development", BOOKING_API_KEY: undefined } }),
  ]);
});
after(async () => {
  await closeAll();
  await Promise.all([prod?.stop(), dev?.stop()]);
});

test("HTTP: no x-api-key, an empty or a wrong one is refused with 401; the right one is served", async () => {
  for (const apiKey of [undefined, "", "wrong", API_KEY + "x", API_KEY.slice(0, -1)]) {
    const res = await post(prod.url, QUERY, { apiKey });
    assert.equal(res.status, 401, `x-api-key ${JSON.stringify(apiKey)}`);
    assert.deepEqual(res.json, UNAUTHORIZED);
  }
  // GET (persisted or simple queries) too
  const get = await fetch(`${prod.url}?query=${encodeURIComponent(QUERY.query)}`, { headers: { accept: "application/json" } });
  assert.equal(get.status, 401);
  // the key's header name is case-insensitive, as HTTP's are
  const ok = await post(prod.url, QUERY, { headers: { "X-Api-Key": API_KEY } });
  assert.equal(ok.status, 200);
  assert.ok(Array.isArray(ok.json.data.getStepFunctions));
});

test("websocket: a wrong x-api-key header refuses the upgrade; a subscribe without the key is refused", async () => {
  const refused = await new Promise((resolve) => {
    const ws = new WebSocket(prod.wsUrl, "graphql-transport-ws", { headers: { "x-api-key": "wrong" } });
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode));
    ws.on("open", () => (ws.close(), resolve("open")));
    ws.on("error", (e) => resolve(e.message));
  });
  assert.equal(refused, 401);

  for (const connectionParams of [undefined, { "x-api-key": "wrong" }]) {
    const client = wsClient(prod, { connectionParams });
    const sub = subscribe(client, { query: "subscription { executionStatusChanged { executionArn status } }" });
    const ev = await sub.next(10000);
    const errors = ev.error ?? ev.value?.errors;
    assert.ok(Array.isArray(errors), `refused: ${JSON.stringify(ev)}`);
    assert.equal(errors[0].extensions.errorType, "UnauthorizedException");
    assert.equal(errors[0].message, UNAUTHORIZED.errors[0].message);
  }

  // the key in the upgrade request's header is accepted as well as in connection_init
  const client = wsClient(prod, { headers: { "x-api-key": API_KEY } });
  const ev = await client.iterate({ query: "{ getStepFunctions { id } }" }).next();
  assert.ok(Array.isArray(ev.value.data.getStepFunctions));
});

test("GraphiQL is served in development mode only; without BOOKING_API_KEY no key is needed", async () => {
  const page = await fetch(`${dev.base}/graphiql`, { headers: { accept: "text/html" } });
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type"), /text\/html/);
  assert.match(await page.text(), /<html|<!DOCTYPE/i);

  const none = await fetch(`${prod.base}/graphiql`, { headers: { accept: "text/html" } });
  assert.equal(none.status, 404);

  const open = await post(dev.url, QUERY);
  assert.equal(open.status, 200);
  assert.ok(Array.isArray(open.json.data.getStepFunctions));
});
