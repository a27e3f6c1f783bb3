// bench/sfn_api.mjs — requests per second through the Step Functions API endpoint
// (graphql/src/sfn), with the JS SDK as a client would send them, one at a time
// and CONCURRENCY at once. A benchmark, not a test: it fails only on a wrong answer.
//
//   node bench/sfn_api.mjs http://127.0.0.1:8083      (a running endpoint; graphql/start.sh)
//   BENCH_REQUESTS (default 500), BENCH_CONCURRENCY (default 8)
import { createRequire } from "node:module";

const require = createRequire(new URL("../graphql/package.json", import.meta.url));
const S = require("@aws-sdk/client-sfn");

const url = process.argv[2] ?? "http://127.0.0.1:8083";
const requests = Number(process.env.BENCH_REQUESTS ?? 500);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const sfn = new S.SFNClient({ endpoint: url, region: "us-east-1", disableHostPrefix: true, maxAttempts: 1,
  credentials: { accessKeyId: "123456789012", secretAccessKey: "bench" } });
const name = `bench-${Date.now().toString(36)}`;
const definition = { StartAt: "P", States: { P: { Type: "Pass", Result: { ok: true }, End: true } } };

async function timed(label, count, parallel, fn) {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) await fn(next++);
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`| ${label} | ${parallel} | ${count} | ${(count / seconds).toFixed(0)} | ${((seconds * 1000 * parallel) / count).toFixed(1)} |`);
}

const { stateMachineArn } = await sfn.send(new S.CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: "arn:aws:iam::1:role/bench" }));
const started = [];
console.log("| action | concurrency | requests | requests/s | ms per request |\n|---|---|---|---|---|");
for (const parallel of [1, concurrency]) {
  await timed("StartExecution (runs to its end)", requests, parallel, async () => {
    const r = await sfn.send(new S.StartExecutionCommand({ stateMachineArn, input: "{}" }));
    started.push(r.executionArn);
  });
  await timed("DescribeExecution", requests, parallel, async (i) => {
    const d = await sfn.send(new S.DescribeExecutionCommand({ executionArn: started[i % started.length] }));
    if (d.status !== "SUCCEEDED" || d.output !== '{"ok":true}') throw new Error(`wrong answer: ${JSON.stringify(d)}`);
  });
  await timed("StartSyncExecution", requests, parallel, async () => {
    const d = await sfn.send(new S.StartSyncExecutionCommand({ stateMachineArn, input: "{}" }));
    if (d.status !== "SUCCEEDED") throw new Error(`wrong answer: ${JSON.stringify(d)}`);
  });
  await timed("ListExecutions (100 a page)", Math.ceil(requests / 10), parallel, async () => {
    const l = await sfn.send(new S.ListExecutionsCommand({ stateMachineArn, maxResults: 100 }));
    if (l.executions.length !== 100) throw new Error("wrong page");
  });
}
await sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn }));
sfn.destroy();
