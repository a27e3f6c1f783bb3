// machines.mjs — state machines, their versions and aliases, definitions.
import { SfnError, str, bool, jsonText, epoch, compact, required } from "../protocol.mjs";
import { pageSize, decodeToken, page } from "../paging.mjs";
import { tagPairs } from "./tags.mjs";

const TYPES = new Set(["STANDARD", "EXPRESS"]);

function machineType(body) {
  const type = str(body, "type");
  if (type !== null && !TYPES.has(type))
    throw new SfnError("StateMachineTypeNotSupported", `type must be STANDARD or EXPRESS, not "${type}"`);
  return type;
}

// loggingConfiguration, tracingConfiguration, encryptionConfiguration: objects
// passed to the database as given, where they are checked and kept
function settings(body) {
  const out = [];
  for (const name of ["loggingConfiguration", "tracingConfiguration", "encryptionConfiguration"]) {
    const v = body[name];
    if (v !== undefined && v !== null && (typeof v !== "object" || Array.isArray(v)))
      throw new SfnError("SerializationException", `${name} must be an object`);
    out.push(v === undefined || v === null ? null : JSON.stringify(v));
  }
  return out;
}

function describeShape(d) {
  return compact({
    stateMachineArn: d.stateMachineArn,
    name: d.name,
    status: d.status,
    definition: JSON.stringify(d.definition),
    roleArn: d.roleArn,
    type: d.type,
    creationDate: epoch(d.creationDate),
    loggingConfiguration: d.loggingConfiguration,
    tracingConfiguration: d.tracingConfiguration,
    revisionId: d.revisionId,
    description: d.description,
    encryptionConfiguration: d.encryptionConfiguration,
  });
}

export const machineOperations = {
  async CreateStateMachine(db, body) {
    const name = str(body, "name", { req: true });
    const definition = jsonText(body, "definition", "InvalidDefinition", { req: true });
    const roleArn = str(body, "roleArn", { req: true, max: 256 });
    const type = machineType(body) ?? "STANDARD";
    const publish = bool(body, "publish") ?? false;
    const tags = tagPairs(body.tags, "tags");
    const { rows } = await db.query(
      `SELECT booking.sfn_create_state_machine($1, $2::jsonb, type => $3, role_arn => $4,
                                               publish => $5, version_description => $6,
                                               logging_configuration => $7::jsonb, tracing_configuration => $8::jsonb,
                                               encryption_configuration => $9::jsonb) AS arn`,
      [name, JSON.stringify(definition), type, roleArn, publish, str(body, "versionDescription", { max: 256 }), ...settings(body)]);
    // (a statement of its own: a STABLE function sees what the statements before it wrote)
    rows[0].created = (await db.query("SELECT booking.sfn_describe_state_machine($1)->>'creationDate' AS c", [rows[0].arn])).rows[0].c;
    const arn = rows[0].arn;
    if (tags.length) await db.query("SELECT booking.sfn_tag_resource($1, $2::jsonb)", [arn, JSON.stringify(Object.fromEntries(tags))]);
    let versionArn;
    if (publish) versionArn = (await db.query("SELECT version_arn FROM booking.sfn_list_state_machine_versions($1, 1)", [arn])).rows[0]?.version_arn;
    return compact({ stateMachineArn: arn, creationDate: epoch(rows[0].created), stateMachineVersionArn: versionArn });
  },

  async DescribeStateMachine(db, body) {
    const arn = str(body, "stateMachineArn", { req: true });
    const { rows } = await db.query("SELECT booking.sfn_describe_state_machine($1) AS d", [arn]);
    return describeShape(rows[0].d);
  },

  async DescribeStateMachineForExecution(db, body) {
    const arn = str(body, "executionArn", { req: true });
    const { rows } = await db.query("SELECT booking.sfn_describe_state_machine_for_execution($1) AS d", [arn]);
    const d = rows[0].d;
    return compact({
      stateMachineArn: d.stateMachineArn,
      name: d.name,
      definition: JSON.stringify(d.definition),
      roleArn: d.roleArn,
      updateDate: epoch(d.updateDate),
      loggingConfiguration: d.loggingConfiguration,
      tracingConfiguration: d.tracingConfiguration,
      revisionId: d.revisionId,
      encryptionConfiguration: d.encryptionConfiguration,
    });
  },

  async UpdateStateMachine(db, body) {
    const arn = str(body, "stateMachineArn", { req: true });
    const definition = jsonText(body, "definition", "InvalidDefinition");
    const roleArn = str(body, "roleArn", { max: 256 });
    const publish = bool(body, "publish") ?? false;
    const [logging, tracing, encryption] = settings(body);
    if (definition === undefined && roleArn === null && !logging && !tracing && !encryption && !publish)
      throw new SfnError("MissingRequiredParameter", "Either the definition, the roleArn, the loggingConfiguration, the tracingConfiguration or the encryptionConfiguration must be specified");
    const { rows } = await db.query(
      `SELECT booking.sfn_update_state_machine($1, $2::jsonb, role_arn => $3, publish => $4,
                                               version_description => $5, logging_configuration => $6::jsonb,
                                               tracing_configuration => $7::jsonb, encryption_configuration => $8::jsonb) AS arn`,
      [arn, definition === undefined ? null : JSON.stringify(definition), roleArn, publish,
       str(body, "versionDescription", { max: 256 }), logging, tracing, encryption]);
    const d = (await db.query("SELECT booking.sfn_describe_state_machine($1) AS d", [arn])).rows[0].d;
    return compact({
      updateDate: epoch(d.updateDate ?? d.creationDate),
      revisionId: d.revisionId,
      stateMachineVersionArn: publish ? rows[0].arn : undefined,
    });
  },

  async DeleteStateMachine(db, body) {
    const arn = str(body, "stateMachineArn", { req: true });
    // as AWS: deleting a machine that is already gone succeeds (a savepoint
    // keeps the request's transaction usable after the error)
    await db.query("SAVEPOINT gone");
    try {
      await db.query("SELECT booking.sfn_delete_state_machine($1)", [arn]);
    } catch (e) {
      if (!/^StateMachineDoesNotExist:/.test(e.message)) throw e;
      await db.query("ROLLBACK TO SAVEPOINT gone");
    }
    return {};
  },

  async ListStateMachines(db, body) {
    const size = pageSize(body);
    const after = decodeToken(body, "ListStateMachines");
    const { rows } = await db.query(
      "SELECT * FROM booking.sfn_list_state_machines($1, $2)", [size + 1, after]);
    const { items, nextToken } = page(rows, size, "ListStateMachines", (r) => r.name);
    return compact({
      stateMachines: items.map((r) => ({
        stateMachineArn: r.state_machine_arn, name: r.name, type: r.type, creationDate: epoch(r.creation_date),
      })),
      nextToken,
    });
  },

  async ValidateStateMachineDefinition(db, body) {
    const text = str(body, "definition", { req: true });
    // the model lists ValidationException only for this action
    const type = str(body, "type");
    if (type !== null && !TYPES.has(type))
      throw new SfnError("ValidationException", `type must be STANDARD or EXPRESS, not "${type}"`);
    const severity = str(body, "severity") ?? "ERROR";
    if (!["ERROR", "WARNING"].includes(severity))
      throw new SfnError("ValidationException", `severity must be ERROR or WARNING, not "${severity}"`);
    const max = body.maxResults ?? 100;
    if (!Number.isInteger(max) || max < 0 || max > 100)
      throw new SfnError("ValidationException", "maxResults must be between 0 and 100");
    let diagnostics;
    try {
      const definition = JSON.parse(text);
      const { rows } = await db.query("SELECT * FROM booking.sfn_validate($1::jsonb, type => $2)",
        [JSON.stringify(definition), type ?? "STANDARD"]);
      diagnostics = rows.map((r) => ({ severity: r.severity, code: r.code, message: r.message, location: r.location }));
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      diagnostics = [{ severity: "ERROR", code: "INVALID_JSON_DESCRIPTION", message: e.message, location: "/" }];
    }
    const shown = diagnostics.filter((d) => severity === "WARNING" || d.severity === "ERROR");
    return {
      result: diagnostics.some((d) => d.severity === "ERROR") ? "FAIL" : "OK",
      diagnostics: shown.slice(0, max || 100),
      truncated: shown.length > (max || 100),
    };
  },

  async TestState(db, body) {
    const definition = jsonText(body, "definition", "InvalidDefinition", { req: true });
    const input = jsonText(body, "input", "InvalidExecutionInput", { dflt: {} });
    const variables = jsonText(body, "variables", "InvalidExecutionInput", { dflt: null });
    const context = jsonText(body, "context", "ValidationException", { dflt: null });
    const level = str(body, "inspectionLevel") ?? "INFO";
    if (!["INFO", "DEBUG", "TRACE"].includes(level))
      throw new SfnError("ValidationException", `inspectionLevel must be INFO, DEBUG or TRACE, not "${level}"`);
    str(body, "roleArn", { max: 256 }); // tasks run as the request's database role (docs/sfn-api.md)
    const reveal = bool(body, "revealSecrets") ?? false;
    const { rows } = await db.query(
      `SELECT booking.sfn_test_state($1::jsonb, $2, $3::jsonb, $4::jsonb, mock => $5::jsonb, context => $6::jsonb,
                                     state_configuration => $7::jsonb, inspection_level => $8, reveal_secrets => $9) AS r`,
      [JSON.stringify(definition), str(body, "stateName"), JSON.stringify(input), variables === null ? null : JSON.stringify(variables),
       mockMember(body), context === null ? null : JSON.stringify(context), stateConfiguration(body), level, reveal]);
    const r = rows[0].r;
    const inspection = r.inspectionData ? stringifyInspection(r.inspectionData) : undefined;
    return compact({
      status: r.status,
      output: r.output === undefined ? undefined : JSON.stringify(r.output),
      error: r.error,
      cause: r.cause,
      nextState: r.nextState,
      inspectionData: inspection,
    });
  },
};

// InspectionData's members are JSON strings on the wire, but for the structures
// and numbers the model gives
const INSPECTION_AS_IS = new Set(["errorDetails", "request", "response", "toleratedFailureCount", "toleratedFailurePercentage", "maxConcurrency"]);
function stringifyInspection(data) {
  const out = {};
  for (const [k, v] of Object.entries(data)) out[k] = INSPECTION_AS_IS.has(k) || typeof v === "string" ? v : JSON.stringify(v);
  return out;
}

function object(body, name) {
  const v = body[name];
  if (v === undefined || v === null) return null;
  if (typeof v !== "object" || Array.isArray(v)) throw new SfnError("SerializationException", `${name} must be an object`);
  return v;
}

// TestState's mock: result is JSON text on the wire, the database takes it as JSON
function mockMember(body) {
  const mock = object(body, "mock");
  if (mock === null) return null;
  const out = { ...mock };
  if (mock.result !== undefined && mock.result !== null) out.result = jsonText(mock, "result", "ValidationException");
  else delete out.result;
  if (mock.errorOutput === null) delete out.errorOutput;
  if (mock.fieldValidationMode === null) delete out.fieldValidationMode;
  return JSON.stringify(out);
}

// stateConfiguration: mapItemReaderData is the source's text (JSON, JSONL, CSV),
// passed as a string: the database reads it as the Map's ItemReader says
function stateConfiguration(body) {
  const config = object(body, "stateConfiguration");
  if (config === null) return null;
  const out = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === null) continue;
    out[k] = k === "mapItemReaderData" ? str(config, k) : v;
  }
  return JSON.stringify(out);
}

export { describeShape, required };
