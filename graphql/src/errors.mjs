// errors.mjs — which errors a client sees.
//
// Errors the database raises about the request (bad input, unknown state
// machine, an execution name already used, a failed check…) are the client's
// to see: their message, SQLSTATE, and the AWS exception name the extension
// puts first in the message (AppSync's errorType), e.g.
//   {"message": "ExecutionAlreadyExists: …", "extensions": {"errorType": "ExecutionAlreadyExists", "sqlstate": "23505"}}
// A JWT role that SET ROLE refuses is errorType AccessDeniedException.
// Anything else (the server's own failures, connection or resource trouble) is
// masked and logged, as grafserv does by default.
import { GraphQLError } from "postgraphile/graphql";
import { defaultMaskError } from "postgraphile/grafserv";

// SQLSTATE classes that are not about the request (connection, resources,
// operator intervention, system, internal): masked
const SERVER_CLASSES = new Set(["08", "53", "57", "58", "F0", "HV", "XX"]);

export function maskError(error) {
  const original = error.originalError;
  const code = original?.code;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !SERVER_CLASSES.has(code.slice(0, 2))) {
    const message = String(original.message);
    const named = /^([A-Z][A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*):/.exec(message) ??
      // a JWT's role the server's role may no longer switch to (auth.mjs checks
      // membership first; this is a grant revoked since)
      (code === "42501" && /^permission denied to set role/.test(message) ? [null, "AccessDeniedException"] : null);
    return new GraphQLError(message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: original,
      extensions: {
        errorType: named ? named[1] : "PostgreSQL." + code,
        sqlstate: code,
        ...(original.detail ? { detail: original.detail } : {}),
      },
    });
  }
  return defaultMaskError(error);
}
