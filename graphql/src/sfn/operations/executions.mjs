// executions.mjs — executions: start (and start sync), describe, list, history, stop, redrive.
import { SfnError, str, bool, int, jsonText, epoch, compact } from "../protocol.mjs";
import { pageSize, decodeToken, page } from "../paging.mjs";

const STATUSES = new Set(["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"]);
const REDRIVE_FILTERS = new Set(["REDRIVEN", "NOT_REDRIVEN"]);
const NAME_MAX = 80;

function describeShape(d, includeData = true) {
  return compact({
    executionArn: d.executionArn,
    stateMachineArn: d.stateMachineArn,
    stateMachineVersionArn: d.stateMachineVersionArn,
    stateMachineAliasArn: d.stateMachineAliasArn,
    name: d.name,
    status: d.status,
    startDate: epoch(d.startDate),
    stopDate: epoch(d.stopDate),
    input: includeData && d.input !== undefined ? JSON.stringify(d.input) : undefined,
    inputDetails: { included: includeData },
    output: includeData && d.output !== undefined && d.output !== null ? JSON.stringify(d.output) : undefined,
    outputDetails: d.status === "SUCCEEDED" ? { included: includeData } : undefined,
    error: d.error,
    cause: d.cause,
    redriveCount: d.redriveCount,
    redriveDate: epoch(d.redriveDate),
    redriveStatus: d.redriveStatus,
    redriveStatusReason: d.redriveStatusReason,
  });
}

async function loadMockConfig(db, config, arn) {
  const ref = arn.slice(0, arn.indexOf("#"));
  const name = ref.startsWith("arn:") ? ref.split(":")[6] : ref;
  const machine = config.StateMachines?.[name];
  if (!machine) return;
  await db.query("SELECT booking.sfn_load_mock_config($1::jsonb)",
    [JSON.stringify({ StateMachines: { [name]: machine }, MockedResponses: config.MockedResponses ?? {} })]);
}

function readMockConfig(ctx) {
  try {
    return ctx.mockConfig();
  } catch (e) {
    throw new SfnError("ValidationException", `the mock configuration file does not read: ${e.message}`);
  }
}

function includedData(body) {
  const v = str(body, "includedData");
  if (v === null || v === "ALL_DATA") return true;
  if (v === "METADATA_ONLY") return false;
  throw new SfnError("ValidationException", `includedData must be ALL_DATA or METADATA_ONLY, not "${v}"`);
}

export const executionOperations = {
  async StartExecution(db, body, _who, ctx) {
    const arn = str(body, "stateMachineArn", { req: true });
    // '<stateMachineArn>#<TestCase>' (Step Functions Local): the test case comes from
    // the endpoint's mock configuration file, loaded for the machine as the file is now
    if (arn.includes("#") && ctx?.mockConfig) await loadMockConfig(db, readMockConfig(ctx), arn);
    const name = str(body, "name");
    if (name !== null && name.length > NAME_MAX) throw new SfnError("InvalidName", `name is longer than ${NAME_MAX} characters`);
    const input = jsonText(body, "input", "InvalidExecutionInput", { dflt: {} });
    const { rows } = await db.query("SELECT booking.sfn_start($1, $2::jsonb, $3) AS arn", [arn, JSON.stringify(input), name]);
    const started = (await db.query("SELECT booking.sfn_describe_execution($1)->>'startDate' AS d", [rows[0].arn])).rows[0].d;
    return { executionArn: rows[0].arn, startDate: epoch(started) };
  },

  async StartSyncExecution(db, body, _who, ctx) {
    const arn = str(body, "stateMachineArn", { req: true });
    // '<stateMachineArn>#<TestCase>' as StartExecution: the test case runs synchronously
    if (arn.includes("#") && ctx?.mockConfig) await loadMockConfig(db, readMockConfig(ctx), arn);
    const input = jsonText(body, "input", "InvalidExecutionInput", { dflt: {} });
    const include = includedData(body);
    const name = str(body, "name");
    if (name !== null && name.length > NAME_MAX) throw new SfnError("InvalidName", `name is longer than ${NAME_MAX} characters`);
    const { rows } = await db.query("SELECT booking.sfn_start_sync($1, $2::jsonb, $3) AS d",
      [arn, JSON.stringify(input), name]);
    const d = rows[0].d;
    const shape = describeShape(d, include);
    delete shape.redriveCount;
    delete shape.redriveStatus;
    delete shape.redriveStatusReason;
    delete shape.stateMachineVersionArn;
    return shape;
  },

  async DescribeExecution(db, body) {
    const arn = str(body, "executionArn", { req: true });
    const { rows } = await db.query("SELECT booking.sfn_describe_execution($1) AS d", [arn]);
    return describeShape(rows[0].d, includedData(body));
  },

  async ListExecutions(db, body) {
    const machine = str(body, "stateMachineArn");
    const mapRun = str(body, "mapRunArn");
    if (mapRun !== null) {
      if (machine !== null) throw new SfnError("ValidationException", "give stateMachineArn or mapRunArn, not both");
      throw new SfnError("ResourceNotFound", `Map Run ${mapRun} does not exist: booking runs no distributed Map`);
    }
    if (machine === null) throw new SfnError("ValidationException", "stateMachineArn or mapRunArn is required");
    const status = str(body, "statusFilter");
    if (status !== null && !STATUSES.has(status))
      throw new SfnError("ValidationException", `statusFilter must be one of ${[...STATUSES].join(", ")}`);
    const redrive = str(body, "redriveFilter");
    if (redrive !== null && !REDRIVE_FILTERS.has(redrive))
      throw new SfnError("ValidationException", "redriveFilter must be REDRIVEN or NOT_REDRIVEN");
    const size = pageSize(body);
    const after = decodeToken(body, "ListExecutions");
    // PENDING_REDRIVE: booking redrives at once, so no execution waits to be redriven
    const { rows } = status === "PENDING_REDRIVE" ? { rows: [] } : await db.query(
      "SELECT * FROM booking.sfn_list_executions($1, $2, max_results => $3, after_execution => $4, redrive_filter => $5)",
      [machine, status, size + 1, after, redrive]);
    const { items, nextToken } = page(rows, size, "ListExecutions", (r) => r.execution_arn);
    return compact({
      executions: items.map((r) => compact({
        executionArn: r.execution_arn,
        stateMachineArn: r.state_machine_arn,
        name: r.name,
        status: r.status,
        startDate: epoch(r.start_date),
        stopDate: epoch(r.stop_date),
        stateMachineVersionArn: r.state_machine_version_arn,
        stateMachineAliasArn: r.state_machine_alias_arn,
        redriveCount: r.redrive_count,
        redriveDate: epoch(r.redrive_date),
      })),
      nextToken,
    });
  },

  async GetExecutionHistory(db, body) {
    const arn = str(body, "executionArn", { req: true });
    const reverse = bool(body, "reverseOrder") ?? false;
    const includeData = bool(body, "includeExecutionData") ?? true;
    const size = pageSize(body);
    const after = decodeToken(body, "GetExecutionHistory");
    if (after !== null && !Number.isInteger(after)) throw new SfnError("InvalidToken", "Invalid Token");
    const { rows } = await db.query(
      "SELECT * FROM booking.sfn_get_execution_history($1, max_results => $2, after_event => $3, reverse_order => $4)",
      [arn, size + 1, after, reverse]);
    const { items, nextToken } = page(rows, size, "GetExecutionHistory", (r) => r.id);
    return compact({ events: items.map((r) => historyEvent(r, includeData)), nextToken });
  },

  async StopExecution(db, body) {
    const arn = str(body, "executionArn", { req: true });
    const { rows } = await db.query("SELECT booking.sfn_stop_execution($1, $2, $3) AS stopped",
      [arn, str(body, "error", { max: 256 }), str(body, "cause", { max: 32768 })]);
    return { stopDate: epoch(rows[0].stopped) };
  },

  async RedriveExecution(db, body) {
    const arn = str(body, "executionArn", { req: true });
    // the same clientToken within 15 minutes answers with that redrive (booking.redrive_tokens)
    const token = str(body, "clientToken", { max: 64 });
    const { rows } = await db.query("SELECT booking.sfn_redrive_execution($1, $2) AS redriven", [arn, token]);
    return { redriveDate: epoch(rows[0].redriven) };
  },
};

// History events: {timestamp, type, id, previousEventId, <type>EventDetails}.
// booking's details carry JSON documents as JSON; the wire carries them as strings.
const JSON_MEMBERS = new Set(["input", "output", "result", "parameters"]);

// details are keyed by the model's member already ({"executionStartedEventDetails": {…}})
function historyEvent(r, includeData) {
  const event = { timestamp: epoch(r.timestamp), type: r.type, id: r.id, previousEventId: r.previous_event_id };
  for (const [member, inner] of Object.entries(r.details ?? {})) {
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) {
      event[member] = inner;
      continue;
    }
    const details = {};
    for (const [k, v] of Object.entries(inner)) {
      if (JSON_MEMBERS.has(k)) {
        if (includeData) details[k] = typeof v === "string" ? v : JSON.stringify(v);
      } else details[k] = v;
    }
    if (!includeData && (inner.input !== undefined || inner.output !== undefined)) {
      if (inner.input !== undefined) details.inputDetails = { truncated: false };
      if (inner.output !== undefined) details.outputDetails = { truncated: false };
    }
    event[member] = details;
  }
  return event;
}

export { describeShape as describeExecutionShape, int };
