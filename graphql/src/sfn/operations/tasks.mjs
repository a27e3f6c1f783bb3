// tasks.mjs — answering task tokens, and activities (GetActivityTask long-polls).
import { SfnError, str, jsonText, epoch, compact } from "../protocol.mjs";
import { pageSize, decodeToken, page } from "../paging.mjs";
import { tagPairs } from "./tags.mjs";

const TOKEN_MAX = 2048;

export const taskOperations = {
  async SendTaskSuccess(db, body) {
    const token = str(body, "taskToken", { req: true, max: TOKEN_MAX });
    const output = jsonText(body, "output", "InvalidOutput", { req: true });
    await db.query("SELECT booking.sfn_send_task_success($1, $2::jsonb)", [token, JSON.stringify(output)]);
    return {};
  },
  async SendTaskFailure(db, body) {
    const token = str(body, "taskToken", { req: true, max: TOKEN_MAX });
    await db.query("SELECT booking.sfn_send_task_failure($1, $2, $3)",
      [token, str(body, "error", { max: 256 }), str(body, "cause", { max: 32768 })]);
    return {};
  },
  async SendTaskHeartbeat(db, body) {
    const token = str(body, "taskToken", { req: true, max: TOKEN_MAX });
    await db.query("SELECT booking.sfn_send_task_heartbeat($1)", [token]);
    return {};
  },

  async CreateActivity(db, body) {
    const name = str(body, "name", { req: true });
    const tags = tagPairs(body.tags, "tags");
    const { rows } = await db.query("SELECT booking.sfn_create_activity($1) AS arn", [name]);
    rows[0].created = (await db.query("SELECT booking.sfn_describe_activity($1)->>'creationDate' AS c", [rows[0].arn])).rows[0].c;
    if (tags.length) await db.query("SELECT booking.sfn_tag_resource($1, $2::jsonb)", [rows[0].arn, JSON.stringify(Object.fromEntries(tags))]);
    return { activityArn: rows[0].arn, creationDate: epoch(rows[0].created) };
  },
  async DescribeActivity(db, body) {
    const arn = str(body, "activityArn", { req: true });
    const { rows } = await db.query("SELECT booking.sfn_describe_activity($1) AS d", [arn]);
    const d = rows[0].d;
    return { activityArn: d.activityArn, name: d.name, creationDate: epoch(d.creationDate) };
  },
  async DeleteActivity(db, body) {
    const arn = str(body, "activityArn", { req: true });
    await db.query("SELECT booking.sfn_delete_activity($1)", [arn]);
    return {};
  },
  async ListActivities(db, body) {
    const size = pageSize(body);
    const after = decodeToken(body, "ListActivities");
    const { rows } = await db.query("SELECT * FROM booking.sfn_list_activities($1, $2)", [size + 1, after]);
    const { items, nextToken } = page(rows, size, "ListActivities", (r) => r.name);
    return compact({
      activities: items.map((r) => ({ activityArn: r.activity_arn, name: r.name, creationDate: epoch(r.creation_date) })),
      nextToken,
    });
  },
};

// GetActivityTask: claims a task in a transaction of its own; when there is
// none, waits for the database to say one was scheduled (NOTIFY
// booking_activity, payload the activity's name) and tries again, until the
// poll time is up; then answers with no task, as AWS does after 60 s.
export function makeGetActivityTask({ run, waiter, pollMs }) {
  return async function GetActivityTask(_db, body, who) {
    const arn = str(body, "activityArn", { req: true });
    const worker = str(body, "workerName", { max: 80 });
    const deadline = Date.now() + pollMs;
    const claim = () => run(who, async (db) => {
      const activity = (await db.query("SELECT booking.sfn_describe_activity($1)->>'name' AS name", [arn])).rows[0].name;
      const task = (await db.query("SELECT task_token, input FROM booking.sfn_get_activity_task($1, $2)", [arn, worker])).rows[0];
      return { activity, task_token: task?.task_token, input: task?.input };
    });
    for (;;) {
      // listen before looking, so a task scheduled in between is not missed
      const wake = waiter.next();
      const found = await claim();
      if (found.task_token) {
        wake.cancel();
        return { taskToken: found.task_token, input: JSON.stringify(found.input) };
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        wake.cancel();
        return {};
      }
      await wake.until(found.activity, left);
    }
  };
}

export { SfnError };
