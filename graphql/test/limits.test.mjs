// The GraphQL attacks of issue 13, each refused: a query nested six levels deep
// (it ran the server out of heap), introspection multiplied by aliases, pages without end, a request of 1,000 aliased
// mutations (1,000 executions), starting a state machine the API's role was not
// granted, a generic getItem machine reading pg_authid; and the server comes back
// when it dies (graphql/start.sh supervises it).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { startServer, API_KEY, GRAPHQL_DIR } from "./lib/server.mjs";
import { post, gql, admin, closeAll } from "./lib/client.mjs";
import { getIntrospectionQuery } from "postgraphile/graphql";

let server;
before(async () => {
  // small pages, so that the sample data shows the cap
  server = await startServer({ env: { BOOKING_GRAPHQL_MAX_PAGE: "2" } });
});
after(async () => {
  await closeAll();
  await server?.stop();
});

const ask = (query, variables) => post(server.url, { query, variables }, { apiKey: API_KEY });

test("a query nested six levels deep is refused before it runs; the server keeps serving", async () => {
  const deep = `{ allStateMachines { nodes { executionsByMachineId { nodes { stateMachineByMachineId {
      executionsByMachineId { nodes { stateMachineByMachineId { executionsByMachineId { nodes {
      stateMachineByMachineId { name } } } } } } } } } } } }`;
  const res = await ask(deep);
  assert.equal(res.json.data, undefined, res.text);
  assert.match(res.json.errors.map((e) => e.message).join("\n"), /levels deep; at most 8 are served/);
  // wide instead of deep: the rows it could read are counted
  const wide = await ask(`{ a: allStateMachines { nodes { executionsByMachineId { nodes {
      stateMachineByMachineId { executionsByMachineId { nodes { name } } } } } } } }`);
  assert.equal(wide.json.errors, undefined, wide.text);
  const ok = await gql(server, `{ allApartments(first: 1) { nodes { rowId } } }`);
  assert.equal(ok.allApartments.nodes.length, 1);
});

test("introspection is counted on the schema: GraphiQL's query is served, an alias bomb is refused", async () => {
  const full = await ask(getIntrospectionQuery());
  assert.equal(full.json.errors, undefined, full.text.slice(0, 300));
  assert.ok(full.json.data.__schema.types.length > 10);
  // 60 aliases at each of two levels of `fields` (graphql-js allows three): a 4 KB
  // query that would build hundreds of millions of values
  const wide = (f) => Array.from({ length: 60 }, (_, i) => `a${i}: ${f}`).join(" ");
  const bomb = `fragment L1 on __Type { ${wide("fields { type { name } }")} }
    { __schema { types { ${wide("fields { type { ...L1 } }")} } } }`;
  const res = await ask(bomb);
  assert.equal(res.json.data, undefined, res.text.slice(0, 300));
  assert.match(res.json.errors[0].message, /introspection would produce more than 200000 values; at most 200000 are served/);
  // __type named by a variable counts as any type
  const named = await ask(`query ($n: String!) { __type(name: $n) { ${wide("fields { type { ...L1 } }")} } }
    fragment L1 on __Type { ${wide("fields { type { name } }")} }`, { n: "Query" });
  assert.match(named.json.errors[0].message, /introspection would produce more than/);
  const ok = await gql(server, `{ __type(name: "Query") { name } allApartments(first: 1) { nodes { rowId } } }`);
  assert.equal(ok.__type.name, "Query");
});

test("the query cost counts the pages it asks for", async () => {
  const server2 = await startServer({ env: { BOOKING_GRAPHQL_MAX_COST: "50" } });
  try {
    const res = await post(server2.url, { query: `{ allStateMachines { nodes { name
        executionsByMachineId { nodes { name status input output } } } } }` }, { apiKey: API_KEY });
    assert.match(res.json.errors[0].message, /could read \d+ values; at most 50 are served/);
    const small = await post(server2.url, { query: `{ allStateMachines(first: 2) { nodes { name
        executionsByMachineId(first: 2) { nodes { name } } } } }` }, { apiKey: API_KEY });
    assert.equal(small.json.errors, undefined, small.text);
  } finally {
    await server2.stop();
  }
});

test("every page is at most BOOKING_GRAPHQL_MAX_PAGE rows: absent first reads that many, more is refused", async () => {
  const { rows: [{ n }] } = await admin().query(`select count(*)::int as n from booking_app.apartments`);
  assert.ok(n > 2, "the sample apartments outnumber the page");
  const all = await gql(server, `{ allApartments { totalCount nodes { rowId } } }`);
  assert.equal(all.allApartments.totalCount, n);
  assert.equal(all.allApartments.nodes.length, 2);
  const last = await gql(server, `{ allApartments(last: 1, orderBy: ROW_ID_ASC) { nodes { rowId } } }`);
  assert.equal(last.allApartments.nodes.length, 1);

  const literal = await ask(`{ allApartments(first: 500) { nodes { rowId } } }`);
  assert.match(literal.json.errors[0].message, /a page is at most 2 rows, not 500/);
  const variable = await ask(`query ($n: Int) { allApartments(first: $n) { nodes { rowId } } }`, { n: 500 });
  assert.equal(variable.json.data.allApartments, null);
  assert.match(variable.json.errors[0].message, /first: a page is at most 2 rows, not 500/);
});

test("1,000 aliased mutations in one request start nothing", async () => {
  const count = async () => (await admin().query(
    `select count(*)::int as n from booking.executions e join booking.state_machines m on m.id = e.machine_id
      where m.name = 'booking_step_function'`)).rows[0].n;
  const before = await count();
  const fields = Array.from({ length: 1000 }, (_, i) =>
    `m${i}: addStepFunction(input: {id: "flood-${process.pid}-${i}", arn: "booking_step_function"}) { id }`).join("\n");
  const res = await ask(`mutation { ${fields} }`);
  assert.equal(res.json.data, undefined, res.text.slice(0, 300));
  assert.match(res.json.errors[0].message, /a request carries at most 10 mutations, not 1000/);
  assert.equal(await count(), before);
  // a few in one request are served
  const two = await gql(server, `mutation {
      a: addStepFunction(input: {id: "pair-${process.pid}-a", arn: "booking_step_function"}) { id }
      b: addStepFunction(input: {id: "pair-${process.pid}-b", arn: "booking_step_function"}) { id } }`);
  assert.equal(two.b.id, `pair-${process.pid}-b`);
  assert.equal(await count(), before + 2);
});

test("addStepFunction starts only what its role was granted, as that role; tasks never reach pg_catalog", async () => {
  // a superuser's machine, not granted to the API: refused, nothing started
  await admin().query(`select booking.sfn_create_state_machine('admin_only',
      '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}', role => 'postgres')`);
  // a generic getItem, granted: it runs as its role, and the catalog is out of its reach
  await admin().query(`select booking.sfn_create_state_machine('generic_get',
      '{"StartAt": "G", "States": {"G": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
        "Parameters": {"TableName.$": "$.table", "Key.$": "$.key"}, "End": true}}}', role => 'booking_workflow')`);
  await admin().query(`select booking.sfn_grant('generic_get', 'booking_graphql', ARRAY['START', 'READ'])`);
  try {
    const refused = await ask(`mutation { addStepFunction(input: {id: "x-${process.pid}", arn: "admin_only"}) { id } }`);
    assert.equal(refused.json.data.addStepFunction, null);
    assert.equal(refused.json.errors[0].extensions.errorType, "AccessDeniedException");
    assert.equal(refused.json.errors[0].extensions.sqlstate, "42501");
    const { rows: none } = await admin().query(`select 1 from booking.executions e join booking.state_machines m
        on m.id = e.machine_id where m.name = 'admin_only'`);
    assert.equal(none.length, 0);

    const id = `authid-${process.pid}`;
    await gql(server, `mutation ($input: StepFunctionsInput!) { addStepFunction(input: $input) { id } }`,
      { input: { id, arn: "generic_get", input: { table: "pg_catalog.pg_authid", key: { oid: { N: "10" } } } } });
    const { rows: [e] } = await admin().query(`select status, error, cause from booking.executions where name = $1`, [id]);
    assert.equal(e.status, "FAILED");
    assert.equal(e.error, "DynamoDB.AccessDeniedException");
    assert.match(e.cause, /schema pg_catalog, which tasks may not reach/);
  } finally {
    await admin().query(`select booking.sfn_delete_state_machine(n) from unnest(ARRAY['admin_only', 'generic_get']) n`);
  }
});

/*
 * A free port from first on, below Linux's ephemeral range (32768 and up): start.sh needs a
 * fixed one, and one in that range can be taken meanwhile by any outgoing connection.
 */
async function portBelowEphemeral(first) {
  for (let port = first; port < 32768; port++) {
    const free = await new Promise((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port from ${first} below 32768`);
}

test("graphql/start.sh restarts the server when it dies", { timeout: 120000 }, async () => {
  const dir = process.env.GRAPHQL_TEST_CLUSTER_DIR;
  const port = process.env.GRAPHQL_TEST_CLUSTER_PORT;
  assert.ok(dir && port, "run.sh exports the cluster's directory and port");
  const gport = String(await portBelowEphemeral(20000 + (process.pid % 12000)));
  // BOOKING_SFN_PORT empty: start.sh serves no Step Functions API (its default is 8083)
  const env = { ...process.env, BOOKING_DB: "booking", GRAPHQL_PORT: gport, BOOKING_API_KEY: API_KEY, BOOKING_SFN_PORT: "" };
  const start = spawn("bash", [`${GRAPHQL_DIR}/start.sh`, dir, port], { env, stdio: ["ignore", "pipe", "pipe"] });
  const started = await new Promise((resolve) => start.on("exit", resolve));
  assert.equal(started, 0, "start.sh started the server");
  const url = `http://127.0.0.1:${gport}/graphql`;
  const alive = async () => (await post(url, { query: "{ getStepFunctions { id } }" }, { apiKey: API_KEY }).catch(() => ({ status: 0 }))).status === 200;
  try {
    assert.ok(await alive(), "served after start");
    const supervisor = readFileSync(`${dir}/graphql.pid`, "utf8").trim();
    const child = execFileSync("pgrep", ["-P", supervisor, "-f", "server.mjs"]).toString().trim().split("\n")[0];
    process.kill(Number(child), "SIGKILL"); // as the kernel's out-of-memory killer would
    let back = false;
    for (let i = 0; i < 300 && !back; i++) {
      await new Promise((r) => setTimeout(r, 100));
      back = await alive();
    }
    assert.ok(back, "served again after the server was killed");
    assert.match(readFileSync(`${dir}/graphql.log`, "utf8"), /server exited \(status 137\): restarting/);
  } finally {
    execFileSync("bash", [`${GRAPHQL_DIR}/start.sh`, "stop", dir], { env });
  }
  assert.equal(await alive(), false, "stop ends the server and its supervisor");
});
