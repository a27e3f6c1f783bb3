// sfn.mjs (test helper) — the Step Functions API endpoint of a real server
// (server.mjs with BOOKING_SFN_PORT), and clients for it: the JS SDK, the aws CLI,
// and raw AWS JSON 1.0 requests.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { SFNClient } from "@aws-sdk/client-sfn";
import { startServer } from "./server.mjs";
import { post } from "./client.mjs";

const run = promisify(execFile);

// The endpoint's port: BOOKING_SFN_TEST_PORT + slot (a test file's servers take slots
// 0, 1, 2), and its GraphQL server's that + 50; unset: any free ports.
export async function startSfn({ env = {}, slot = 0 } = {}) {
  const base = process.env.BOOKING_SFN_TEST_PORT ? Number(process.env.BOOKING_SFN_TEST_PORT) + slot : null;
  const server = await startServer({
    env: {
      BOOKING_SFN_PORT: base === null ? "0" : String(base),
      ...(base === null ? {} : { PORT: String(base + 50) }),
      BOOKING_SFN_POLL_SECONDS: "20",
      ...env,
    },
  });
  const m = /Step Functions API listening on (http:\/\/\S+)/.exec(server.log());
  if (!m) throw new Error("the Step Functions API did not start:\n" + server.log());
  return { ...server, sfnUrl: m[1] };
}

export const ACCOUNT = "123456789012";
export const REGION = "eu-west-1";
export const CREDENTIALS = { accessKeyId: ACCOUNT, secretAccessKey: "dummy" };

export function sdk(url, { credentials = CREDENTIALS, region = REGION } = {}) {
  return new SFNClient({ endpoint: url, region, credentials, disableHostPrefix: true, maxAttempts: 1 });
}

// the installed aws CLI (v1): → {code, json, stderr}
export async function cli(url, args, { env = {} } = {}) {
  try {
    const { stdout, stderr } = await run("aws", ["stepfunctions", ...args, "--endpoint-url", url, "--output", "json"], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: ACCOUNT, AWS_SECRET_ACCESS_KEY: "dummy", AWS_DEFAULT_REGION: REGION,
        AWS_DISABLE_HOST_PREFIX_INJECTION: "true", AWS_MAX_ATTEMPTS: "1",
        AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", ...env,
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, json: stdout.trim() ? JSON.parse(stdout) : null, stderr };
  } catch (e) {
    if (typeof e.code !== "number") throw e;
    return { code: e.code, json: null, stderr: e.stderr };
  }
}

// a raw request: → {status, json, text, headers}
export function raw(url, action, body, { headers = {} } = {}) {
  return post(url + "/", body, {
    headers: {
      "content-type": "application/x-amz-json-1.0",
      ...(action ? { "x-amz-target": `AWSStepFunctions.${action}` } : {}),
      ...headers,
    },
  });
}

export async function until(what, fn, { timeoutMs = 20000, everyMs = 100 } = {}) {
  const stop = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > stop) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
