// JWT authentication (src/auth.mjs, src/jwt.mjs): a token that verifies is
// served as the database role its `role` claim names, its claims reach
// PostgreSQL as jwt.claims.*, a bad one is refused (401), a role the server
// cannot switch to is refused cleanly (403); next to the API key, over HTTP and
// over websockets.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { SignJWT, generateKeyPair, exportSPKI } from "jose";
import { startServer, API_KEY } from "./lib/server.mjs";
import { post, admin, closeAll, wsClient, subscribe, connected } from "./lib/client.mjs";
import { bearerToken, pgSettingsFromClaims } from "../src/jwt.mjs";

const SECRET = "test-jwt-secret-" + process.pid + "-0123456789abcdef";
const secretKey = new TextEncoder().encode(SECRET);
const AUDIENCE = "booking-api";
const ISSUER = "https://issuer.example.test/";
const UNAUTHORIZED = { errors: [{ errorType: "UnauthorizedException", message: "You are not authorized to make this call." }] };
// a role made for these tests (before/after): it may read apartments, and
// row-level security shows it only the apartment its token's claim names
const PROBE = "booking_jwt_probe";
const now = () => Math.floor(Date.now() / 1000);

// sign(claims, {exp, nbf, alg, key, aud, iss}) → a token; exp defaults to in 5 minutes
async function sign(claims, { exp = now() + 300, nbf, alg = "HS256", key = secretKey, aud, iss } = {}) {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg }).setIssuedAt();
  if (exp !== null) jwt = jwt.setExpirationTime(exp);
  if (nbf !== undefined) jwt = jwt.setNotBefore(nbf);
  if (aud !== undefined) jwt = jwt.setAudience(aud);
  if (iss !== undefined) jwt = jwt.setIssuer(iss);
  return jwt.sign(key);
}
const bearer = (token) => ({ authorization: `Bearer ${token}` });

let both; // BOOKING_API_KEY and BOOKING_JWT_SECRET
let strict; // JWT only: HS256 secret and RS256 public key, audience and issuer required
let keyOnly; // BOOKING_API_KEY only (as before JWTs)
let rsa; // the RS256 key pair strict verifies with
let articleArn;

before(async () => {
  rsa = await generateKeyPair("RS256");
  const publicPem = await exportSPKI(rsa.publicKey);
  const db = admin();
  await db.query(`do $$ begin
      if not exists (select from pg_roles where rolname = '${PROBE}') then create role ${PROBE} nologin noinherit; end if;
    end $$`);
  await db.query(`grant usage on schema booking_app to ${PROBE}`);
  await db.query(`grant select on booking_app.apartments to ${PROBE}`);
  await db.query(`grant ${PROBE} to booking_graphql`);
  // every other role sees every row, as before
  await db.query(`create policy jwt_probe on booking_app.apartments
      using (current_user <> '${PROBE}' or "Id" = current_setting('jwt.claims.apartment_id', true))`);
  await db.query(`alter table booking_app.apartments enable row level security`);
  articleArn = (await db.query(`select arn from booking.state_machines where name = 'booking_step_function'`)).rows[0].arn;
  [both, strict, keyOnly] = await Promise.all([
    startServer({ env: { BOOKING_JWT_SECRET: SECRET } }),
    startServer({
      env: {
        BOOKING_API_KEY: undefined,
        BOOKING_JWT_SECRET: SECRET,
        // as an environment variable holds it on one line
        BOOKING_JWT_PUBLIC_KEY: publicPem.trim().replace(/\n/g, "\\n"),
        BOOKING_JWT_AUDIENCE: `other-api, ${AUDIENCE}`,
        BOOKING_JWT_ISSUER: ISSUER,
      },
    }),
    startServer(),
  ]);
});
after(async () => {
  await Promise.all([both?.stop(), strict?.stop(), keyOnly?.stop()]);
  try {
    const db = admin();
    await db.query(`alter table booking_app.apartments disable row level security`);
    await db.query(`drop policy if exists jwt_probe on booking_app.apartments`);
    await db.query(`drop owned by ${PROBE}`);
    await db.query(`drop role if exists ${PROBE}`);
  } finally {
    await closeAll();
  }
});

const Q_APARTMENTS = "{ allApartments(orderBy: ROW_ID_ASC) { nodes { rowId } } }";
const Q_STEP_FUNCTIONS = "{ getStepFunctions { id arn } }";
const Q_PAY = `mutation { recordPayment(input: {apartmentId: "no-such-apartment", amount: "1"}) { result { rowId } } }`;

test("the server says what it asks for", () => {
  assert.match(both.log(), /x-api-key or a JWT \(HS256\) required/);
  assert.match(strict.log(), /a JWT \(HS256, RS256\) required/);
  assert.match(keyOnly.log(), /\(x-api-key required\)/);
});

test("a valid token is served as the role its claim names: booking_guest reads but may not pay; the key's role may", async () => {
  const guest = bearer(await sign({ role: "booking_guest", sub: "guest-1" }));

  // what booking_guest may do
  const reads = await post(both.url, { query: `{ allApartments(first: 2) { totalCount nodes { rowId } }
      listApartments(first: 1) { nodes { id bookedStatus } } allExecutions(first: 1) { totalCount }
      allStateMachines { nodes { name } } getStepFunctions { id } }` }, { headers: guest });
  assert.equal(reads.status, 200);
  assert.equal(reads.json.errors, undefined, JSON.stringify(reads.json.errors));
  assert.ok(reads.json.data.allApartments.totalCount >= 3);
  assert.ok(reads.json.data.allStateMachines.nodes.some((n) => n.name === "booking_step_function"));

  // what it may not: it lacks EXECUTE on record_payment, reserve_apartment,
  // add_step_function and SELECT on payments
  for (const [query, what] of [
    [Q_PAY, "function record_payment"],
    [`mutation { reserveApartment(input: {apartmentId: "porto-ribeira-1", guest: "G"}) { result } }`, "function reserve_apartment"],
    [`mutation { addStepFunction(input: {id: "guest-${now()}", arn: ${JSON.stringify(articleArn)}}) { id } }`, "function add_step_function"],
    ["{ allPayments { totalCount } }", "table payments"],
  ]) {
    const res = await post(both.url, { query }, { headers: guest });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.errors?.length, 1, res.text);
    assert.equal(res.json.errors[0].message, `permission denied for ${what}`);
    assert.equal(res.json.errors[0].extensions.sqlstate, "42501");
  }

  // the same payment as the API key's role (booking_graphql) runs the function:
  // the application's own answer, no permission error
  const asKey = await post(both.url, { query: Q_PAY }, { apiKey: API_KEY });
  assert.equal(asKey.status, 200);
  assert.match(asKey.json.errors[0].message, /there is no apartment no-such-apartment/);
  assert.notEqual(asKey.json.errors[0].extensions.sqlstate, "42501");
  // a token without a role claim, or naming booking_graphql: the default role
  for (const claims of [{ sub: "no-role" }, { role: "booking_graphql" }]) {
    const res = await post(both.url, { query: Q_PAY }, { headers: bearer(await sign(claims)) });
    assert.equal(res.status, 200);
    assert.match(res.json.errors[0].message, /there is no apartment/, JSON.stringify(claims));
  }
  // no reservation nor execution was made by the refused mutations
  const { rows } = await admin().query(`select count(*)::int as n from booking.executions where name like 'guest-%'`);
  assert.equal(rows[0].n, 0);
});

test("the token's claims are jwt.claims.* settings: row-level security by a claim", async () => {
  const { rows } = await admin().query(`select "Id" from booking_app.apartments order by "Id" limit 2`);
  const [a, b] = rows.map((r) => r.Id);
  for (const id of [a, b]) {
    const res = await post(both.url, { query: Q_APARTMENTS }, { headers: bearer(await sign({ role: PROBE, apartment_id: id })) });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.data.allApartments.nodes, [{ rowId: id }], `apartment_id ${id}`);
  }
  const none = await post(both.url, { query: Q_APARTMENTS }, { headers: bearer(await sign({ role: PROBE })) });
  assert.deepEqual(none.json.data.allApartments.nodes, []);
  // other roles are not restricted by the policy
  const all = await post(both.url, { query: Q_APARTMENTS }, { headers: bearer(await sign({ role: "booking_guest", apartment_id: a })) });
  assert.ok(all.json.data.allApartments.nodes.length >= 3);
});

test("claims → pgSettings: role, jwt.claims.<name> for names PostgreSQL takes; Authorization forms", () => {
  assert.deepEqual(pgSettingsFromClaims({
    role: "booking_guest", sub: "u-1", exp: 1700000000, admin: false, groups: ["a", "b"], org: { id: 7 },
    nothing: null, "https://example.com/claim": "x", "with-dash": "x", ["x".repeat(53)]: "long",
  }), {
    role: "booking_guest",
    "jwt.claims.role": "booking_guest",
    "jwt.claims.sub": "u-1",
    "jwt.claims.exp": "1700000000",
    "jwt.claims.admin": "false",
    "jwt.claims.groups": '["a","b"]',
    "jwt.claims.org": '{"id":7}',
  });
  assert.deepEqual(pgSettingsFromClaims({ sub: "x" }), { "jwt.claims.sub": "x" });
  assert.equal(bearerToken("Bearer aaa.bbb.ccc"), "aaa.bbb.ccc");
  assert.equal(bearerToken("bearer   aaa.bbb.ccc "), "aaa.bbb.ccc");
  assert.equal(bearerToken("aaa.bbb.ccc"), "aaa.bbb.ccc"); // bare, as AppSync takes it
  assert.equal(bearerToken("Basic dXNlcjpwYXNz"), null);
  assert.equal(bearerToken("Bearer "), null);
  assert.equal(bearerToken(undefined), null);
});

test("expired, not yet valid, wrongly signed, unsigned, malformed tokens, or no exp: 401", async () => {
  const otherSecret = new TextEncoder().encode(SECRET + "-other");
  const claims = { role: "booking_guest" };
  const header = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const bad = {
    expired: await sign(claims, { exp: now() - 60 }),
    "not yet valid": await sign(claims, { nbf: now() + 600 }),
    "wrong secret": await sign(claims, { key: otherSecret }),
    "tampered payload": await (async () => {
      const [h, , s] = (await sign(claims)).split(".");
      return [h, header({ role: "booking_graphql", exp: now() + 300 }), s].join(".");
    })(),
    "alg none": `${header({ alg: "none", typ: "JWT" })}.${header({ ...claims, exp: now() + 300 })}.`,
    "no exp": await sign(claims, { exp: null }),
    "role not a string": await sign({ role: ["booking_guest"] }),
    "RS256 to a server without a public key": await sign(claims, { alg: "RS256", key: rsa.privateKey }),
    malformed: "not-a-jwt",
  };
  for (const [what, token] of Object.entries(bad)) {
    for (const headers of [{ authorization: `Bearer ${token}` }, { authorization: token }]) {
      const res = await post(both.url, { query: Q_STEP_FUNCTIONS }, { headers });
      assert.equal(res.status, 401, `${what}: ${res.text}`);
      assert.deepEqual(res.json, UNAUTHORIZED, what);
    }
  }
  // another scheme, with the JWT configured
  const basic = await post(both.url, { query: Q_STEP_FUNCTIONS }, { headers: { authorization: "Basic dXNlcjpwYXNz" } });
  assert.equal(basic.status, 401);
  // the good token, for contrast (alone: no API key needed)
  const good = await post(both.url, { query: Q_STEP_FUNCTIONS }, { headers: bearer(await sign(claims)) });
  assert.equal(good.status, 200, good.text);
  assert.ok(Array.isArray(good.json.data.getStepFunctions));
});

test("audience, issuer and RS256: a JWT-only server", async () => {
  const claims = { role: "booking_guest" };
  const ok = [
    ["HS256", await sign(claims, { aud: AUDIENCE, iss: ISSUER })],
    ["RS256", await sign(claims, { aud: AUDIENCE, iss: ISSUER, alg: "RS256", key: rsa.privateKey })],
    ["one of the audiences", await sign(claims, { aud: ["someone-else", AUDIENCE], iss: ISSUER })],
  ];
  for (const [what, token] of ok) {
    const res = await post(strict.url, { query: Q_STEP_FUNCTIONS }, { headers: bearer(token) });
    assert.equal(res.status, 200, `${what}: ${res.text}`);
  }
  const other = await generateKeyPair("RS256");
  const publicPem = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
  const bad = [
    ["no audience", await sign(claims, { iss: ISSUER })],
    ["another audience", await sign(claims, { aud: "another-api", iss: ISSUER })],
    ["no issuer", await sign(claims, { aud: AUDIENCE })],
    ["another issuer", await sign(claims, { aud: AUDIENCE, iss: "https://evil.example.test/" })],
    ["RS256 by another key", await sign(claims, { aud: AUDIENCE, iss: ISSUER, alg: "RS256", key: other.privateKey })],
    // the public key used as an HMAC secret (algorithm confusion)
    ["HS256 keyed with the public key", await sign(claims, { aud: AUDIENCE, iss: ISSUER, key: publicPem })],
    ["HS384", await sign(claims, { aud: AUDIENCE, iss: ISSUER, alg: "HS384" })],
  ];
  for (const [what, token] of bad) {
    const res = await post(strict.url, { query: Q_STEP_FUNCTIONS }, { headers: bearer(token) });
    assert.equal(res.status, 401, `${what}: ${res.text}`);
    assert.deepEqual(res.json, UNAUTHORIZED);
  }
  // no credential at all (an x-api-key is no credential here: none is configured)
  for (const apiKey of [undefined, API_KEY]) {
    const res = await post(strict.url, { query: Q_STEP_FUNCTIONS }, { apiKey });
    assert.equal(res.status, 401, `x-api-key ${apiKey}`);
    assert.deepEqual(res.json, UNAUTHORIZED);
  }
});

test("precedence with both configured: either authenticates, every one presented must be valid", async () => {
  const good = bearer(await sign({ role: "booking_guest" }));
  const expired = bearer(await sign({ role: "booking_guest" }, { exp: now() - 60 }));
  const cases = [
    ["key alone", { "x-api-key": API_KEY }, 200],
    ["token alone", good, 200],
    ["key and token", { "x-api-key": API_KEY, ...good }, 200],
    ["neither", {}, 401],
    ["wrong key, good token", { "x-api-key": "wrong", ...good }, 401],
    ["good key, expired token", { "x-api-key": API_KEY, ...expired }, 401],
  ];
  for (const [what, headers, status] of cases) {
    const res = await post(both.url, { query: Q_STEP_FUNCTIONS }, { headers });
    assert.equal(res.status, status, `${what}: ${res.text}`);
    if (status === 401) assert.deepEqual(res.json, UNAUTHORIZED);
  }
  // key and token: the token picks the role
  const res = await post(both.url, { query: Q_PAY }, { headers: { "x-api-key": API_KEY, ...good } });
  assert.equal(res.json.errors[0].message, "permission denied for function record_payment");
  // without a JWT secret, Authorization is not looked at (the API key path as before)
  const ignored = await post(keyOnly.url, { query: Q_PAY }, { apiKey: API_KEY, headers: { authorization: "Bearer junk" } });
  assert.equal(ignored.status, 200);
  assert.match(ignored.json.errors[0].message, /there is no apartment/);
  const noKey = await post(keyOnly.url, { query: Q_STEP_FUNCTIONS }, { headers: good });
  assert.equal(noKey.status, 401);
});

test("a role the server's role cannot switch to: 403 before anything runs; a grant revoked since: a GraphQL error", async () => {
  for (const role of ["postgres", "pg_read_server_files", "no_such_role_at_all", "none"]) {
    const res = await post(both.url, { query: Q_PAY }, { headers: bearer(await sign({ role })) });
    assert.equal(res.status, 403, `${role}: ${res.text}`);
    assert.deepEqual(res.json, {
      errors: [{ errorType: "AccessDeniedException", message: `The token's role "${role}" is not one this API can assume.` }],
    });
  }

  // a grant taken back after the server looked (it keeps the answer a few
  // seconds): SET ROLE in the transaction refuses, the client gets an error
  const role = "booking_jwt_revoked";
  const db = admin();
  await db.query(`do $$ begin if not exists (select from pg_roles where rolname = '${role}') then create role ${role} nologin; end if; end $$`);
  await db.query(`grant ${role} to booking_graphql`);
  try {
    const token = bearer(await sign({ role }));
    const first = await post(both.url, { query: Q_STEP_FUNCTIONS }, { headers: token });
    // served as that role, which has no rights at all
    assert.equal(first.status, 200);
    assert.match(first.json.errors[0].message, /^permission denied for schema booking_app/);
    await db.query(`revoke ${role} from booking_graphql`);
    const res = await post(both.url, { query: Q_STEP_FUNCTIONS }, { headers: token });
    // (403 only if the server took more than the cache's seconds to get here)
    assert.ok([200, 403].includes(res.status), res.text);
    if (res.status === 200) {
      assert.equal(res.json.data?.getStepFunctions ?? null, null);
      assert.equal(res.json.errors[0].message, `permission denied to set role "${role}"`);
      assert.equal(res.json.errors[0].extensions.errorType, "AccessDeniedException");
      assert.equal(res.json.errors[0].extensions.sqlstate, "42501");
    }
    // the server still serves
    const after = await post(both.url, { query: Q_STEP_FUNCTIONS }, { apiKey: API_KEY });
    assert.equal(after.status, 200);
    assert.equal(after.json.errors, undefined);
  } finally {
    await db.query(`drop role if exists ${role}`);
  }
});

// the next event of sub about executionArn (others are skipped)
async function nextAbout(sub, executionArn, timeoutMs = 10000) {
  for (;;) {
    const ev = await sub.next(timeoutMs);
    assert.ok(ev.value, `subscription ended: ${JSON.stringify(ev)}`);
    const change = ev.value.data?.executionStatusChanged;
    if (change?.executionArn === executionArn) return ev.value;
  }
}

test("subscriptions with a token in connection_init (or the upgrade's header), as its role", async () => {
  const SUB = `subscription ($arn: String) { executionStatusChanged(executionArn: $arn) { executionArn status execution { name status } } }`;
  const name = `jwt-sub-${Date.now().toString(36)}`;
  const arn = `${articleArn.replace(":stateMachine:", ":execution:")}:${name}`;

  // booking_guest may read executions; the probe role may not
  const guest = wsClient(both, { connectionParams: { Authorization: `Bearer ${await sign({ role: "booking_guest" })}` } });
  const guestSub = subscribe(guest, { query: SUB, variables: { arn } });
  const probe = wsClient(both, { headers: bearer(await sign({ role: PROBE })) });
  const probeSub = subscribe(probe, { query: SUB, variables: { arn } });
  await Promise.all([connected(guest), connected(probe)]);
  await new Promise((r) => setTimeout(r, 300)); // the subscribe messages reach the server

  const started = await post(both.url, { query: `mutation ($input: StepFunctionsInput!) { addStepFunction(input: $input) { id } }`,
    variables: { input: { id: name, arn: articleArn } } }, { apiKey: API_KEY });
  assert.equal(started.json.errors, undefined, started.text);
  try {
    const g = await nextAbout(guestSub, arn);
    assert.equal(g.errors, undefined, JSON.stringify(g.errors));
    assert.deepEqual(g.data.executionStatusChanged, { executionArn: arn, status: "RUNNING", execution: { name, status: "RUNNING" } });
    const p = await nextAbout(probeSub, arn);
    assert.equal(p.data.executionStatusChanged.status, "RUNNING");
    assert.equal(p.data.executionStatusChanged.execution, null);
    assert.match(p.errors[0].message, /^permission denied for schema booking_api/);
  } finally {
    guestSub.close();
    probeSub.close();
    await admin().query("select booking.sfn_stop_execution($1)", [arn]);
  }

  // refused: an expired token, a role it cannot switch to; no credential at all
  for (const [connectionParams, errorType] of [
    [{ authorization: `Bearer ${await sign({ role: "booking_guest" }, { exp: now() - 60 })}` }, "UnauthorizedException"],
    [{ Authorization: `Bearer ${await sign({ role: "postgres" })}` }, "AccessDeniedException"],
    [{ "x-api-key": API_KEY, Authorization: "Bearer junk.junk.junk" }, "UnauthorizedException"],
    [undefined, "UnauthorizedException"],
  ]) {
    const client = wsClient(both, { connectionParams });
    const ev = await subscribe(client, { query: SUB, variables: {} }).next(10000);
    const errors = ev.error ?? ev.value?.errors;
    assert.ok(Array.isArray(errors), `refused: ${JSON.stringify(ev)}`);
    assert.equal(errors[0].extensions.errorType, errorType, JSON.stringify(connectionParams));
  }

  // a bad Authorization header refuses the upgrade itself
  const refused = await new Promise((resolve) => {
    const ws = new WebSocket(both.wsUrl, "graphql-transport-ws", { headers: { authorization: "Bearer junk.junk.junk" } });
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode));
    ws.on("open", () => (ws.close(), resolve("open")));
    ws.on("error", (e) => resolve(e.message));
  });
  assert.equal(refused, 401);

  // a query over the websocket runs as the token's role too
  const ws = wsClient(both, { connectionParams: { authorization: `Bearer ${await sign({ role: "booking_guest" })}` } });
  const paid = await ws.iterate({ query: Q_PAY }).next();
  assert.equal(paid.value.errors[0].message, "permission denied for function record_payment");
});

test("the article's documents with the API key, on a server that takes JWTs too", async () => {
  const id = `jwt-article-${Date.now().toString(36)}`;
  const add = await post(both.url, {
    query: `mutation AddStepFunction($input: StepFunctionsInput!) { addStepFunction(input: $input) { id arn } }`,
    variables: { input: { id, arn: articleArn } },
  }, { apiKey: API_KEY });
  assert.equal(add.status, 200, add.text);
  assert.deepEqual(add.json, { data: { addStepFunction: { id, arn: articleArn } } });
  const list = await post(both.url, { query: `query GetStepFunctions { getStepFunctions { id arn } }` }, { apiKey: API_KEY });
  assert.ok(list.json.data.getStepFunctions.some((s) => s.id === id && s.arn === articleArn));
  await admin().query(`select booking.sfn_stop_execution(arn) from booking.executions where name = $1 and status = 'RUNNING'`, [id]);
});
