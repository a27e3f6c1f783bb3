// server.mjs (test helper) — the real server (graphql/server.mjs) in a child
// process, on a free port, stopped when the test file ends (or dies).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const GRAPHQL_DIR = fileURLToPath(new URL("../..", import.meta.url));
export const API_KEY = "test-api-key-" + process.pid;
const children = new Set();
process.on("exit", () => {
  for (const c of children) c.kill("SIGKILL");
});
// a test process stopped by a signal (run.sh's timeout, ^C) takes its servers along
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
  process.once(signal, () => process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGHUP" ? 1 : 15)));
}

// startServer({env}) → {url, wsUrl, base, log(), stop()}; env adds to or
// (undefined values) removes from the environment run.sh gives. The caller stops
// it (a top-level after()); a dying test process kills it.
export async function startServer({ env = {}, timeoutMs = 30000 } = {}) {
  if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL is not set: run graphql/test/run.sh");
  const childEnv = { ...process.env, PORT: "0", HOST: "127.0.0.1", BOOKING_API_KEY: API_KEY, GRAPHILE_ENV: "production" };
  delete childEnv.BOOKING_SFN_PORT; // the Step Functions API only where a test asks for it (lib/sfn.mjs)
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  const child = spawn(process.execPath, ["server.mjs"], { cwd: GRAPHQL_DIR, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let output = "";
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const m = /listening on (http:\/\/[^/\s]+)\/graphql/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${output}`));
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const t = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(t);
    children.delete(child);
  };
  return {
    base,
    url: `${base}/graphql`,
    wsUrl: `${base.replace(/^http/, "ws")}/graphql`,
    log: () => output,
    stop,
  };
}
