// The Step Functions API endpoint (src/sfn) through @aws-sdk/client-sfn and raw
// AWS JSON 1.0 requests, against the real server on a private cluster.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { gunzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import * as S from "@aws-sdk/client-sfn";
import { admin, closeAll } from "./lib/client.mjs";
import { startSfn, sdk, raw, until, ACCOUNT, REGION } from "./lib/sfn.mjs";
import { sign } from "../src/sfn/sigv4.mjs";

let server;
let sfn;
const run = Date.now().toString(36);
const arnOf = (name) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
const PASS = { StartAt: "P", States: { P: { Type: "Pass", Result: { v: 1 }, End: true } } };

async function rejects(promise, name) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    return true;
  });
}

before(async () => {
  server = await startSfn();
  sfn = sdk(server.sfnUrl);
});
after(async () => {
  sfn?.destroy();
  await server?.stop();
  await closeAll();
});

function serviceModel() {
  const dir = execFileSync("python3", ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"]).toString().trim();
  const file = `${dir}/data/stepfunctions/2016-11-23/service-2.json`;
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    text = gunzipSync(readFileSync(file + ".gz")).toString("utf8");
  }
  return JSON.parse(text);
}

test("every operation of the installed service model is answered", async () => {
  const model = serviceModel();
  const ops = Object.keys(model.operations);
  assert.equal(ops.length, 37);
  for (const op of ops) {
    const r = await raw(server.sfnUrl, op, {});
    assert.ok(r.json, `${op}: a JSON body`);
    assert.notEqual(r.json.__type, "UnknownOperationException", `${op} is served`);
    assert.ok(r.status === 200 || r.status === 400, `${op}: HTTP ${r.status} ${r.text}`);
    if (r.status === 400) {
      const declared = (model.operations[op].errors ?? []).map((e) => e.shape);
      // a missing required member is ValidationException, as AWS's front door says
      assert.ok(declared.includes(r.json.__type) || r.json.__type === "ValidationException",
        `${op}: ${r.json.__type} is not among the model's errors ${declared}`);
    }
  }
});

test("protocol errors: unknown action, malformed body, wrong method", async () => {
  let r = await raw(server.sfnUrl, "NoSuchAction", {});
  assert.equal(r.status, 400);
  assert.equal(r.json.__type, "UnknownOperationException");
  r = await raw(server.sfnUrl, "ListStateMachines", "{not json");
  assert.equal(r.json.__type, "SerializationException");
  r = await raw(server.sfnUrl, "ListStateMachines", "[1]");
  assert.equal(r.json.__type, "SerializationException");
  r = await raw(server.sfnUrl, null, {});
  assert.equal(r.json.__type, "UnknownOperationException");
  const res = await fetch(server.sfnUrl + "/", { method: "GET" });
  assert.equal(res.status, 404);
  r = await raw(server.sfnUrl, "ListStateMachines", { maxResults: "x" });
  assert.equal(r.json.__type, "SerializationException");
});

test("a Terraform-style sequence: validate, create with tags, describe, versions, update, delete", async () => {
  const name = `tf-${run}`;
  const v = await sfn.send(new S.ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(PASS) }));
  assert.equal(v.result, "OK");
  const bad = await sfn.send(new S.ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ StartAt: "X", States: {} }) }));
  assert.equal(bad.result, "FAIL");
  assert.ok(bad.diagnostics.length > 0 && bad.diagnostics[0].location);

  const roleArn = `arn:aws:iam::${ACCOUNT}:role/tf-role`;
  const created = await sfn.send(new S.CreateStateMachineCommand({
    name, definition: JSON.stringify(PASS), roleArn, type: "STANDARD", publish: true,
    tags: [{ key: "env", value: "test" }, { key: "team", value: "booking" }],
  }));
  assert.equal(created.stateMachineArn, arnOf(name), "ARNs carry the signing region and the access key's account");
  assert.equal(created.stateMachineVersionArn, arnOf(name) + ":1");
  assert.ok(created.creationDate instanceof Date);

  const d = await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
  assert.equal(d.roleArn, roleArn, "the role ARN is echoed as given");
  assert.deepEqual(JSON.parse(d.definition), PASS);
  assert.equal(d.status, "ACTIVE");
  const tags = await sfn.send(new S.ListTagsForResourceCommand({ resourceArn: created.stateMachineArn }));
  assert.deepEqual(tags.tags, [{ key: "env", value: "test" }, { key: "team", value: "booking" }]);

  let versions = await sfn.send(new S.ListStateMachineVersionsCommand({ stateMachineArn: created.stateMachineArn }));
  assert.deepEqual(versions.stateMachineVersions.map((x) => x.stateMachineVersionArn), [arnOf(name) + ":1"]);

  // an update without publish makes a revision, not a version
  const def2 = { ...PASS, States: { P: { Type: "Pass", Result: { v: 2 }, End: true } } };
  const u1 = await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, definition: JSON.stringify(def2) }));
  assert.equal(u1.stateMachineVersionArn, undefined);
  assert.equal(u1.revisionId, "2");
  versions = await sfn.send(new S.ListStateMachineVersionsCommand({ stateMachineArn: created.stateMachineArn }));
  assert.equal(versions.stateMachineVersions.length, 1);
  // published on request, numbered after the last published
  const p = await sfn.send(new S.PublishStateMachineVersionCommand({ stateMachineArn: created.stateMachineArn, description: "two" }));
  assert.equal(p.stateMachineVersionArn, arnOf(name) + ":2");
  await rejects(sfn.send(new S.PublishStateMachineVersionCommand({ stateMachineArn: created.stateMachineArn, revisionId: "1" })), "ConflictException");
  versions = await sfn.send(new S.ListStateMachineVersionsCommand({ stateMachineArn: created.stateMachineArn, maxResults: 1 }));
  assert.deepEqual(versions.stateMachineVersions.map((x) => x.stateMachineVersionArn), [arnOf(name) + ":2"]);
  assert.ok(versions.nextToken);
  versions = await sfn.send(new S.ListStateMachineVersionsCommand({ stateMachineArn: created.stateMachineArn, maxResults: 1, nextToken: versions.nextToken }));
  assert.deepEqual(versions.stateMachineVersions.map((x) => x.stateMachineVersionArn), [arnOf(name) + ":1"]);
  // version 1 still runs its own definition
  const s1 = await sfn.send(new S.StartSyncExecutionCommand({ stateMachineArn: arnOf(name) + ":1" }));
  assert.deepEqual(JSON.parse(s1.output), { v: 1 });
  const s2 = await sfn.send(new S.StartSyncExecutionCommand({ stateMachineArn: arnOf(name) }));
  assert.deepEqual(JSON.parse(s2.output), { v: 2 });

  await sfn.send(new S.UntagResourceCommand({ resourceArn: created.stateMachineArn, tagKeys: ["team"] }));
  assert.deepEqual((await sfn.send(new S.ListTagsForResourceCommand({ resourceArn: created.stateMachineArn }))).tags,
    [{ key: "env", value: "test" }]);

  await sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
  await until("the machine to be gone", async () => {
    try {
      await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
      return false;
    } catch (e) {
      assert.equal(e.name, "StateMachineDoesNotExist");
      return true;
    }
  });
  // deleting again succeeds, as AWS
  await sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
});

test("aliases route starts to versions by weight", async () => {
  const name = `alias-${run}`;
  const one = { StartAt: "P", States: { P: { Type: "Pass", Result: 1, End: true } } };
  const two = { StartAt: "P", States: { P: { Type: "Pass", Result: 2, End: true } } };
  const { stateMachineArn } = await sfn.send(new S.CreateStateMachineCommand({ name, definition: JSON.stringify(one), roleArn: "arn:aws:iam::1:role/r", publish: true }));
  await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn, definition: JSON.stringify(two), publish: true }));
  const a = await sfn.send(new S.CreateStateMachineAliasCommand({
    name: "live", description: "half and half",
    routingConfiguration: [{ stateMachineVersionArn: stateMachineArn + ":1", weight: 50 }, { stateMachineVersionArn: stateMachineArn + ":2", weight: 50 }],
  }));
  assert.equal(a.stateMachineAliasArn, stateMachineArn + ":live");
  const seen = new Set();
  for (let i = 0; i < 40 && seen.size < 2; i++) {
    const r = await sfn.send(new S.StartSyncExecutionCommand({ stateMachineArn: a.stateMachineAliasArn }));
    seen.add(JSON.parse(r.output));
  }
  assert.deepEqual([...seen].sort(), [1, 2], "both versions ran through the alias");
  await sfn.send(new S.UpdateStateMachineAliasCommand({ stateMachineAliasArn: a.stateMachineAliasArn,
    routingConfiguration: [{ stateMachineVersionArn: stateMachineArn + ":1", weight: 100 }] }));
  for (let i = 0; i < 5; i++) {
    const r = await sfn.send(new S.StartSyncExecutionCommand({ stateMachineArn: a.stateMachineAliasArn }));
    assert.equal(JSON.parse(r.output), 1);
  }
  const d = await sfn.send(new S.DescribeStateMachineAliasCommand({ stateMachineAliasArn: a.stateMachineAliasArn }));
  assert.equal(d.name, "live");
  assert.equal(d.description, "half and half");
  assert.deepEqual(d.routingConfiguration, [{ stateMachineVersionArn: stateMachineArn + ":1", weight: 100 }]);
  const list = await sfn.send(new S.ListStateMachineAliasesCommand({ stateMachineArn }));
  assert.deepEqual(list.stateMachineAliases.map((x) => x.stateMachineAliasArn), [a.stateMachineAliasArn]);
  await rejects(sfn.send(new S.DeleteStateMachineVersionCommand({ stateMachineVersionArn: stateMachineArn + ":1" })), "ConflictException");
  await rejects(sfn.send(new S.CreateStateMachineAliasCommand({ name: "bad",
    routingConfiguration: [{ stateMachineVersionArn: stateMachineArn + ":1", weight: 60 }] })), "ValidationException");
  await sfn.send(new S.DeleteStateMachineAliasCommand({ stateMachineAliasArn: a.stateMachineAliasArn }));
  await rejects(sfn.send(new S.DescribeStateMachineAliasCommand({ stateMachineAliasArn: a.stateMachineAliasArn })), "ResourceNotFound");
  await sfn.send(new S.DeleteStateMachineVersionCommand({ stateMachineVersionArn: stateMachineArn + ":1" }));
  await rejects(sfn.send(new S.StartExecutionCommand({ stateMachineArn: stateMachineArn + ":1" })), "StateMachineDoesNotExist");
  await sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn }));
});

test("the article's booking flow: start, the payment window's timer, history paged", async (t) => {
  const machine = arnOf("booking_step_function");
  const name = `article-${run}`;
  const input = { details: { accountId: "1234567", bookedStatus: "Booked" } };
  const before = (await admin().query("SELECT \"bookedStatus\" FROM booking_app.apartments WHERE \"Id\" = '1234567'")).rows[0].bookedStatus;
  t.after(() => admin().query("UPDATE booking_app.apartments SET \"bookedStatus\" = $1 WHERE \"Id\" = '1234567'", [before]));
  const started = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: machine, name, input: JSON.stringify(input) }));
  assert.equal(started.executionArn, `arn:aws:states:${REGION}:${ACCOUNT}:execution:booking_step_function:${name}`);
  let d = await sfn.send(new S.DescribeExecutionCommand({ executionArn: started.executionArn }));
  assert.equal(d.status, "RUNNING");
  assert.deepEqual(JSON.parse(d.input), input);
  // the first task set the apartment's status from the input
  const row = await admin().query("SELECT \"bookedStatus\" FROM booking_app.apartments WHERE \"Id\" = '1234567'");
  assert.equal(row.rows[0].bookedStatus, "Booked");
  // the payment window (Wait 60 s): the tick fires it now
  await admin().query("UPDATE booking.executions SET due_at = now() WHERE arn = $1", [started.executionArn]);
  await admin().query("SELECT booking.sfn_tick()");
  d = await until("the execution to end", async () => {
    const x = await sfn.send(new S.DescribeExecutionCommand({ executionArn: started.executionArn }));
    return x.status !== "RUNNING" && x;
  });
  // as the article's definition is written, "Get Booking Status" reads Key "id" (not the
  // table's key "Id"): the task fails, its Catch goes to the Fail state
  assert.equal(d.status, "FAILED");
  assert.ok(d.stopDate instanceof Date);
  const forExec = await sfn.send(new S.DescribeStateMachineForExecutionCommand({ executionArn: started.executionArn }));
  assert.equal(forExec.name, "booking_step_function");
  assert.equal(JSON.parse(forExec.definition).StartAt, "Change Apartment Status");

  // the history, two events a page, forwards and backwards
  const events = [];
  for await (const p of S.paginateGetExecutionHistory({ client: sfn, pageSize: 2 }, { executionArn: started.executionArn })) {
    assert.ok(p.events.length <= 2);
    events.push(...p.events);
  }
  assert.equal(events[0].type, "ExecutionStarted");
  assert.deepEqual(events.map((e) => e.type), ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
    "TaskSucceeded", "TaskStateExited", "WaitStateEntered", "WaitStateExited", "TaskStateEntered", "TaskScheduled",
    "TaskStarted", "TaskFailed", "TaskStateExited", "FailStateEntered", "ExecutionFailed"]);
  assert.equal(events[8].stateEnteredEventDetails.name, "Get Booking Status");
  assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1));
  const back = [];
  for await (const p of S.paginateGetExecutionHistory({ client: sfn, pageSize: 3 }, { executionArn: started.executionArn, reverseOrder: true }))
    back.push(...p.events);
  assert.deepEqual(back.map((e) => e.id), events.map((e) => e.id).reverse());
  const meta = await sfn.send(new S.GetExecutionHistoryCommand({ executionArn: started.executionArn, includeExecutionData: false }));
  assert.equal(meta.events[0].executionStartedEventDetails.input, undefined);

  const listed = [];
  for await (const p of S.paginateListExecutions({ client: sfn, pageSize: 1 }, { stateMachineArn: machine, statusFilter: "FAILED" }))
    listed.push(...p.executions);
  assert.ok(listed.some((e) => e.executionArn === started.executionArn));
  assert.equal(new Set(listed.map((e) => e.executionArn)).size, listed.length, "no execution twice across pages");
});

test("a callback answered through the API", async (t) => {
  // an apartment of its own, so the other test files still find the seed's vacant
  const apartment = `sfn-${run}`;
  await admin().query(`INSERT INTO booking_app.apartments ("Id", name, city, price_per_night) VALUES ($1, 'SDK test', 'Nowhere', 1)`, [apartment]);
  t.after(() => admin().query(`DELETE FROM booking_app.awaited_payments WHERE "apartmentId" = $1`, [apartment])
    .then(() => admin().query(`DELETE FROM booking_app.apartments WHERE "Id" = $1`, [apartment])));
  const machine = arnOf("reserve_apartment_callback");
  const { executionArn } = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: machine, name: `cb-${run}`,
    input: JSON.stringify({ apartmentId: apartment, guest: "Ann", reservedUntil: "2030-01-01T00:00:00Z", paymentWindowSeconds: 300 }) }));
  const { rows } = await admin().query("SELECT task_token FROM booking_app.awaited_payments WHERE \"apartmentId\" = $1", [apartment]);
  assert.equal(rows.length, 1);
  const token = rows[0].task_token;
  await rejects(sfn.send(new S.SendTaskSuccessCommand({ taskToken: token, output: "{not json" })), "InvalidOutput");
  await sfn.send(new S.SendTaskHeartbeatCommand({ taskToken: token }));
  await sfn.send(new S.SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ paid: 85 }) }));
  const d = await sfn.send(new S.DescribeExecutionCommand({ executionArn }));
  assert.equal(d.status, "SUCCEEDED");
  assert.equal(JSON.parse(d.output).outcome, "PAID");
  await rejects(sfn.send(new S.SendTaskSuccessCommand({ taskToken: token, output: "{}" })), "TaskDoesNotExist");
});

test("a long-polling activity worker is woken by the database", async () => {
  const act = await sfn.send(new S.CreateActivityCommand({ name: `work-${run}`, tags: [{ key: "k", value: "v" }] }));
  const desc = await sfn.send(new S.DescribeActivityCommand({ activityArn: act.activityArn }));
  assert.equal(desc.name, `work-${run}`);
  assert.deepEqual((await sfn.send(new S.ListTagsForResourceCommand({ resourceArn: act.activityArn }))).tags, [{ key: "k", value: "v" }]);
  const definition = { StartAt: "Work", States: {
    Work: { Type: "Task", Resource: act.activityArn, TimeoutSeconds: 60, Retry: [{ ErrorEquals: ["Flaky"], MaxAttempts: 1, IntervalSeconds: 1 }], End: true } } };
  const { stateMachineArn } = await sfn.send(new S.CreateStateMachineCommand({ name: `worker-${run}`, definition: JSON.stringify(definition), roleArn: "arn:aws:iam::1:role/r" }));

  // the worker polls first: nothing to do yet, so the request waits
  const polled = sfn.send(new S.GetActivityTaskCommand({ activityArn: act.activityArn, workerName: "w1" }));
  await new Promise((r) => setTimeout(r, 300));
  const { executionArn } = await sfn.send(new S.StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ n: 7 }) }));
  const task = await polled;
  assert.ok(task.taskToken, "the waiting poll got the task");
  assert.deepEqual(JSON.parse(task.input), { n: 7 });
  // a failure the Retry catches, then the retried task succeeds
  await sfn.send(new S.SendTaskFailureCommand({ taskToken: task.taskToken, error: "Flaky", cause: "once" }));
  // the retry's back-off: a worker polling meanwhile is woken when the tick schedules the task again
  const againPolled = sfn.send(new S.GetActivityTaskCommand({ activityArn: act.activityArn, workerName: "w1" }));
  await new Promise((r) => setTimeout(r, 300));
  await admin().query("UPDATE booking.executions SET due_at = now() WHERE arn = $1", [executionArn]);
  await admin().query("SELECT booking.sfn_tick()");
  const again = await againPolled;
  assert.ok(again.taskToken);
  await sfn.send(new S.SendTaskSuccessCommand({ taskToken: again.taskToken, output: JSON.stringify({ done: true }) }));
  const d = await sfn.send(new S.DescribeExecutionCommand({ executionArn }));
  assert.equal(d.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(d.output), { done: true });

  const acts = [];
  for await (const p of S.paginateListActivities({ client: sfn, pageSize: 1 }, {})) acts.push(...p.activities);
  assert.ok(acts.some((a) => a.activityArn === act.activityArn));
  await sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn }));
  await sfn.send(new S.DeleteActivityCommand({ activityArn: act.activityArn }));
  await rejects(sfn.send(new S.DescribeActivityCommand({ activityArn: act.activityArn })), "ActivityDoesNotExist");
});

test("error paths name the model's exceptions", async () => {
  const missing = arnOf(`missing-${run}`);
  await rejects(sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: missing })), "StateMachineDoesNotExist");
  await rejects(sfn.send(new S.StartExecutionCommand({ stateMachineArn: missing })), "StateMachineDoesNotExist");
  await rejects(sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: "arn:aws:states:x" })), "InvalidArn");
  await rejects(sfn.send(new S.DescribeExecutionCommand({ executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:reserve_apartment:nope-${run}` })), "ExecutionDoesNotExist");
  await rejects(sfn.send(new S.CreateStateMachineCommand({ name: `bad-${run}`, definition: "{}", roleArn: "r" })), "InvalidDefinition");
  await rejects(sfn.send(new S.CreateStateMachineCommand({ name: `bad-${run}`, definition: "{nope", roleArn: "r" })), "InvalidDefinition");
  await rejects(sfn.send(new S.CreateStateMachineCommand({ name: "has space", definition: JSON.stringify(PASS), roleArn: "r" })), "InvalidName");
  await rejects(sfn.send(new S.CreateStateMachineCommand({ name: `t-${run}`, definition: JSON.stringify(PASS), roleArn: "r", type: "WEIRD" })), "StateMachineTypeNotSupported");
  const name = `dup-${run}`;
  const { stateMachineArn } = await sfn.send(new S.CreateStateMachineCommand({ name, definition: JSON.stringify(PASS), roleArn: "r" }));
  await rejects(sfn.send(new S.CreateStateMachineCommand({ name, definition: JSON.stringify({ ...PASS, Comment: "other" }), roleArn: "r" })), "StateMachineAlreadyExists");
  await rejects(sfn.send(new S.StartExecutionCommand({ stateMachineArn, input: "{bad" })), "InvalidExecutionInput");
  const wait = { StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } };
  await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn, definition: JSON.stringify(wait) }));
  const e1 = await sfn.send(new S.StartExecutionCommand({ stateMachineArn, name: "once", input: "{}" }));
  const e2 = await sfn.send(new S.StartExecutionCommand({ stateMachineArn, name: "once", input: "{}" }));
  assert.equal(e1.executionArn, e2.executionArn, "the same name and input while running is the same execution");
  await rejects(sfn.send(new S.StartExecutionCommand({ stateMachineArn, name: "once", input: "{\"other\":1}" })), "ExecutionAlreadyExists");
  await rejects(sfn.send(new S.RedriveExecutionCommand({ executionArn: e1.executionArn })), "ExecutionNotRedrivable");
  const stopped = await sfn.send(new S.StopExecutionCommand({ executionArn: e1.executionArn, error: "Stop", cause: "test" }));
  assert.ok(stopped.stopDate instanceof Date);
  assert.equal((await sfn.send(new S.DescribeExecutionCommand({ executionArn: e1.executionArn }))).status, "ABORTED");
  const r = await sfn.send(new S.RedriveExecutionCommand({ executionArn: e1.executionArn }));
  assert.ok(r.redriveDate instanceof Date);
  await rejects(sfn.send(new S.ListExecutionsCommand({ stateMachineArn, nextToken: "garbage!" })), "InvalidToken");
  await rejects(sfn.send(new S.ListExecutionsCommand({ stateMachineArn, maxResults: 5000 })), "ValidationException");
  await rejects(sfn.send(new S.ListStateMachinesCommand({ nextToken: Buffer.from(JSON.stringify({ a: "ListExecutions", k: "x" })).toString("base64url") })), "InvalidToken");
  await rejects(sfn.send(new S.ListStateMachinesCommand({ nextToken: Buffer.from(JSON.stringify({ a: "ListStateMachines", k: "zz-no-such" })).toString("base64url") })), "InvalidToken");
  await rejects(sfn.send(new S.SendTaskSuccessCommand({ taskToken: "not-a-token", output: "{}" })), "InvalidToken");
  await rejects(sfn.send(new S.DescribeActivityCommand({ activityArn: `arn:aws:states:${REGION}:${ACCOUNT}:activity:none-${run}` })), "ActivityDoesNotExist");
  await rejects(sfn.send(new S.GetActivityTaskCommand({ activityArn: `arn:aws:states:${REGION}:${ACCOUNT}:activity:none-${run}` })), "ActivityDoesNotExist");
  await rejects(sfn.send(new S.TagResourceCommand({ resourceArn: missing, tags: [{ key: "a", value: "b" }] })), "ResourceNotFound");
  await rejects(sfn.send(new S.TagResourceCommand({ resourceArn: stateMachineArn, tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: "v" })) })), "TooManyTags");
  await rejects(sfn.send(new S.DescribeMapRunCommand({ mapRunArn: `arn:aws:states:${REGION}:${ACCOUNT}:mapRun:m/x:y` })), "ResourceNotFound");
  await rejects(sfn.send(new S.UpdateMapRunCommand({ mapRunArn: `arn:aws:states:${REGION}:${ACCOUNT}:mapRun:m/x:y`, maxConcurrency: 1 })), "ResourceNotFound");
  assert.deepEqual((await sfn.send(new S.ListMapRunsCommand({ executionArn: e1.executionArn }))).mapRuns, []);
  await rejects(sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn })), "MissingRequiredParameter");
  const t = await sfn.send(new S.TestStateCommand({ definition: JSON.stringify({ Type: "Pass", Parameters: { "x.$": "$.a" }, End: true }), input: JSON.stringify({ a: 5 }), inspectionLevel: "DEBUG" }));
  assert.equal(t.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(t.output), { x: 5 });
  assert.equal(typeof t.inspectionData.input, "string");
  await sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn }));
});

test("SigV4: configured key pairs are verified and map to database roles", async () => {
  await admin().query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'booking_sfn_nobody') THEN CREATE ROLE booking_sfn_nobody NOLOGIN; END IF;
    END $$`);
  await admin().query("GRANT booking_sfn_nobody TO booking_sfn");
  const keyed = await startSfn({ slot: 1, env: {
    BOOKING_SFN_KEYS: `AKIDCLIENT0000000001:s3cret:booking_sfn_client,${ACCOUNT}:0ther:booking_sfn_nobody`,
  } });
  try {
    const ok = sdk(keyed.sfnUrl, { credentials: { accessKeyId: "AKIDCLIENT0000000001", secretAccessKey: "s3cret" } });
    const list = await ok.send(new S.ListStateMachinesCommand({}));
    assert.ok(list.stateMachines.some((m) => m.name === "reserve_apartment"));
    await rejects(sdk(keyed.sfnUrl, { credentials: { accessKeyId: "AKIDCLIENT0000000001", secretAccessKey: "wrong" } })
      .send(new S.ListStateMachinesCommand({})), "InvalidSignatureException");
    await rejects(sdk(keyed.sfnUrl, { credentials: { accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x" } })
      .send(new S.ListStateMachinesCommand({})), "UnrecognizedClientException");
    const r = await raw(keyed.sfnUrl, "ListStateMachines", {});
    assert.equal(r.status, 403);
    assert.equal(r.json.__type, "MissingAuthenticationTokenException");
    // a body changed after signing does not verify
    const body = JSON.stringify({});
    const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
    const host = new URL(keyed.sfnUrl).host;
    const headers = { host, "x-amz-date": amzDate, "x-amz-target": "AWSStepFunctions.ListStateMachines", "content-type": "application/x-amz-json-1.0" };
    const authorization = sign({ method: "POST", url: "/", headers, body, accessKey: "AKIDCLIENT0000000001", secret: "s3cret", region: REGION, amzDate });
    const good = await raw(keyed.sfnUrl, "ListStateMachines", body, { headers: { ...headers, authorization } });
    assert.equal(good.status, 200);
    const tampered = await raw(keyed.sfnUrl, "ListStateMachines", JSON.stringify({ maxResults: 1 }), { headers: { ...headers, authorization } });
    assert.equal(tampered.json.__type, "InvalidSignatureException");
    // a key mapped to a role without rights on booking gets nothing
    const nobody = sdk(keyed.sfnUrl, { credentials: { accessKeyId: ACCOUNT, secretAccessKey: "0ther" } });
    await assert.rejects(nobody.send(new S.ListStateMachinesCommand({})), (e) => e.name === "AccessDeniedException");
    await assert.rejects(nobody.send(new S.CreateStateMachineCommand({ name: `nobody-${run}`, definition: JSON.stringify(PASS), roleArn: "r" })),
      (e) => e.name === "AccessDeniedException");
  } finally {
    await keyed.stop();
  }
});

test("a mocked test case (MockConfigFile, '<arn>#<TestCase>') takes the Retry and Catch paths", async () => {
  const name = `mocked-${run}`;
  const file = `${mkdtempSync(`${tmpdir()}/sfn-mock-`)}/MockConfigFile.json`;
  writeFileSync(file, JSON.stringify({
    StateMachines: { [name]: { TestCases: {
      HappyPath: { Charge: "ChargeOk" },
      RetryPath: { Charge: "ThrottledThenOk" },
      CatchPath: { Charge: "Declined" },
    } } },
    MockedResponses: {
      ChargeOk: { 0: { Return: { StatusCode: 200, Payload: { paid: 42 } } } },
      ThrottledThenOk: { "0-1": { Throw: { Error: "Lambda.TooManyRequestsException", Cause: "slow down" } },
                         2: { Return: { StatusCode: 200, Payload: { paid: 7 } } } },
      Declined: { 0: { Throw: { Error: "Payment.Declined", Cause: "card refused" } } },
    },
  }));
  const mocked = await startSfn({ slot: 2, env: {
    BOOKING_SFN_MOCK_CONFIG: file,
  } });
  const client = sdk(mocked.sfnUrl);
  try {
    // the function charge does not exist: only mocked runs can pass the Charge state
    const definition = { StartAt: "Charge", States: {
      Charge: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "charge", "Payload.$": "$" },
        Retry: [{ ErrorEquals: ["Lambda.TooManyRequestsException"], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 }],
        Catch: [{ ErrorEquals: ["Payment.Declined"], ResultPath: "$.error", Next: "Declined" }],
        ResultSelector: { "paid.$": "$.Payload.paid" }, Next: "Done" },
      Declined: { Type: "Pass", Parameters: { "outcome": "declined", "why.$": "$.error.Cause" }, End: true },
      Done: { Type: "Succeed" } } };
    const { stateMachineArn } = await client.send(new S.CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: "arn:aws:iam::1:role/r" }));
    const describe = (executionArn) => client.send(new S.DescribeExecutionCommand({ executionArn }));

    const happy = await client.send(new S.StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#HappyPath`, input: "{}" }));
    let d = await describe(happy.executionArn);
    assert.equal(d.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(d.output), { paid: 42 });

    const caught = await client.send(new S.StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#CatchPath`, input: "{}" }));
    d = await describe(caught.executionArn);
    assert.equal(d.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(d.output), { outcome: "declined", why: "card refused" });

    const retried = await client.send(new S.StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#RetryPath`, name: `retry-${run}`, input: "{}" }));
    for (let i = 0; i < 2; i++) {
      assert.equal((await describe(retried.executionArn)).status, "RUNNING", "waiting for the retry's back-off");
      await admin().query("UPDATE booking.executions SET due_at = now() WHERE arn = $1", [retried.executionArn]);
      await admin().query("SELECT booking.sfn_tick()");
    }
    d = await describe(retried.executionArn);
    assert.equal(d.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(d.output), { paid: 7 });
    const { events } = await client.send(new S.GetExecutionHistoryCommand({ executionArn: retried.executionArn }));
    assert.deepEqual(events.filter((e) => e.type === "TaskFailed").map((e) => e.taskFailedEventDetails.error),
      ["Lambda.TooManyRequestsException", "Lambda.TooManyRequestsException"]);

    // without a test case the task runs for real: here, a function that does not exist
    const real = await client.send(new S.StartExecutionCommand({ stateMachineArn, input: "{}" }));
    assert.equal((await describe(real.executionArn)).status, "FAILED");
    await rejects(client.send(new S.StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#NoSuchCase` })), "ResourceNotFound");
    await client.send(new S.DeleteStateMachineCommand({ stateMachineArn }));
  } finally {
    client.destroy();
    await mocked.stop();
  }
});
