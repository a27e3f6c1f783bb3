// protocol.mjs — AWS JSON 1.0 as Step Functions speaks it: POST / with
// X-Amz-Target: AWSStepFunctions.<Action>, a JSON body, and errors as HTTP 400
// {"__type": "<ExceptionName>", "message": …} (the CLI and SDKs read the body).
export const TARGET_PREFIX = "AWSStepFunctions.";
export const CONTENT_TYPE = "application/x-amz-json-1.0";
export const MAX_BODY_BYTES = 2 * 1024 * 1024; // a 1 MB definition, JSON-escaped, fits

// An error the client is meant to see, named as the service model names it.
export class SfnError extends Error {
  constructor(type, message, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new SfnError("ValidationException", `the request body is larger than ${MAX_BODY_BYTES} bytes`, 413));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function parseBody(raw) {
  const text = raw.toString("utf8");
  if (text.trim() === "") return {};
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new SfnError("SerializationException", `the request body is not JSON: ${e.message}`);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new SfnError("SerializationException", "the request body must be a JSON object");
  return body;
}

export function send(res, status, body, requestId) {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, {
    "content-type": CONTENT_TYPE,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": requestId,
  });
  res.end(text);
}

export function sendError(res, err, requestId) {
  res.setHeader("x-amzn-errortype", err.type);
  send(res, err.status, { __type: err.type, message: err.message }, requestId);
}

// ---- members: types as the model gives them ----

export function required(body, name) {
  const v = body[name];
  if (v === undefined || v === null)
    throw new SfnError("ValidationException", `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  return v;
}

export function str(body, name, { req = false, max } = {}) {
  const v = req ? required(body, name) : body[name];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw new SfnError("SerializationException", `${name} must be a string`);
  if (max !== undefined && v.length > max)
    throw new SfnError("ValidationException", `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  return v;
}

export function bool(body, name) {
  const v = body[name];
  if (v === undefined || v === null) return null;
  if (typeof v !== "boolean") throw new SfnError("SerializationException", `${name} must be a boolean`);
  return v;
}

export function int(body, name) {
  const v = body[name];
  if (v === undefined || v === null) return null;
  if (!Number.isInteger(v)) throw new SfnError("SerializationException", `${name} must be an integer`);
  return v;
}

// A member that holds JSON text (definition, input, output): parsed here so the
// database gets jsonb; what does not parse is the action's own exception.
export function jsonText(body, name, exception, { req = false, dflt } = {}) {
  const v = str(body, name, { req });
  if (v === null) return dflt;
  try {
    return JSON.parse(v);
  } catch (e) {
    throw new SfnError(exception, `${name} is not valid JSON: ${e.message}`);
  }
}

// Dates on the wire are epoch seconds (fractions allowed).
export function epoch(value) {
  if (value === null || value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return ms / 1000;
}

// Drops undefined and null members, as AWS leaves absent members out.
export function compact(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}
