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

// the fields booking keeps no setting for are echoed as AWS's defaults
const LOGGING_OFF = { level: "OFF", includeExecutionData: false };
const TRACING_OFF = { enabled: false };

function describeShape(d) {
  return compact({
    stateMachineArn: d.stateMachineArn,
    name: d.name,
    status: d.status,
    definition: JSON.stringify(d.definition),
    roleArn: d.roleArn,
    type: d.type,
    creationDate: epoch(d.creationDate),
    loggingConfiguration: LOGGING_OFF,
    tracingConfiguration: TRACING_OFF,
    revisionId: d.revisionId,
    description: d.description,
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
                                               publish => $5, version_description => $6) AS arn`,
      [name, JSON.stringify(definition), type, roleArn, publish, str(body, "versionDescription", { max: 256 })]);
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
      loggingConfiguration: LOGGING_OFF,
      tracingConfiguration: TRACING_OFF,
      revisionId: d.revisionId,
    });
  },

  async UpdateStateMachine(db, body) {
    const arn = str(body, "stateMachineArn", { req: true });
    const definition = jsonText(body, "definition", "InvalidDefinition");
    const roleArn = str(body, "roleArn", { max: 256 });
    const publish = bool(body, "publish") ?? false;
    if (definition === undefined && roleArn === null && !body.loggingConfiguration && !body.tracingConfiguration && !publish)
      throw new SfnError("MissingRequiredParameter", "Either the definition, the roleArn, the loggingConfiguration or the tracingConfiguration must be specified");
    const { rows } = await db.query(
      `SELECT booking.sfn_update_state_machine($1, $2::jsonb, role_arn => $3, publish => $4,
                                               version_description => $5) AS arn`,
      [arn, definition === undefined ? null : JSON.stringify(definition), roleArn, publish,
       str(body, "versionDescription", { max: 256 })]);
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
    const type = machineType(body);
    const severity = str(body, "severity") ?? "ERROR";
    if (!["ERROR", "WARNING"].includes(severity))
      throw new SfnError("ValidationException", `severity must be ERROR or WARNING, not "${severity}"`);
    const max = body.maxResults ?? 100;
    if (!Number.isInteger(max) || max < 0 || max > 100)
      throw new SfnError("ValidationException", "maxResults must be between 0 and 100");
    let diagnostics;
    try {
      const definition = JSON.parse(text);
      const { rows } = await db.query("SELECT * FROM booking.sfn_validate($1::jsonb)", [JSON.stringify(definition)]);
      diagnostics = rows.map((r) => ({ severity: r.severity, code: r.code, message: r.message, location: r.location }));
      void type;
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
    const level = str(body, "inspectionLevel") ?? "INFO";
    if (!["INFO", "DEBUG", "TRACE"].includes(level))
      throw new SfnError("ValidationException", `inspectionLevel must be INFO, DEBUG or TRACE, not "${level}"`);
    const { rows } = await db.query("SELECT booking.sfn_test_state($1::jsonb, $2, $3::jsonb, $4::jsonb) AS r",
      [JSON.stringify(definition), str(body, "stateName"), JSON.stringify(input), variables === null ? null : JSON.stringify(variables)]);
    const r = rows[0].r;
    const inspection = r.inspectionData && level !== "INFO" ? stringifyInspection(r.inspectionData) : undefined;
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

// InspectionData's members are JSON strings on the wire
function stringifyInspection(data) {
  const out = {};
  for (const [k, v] of Object.entries(data)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}

export { describeShape, required };
