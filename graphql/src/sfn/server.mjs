// server.mjs — the Step Functions API (AWS JSON 1.0) on a listener of its own.
//
//   BOOKING_SFN_PORT           the port (0: any free port); unset: not served
//   BOOKING_SFN_HOST           default 127.0.0.1
//   BOOKING_SFN_DATABASE_URL   default DATABASE_URL: the endpoint's login role
//                              (graphql/sfn_roles.sql: booking_sfn)
//   BOOKING_SFN_POLL_SECONDS   how long GetActivityTask waits for a task (default 55)
//   BOOKING_SFN_MOCK_CONFIG    a mock configuration file (Step Functions Local's
//                              MockConfigFile): StartExecution of '<arn>#<TestCase>'
//                              loads the machine's test cases from it (docs/mocks.md)
//   identity.mjs has the credential settings.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { TARGET_PREFIX, SfnError, readBody, parseBody, send, sendError } from "./protocol.mjs";
import { makePool, withRequest, toSfnError } from "./db.mjs";
import { makeIdentity } from "./identity.mjs";
import { transactionalOperations } from "./operations/index.mjs";
import { makeGetActivityTask } from "./operations/tasks.mjs";
import { makeActivityWaiter } from "./activityWaiter.mjs";

export function sfnSettingsFromEnv(env = process.env) {
  if (env.BOOKING_SFN_PORT === undefined || env.BOOKING_SFN_PORT === "") return null;
  const port = Number(env.BOOKING_SFN_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`BOOKING_SFN_PORT: "${env.BOOKING_SFN_PORT}" is not a port`);
  const url = env.BOOKING_SFN_DATABASE_URL || env.DATABASE_URL;
  if (!url) throw new Error("BOOKING_SFN_DATABASE_URL (or DATABASE_URL) must name the database");
  const poll = Number(env.BOOKING_SFN_POLL_SECONDS ?? 55);
  if (!(poll >= 0 && poll <= 60)) throw new Error("BOOKING_SFN_POLL_SECONDS must be between 0 and 60");
  return { port, host: env.BOOKING_SFN_HOST || "127.0.0.1", url, pollMs: poll * 1000,
    mockConfigFile: env.BOOKING_SFN_MOCK_CONFIG || null };
}

export async function startSfnServer(settings, env = process.env) {
  const identity = makeIdentity(env);
  const pool = makePool(settings.url);
  const waiter = makeActivityWaiter(settings.url);
  const run = (who, fn) => withRequest(pool, who, fn);
  const operations = {
    ...transactionalOperations,
    GetActivityTask: makeGetActivityTask({ run, waiter, pollMs: settings.pollMs }),
  };
  const ownTransactions = new Set(["GetActivityTask"]);
  // read when a test case starts, so an edited file applies to the next start
  const readMockConfig = (file) => {
    const config = JSON.parse(readFileSync(file, "utf8"));
    if (config === null || typeof config !== "object") throw new Error(`${file}: not a JSON object`);
    return config;
  };
  if (settings.mockConfigFile) readMockConfig(settings.mockConfigFile); // a file that does not parse stops the start
  const ctx = { mockConfig: settings.mockConfigFile ? () => readMockConfig(settings.mockConfigFile) : null };

  // the database answers (and the role may log in) before we say we listen
  await pool.query("SELECT 1");

  const server = createServer(async (req, res) => {
    const requestId = randomUUID();
    try {
      if (req.method !== "POST" || req.url.split("?")[0] !== "/") {
        throw new SfnError("UnknownOperationException", `${req.method} ${req.url}: the Step Functions API is POST /`, 404);
      }
      const raw = await readBody(req);
      const who = identity.resolve(req, raw);
      const target = req.headers["x-amz-target"];
      if (typeof target !== "string" || !target.startsWith(TARGET_PREFIX))
        throw new SfnError("UnknownOperationException", "X-Amz-Target must be AWSStepFunctions.<Action>");
      const action = target.slice(TARGET_PREFIX.length);
      const op = Object.hasOwn(operations, action) ? operations[action] : null;
      if (!op) throw new SfnError("UnknownOperationException", `Unknown operation ${action}`);
      const body = parseBody(raw);
      const result = ownTransactions.has(action) ? await op(null, body, who).catch((e) => { throw toSfnError(e, who); })
        : await run(who, (db) => op(db, body, who, ctx));
      send(res, 200, result, requestId);
    } catch (e) {
      const err = e instanceof SfnError ? e : toSfnError(e);
      if (!res.headersSent) sendError(res, err, requestId);
    }
  });
  server.keepAliveTimeout = 65000;
  server.requestTimeout = 0; // GetActivityTask holds a request for up to a minute
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, resolve);
  });
  const { port } = server.address();
  return {
    url: `http://${settings.host}:${port}`,
    port,
    identity,
    async close() {
      server.close();
      server.closeAllConnections?.();
      await waiter.close();
      await pool.end();
    },
  };
}
