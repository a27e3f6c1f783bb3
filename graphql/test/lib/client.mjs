// client.mjs (test helper) — GraphQL over HTTP the way the article's clients
// (AppSync, Amplify) send it: POST application/json {query, variables} with x-api-key.
import pg from "pg";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

export async function post(url, body, { apiKey, headers = {} } = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      ...(apiKey !== undefined ? { "x-api-key": apiKey } : {}),
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, text, json };
}

// gql(server, query, variables) → data; fails on HTTP or GraphQL errors
export async function gql(server, query, variables, apiKey) {
  const { API_KEY } = await import("./server.mjs");
  const res = await post(server.url, { query, variables }, { apiKey: apiKey ?? API_KEY });
  if (res.status !== 200 || !res.json || res.json.errors) {
    throw new Error(`GraphQL request failed (HTTP ${res.status}): ${res.text}\nquery: ${query}`);
  }
  return res.json.data;
}

// the database as its owner, to check what the API did (not through it)
let pool = null;
export function admin() {
  pool ??= new pg.Pool({ connectionString: process.env.ADMIN_DATABASE_URL, max: 3 });
  return pool;
}
const clients = new Set();

// what the helpers opened: a test file's top-level after() calls this
export async function closeAll() {
  await Promise.all([...clients].map((c) => c.dispose()));
  clients.clear();
  if (pool) await pool.end();
  pool = null;
}

export function wsClient(server, { connectionParams, headers } = {}) {
  class HeaderWebSocket extends WebSocket {
    constructor(address, protocols) {
      super(address, protocols, { headers: headers ?? {} });
    }
  }
  const client = createClient({
    url: server.wsUrl,
    webSocketImpl: HeaderWebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
  clients.add(client);
  return client;
}

// subscribe → {next(timeoutMs) → the next result, results, close()}
export function subscribe(client, payload) {
  const queue = [];
  const waiters = [];
  let ended = null;
  const push = (item) => {
    const w = waiters.shift();
    if (w) w.resolve(item);
    else queue.push(item);
  };
  const unsubscribe = client.subscribe(payload, {
    next: (value) => push({ value }),
    error: (error) => {
      ended = { error };
      push({ error });
    },
    complete: () => {
      ended = { complete: true };
      push({ complete: true });
    },
  });
  return {
    next(timeoutMs = 10000) {
      if (queue.length) return Promise.resolve(queue.shift());
      if (ended) return Promise.resolve(ended);
      return new Promise((resolve, reject) => {
        const waiter = { resolve: (v) => (clearTimeout(t), resolve(v)) };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no subscription event in ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close: unsubscribe,
  };
}

// connected(client) resolves once the websocket is open and acknowledged
export function connected(client) {
  return new Promise((resolve, reject) => {
    const offC = client.on("connected", () => (offC(), offE(), resolve()));
    const offE = client.on("closed", (e) => (offC(), offE(), reject(new Error(`websocket closed: ${e?.code} ${e?.reason}`))));
  });
}
