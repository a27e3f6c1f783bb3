// What PostGraphile users expect of the booking schema: apartments, payments,
// state machines and executions to query with filtering and pagination,
// reserve and pay mutations, read-only everything else, and a role that can do
// no more than the API.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./lib/server.mjs";
import { post, gql, admin, closeAll } from "./lib/client.mjs";
import { API_KEY } from "./lib/server.mjs";

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await closeAll();
  await server?.stop();
});

test("apartments: filter, condition, order, cursor pagination, totalCount", async () => {
  const { rows } = await admin().query(`select "Id" from booking_app.apartments order by "Id"`);
  assert.ok(rows.length >= 3, "the application's sample apartments are loaded");
  const ids = rows.map((r) => r.Id);

  const page1 = await gql(server, `{ allApartments(first: 2, orderBy: ROW_ID_ASC) {
      totalCount pageInfo { hasNextPage endCursor } nodes { rowId name city pricePerNight currency bookedStatus } } }`);
  assert.equal(page1.allApartments.totalCount, ids.length);
  assert.deepEqual(page1.allApartments.nodes.map((n) => n.rowId), ids.slice(0, 2));
  assert.equal(page1.allApartments.pageInfo.hasNextPage, true);

  const page2 = await gql(server, `query ($after: Cursor) { allApartments(first: 2, after: $after, orderBy: ROW_ID_ASC) { nodes { rowId } } }`,
    { after: page1.allApartments.pageInfo.endCursor });
  assert.deepEqual(page2.allApartments.nodes.map((n) => n.rowId), ids.slice(2, 4));

  const offset = await gql(server, `{ allApartments(first: 1, offset: 1, orderBy: ROW_ID_ASC) { nodes { rowId } } }`);
  assert.deepEqual(offset.allApartments.nodes.map((n) => n.rowId), [ids[1]]);

  // filter (connection-filter) and condition (equality) on ordinary columns
  const { rows: [apt] } = await admin().query(`select "Id", city from booking_app.apartments order by "Id" limit 1`);
  const byCity = await gql(server, `query ($city: String!) { allApartments(filter: {city: {equalTo: $city}}) { nodes { rowId city } } }`, { city: apt.city });
  assert.ok(byCity.allApartments.nodes.some((n) => n.rowId === apt.Id));
  assert.ok(byCity.allApartments.nodes.every((n) => n.city === apt.city));
  const cond = await gql(server, `query ($id: String!) { allApartments(condition: {rowId: $id}) { nodes { rowId } } }`, { id: apt.Id });
  assert.deepEqual(cond.allApartments.nodes, [{ rowId: apt.Id }]);
  const cheap = await gql(server, `{ allApartments(filter: {pricePerNight: {lessThan: "100"}}, orderBy: PRICE_PER_NIGHT_DESC) { nodes { pricePerNight } } }`);
  const prices = cheap.allApartments.nodes.map((n) => Number(n.pricePerNight));
  assert.ok(prices.every((p) => p < 100));
  assert.deepEqual(prices, [...prices].sort((a, b) => b - a));

  const one = await gql(server, `query ($id: String!) { apartmentByRowId(rowId: $id) { rowId id } }`, { id: apt.Id });
  assert.equal(one.apartmentByRowId.rowId, apt.Id);
  const node = await gql(server, `query ($id: ID!) { apartment(id: $id) { rowId } }`, { id: one.apartmentByRowId.id });
  assert.equal(node.apartment.rowId, apt.Id);
});

test("state machines and executions: lookups, relations, filters", async () => {
  const sm = await gql(server, `{ allStateMachines(orderBy: NAME_ASC) { totalCount nodes { name arn type currentVersion
      stateMachineVersionsByMachineId { nodes { version definition } } } } }`);
  const names = sm.allStateMachines.nodes.map((n) => n.name);
  assert.ok(names.includes("booking_step_function") && names.includes("reserve_apartment"), names.join());
  const article = sm.allStateMachines.nodes.find((n) => n.name === "booking_step_function");
  assert.match(article.arn, /^arn:aws:states:[^:]+:\d+:stateMachine:booking_step_function$/);
  assert.equal(article.stateMachineVersionsByMachineId.nodes[0].definition.StartAt, "Change Apartment Status");

  const name = `api-${Date.now().toString(36)}`;
  await gql(server, `mutation ($input: StepFunctionsInput!) { addStepFunction(input: $input) { id } }`,
    { input: { id: name, arn: article.arn } });

  const byName = await gql(server, `query ($name: String!) { allExecutions(condition: {name: $name}) {
      nodes { arn name status input startDate stateMachineByMachineId { name } } } }`, { name });
  assert.equal(byName.allExecutions.nodes.length, 1);
  const ex = byName.allExecutions.nodes[0];
  assert.equal(ex.stateMachineByMachineId.name, "booking_step_function");
  const { rows: [db] } = await admin().query(`select status from booking.executions where arn = $1`, [ex.arn]);
  assert.equal(ex.status, db.status);

  const byArn = await gql(server, `query ($arn: String!) { executionByArn(arn: $arn) { name } }`, { arn: ex.arn });
  assert.equal(byArn.executionByArn.name, name);

  // filters across the extension's columns, newest first, paged
  const filtered = await gql(server, `query ($m: BigInt!) { allExecutions(
      filter: {machineId: {equalTo: $m}, status: {in: ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]}, name: {startsWith: "api-"}},
      orderBy: START_DATE_DESC, first: 1) { totalCount nodes { name } } }`,
    { m: String((await admin().query(`select id from booking.state_machines where name = 'booking_step_function'`)).rows[0].id) });
  assert.ok(filtered.allExecutions.totalCount >= 1);
  assert.equal(filtered.allExecutions.nodes[0].name, name);

  // executions reached from their state machine
  const nested = await gql(server, `{ stateMachineByName(name: "booking_step_function") {
      executionsByMachineId(condition: {name: "${name}"}) { nodes { name } } } }`);
  assert.deepEqual(nested.stateMachineByName.executionsByMachineId.nodes, [{ name }]);
});

test("reserveApartment and recordPayment mutations", async () => {
  const { rows } = await admin().query(
    `select "Id" from booking_app.apartments where "Id" <> '1234567' and "bookedStatus" = 'VACANT' order by "Id" desc limit 1`);
  assert.equal(rows.length, 1, "a vacant apartment to reserve");
  const id = rows[0].Id;

  const reserved = await gql(server, `mutation ($id: String!) {
      reserveApartment(input: {apartmentId: $id, guest: "Ada Lovelace", paymentWindowSeconds: 3600}) { result } }`, { id });
  const executionArn = reserved.reserveApartment.result;
  assert.match(executionArn, /:execution:reserve_apartment:/);
  const after1 = await gql(server, `query ($id: String!) { apartmentByRowId(rowId: $id) { bookedStatus guest } }`, { id });
  assert.deepEqual(after1.apartmentByRowId, { bookedStatus: "RESERVED", guest: "Ada Lovelace" });
  const ex = await gql(server, `query ($arn: String!) { executionByArn(arn: $arn) { status state } }`, { arn: executionArn });
  assert.equal(ex.executionByArn.status, "RUNNING");

  const paid = await gql(server, `mutation ($id: String!) { recordPayment(input: {apartmentId: $id, amount: "240.00"}) {
      payment: result { rowId apartmentId guest amount paidAt apartmentByApartmentId { bookedStatus } } } }`, { id });
  const p = paid.recordPayment.payment;
  assert.equal(p.apartmentId, id);
  assert.equal(Number(p.amount), 240);
  assert.equal(p.guest, "Ada Lovelace");
  assert.equal(p.apartmentByApartmentId.bookedStatus, "PAID");
  const payments = await gql(server, `query ($id: String!) { allPayments(condition: {apartmentId: $id}) { totalCount } }`, { id });
  assert.equal(payments.allPayments.totalCount, 1);

  // paying again: the application refuses (no reservation), the client sees why
  const again = await post(server.url, { query: `mutation ($id: String!) { recordPayment(input: {apartmentId: $id, amount: "1"}) { result { rowId } } }`, variables: { id } }, { apiKey: API_KEY });
  assert.equal(again.json.data.recordPayment, null);
  assert.match(again.json.errors[0].message, /RESERVED/);
  assert.match(again.json.errors[0].extensions.sqlstate, /^[0-9A-Z]{5}$/);
  await admin().query(`select booking.sfn_stop_execution($1)`, [executionArn]);
});

test("read-only: no mutations but the application's; the role has no more rights than the API", async () => {
  const data = await gql(server, `{ __schema { mutationType { fields { name } } } }`);
  assert.deepEqual(data.__schema.mutationType.fields.map((f) => f.name).sort(),
    ["addStepFunction", "recordPayment", "reserveApartment"]);

  const { rows: [r] } = await admin().query(`select
      rolsuper, rolcreaterole, rolcreatedb, rolbypassrls,
      has_schema_privilege('booking_graphql', 'booking', 'USAGE') as booking_usage,
      has_table_privilege('booking_graphql', 'booking.executions', 'SELECT') as executions_select,
      has_table_privilege('booking_graphql', 'booking_app.apartments', 'INSERT,UPDATE,DELETE') as apartments_write,
      has_table_privilege('booking_graphql', 'booking_app.payments', 'INSERT,UPDATE,DELETE') as payments_write,
      has_table_privilege('booking_graphql', 'booking_api.executions', 'SELECT') as view_select,
      has_table_privilege('booking_graphql', 'booking_api.executions', 'INSERT,UPDATE,DELETE') as view_write
    from pg_roles where rolname = 'booking_graphql'`);
  assert.deepEqual(r, {
    rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false,
    booking_usage: true, executions_select: false, apartments_write: false, payments_write: false,
    view_select: true, view_write: false,
  });

  // the server really connects as that role
  const pg = (await import("pg")).default;
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    assert.equal((await c.query("select current_user as u")).rows[0].u, "booking_graphql");
    await assert.rejects(c.query(`update booking_app.apartments set "bookedStatus" = 'PAID'`), /permission denied/);
    // it starts the workflows granted to it (sfn_grant in roles.sql), no other
    await admin().query(`select booking.sfn_create_state_machine('not_for_graphql',
      '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}', role => 'booking_workflow')`);
    try {
      await assert.rejects(c.query(`select booking.sfn_start('not_for_graphql')`),
        /AccessDeniedException: role "booking_graphql" does not hold START on state machine "not_for_graphql"/);
      await assert.rejects(c.query(`select booking.sfn_describe_state_machine('not_for_graphql')`), /permission denied/);
      await assert.rejects(c.query(`update booking.state_machines set role = 'postgres'`), /permission denied/);
      await assert.rejects(c.query(`select token from booking.task_tokens`), /permission denied/);
    } finally {
      await admin().query(`select booking.sfn_delete_state_machine('not_for_graphql')`);
    }
  } finally {
    await c.end();
  }
});
