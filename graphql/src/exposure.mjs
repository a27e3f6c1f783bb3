// exposure.mjs — what of the database the GraphQL schema shows.
//
// PostGraphile shows what the connecting role may use (its RBAC plugin reads
// GRANTs: graphql/roles.sql); on top of that, an allowlist, so that a function
// or table someone adds to booking_app (a Lambda-style task
// function, a trigger helper, an internal table) does not turn up in the API by
// accident. To expose more, add it here and to roles.sql, then run
// `npm run export-schema` and commit graphql/schema.graphql.
import { pgSmartTags } from "postgraphile/utils";

// schema → table → smart tags
export const EXPOSED_TABLES = {
  booking_app: {
    apartments: { behavior: "-insert -update -delete" },
    payments: { behavior: "-insert -update -delete" },
  },
  // views of the extension's tables (graphql/api.sql): keys and relations
  // declared here, as views have no constraints
  booking_api: {
    state_machines: {
      behavior: "-insert -update -delete",
      notNull: ["id", "name", "arn", "type", "role", "current_version", "created"],
      primaryKey: "id",
      unique: ["arn", "name"],
    },
    state_machine_versions: {
      behavior: "-insert -update -delete",
      notNull: ["machine_id", "version", "definition", "created"],
      primaryKey: "machine_id,version",
      foreignKey: "(machine_id) references booking_api.state_machines (id)",
    },
    executions: {
      behavior: "-insert -update -delete",
      // top-level executions always have these (children, which lack arn and
      // name, are not in the view)
      notNull: ["id", "arn", "name", "machine_id", "version", "status", "input", "start_date", "redrive_count"],
      primaryKey: "id",
      unique: "arn",
      foreignKey: "(machine_id) references booking_api.state_machines (id)",
    },
  },
};

// schema → function: everything else is hidden. add_step_function and
// get_step_functions are not here: the article's operations (stepFunctions.mjs)
// call them with the article's names and types.
export const EXPOSED_FUNCTIONS = {
  booking_app: ["reserve_apartment", "record_payment", "list_apartments"],
};

const nsp = (entity) => entity.getNamespace()?.nspname;

export const ExposurePlugin = pgSmartTags(
  [
    {
      kind: "class",
      match: (c) => (EXPOSED_TABLES[nsp(c)] ?? {})[c.relname] === undefined,
      tags: { behavior: "-*" },
    },
    ...Object.entries(EXPOSED_TABLES).flatMap(([schema, tables]) =>
      Object.entries(tables).flatMap(([table, { notNull = [], ...tags }]) => [
        { kind: "class", match: (c) => nsp(c) === schema && c.relname === table, tags },
        // columns of views are nullable to PostgreSQL whatever they hold
        ...notNull.map((column) => ({
          kind: "attribute",
          match: (a) => a.attname === column && a.getClass()?.relname === table && nsp(a.getClass()) === schema,
          tags: { notNull: true },
        })),
      ]),
    ),
    {
      kind: "procedure",
      match: (p) => !(EXPOSED_FUNCTIONS[nsp(p)] ?? []).includes(p.proname),
      tags: { behavior: "-*" },
    },
  ],
  null,
  { name: "BookingExposurePlugin", description: "allowlist of the tables and functions GraphQL shows" },
);

// Type and field names without a schema prefix (PostGraphile prefixes names from
// every schema but the first): Execution, allStateMachines, … Names cannot clash:
// booking_app and booking_api share no table names.
export const NoSchemaPrefixPlugin = {
  name: "BookingNoSchemaPrefixPlugin",
  version: "1.0.0",
  inflection: {
    replace: {
      _schemaPrefix() {
        return "";
      },
    },
  },
};
