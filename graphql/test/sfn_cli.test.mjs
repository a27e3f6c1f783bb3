// The Step Functions API endpoint through the installed aws CLI (v1): the
// booking flow end to end, paging with --page-size 2 (the CLI follows
// nextToken itself), the Terraform-style sequence, a callback, an activity
// worker, and the error paths as the CLI reports them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { admin, closeAll } from "./lib/client.mjs";
import { startSfn, cli, REGION, ACCOUNT } from "./lib/sfn.mjs";

let server;
let url;
const run = "cli" + Date.now().toString(36);
const arnOf = (name) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
const sf = async (...args) => {
  const r = await cli(url, args);
  assert.equal(r.code, 0, `aws stepfunctions ${args.join(" ")}: ${r.stderr}`);
  return r.json;
};
const fails = async (exception, ...args) => {
  const r = await cli(url, args);
  assert.notEqual(r.code, 0, `aws stepfunctions ${args.join(" ")} should fail`);
  assert.match(r.stderr, new RegExp(`\\(${exception}\\)`), `aws stepfunctions ${args.join(" ")}: ${r.stderr}`);
};

before(async () => {
  server = await startSfn();
  url = server.sfnUrl;
});
after(async () => {
  await server?.stop();
  await closeAll();
});

test("the booking flow: reserve, pay by callback, read the history two events a page", async (t) => {
  // an apartment of its own, so the other test files still find the seed's vacant
  const apartment = `cli-${run}`;
  await admin().query(`INSERT INTO booking_app.apartments ("Id", name, city, price_per_night) VALUES ($1, 'CLI test', 'Nowhere', 1)`, [apartment]);
  t.after(() => admin().query(`DELETE FROM booking_app.awaited_payments WHERE "apartmentId" = $1`, [apartment])
    .then(() => admin().query(`DELETE FROM booking_app.apartments WHERE "Id" = $1`, [apartment])));
  const machines = await sf("list-state-machines", "--page-size", "2");
  assert.ok(machines.stateMachines.length >= 4, "every page followed");
  assert.ok(machines.stateMachines.some((m) => m.name === "reserve_apartment_callback"));
  const { executionArn } = await sf("start-execution", "--state-machine-arn", arnOf("reserve_apartment_callback"), "--name", `pay-${run}`,
    "--input", JSON.stringify({ apartmentId: apartment, guest: "Bea", reservedUntil: "2030-01-01T00:00:00Z", paymentWindowSeconds: 300 }));
  assert.equal((await sf("describe-execution", "--execution-arn", executionArn)).status, "RUNNING");
  const { rows } = await admin().query("SELECT task_token FROM booking_app.awaited_payments WHERE \"apartmentId\" = $1", [apartment]);
  await sf("send-task-heartbeat", "--task-token", rows[0].task_token);
  await sf("send-task-success", "--task-token", rows[0].task_token, "--task-output", JSON.stringify({ amount: 120 }));
  const d = await sf("describe-execution", "--execution-arn", executionArn);
  assert.equal(d.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(d.output), { apartmentId: apartment, guest: "Bea", payment: { amount: 120 }, outcome: "PAID" });
  const apt = await admin().query("SELECT \"bookedStatus\" FROM booking_app.apartments WHERE \"Id\" = $1", [apartment]);
  assert.equal(apt.rows[0].bookedStatus, "PAID");
  const history = await sf("get-execution-history", "--execution-arn", executionArn, "--page-size", "2");
  assert.equal(history.events[0].type, "ExecutionStarted");
  assert.equal(history.events.at(-1).type, "ExecutionSucceeded");
  assert.deepEqual(history.events.map((e) => e.id), history.events.map((_, i) => i + 1), "pages joined in order, none twice");
  const listed = await sf("list-executions", "--state-machine-arn", arnOf("reserve_apartment_callback"), "--status-filter", "SUCCEEDED", "--page-size", "2");
  assert.ok(listed.executions.some((e) => e.executionArn === executionArn));
  assert.equal(new Set(listed.executions.map((e) => e.executionArn)).size, listed.executions.length);
  await fails("TaskDoesNotExist", "send-task-success", "--task-token", rows[0].task_token, "--task-output", "{}");
});

test("a Terraform-style sequence with the CLI", async () => {
  const name = `tf-${run}`;
  const def = JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", End: true } } });
  const v = await sf("validate-state-machine-definition", "--definition", def);
  assert.equal(v.result, "OK");
  const c = await sf("create-state-machine", "--name", name, "--definition", def, "--role-arn", `arn:aws:iam::${ACCOUNT}:role/sfn`,
    "--tags", "key=owner,value=cli", "--publish");
  assert.equal(c.stateMachineVersionArn, arnOf(name) + ":1");
  const d = await sf("describe-state-machine", "--state-machine-arn", c.stateMachineArn);
  assert.equal(d.roleArn, `arn:aws:iam::${ACCOUNT}:role/sfn`);
  assert.deepEqual((await sf("list-tags-for-resource", "--resource-arn", c.stateMachineArn)).tags, [{ key: "owner", value: "cli" }]);
  assert.equal((await sf("list-state-machine-versions", "--state-machine-arn", c.stateMachineArn)).stateMachineVersions.length, 1);
  const u = await sf("update-state-machine", "--state-machine-arn", c.stateMachineArn, "--definition",
    JSON.stringify({ StartAt: "B", States: { B: { Type: "Pass", End: true } } }), "--publish", "--version-description", "B");
  assert.equal(u.stateMachineVersionArn, arnOf(name) + ":2");
  await sf("delete-state-machine", "--state-machine-arn", c.stateMachineArn);
  await fails("StateMachineDoesNotExist", "describe-state-machine", "--state-machine-arn", c.stateMachineArn);
});

test("an activity worker with the CLI: get-activity-task waits for the task", async () => {
  const act = await sf("create-activity", "--name", `act-${run}`);
  const def = JSON.stringify({ StartAt: "W", States: { W: { Type: "Task", Resource: act.activityArn, End: true } } });
  const m = await sf("create-state-machine", "--name", `act-${run}`, "--definition", def, "--role-arn", "arn:aws:iam::1:role/r");
  const polling = cli(url, ["get-activity-task", "--activity-arn", act.activityArn, "--worker-name", "cli"]);
  await new Promise((r) => setTimeout(r, 1500)); // the CLI is slow to start: let it wait first
  const { executionArn } = await sf("start-execution", "--state-machine-arn", m.stateMachineArn, "--input", "{\"job\":1}");
  const task = await polling;
  assert.equal(task.code, 0, task.stderr);
  assert.deepEqual(JSON.parse(task.json.input), { job: 1 });
  await sf("send-task-failure", "--task-token", task.json.taskToken, "--error", "Worker.Broke", "--cause", "cli");
  const d = await sf("describe-execution", "--execution-arn", executionArn);
  assert.equal(d.status, "FAILED");
  assert.equal(d.error, "Worker.Broke");
  assert.ok((await sf("list-activities", "--page-size", "2")).activities.some((a) => a.activityArn === act.activityArn));
  await sf("delete-state-machine", "--state-machine-arn", m.stateMachineArn);
  await sf("delete-activity", "--activity-arn", act.activityArn);
});

test("error paths as the CLI reports them", async () => {
  await fails("StateMachineDoesNotExist", "start-execution", "--state-machine-arn", arnOf(`none-${run}`));
  await fails("InvalidArn", "describe-execution", "--execution-arn", "arn:aws:states:bad");
  await fails("ExecutionDoesNotExist", "describe-execution", "--execution-arn", `arn:aws:states:${REGION}:${ACCOUNT}:execution:reserve_apartment:none-${run}`);
  await fails("InvalidDefinition", "create-state-machine", "--name", `bad-${run}`, "--definition", "{}", "--role-arn", "r");
  await fails("InvalidExecutionInput", "start-execution", "--state-machine-arn", arnOf("reserve_apartment"), "--input", "{nope");
  await fails("InvalidToken", "list-executions", "--state-machine-arn", arnOf("reserve_apartment"), "--starting-token",
    Buffer.from(JSON.stringify({ nextToken: "bogus" })).toString("base64"));
  await fails("ResourceNotFound", "describe-map-run", "--map-run-arn", `arn:aws:states:${REGION}:${ACCOUNT}:mapRun:m/x:y`);
  await fails("ActivityDoesNotExist", "describe-activity", "--activity-arn", `arn:aws:states:${REGION}:${ACCOUNT}:activity:none-${run}`);
});
