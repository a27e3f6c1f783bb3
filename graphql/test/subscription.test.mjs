// Subscriptions over graphql-ws on /graphql: execution status changes, from the
// extension's NOTIFY booking_execution at commit, to the subscribed client.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, API_KEY } from "./lib/server.mjs";
import { gql, admin, closeAll, wsClient, subscribe, connected } from "./lib/client.mjs";

const SUBSCRIPTION = `subscription ($arn: String) {
  executionStatusChanged(executionArn: $arn) {
    executionArn
    status
    execution { name status stateMachineByMachineId { name } }
  }
}`;

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await closeAll();
  await server?.stop();
});

async function vacantApartment() {
  const { rows } = await admin().query(
    `select "Id" from booking_app.apartments where "bookedStatus" = 'VACANT' and "Id" <> '1234567' order by "Id" limit 1`);
  assert.equal(rows.length, 1, "a vacant apartment");
  return rows[0].Id;
}

// the next event of sub about executionArn (others are skipped)
async function nextAbout(sub, executionArn, timeoutMs) {
  for (;;) {
    const ev = await sub.next(timeoutMs);
    assert.ok(ev.value, `subscription ended: ${JSON.stringify(ev)}`);
    assert.equal(ev.value.errors, undefined, JSON.stringify(ev.value.errors));
    const change = ev.value.data.executionStatusChanged;
    if (change.executionArn === executionArn) return change;
  }
}

test("a subscriber receives RUNNING at the start's commit, then SUCCEEDED when the unpaid window's timer fires", async () => {
  const client = wsClient(server, { connectionParams: { "x-api-key": API_KEY } });
  const sub = subscribe(client, { query: SUBSCRIPTION, variables: {} });
  await connected(client);
  await new Promise((r) => setTimeout(r, 300)); // the subscribe message reaches the server

  const id = await vacantApartment();
  const { reserveApartment } = await gql(server, `mutation ($id: String!) {
      reserveApartment(input: {apartmentId: $id, guest: "Grace Hopper", paymentWindowSeconds: 60}) { result } }`, { id });
  const arn = reserveApartment.result;

  const started = await nextAbout(sub, arn, 10000);
  assert.equal(started.status, "RUNNING");
  assert.equal(started.execution.stateMachineByMachineId.name, "reserve_apartment");
  assert.equal(started.execution.name, arn.split(":").pop());

  // the window is not waited out: its timer is made due, then ticked (a timer
  // worker may fire it first; either way the execution ends once)
  await admin().query("update booking.executions set due_at = clock_timestamp() where arn = $1", [arn]);
  await admin().query("select booking.sfn_tick()");
  const ended = await nextAbout(sub, arn, 10000);
  // unpaid: the workflow releases the apartment and succeeds with outcome EXPIRED
  assert.equal(ended.status, "SUCCEEDED");
  assert.equal(ended.execution.status, "SUCCEEDED");
  const { rows: [db] } = await admin().query(
    `select status, output->>'outcome' as outcome from booking.executions where arn = $1`, [arn]);
  assert.deepEqual([db.status, db.outcome], ["SUCCEEDED", "EXPIRED"]);
  sub.close();
});

test("executionArn narrows the subscription to one execution; a stop is delivered only at its commit", async () => {
  const article = (await gql(server, `{ stateMachineByName(name: "booking_step_function") { arn } }`)).stateMachineByName.arn;
  const name = `sub-${Date.now().toString(36)}`;
  const arn = `${article.replace(":stateMachine:", ":execution:")}:${name}`;

  const client = wsClient(server, { connectionParams: { "x-api-key": API_KEY } });
  const sub = subscribe(client, { query: SUBSCRIPTION, variables: { arn } });
  await connected(client);
  await new Promise((r) => setTimeout(r, 300));

  // another execution first: not delivered to this subscription
  await gql(server, `mutation ($input: StepFunctionsInput!) { addStepFunction(input: $input) { id } }`,
    { input: { id: `${name}-other`, arn: article } });
  await gql(server, `mutation ($input: StepFunctionsInput!) { addStepFunction(input: $input) { id } }`,
    { input: { id: name, arn: article } });
  const first = (await sub.next(10000)).value.data.executionStatusChanged;
  assert.equal(first.executionArn, arn, "only the named execution");
  assert.equal(first.status, "RUNNING");

  // the article's machine waits 60 s: stop it, in a transaction kept open a moment
  const c = await admin().connect();
  try {
    await c.query("begin");
    await c.query("select booking.sfn_stop_execution($1)", [arn]);
    await assert.rejects(sub.next(700), /no subscription event/, "nothing before the commit");
    await c.query("commit");
  } finally {
    c.release();
  }
  const stopped = (await sub.next(10000)).value.data.executionStatusChanged;
  assert.deepEqual([stopped.executionArn, stopped.status, stopped.execution.status], [arn, "ABORTED", "ABORTED"]);
  sub.close();
});
