// preset.mjs — the PostGraphile 5 configuration of booking's GraphQL front.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";
import { ExposurePlugin, NoSchemaPrefixPlugin } from "./exposure.mjs";
import { StepFunctionsPlugin } from "./stepFunctions.mjs";
import { ExecutionStatusPlugin } from "./executionStatus.mjs";
import { makeAuth, makeAuthPlugin, makeAuthContext } from "./auth.mjs";
import { jwtSettingsFromEnv } from "./jwt.mjs";
import { maskError } from "./errors.mjs";
import { DEFAULT_LIMITS, limitsFromEnv, makeLimitsRule, makePagePlugin } from "./limits.mjs";

export const SCHEMAS = ["booking_app", "booking_api"];

export function settingsFromEnv(env = process.env) {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set (e.g. postgres://booking_graphql@localhost:54321/postgres)");
  const mode = env.GRAPHILE_ENV ?? env.NODE_ENV ?? "production";
  return {
    databaseUrl,
    port: env.PORT === undefined || env.PORT === "" ? 5000 : Number(env.PORT),
    host: env.HOST || "127.0.0.1",
    apiKey: env.BOOKING_API_KEY || null,
    // BOOKING_JWT_SECRET / _PUBLIC_KEY / _AUDIENCE / _ISSUER (jwt.mjs), or null
    jwt: jwtSettingsFromEnv(env),
    development: mode === "development",
    // depth, cost, page size and mutations per request (limits.mjs)
    limits: limitsFromEnv(env),
  };
}

// auth: makeAuth({apiKey, jwt}) (server.mjs passes its own, which it also uses
// for websocket upgrades); made from apiKey and jwt when not given
export function makePreset({ databaseUrl, port = 5000, host = "127.0.0.1", apiKey = null, jwt = null, development = false,
                             auth = makeAuth({ apiKey, jwt }), limits = DEFAULT_LIMITS }) {
  const limitsRule = makeLimitsRule(limits);
  const LimitsRulePlugin = {
    name: "BookingLimitsRulePlugin",
    version: "1.0.0",
    grafserv: {
      middleware: {
        setPreset(next, event) {
          event.validationRules.push(limitsRule);
          return next();
        },
      },
    },
  };
  return {
    extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
    // filters and orderBy on every column, not only indexed ones: the tables are
    // small (apartments, payments) or views (executions: filter by status, name…)
    disablePlugins: ["PgIndexBehaviorsPlugin"],
    plugins: [ExposurePlugin, NoSchemaPrefixPlugin, StepFunctionsPlugin, ExecutionStatusPlugin, makeAuthPlugin(auth),
      LimitsRulePlugin, makePagePlugin(limits)],
    pgServices: [
      makePgService({
        connectionString: databaseUrl,
        schemas: SCHEMAS,
        // LISTEN/NOTIFY for subscriptions (context.pgSubscriber)
        pubsub: true,
      }),
    ],
    schema: {
      // connection-filter: no filters on relations across tables (costly joins
      // a client could ask for by accident), no empty {} filters
      connectionFilterRelations: false,
      connectionFilterAllowEmptyObjectInput: false,
      connectionFilterAllowNullInput: false,
    },
    grafserv: {
      host,
      port,
      graphqlPath: "/graphql",
      graphiql: development,
      graphiqlOnGraphQLGET: false,
      graphiqlPath: "/graphiql",
      eventStreamPath: "/graphql/stream",
      websockets: true,
      watch: false,
      maskError,
    },
    grafast: {
      explain: false,
      // the role and jwt.claims.* settings of a request authenticated by a JWT
      context: makeAuthContext(auth),
    },
  };
}
