// The article's GraphQL API, exactly: its schema (schema.graphql of
// trey-rosius/sam_stepfunctions), its two documents sent as AppSync clients send
// them (POST JSON, x-api-key), and what its Lambda resolver did: StartExecution
// with stateMachineArn = arn, name = id and the fixed input.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildSchema, buildClientSchema, getIntrospectionQuery, isNonNullType } from "postgraphile/graphql";
import { startServer, API_KEY } from "./lib/server.mjs";
import { post, gql, admin, closeAll } from "./lib/client.mjs";

// the article's schema.graphql, verbatim
const ARTICLE_SDL = `
type StepFunctions {
  id: String!
  arn: String!
}
type Query {
  getStepFunctions: [ StepFunctions! ]
}
input StepFunctionsInput {
  id:ID!
  arn: String!
}
type Mutation {
  addStepFunction(input: StepFunctionsInput!): StepFunctions
}

schema {
  query: Query
  mutation: Mutation
}
`;

// the article's operations as a client sends them: the literal form typed in the
// AppSync console, and the variables form Amplify's codegen produces
const addStepFunctionLiteral = (id, arn) =>
  `mutation { addStepFunction(input: {id: ${JSON.stringify(id)}, arn: ${JSON.stringify(arn)}}) { id arn } }`;
const ADD_STEP_FUNCTION = `mutation AddStepFunction($input: StepFunctionsInput!) {
  addStepFunction(input: $input) {
    id
    arn
  }
}`;
const GET_STEP_FUNCTIONS = `query GetStepFunctions {
  getStepFunctions {
    id
    arn
  }
}`;
// the input the article's Lambda hard-coded
const ARTICLE_INPUT = { details: { accountId: "1234567", bookedStatus: "Booked" } };

let server;
let machineArn;
const run = Date.now().toString(36);

before(async () => {
  server = await startServer();
  const data = await gql(server, `{ stateMachineByName(name: "booking_step_function") { arn } }`);
  assert.ok(data.stateMachineByName, "the article's state machine booking_step_function is deployed");
  machineArn = data.stateMachineByName.arn;
});
after(async () => {
  await closeAll();
  await server?.stop();
});

async function execution(name) {
  const { rows } = await admin().query(
    `select e.arn, e.name, e.input, e.status, m.arn as machine_arn
       from booking.executions e join booking.state_machines m on m.id = e.machine_id
      where e.name = $1 and e.parent_id is null`,
    [name],
  );
  return rows;
}

test("the schema serves the article's types and operations exactly", async () => {
  const res = await post(server.url, { query: getIntrospectionQuery() }, { apiKey: API_KEY });
  assert.equal(res.status, 200);
  const ours = buildClientSchema(res.json.data);
  const article = buildSchema(ARTICLE_SDL);

  // StepFunctions: exactly the article's fields
  const fields = (t) => Object.fromEntries(Object.values(t.getFields()).map((f) => [f.name, String(f.type)]));
  assert.deepEqual(fields(ours.getType("StepFunctions")), fields(article.getType("StepFunctions")));

  // StepFunctionsInput: the article's fields with their types; anything more optional
  const ourInput = ours.getType("StepFunctionsInput").getFields();
  for (const [name, type] of Object.entries(fields(article.getType("StepFunctionsInput")))) {
    assert.equal(String(ourInput[name]?.type), type, `StepFunctionsInput.${name}`);
  }
  for (const f of Object.values(ourInput)) {
    if (!(f.name in article.getType("StepFunctionsInput").getFields())) {
      assert.ok(!isNonNullType(f.type), `added input field ${f.name} is optional`);
    }
  }

  // the root fields, their arguments and result types
  const q = ours.getQueryType().getFields().getStepFunctions;
  assert.equal(String(q.type), "[StepFunctions!]");
  assert.deepEqual(q.args, []);
  const m = ours.getMutationType().getFields().addStepFunction;
  assert.equal(String(m.type), "StepFunctions");
  assert.deepEqual(m.args.map((a) => [a.name, String(a.type)]), [["input", "StepFunctionsInput!"]]);
});

test("addStepFunction (the console's literal document) starts an execution named id of arn with the article's input", async () => {
  const id = `article-${run}-1`;
  const res = await post(server.url, { query: addStepFunctionLiteral(id, machineArn) }, { apiKey: API_KEY });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json, { data: { addStepFunction: { id, arn: machineArn } } });

  const rows = await execution(id);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].machine_arn, machineArn);
  assert.equal(rows[0].arn, `${machineArn.replace(":stateMachine:", ":execution:")}:${id}`);
  assert.deepEqual(rows[0].input, ARTICLE_INPUT);
});

test("addStepFunction and getStepFunctions with variables (Amplify's documents)", async () => {
  const id = `article-${run}-2`;
  const res = await post(server.url, { query: ADD_STEP_FUNCTION, variables: { input: { id, arn: machineArn } } }, { apiKey: API_KEY });
  assert.deepEqual(res.json, { data: { addStepFunction: { id, arn: machineArn } } });

  const list = await post(server.url, { query: GET_STEP_FUNCTIONS }, { apiKey: API_KEY });
  assert.equal(list.status, 200);
  const got = list.json.data.getStepFunctions;
  assert.ok(Array.isArray(got));
  for (const want of [`article-${run}-1`, id]) {
    assert.deepEqual(got.filter((s) => s.id === want), [{ id: want, arn: machineArn }], `getStepFunctions lists ${want}`);
  }
  // every entry is an execution that exists, of the machine it names
  for (const s of got) {
    const rows = await execution(s.id);
    assert.ok(rows.some((r) => r.machine_arn === s.arn || r.machine_arn.endsWith(`:stateMachine:${s.arn}`)), `${s.id} is an execution of ${s.arn}`);
  }
});

test("the optional input document (additive) is the execution's input", async () => {
  const id = `article-${run}-3`;
  const input = { details: { accountId: "1234567", bookedStatus: "Booked", note: "from GraphQL" } };
  const data = await gql(server, ADD_STEP_FUNCTION, { input: { id, arn: machineArn, input } });
  assert.deepEqual(data.addStepFunction, { id, arn: machineArn });
  assert.deepEqual((await execution(id))[0].input, input);
});

test("a used id with another input is ExecutionAlreadyExists; an unknown machine StateMachineDoesNotExist", async () => {
  const id = `article-${run}-1`;
  const dup = await post(server.url, {
    query: ADD_STEP_FUNCTION,
    variables: { input: { id, arn: machineArn, input: { details: { accountId: "other" } } } },
  }, { apiKey: API_KEY });
  assert.equal(dup.status, 200);
  assert.equal(dup.json.data.addStepFunction, null);
  assert.equal(dup.json.errors[0].extensions.errorType, "ExecutionAlreadyExists");
  assert.match(dup.json.errors[0].message, /^ExecutionAlreadyExists/);

  const unknown = await post(server.url, { query: addStepFunctionLiteral(`article-${run}-4`, machineArn + "_nope") }, { apiKey: API_KEY });
  assert.equal(unknown.json.errors[0].extensions.errorType, "StateMachineDoesNotExist");
  assert.equal((await execution(`article-${run}-4`)).length, 0, "nothing started");
});
