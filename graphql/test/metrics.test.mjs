// GET /metrics: booking.metrics as Prometheus text, served as booking_metrics
// (a member of pg_monitor and nothing more), on its own route beside /graphql.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, API_KEY } from "./lib/server.mjs";
import { gql, admin, closeAll } from "./lib/client.mjs";
import { formatMetrics } from "../src/metrics.mjs";
import pg from "pg";

const TOKEN = "metrics-token-" + process.pid;
const metricsUrl = () => process.env.DATABASE_URL.replace("booking_graphql@", "booking_metrics@");
let server;
let guarded;
before(async () => {
  server = await startServer({ env: { BOOKING_METRICS_DATABASE_URL: metricsUrl() } });
  guarded = await startServer({ env: { BOOKING_METRICS_DATABASE_URL: metricsUrl(), BOOKING_METRICS_TOKEN: TOKEN } });
  await admin().query(`select booking.sfn_create_state_machine('metrics_probe',
    '{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}', role => 'postgres')
    where not exists (select from booking.state_machines where name = 'metrics_probe')`);
  await admin().query(`select booking.sfn_start('metrics_probe', '{}', 'probe-' || i) from generate_series(1, 3) i`);
});
after(async () => {
  await admin().query(`select booking.sfn_delete_state_machine('metrics_probe')`);
  await closeAll();
  await server?.stop();
  await guarded?.stop();
});

const get = (base, path = "/metrics", headers = {}) => fetch(base + path, { headers });

// name{labels} value lines → [{name, labels, value}]
function parse(text) {
  return text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(l);
    assert.ok(m, `a sample line: ${l}`);
    const labels = Object.fromEntries([...(m[2] ?? "").matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    return { name: m[1], labels, value: Number(m[3]) };
  });
}

test("GET /metrics: Prometheus text of booking.metrics, the running executions by machine", async () => {
  const res = await get(server.base);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type"), /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  for (const metric of ["booking_executions", "booking_timers_scheduled", "booking_timers_due", "booking_timer_lag_seconds",
                        "booking_worker_up", "booking_table_bytes"]) {
    assert.match(text, new RegExp(`^# TYPE ${metric} (gauge|counter)$`, "m"), metric);
  }
  const samples = parse(text);
  const running = samples.find((s) => s.name === "booking_executions" && s.labels.state_machine === "metrics_probe"
                                      && s.labels.status === "RUNNING");
  assert.equal(running?.value, 3);
  const { rows: [{ n }] } = await admin().query(
    `select count(*)::int as n from booking.executions where status = 'RUNNING' and due_at is not null`);
  assert.equal(samples.find((s) => s.name === "booking_timers_scheduled").value, n);
  const history = samples.find((s) => s.name === "booking_table_bytes" && s.labels.table === "history");
  assert.ok(history.value > 0, "the history table's size");
});

test("the route leaves /graphql alone and answers only GET and HEAD", async () => {
  const data = await gql(server, "{ __typename }");
  assert.equal(data.__typename, "Query");
  const post = await fetch(server.base + "/metrics", { method: "POST", body: "" });
  assert.equal(post.status, 405);
  const head = await fetch(server.base + "/metrics", { method: "HEAD" });
  assert.equal(head.status, 200);
});

test("BOOKING_METRICS_TOKEN: a bearer token is required, the right one only", async () => {
  assert.equal((await get(guarded.base)).status, 401);
  assert.equal((await get(guarded.base, "/metrics", { authorization: "Bearer wrong" })).status, 401);
  assert.equal((await get(guarded.base, "/metrics", { "x-api-key": API_KEY })).status, 401);
  const ok = await get(guarded.base, "/metrics", { authorization: `Bearer ${TOKEN}` });
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /^booking_timers_due /m);
});

test("booking_metrics reads the monitoring views and nothing else", async () => {
  const client = new pg.Client({ connectionString: metricsUrl() });
  await client.connect();
  try {
    const { rows } = await client.query("select count(*)::int as n from booking.monitor_executions");
    assert.ok(rows[0].n >= 1);
    for (const sql of ["select * from booking.executions limit 1", "select * from booking.history limit 1",
                       "select * from booking.task_tokens limit 1", "select * from booking_app.apartments limit 1",
                       "select booking.purge_executions(1)"]) {
      await assert.rejects(client.query(sql), (e) => e.code === "42501", sql);
    }
  } finally {
    await client.end();
  }
});

test("without BOOKING_METRICS_DATABASE_URL there is no /metrics route", async () => {
  // the test servers above have one; the plain server of the other test files has not
  const plain = await startServer({ env: { BOOKING_METRICS_DATABASE_URL: undefined } });
  try {
    assert.equal((await get(plain.base)).status, 404);
  } finally {
    await plain.stop();
  }
});

test("formatMetrics escapes label values, groups samples under one HELP and TYPE, skips NULL values", () => {
  const text = formatMetrics([
    { metric: "m", type: "gauge", help: "h", labels: { a: 'x"y\\z\nw' }, value: 1 },
    { metric: "m", type: "gauge", help: "h", labels: {}, value: "2.5" },
    { metric: "n", type: "counter", help: "c", labels: null, value: null },
  ]);
  assert.equal(text, '# HELP m h\n# TYPE m gauge\nm{a="x\\"y\\\\z\\nw"} 1\nm 2.5\n# HELP n c\n# TYPE n counter\n');
});
