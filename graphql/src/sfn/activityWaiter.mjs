// activityWaiter.mjs — one LISTEN connection for every GetActivityTask that
// waits. The extension NOTIFYs booking_activity with the activity's name when
// a task for it is scheduled (at commit); a waiter wakes for its activity, or
// for any when the payload is unknown, or when its time is up.
import pg from "pg";

export const CHANNEL = "booking_activity";

export function makeActivityWaiter(url) {
  const waiting = new Set();
  let client = null;
  let connecting = null;

  function wakeAll(activity) {
    for (const w of waiting) if (activity === null || w.activity === null || w.activity === activity) w.wake();
  }

  async function connect() {
    if (client) return;
    if (!connecting) {
      connecting = (async () => {
        const c = new pg.Client({ connectionString: url });
        c.on("notification", (n) => n.channel === CHANNEL && wakeAll(n.payload || null));
        c.on("error", (e) => {
          console.error("booking sfn: activity listener:", e.message);
          client = null;
          wakeAll(null); // pollers look again, and reconnect on their next wait
        });
        await c.connect();
        await c.query(`LISTEN ${CHANNEL}`);
        client = c;
      })().finally(() => (connecting = null));
    }
    await connecting;
  }

  return {
    // Registers before the caller looks for a task, so a NOTIFY between its look and
    // its wait still wakes it: {until(activity, ms), cancel()}
    next() {
      const w = { activity: null, woken: false, resolve: null, timer: null };
      w.wake = () => {
        w.woken = true;
        if (w.resolve) w.resolve();
      };
      waiting.add(w);
      const ready = connect().catch((e) => console.error("booking sfn: activity listener:", e.message));
      return {
        async until(activity, ms) {
          w.activity = activity;
          await ready;
          if (!w.woken)
            await new Promise((resolve) => {
              w.resolve = resolve;
              // without a listener, look again now and then
              w.timer = setTimeout(resolve, client ? ms : Math.min(ms, 1000));
            });
          clearTimeout(w.timer);
          waiting.delete(w);
        },
        cancel() {
          waiting.delete(w);
        },
      };
    },
    waiters: () => waiting.size,
    async close() {
      wakeAll(null);
      const c = client;
      client = null;
      if (c) await c.end().catch(() => {});
    },
  };
}
