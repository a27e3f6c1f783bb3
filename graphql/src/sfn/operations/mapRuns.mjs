// mapRuns.mjs — the Map Run actions. booking runs Map states inline (no
// distributed Map, so no Map Runs): every Map Run ARN is ResourceNotFound, and
// an execution's Map Runs are an empty list once the execution is known.
import { SfnError, str } from "../protocol.mjs";
import { pageSize, decodeToken } from "../paging.mjs";

const MAP_RUN_ARN = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:mapRun:[^:]+\/[^:]+:[^:]+$/;

function notFound(body) {
  const arn = str(body, "mapRunArn", { req: true });
  if (!MAP_RUN_ARN.test(arn)) throw new SfnError("InvalidArn", `Invalid Arn: '${arn}' is not a Map Run ARN`);
  throw new SfnError("ResourceNotFound", `Map Run ${arn} does not exist: booking runs no distributed Map`);
}

export const mapRunOperations = {
  async DescribeMapRun(_db, body) {
    notFound(body);
  },
  async UpdateMapRun(_db, body) {
    notFound(body);
  },
  async ListMapRuns(db, body) {
    const arn = str(body, "executionArn", { req: true });
    pageSize(body);
    decodeToken(body, "ListMapRuns");
    await db.query("SELECT booking.sfn_describe_execution($1)", [arn]); // ExecutionDoesNotExist, InvalidArn
    return { mapRuns: [] };
  },
};
