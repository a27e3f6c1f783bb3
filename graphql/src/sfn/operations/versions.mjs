// versions.mjs — published versions and aliases with weighted routing.
import { SfnError, str, epoch, compact } from "../protocol.mjs";
import { pageSize, decodeToken, page } from "../paging.mjs";

function routing(body, { req }) {
  const list = body.routingConfiguration;
  if (list === undefined || list === null) {
    if (req) throw new SfnError("ValidationException", "1 validation error detected: Value null at 'routingConfiguration' failed to satisfy constraint: Member must not be null");
    return null;
  }
  if (!Array.isArray(list) || list.some((r) => r === null || typeof r !== "object"))
    throw new SfnError("SerializationException", "routingConfiguration must be a list of {stateMachineVersionArn, weight}");
  return list.map((r) => ({ stateMachineVersionArn: r.stateMachineVersionArn, weight: r.weight }));
}

export const versionOperations = {
  async PublishStateMachineVersion(db, body) {
    const arn = str(body, "stateMachineArn", { req: true });
    const { rows } = await db.query(
      "SELECT * FROM booking.sfn_publish_state_machine_version($1, $2, $3)",
      [arn, str(body, "revisionId"), str(body, "description", { max: 256 })]);
    return { stateMachineVersionArn: rows[0].version_arn, creationDate: epoch(rows[0].creation_date) };
  },
  async ListStateMachineVersions(db, body) {
    const arn = str(body, "stateMachineArn", { req: true });
    const size = pageSize(body);
    const after = decodeToken(body, "ListStateMachineVersions");
    if (after !== null && !Number.isInteger(after)) throw new SfnError("InvalidToken", "Invalid Token");
    const { rows } = await db.query("SELECT * FROM booking.sfn_list_state_machine_versions($1, $2, $3)", [arn, size + 1, after]);
    const { items, nextToken } = page(rows, size, "ListStateMachineVersions", (r) => r.version);
    return compact({
      stateMachineVersions: items.map((r) => ({ stateMachineVersionArn: r.version_arn, creationDate: epoch(r.creation_date) })),
      nextToken,
    });
  },
  async DeleteStateMachineVersion(db, body) {
    const arn = str(body, "stateMachineVersionArn", { req: true });
    await db.query("SELECT booking.sfn_delete_state_machine_version($1)", [arn]);
    return {};
  },

  async CreateStateMachineAlias(db, body) {
    const name = str(body, "name", { req: true });
    const routes = routing(body, { req: true });
    // the alias belongs to the machine its versions are of (…:stateMachine:NAME:VERSION)
    const first = typeof routes[0]?.stateMachineVersionArn === "string" ? routes[0].stateMachineVersionArn : "";
    const machine = first.split(":").slice(0, 7).join(":");
    if (!/^arn:[^:]+:states:[^:]*:[^:]*:stateMachine:[^:]+$/.test(machine))
      throw new SfnError("InvalidArn", `Invalid Arn: '${first}' is not a state machine version ARN`);
    const { rows } = await db.query(
      "SELECT * FROM booking.sfn_create_state_machine_alias($1, $2, $3::jsonb, $4)",
      [machine, name, JSON.stringify(routes), str(body, "description", { max: 256 })]);
    return { stateMachineAliasArn: rows[0].alias_arn, creationDate: epoch(rows[0].creation_date) };
  },
  async DescribeStateMachineAlias(db, body) {
    const arn = str(body, "stateMachineAliasArn", { req: true });
    const d = (await db.query("SELECT booking.sfn_describe_state_machine_alias($1) AS d", [arn])).rows[0].d;
    return compact({
      stateMachineAliasArn: d.stateMachineAliasArn, name: d.name, description: d.description,
      routingConfiguration: d.routingConfiguration, creationDate: epoch(d.creationDate), updateDate: epoch(d.updateDate),
    });
  },
  async UpdateStateMachineAlias(db, body) {
    const arn = str(body, "stateMachineAliasArn", { req: true });
    const r = routing(body, { req: false });
    const description = str(body, "description", { max: 256 });
    if (r === null && description === null)
      throw new SfnError("ValidationException", "give a description or a routingConfiguration to update");
    const { rows } = await db.query("SELECT booking.sfn_update_state_machine_alias($1, $2::jsonb, $3) AS updated",
      [arn, r === null ? null : JSON.stringify(r), description]);
    return { updateDate: epoch(rows[0].updated) };
  },
  async DeleteStateMachineAlias(db, body) {
    const arn = str(body, "stateMachineAliasArn", { req: true });
    await db.query("SELECT booking.sfn_delete_state_machine_alias($1)", [arn]);
    return {};
  },
  async ListStateMachineAliases(db, body) {
    const arn = str(body, "stateMachineArn", { req: true });
    const size = pageSize(body);
    const after = decodeToken(body, "ListStateMachineAliases");
    const { rows } = await db.query("SELECT * FROM booking.sfn_list_state_machine_aliases($1, $2, $3)", [arn, size + 1, after]);
    const { items, nextToken } = page(rows, size, "ListStateMachineAliases", (r) => r.name);
    return compact({
      stateMachineAliases: items.map((r) => ({ stateMachineAliasArn: r.alias_arn, creationDate: epoch(r.creation_date) })),
      nextToken,
    });
  },
};
