// The Step Functions API's finer points through @aws-sdk/client-sfn and the
// installed aws CLI: RedriveExecution's clientToken, starts through a version
// or alias (described, listed by them), logging/tracing/encryption
// configurations, ValidateStateMachineDefinition by type, TestState's mock,
// context and stateConfiguration, StartSyncExecution of a mocked test case;
// and the same doors tried by roles that must not get through.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as S from "@aws-sdk/client-sfn";
import { admin, closeAll } from "./lib/client.mjs";
import { startSfn, sdk, cli, ACCOUNT, REGION } from "./lib/sfn.mjs";

let server;
let sfn;
let keyed;
const run = "det" + Date.now().toString(36);
const arnOf = (name) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/sfn`;
const FAIL = { StartAt: "F", States: { F: { Type: "Fail", Error: "Broke", Cause: "always" } } };
const LAMBDA = { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "f" } };
const STRANGER = { accessKeyId: "AKIDSTRANGER00000001", secretAccessKey: "str4nger" };
const NOBODY = { accessKeyId: "AKIDNOBODY0000000001", secretAccessKey: "n0body" };

async function rejects(promise, name, message) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

const sf = async (...args) => {
  const r = await cli(server.sfnUrl, args);
  assert.equal(r.code, 0, `aws stepfunctions ${args.join(" ")}: ${r.stderr}`);
  return r.json;
};
const fails = async (exception, ...args) => {
  const r = await cli(server.sfnUrl, args);
  assert.notEqual(r.code, 0, `aws stepfunctions ${args.join(" ")} should fail`);
  assert.match(r.stderr, new RegExp(`\\(${exception}\\)`), `aws stepfunctions ${args.join(" ")}: ${r.stderr}`);
};

before(async () => {
  // a role that uses booking but holds nothing of the client's, and one that does not use booking
  await admin().query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'booking_sfn_stranger') THEN CREATE ROLE booking_sfn_stranger NOLOGIN; END IF;
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'booking_sfn_nobody') THEN CREATE ROLE booking_sfn_nobody NOLOGIN; END IF;
    END $$`);
  await admin().query("GRANT booking_user TO booking_sfn_stranger");
  await admin().query("GRANT booking_sfn_stranger, booking_sfn_nobody TO booking_sfn");
  const file = `${mkdtempSync(`${tmpdir()}/sfn-det-`)}/MockConfigFile.json`;
  writeFileSync(file, JSON.stringify({
    StateMachines: { [`sync-${run}`]: { TestCases: { Happy: { Call: "Ok" }, Retried: { Call: "BusyThenOk" }, Caught: { Call: "Declined" } } } },
    MockedResponses: {
      Ok: { 0: { Return: { StatusCode: 200, Payload: { paid: 42 } } } },
      BusyThenOk: { 0: { Throw: { Error: "Busy", Cause: "slow down" } }, 1: { Return: { StatusCode: 200, Payload: { paid: 7 } } } },
      Declined: { 0: { Throw: { Error: "Payment.Declined", Cause: "card refused" } } },
    },
  }));
  server = await startSfn({ env: { BOOKING_SFN_MOCK_CONFIG: file } });
  sfn = sdk(server.sfnUrl);
  keyed = await startSfn({ slot: 1, env: {
    BOOKING_SFN_KEYS: `${STRANGER.accessKeyId}:${STRANGER.secretAccessKey}:booking_sfn_stranger,${NOBODY.accessKeyId}:${NOBODY.secretAccessKey}:booking_sfn_nobody`,
  } });
});
after(async () => {
  sfn?.destroy();
  await server?.stop();
  await keyed?.stop();
  await closeAll();
});

test("RedriveExecution: the same clientToken is the same redrive, with the SDK and the CLI", async () => {
  const { stateMachineArn } = await sfn.send(new S.CreateStateMachineCommand({ name: `redrive-${run}`, definition: JSON.stringify(FAIL), roleArn: ROLE }));
  const { executionArn } = await sfn.send(new S.StartExecutionCommand({ stateMachineArn, name: "r1" }));
  assert.equal((await sfn.send(new S.DescribeExecutionCommand({ executionArn }))).status, "FAILED");
  const first = await sfn.send(new S.RedriveExecutionCommand({ executionArn, clientToken: `tok-${run}` }));
  const again = await sfn.send(new S.RedriveExecutionCommand({ executionArn, clientToken: `tok-${run}` }));
  assert.equal(again.redriveDate.getTime(), first.redriveDate.getTime(), "the same token answers with the same redrive");
  assert.equal((await sfn.send(new S.DescribeExecutionCommand({ executionArn }))).redriveCount, 1, "and does not redrive again");
  // the SDK makes a token of its own when none is given: each such call redrives
  await sfn.send(new S.RedriveExecutionCommand({ executionArn }));
  assert.equal((await sfn.send(new S.DescribeExecutionCommand({ executionArn }))).redriveCount, 2);
  const c1 = await sf("redrive-execution", "--execution-arn", executionArn, "--client-token", `cli-${run}`);
  const c2 = await sf("redrive-execution", "--execution-arn", executionArn, "--client-token", `cli-${run}`);
  assert.equal(c2.redriveDate, c1.redriveDate);
  assert.equal((await sf("describe-execution", "--execution-arn", executionArn)).redriveCount, 3);
  await fails("ValidationException", "redrive-execution", "--execution-arn", executionArn, "--client-token", "has space");
  const listed = await sf("list-executions", "--state-machine-arn", stateMachineArn, "--redrive-filter", "REDRIVEN");
  assert.deepEqual(listed.executions.map((e) => e.name), ["r1"]);
});

test("starts through a version or an alias: described and listed by them", async () => {
  const name = `routed-${run}`;
  const def = (v) => JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Result: v, End: true } } });
  const { stateMachineArn, stateMachineVersionArn: v1 } = await sfn.send(new S.CreateStateMachineCommand({ name, definition: def(1), roleArn: ROLE, publish: true }));
  const { stateMachineVersionArn: v2 } = await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn, definition: def(2), publish: true }));
  const { stateMachineAliasArn } = await sfn.send(new S.CreateStateMachineAliasCommand({ name: "prod", routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] }));
  const plain = await sfn.send(new S.StartExecutionCommand({ stateMachineArn, name: "plain" }));
  const byV2 = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: v2, name: "by-v2" }));
  const byAlias = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: stateMachineAliasArn, name: "by-alias" }));
  const d = async (e) => sfn.send(new S.DescribeExecutionCommand({ executionArn: e.executionArn }));
  const p = await d(plain);
  assert.equal(p.stateMachineVersionArn, undefined, "a start through the machine's own ARN names no version");
  assert.equal(p.stateMachineAliasArn, undefined);
  assert.equal((await d(byV2)).stateMachineVersionArn, v2);
  const a = await d(byAlias);
  assert.equal(a.stateMachineAliasArn, stateMachineAliasArn);
  assert.equal(a.stateMachineVersionArn, v1);
  assert.equal(a.output, "1");
  const names = async (arn) => (await sfn.send(new S.ListExecutionsCommand({ stateMachineArn: arn }))).executions.map((e) => e.name).sort();
  assert.deepEqual(await names(stateMachineArn), ["by-alias", "by-v2", "plain"]);
  assert.deepEqual(await names(v1), ["by-alias"]);
  assert.deepEqual(await names(v2), ["by-v2"]);
  assert.deepEqual(await names(stateMachineAliasArn), ["by-alias"]);
  const item = (await sfn.send(new S.ListExecutionsCommand({ stateMachineArn: stateMachineAliasArn }))).executions[0];
  assert.equal(item.stateMachineAliasArn, stateMachineAliasArn);
  assert.equal(item.stateMachineVersionArn, v1);
  // the CLI pages through them (one a page)
  const viaCli = await sf("list-executions", "--state-machine-arn", stateMachineArn, "--page-size", "1");
  assert.equal(viaCli.executions.length, 3);
  assert.deepEqual((await sf("list-executions", "--state-machine-arn", v2)).executions.map((e) => e.name), ["by-v2"]);
  await sfn.send(new S.DeleteStateMachineAliasCommand({ stateMachineAliasArn }));
  await sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn }));
});

test("logging, tracing and encryption configurations: checked, kept, described", async () => {
  const name = `configured-${run}`;
  const logging = { level: "ERROR", includeExecutionData: true,
    destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/states/${name}:*` } }] };
  const { stateMachineArn } = await sfn.send(new S.CreateStateMachineCommand({
    name, definition: JSON.stringify(FAIL), roleArn: ROLE, loggingConfiguration: logging, tracingConfiguration: { enabled: true },
    encryptionConfiguration: { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: "alias/booking", kmsDataKeyReusePeriodSeconds: 120 } }));
  let d = await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn }));
  assert.deepEqual(d.loggingConfiguration, logging);
  assert.deepEqual(d.tracingConfiguration, { enabled: true });
  assert.deepEqual(d.encryptionConfiguration, { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: "alias/booking", kmsDataKeyReusePeriodSeconds: 120 });
  // an update that names one replaces that one only
  await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn, tracingConfiguration: { enabled: false } }));
  d = await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn }));
  assert.deepEqual(d.tracingConfiguration, { enabled: false });
  assert.deepEqual(d.loggingConfiguration, logging);
  const { executionArn } = await sfn.send(new S.StartExecutionCommand({ stateMachineArn }));
  assert.deepEqual((await sfn.send(new S.DescribeStateMachineForExecutionCommand({ executionArn }))).loggingConfiguration, logging);
  await rejects(sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn, loggingConfiguration: { level: "ALL" } })), "InvalidLoggingConfiguration");
  await rejects(sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn, encryptionConfiguration: { type: "AWS_OWNED_KEY", kmsKeyId: "k" } })),
    "InvalidEncryptionConfiguration");
  // with the CLI; a machine never configured shows AWS's defaults
  const cliName = `configured-cli-${run}`;
  const c = await sf("create-state-machine", "--name", cliName, "--definition", JSON.stringify(FAIL), "--role-arn", ROLE,
    "--logging-configuration", JSON.stringify({ level: "OFF" }), "--tracing-configuration", "enabled=true");
  const cd = await sf("describe-state-machine", "--state-machine-arn", c.stateMachineArn);
  assert.deepEqual(cd.tracingConfiguration, { enabled: true });
  assert.deepEqual(cd.loggingConfiguration, { level: "OFF", includeExecutionData: false });
  assert.deepEqual(cd.encryptionConfiguration, { type: "AWS_OWNED_KEY" });
  await fails("InvalidLoggingConfiguration", "update-state-machine", "--state-machine-arn", c.stateMachineArn,
    "--logging-configuration", JSON.stringify({ level: "ALL", destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: "not-an-arn" } }] }));
  await sf("delete-state-machine", "--state-machine-arn", c.stateMachineArn);
  await sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn }));
});

test("ValidateStateMachineDefinition by type, severity and maxResults", async () => {
  const waits = JSON.stringify({ StartAt: "A", States: {
    A: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", Parameters: { FunctionName: "f", "Payload.$": "$$.Task.Token" }, Next: "B" },
    B: { Type: "Task", Resource: `arn:aws:states:${REGION}:${ACCOUNT}:activity:work`, End: true } } });
  assert.equal((await sfn.send(new S.ValidateStateMachineDefinitionCommand({ definition: waits, type: "STANDARD" }))).result, "OK");
  const express = await sfn.send(new S.ValidateStateMachineDefinitionCommand({ definition: waits, type: "EXPRESS" }));
  assert.equal(express.result, "FAIL");
  assert.deepEqual(express.diagnostics.map((x) => [x.code, x.location]),
    [["SCHEMA_VALIDATION_FAILED", "/States/A/Resource"], ["SCHEMA_VALIDATION_FAILED", "/States/B/Resource"]]);
  const one = await sfn.send(new S.ValidateStateMachineDefinitionCommand({ definition: waits, type: "EXPRESS", maxResults: 1 }));
  assert.equal(one.diagnostics.length, 1);
  assert.equal(one.truncated, true);
  const v = await sf("validate-state-machine-definition", "--definition", waits, "--type", "EXPRESS", "--severity", "WARNING");
  assert.equal(v.result, "FAIL");
  assert.match(v.diagnostics[0].message, /Express state machine does not support/);
  await rejects(sfn.send(new S.CreateStateMachineCommand({ name: `express-${run}`, definition: waits, roleArn: ROLE, type: "EXPRESS" })), "InvalidDefinition");
  await rejects(sfn.send(new S.ValidateStateMachineDefinitionCommand({ definition: waits, severity: "INFO" })), "ValidationException");
  await rejects(sfn.send(new S.ValidateStateMachineDefinitionCommand({ definition: waits, type: "FAST" })), "ValidationException");
});

test("TestState: a mocked result, a mocked error retried and caught, the context, the inspection levels", async () => {
  const task = { ...LAMBDA, ResultSelector: { "v.$": "$.Payload.v", "who.$": "$$.Execution.Name" }, ResultPath: "$.r",
    Retry: [{ ErrorEquals: ["Busy"], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3 }],
    Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.err", Next: "Handler" }], Next: "After" };
  const definition = JSON.stringify(task);
  let t = await sfn.send(new S.TestStateCommand({ definition, input: JSON.stringify({ in: 1 }),
    mock: { result: JSON.stringify({ StatusCode: 200, Payload: { v: 7 } }) }, context: JSON.stringify({ Execution: { Name: "ctx" } }) }));
  assert.equal(t.status, "SUCCEEDED");
  assert.equal(t.nextState, "After");
  assert.deepEqual(JSON.parse(t.output), { in: 1, r: { v: 7, who: "ctx" } });
  assert.equal(t.inspectionData, undefined, "INFO (the default) shows no inspection data");
  t = await sfn.send(new S.TestStateCommand({ definition, inspectionLevel: "DEBUG",
    mock: { errorOutput: { error: "Busy", cause: "slow down" } }, stateConfiguration: { retrierRetryCount: 1 } }));
  assert.equal(t.status, "RETRIABLE");
  assert.deepEqual(t.inspectionData.errorDetails, { retryIndex: 0, retryBackoffIntervalSeconds: 4 });
  t = await sfn.send(new S.TestStateCommand({ definition, inspectionLevel: "TRACE",
    mock: { errorOutput: { error: "Busy", cause: "slow down" } }, stateConfiguration: { retrierRetryCount: 3 } }));
  assert.equal(t.status, "CAUGHT_ERROR");
  assert.equal(t.nextState, "Handler");
  assert.deepEqual(t.inspectionData.errorDetails, { catchIndex: 0 });
  assert.deepEqual(JSON.parse(t.output), { err: { Error: "Busy", Cause: "slow down" } });
  // fieldValidationMode: STRICT wants Lambda's StatusCode, NONE takes anything
  await rejects(sfn.send(new S.TestStateCommand({ definition, mock: { result: JSON.stringify({ Payload: { v: 1 } }) } })), "ValidationException", /StatusCode/);
  t = await sfn.send(new S.TestStateCommand({ definition, mock: { result: JSON.stringify({ Payload: { v: 1 } }), fieldValidationMode: "PRESENT" } }));
  assert.equal(t.status, "SUCCEEDED");
  // a Map is tested with a mock: failed iterations against its tolerance
  const map = JSON.stringify({ Type: "Map", ItemsPath: "$.items", ToleratedFailureCount: 1,
    ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "I", States: { I: { Type: "Pass", End: true } } }, End: true });
  t = await sfn.send(new S.TestStateCommand({ definition: map, input: JSON.stringify({ items: [1, 2, 3] }),
    mock: { errorOutput: { error: "Item.Failed" } }, stateConfiguration: { mapIterationFailureCount: 2 } }));
  assert.equal(t.status, "FAILED");
  assert.equal(t.error, "States.ExceedToleratedFailureThreshold");
  await rejects(sfn.send(new S.TestStateCommand({ definition: map, input: JSON.stringify({ items: [1] }) })), "ValidationException", /mock/);
  // a Map with an ItemReader: mapItemReaderData is the source's text (here CSV, a header and four rows)
  const reader = JSON.stringify({ Type: "Map", ToleratedFailurePercentage: 50,
    ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "CSV" }, Parameters: { Bucket: "b", Key: "k.csv" } },
    ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "I", States: { I: { Type: "Pass", End: true } } }, End: true });
  const csv = "id,name\n1,a\n2,b\n3,c\n4,d\n";
  t = await sfn.send(new S.TestStateCommand({ definition: reader, mock: { errorOutput: { error: "E" } },
    stateConfiguration: { mapItemReaderData: csv, mapIterationFailureCount: 2 } }));
  assert.equal(t.status, "SUCCEEDED", "2 of 4 is within 50%");
  t = await sfn.send(new S.TestStateCommand({ definition: reader, mock: { errorOutput: { error: "E" } },
    stateConfiguration: { mapItemReaderData: csv, mapIterationFailureCount: 3 } }));
  assert.equal(t.error, "States.ExceedToleratedFailureThreshold");
  // with the CLI
  const c = await sf("test-state", "--definition", definition, "--input", "{}", "--inspection-level", "DEBUG",
    "--mock", JSON.stringify({ result: JSON.stringify({ StatusCode: 200, Payload: { v: 3 } }) }));
  assert.equal(c.status, "SUCCEEDED");
  assert.equal(JSON.parse(c.inspectionData.afterResultSelector).v, 3);
  // what TestState refuses
  const pass = JSON.stringify({ Type: "Pass", End: true });
  await rejects(sfn.send(new S.TestStateCommand({ definition: pass, mock: { result: "1" } })), "ValidationException", /Task, Map or Parallel/);
  await rejects(sfn.send(new S.TestStateCommand({ definition: pass, context: "{}" })), "ValidationException", /mock/);
  await rejects(sfn.send(new S.TestStateCommand({ definition, mock: { result: "{nope" } })), "ValidationException");
  await fails("ValidationException", "test-state", "--definition", definition, "--mock", JSON.stringify({ errorOutput: { error: "E" } }),
    "--state-configuration", "retrierRetryCount=1,mapIterationFailureCount=1");
});

test("StartSyncExecution of '<arn>#<TestCase>' takes the mocked Retry and Catch paths", async () => {
  const definition = { StartAt: "Call", States: {
    Call: { ...LAMBDA, Parameters: { FunctionName: "no_such_function" },
      Retry: [{ ErrorEquals: ["Busy"], IntervalSeconds: 1, MaxAttempts: 1 }],
      Catch: [{ ErrorEquals: ["Payment.Declined"], ResultPath: "$.error", Next: "Declined" }], ResultSelector: { "paid.$": "$.Payload.paid" }, End: true },
    Declined: { Type: "Pass", Parameters: { "why.$": "$.error.Cause" }, End: true } } };
  const { stateMachineArn } = await sfn.send(new S.CreateStateMachineCommand({ name: `sync-${run}`, definition: JSON.stringify(definition), roleArn: ROLE, type: "EXPRESS" }));
  const sync = (arn) => sfn.send(new S.StartSyncExecutionCommand({ stateMachineArn: arn, input: "{}" }));
  let r = await sync(`${stateMachineArn}#Happy`);
  assert.equal(r.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(r.output), { paid: 42 });
  r = await sync(`${stateMachineArn}#Retried`);
  assert.deepEqual(JSON.parse(r.output), { paid: 7 });
  r = await sync(`${stateMachineArn}#Caught`);
  assert.deepEqual(JSON.parse(r.output), { why: "card refused" });
  r = await sync(stateMachineArn);
  assert.equal(r.status, "FAILED", "without a test case the task runs: the function does not exist");
  const c = await sf("start-sync-execution", "--state-machine-arn", `${stateMachineArn}#Happy`);
  assert.deepEqual(JSON.parse(c.output), { paid: 42 });
  await rejects(sync(`${stateMachineArn}#NoSuchCase`), "ResourceNotFound");
  await sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn }));
});

test("the new doors: a role without privileges on the client's machines, and one without booking, get nothing", async () => {
  const stranger = sdk(keyed.sfnUrl, { credentials: STRANGER });
  const nobody = sdk(keyed.sfnUrl, { credentials: NOBODY });
  try {
    const { stateMachineArn } = await sfn.send(new S.CreateStateMachineCommand({ name: `guarded-${run}`, definition: JSON.stringify(FAIL), roleArn: ROLE, publish: true }));
    const { executionArn } = await sfn.send(new S.StartExecutionCommand({ stateMachineArn, name: "g1" }));
    await rejects(stranger.send(new S.RedriveExecutionCommand({ executionArn, clientToken: "stranger" })), "AccessDeniedException");
    await rejects(stranger.send(new S.UpdateStateMachineCommand({ stateMachineArn, tracingConfiguration: { enabled: true } })), "AccessDeniedException");
    await rejects(stranger.send(new S.ListExecutionsCommand({ stateMachineArn: `${stateMachineArn}:1` })), "AccessDeniedException");
    await rejects(stranger.send(new S.StartSyncExecutionCommand({ stateMachineArn: `${stateMachineArn}#Happy` })), "AccessDeniedException");
    assert.equal((await sfn.send(new S.DescribeExecutionCommand({ executionArn }))).redriveCount, 0, "nothing was redriven");
    assert.equal((await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn }))).tracingConfiguration.enabled, false);
    // TestState and validation run as the caller, who must use booking at all
    const pass = JSON.stringify({ Type: "Pass", End: true });
    assert.equal((await stranger.send(new S.TestStateCommand({ definition: JSON.stringify({ ...LAMBDA, End: true }), mock: { result: JSON.stringify({ StatusCode: 200 }) } }))).status, "SUCCEEDED");
    await rejects(nobody.send(new S.TestStateCommand({ definition: JSON.stringify({ ...LAMBDA, End: true }), mock: { result: JSON.stringify({ StatusCode: 200 }) } })), "AccessDeniedException");
    await rejects(nobody.send(new S.ValidateStateMachineDefinitionCommand({ definition: pass, type: "EXPRESS" })), "AccessDeniedException");
    await rejects(nobody.send(new S.RedriveExecutionCommand({ executionArn, clientToken: "nobody" })), "AccessDeniedException");
    await sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn }));
  } finally {
    stranger.destroy();
    nobody.destroy();
  }
});
