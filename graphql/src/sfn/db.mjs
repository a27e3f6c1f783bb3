// db.mjs — one transaction per request, as the role the request is.
//
// The server's login role (BOOKING_SFN_DATABASE_URL) may only SET ROLE to the
// roles requests run as; within the transaction booking.region and
// booking.account_id follow the request, so the ARNs it creates carry them.
import pg from "pg";
import { SfnError } from "./protocol.mjs";

// SQLSTATE classes that are not about the request: logged, answered as a server error
const SERVER_CLASSES = new Set(["08", "53", "57", "58", "F0", "HV", "XX"]);

export function makePool(url) {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.BOOKING_SFN_POOL_SIZE || 10) });
  pool.on("error", (e) => console.error("booking sfn: idle connection error:", e.message));
  return pool;
}

export async function withRequest(pool, who, fn) {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    await client.query(
      "SELECT set_config('role', $1, true), set_config('booking.region', $2, true), set_config('booking.account_id', $3, true)",
      [who.role, who.region, who.account]);
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    // SET LOCAL ends with the transaction; a connection that cannot roll back is dropped
    await client.query("ROLLBACK").catch(() => (broken = true));
    throw toSfnError(e, who);
  } finally {
    client.release(broken || undefined);
  }
}

// A database error → the exception the client sees. The extension names AWS's
// exception first in its messages ("StateMachineDoesNotExist: …").
export function toSfnError(e, who) {
  if (e instanceof SfnError) return e;
  const code = e?.code;
  if (typeof code !== "string" || SERVER_CLASSES.has(code.slice(0, 2))) {
    console.error("booking sfn: internal error:", e);
    return new SfnError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500);
  }
  const message = String(e.message);
  const named = /^([A-Z][A-Za-z0-9]+):\s*(.*)$/s.exec(message);
  if (named) return new SfnError(named[1], named[2] || message);
  if (/^invalid state machine definition/.test(message)) return new SfnError("InvalidDefinition", message);
  if (code === "42501") {
    if (/^permission denied to set (parameter|role)/.test(message))
      return new SfnError("AccessDeniedException", `the database role "${who?.role}" is not available to this endpoint`, 400);
    return new SfnError("AccessDeniedException", message);
  }
  if (code.startsWith("22") || code.startsWith("23") || code === "42P01") return new SfnError("ValidationException", message);
  return new SfnError("ValidationException", message);
}
