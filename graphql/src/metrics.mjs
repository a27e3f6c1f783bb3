// metrics.mjs — GET /metrics: booking's monitoring view (booking.metrics) as
// Prometheus text (exposition format 0.0.4).
//
// Its own route and its own connection: BOOKING_METRICS_DATABASE_URL, as the
// role booking_metrics (roles.sql: a member of pg_monitor and nothing else),
// not the GraphQL role. Unset: no /metrics route. BOOKING_METRICS_TOKEN, when
// set, is required as "Authorization: Bearer <token>" (Prometheus'
// `authorization` scrape setting).
import pg from "pg";
import { timingSafeEqual } from "node:crypto";

export const METRICS_PATH = "/metrics";
const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export function metricsSettingsFromEnv(env = process.env) {
  return {
    databaseUrl: env.BOOKING_METRICS_DATABASE_URL || null,
    token: env.BOOKING_METRICS_TOKEN || null,
  };
}

// a label value in the exposition format: backslash, double quote and newline escaped
function labelValue(v) {
  return String(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function sampleValue(v) {
  const n = Number(v);
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  return String(n);
}

// rows of booking.metrics (metric, type, help, labels, value) → exposition text;
// a metric's samples together, under one HELP and TYPE
export function formatMetrics(rows) {
  const byMetric = new Map();
  for (const r of rows) {
    if (!byMetric.has(r.metric)) byMetric.set(r.metric, { type: r.type, help: r.help, samples: [] });
    byMetric.get(r.metric).samples.push(r);
  }
  let out = "";
  for (const [metric, { type, help, samples }] of byMetric) {
    out += `# HELP ${metric} ${String(help).replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}\n`;
    out += `# TYPE ${metric} ${type}\n`;
    for (const s of samples) {
      if (s.value === null || s.value === undefined) continue; // no sample: nothing to report
      const labels = Object.entries(s.labels ?? {})
        .map(([k, v]) => `${k}="${labelValue(v)}"`)
        .join(",");
      out += `${metric}${labels ? `{${labels}}` : ""} ${sampleValue(s.value)}\n`;
    }
  }
  return out;
}

function tokenMatches(header, token) {
  const m = /^Bearer (.+)$/.exec(header ?? "");
  if (!m) return false;
  const a = Buffer.from(m[1]);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

// makeMetrics(settings) → null (no route) or {handle(req, res) → bool, close()}
export function makeMetrics({ databaseUrl, token }) {
  if (!databaseUrl) return null;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, idleTimeoutMillis: 60000, statement_timeout: 10000 });
  pool.on("error", () => {}); // a dropped idle connection: the next scrape reconnects
  const send = (res, status, body, type = "text/plain; charset=utf-8", extra = {}) => {
    res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...extra });
    res.end(body);
  };
  async function handle(req, res) {
    const path = (req.url ?? "").split("?")[0];
    if (path !== METRICS_PATH) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, "GET only\n", undefined, { allow: "GET, HEAD" });
      return true;
    }
    if (token && !tokenMatches(req.headers.authorization, token)) {
      send(res, 401, "a bearer token is required\n", undefined, { "www-authenticate": 'Bearer realm="metrics"' });
      return true;
    }
    try {
      const { rows } = await pool.query("SELECT metric, type, help, labels, value FROM booking.metrics ORDER BY metric");
      send(res, 200, req.method === "HEAD" ? "" : formatMetrics(rows), CONTENT_TYPE);
    } catch (e) {
      // the scrape fails (Prometheus records up = 0); the reason is logged, not served
      console.error(`booking metrics: ${e.message}`);
      send(res, 503, "the database did not answer\n");
    }
    return true;
  }
  return { handle, close: () => pool.end() };
}

// Puts the metrics route in front of the server's other request handlers
// (grafserv's): /metrics is answered here, everything else goes on to them.
export function routeMetrics(server, metrics) {
  if (!metrics) return;
  const others = server.listeners("request");
  server.removeAllListeners("request");
  server.on("request", (req, res) => {
    metrics.handle(req, res).then((handled) => {
      if (!handled) for (const h of others) h.call(server, req, res);
    });
  });
}
