// tags.mjs — tags on state machines and activities.
import { SfnError, str } from "../protocol.mjs";

// the wire's [{key, value}] → [[key, value]]
export function tagPairs(list, member) {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new SfnError("SerializationException", `${member} must be a list of {key, value}`);
  return list.map((t, i) => {
    if (t === null || typeof t !== "object" || typeof t.key !== "string" || (t.value !== undefined && typeof t.value !== "string"))
      throw new SfnError("SerializationException", `${member}[${i}] must be {"key": string, "value": string}`);
    return [t.key, t.value ?? ""];
  });
}

export const tagOperations = {
  async TagResource(db, body) {
    const arn = str(body, "resourceArn", { req: true });
    if (body.tags === undefined || body.tags === null)
      throw new SfnError("ValidationException", "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
    const tags = tagPairs(body.tags, "tags");
    await db.query("SELECT booking.sfn_tag_resource($1, $2::jsonb)", [arn, JSON.stringify(Object.fromEntries(tags))]);
    return {};
  },
  async UntagResource(db, body) {
    const arn = str(body, "resourceArn", { req: true });
    const keys = body.tagKeys;
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== "string"))
      throw new SfnError("ValidationException", "tagKeys must be a list of strings");
    await db.query("SELECT booking.sfn_untag_resource($1, $2::text[])", [arn, keys]);
    return {};
  },
  async ListTagsForResource(db, body) {
    const arn = str(body, "resourceArn", { req: true });
    const { rows } = await db.query("SELECT key, value FROM booking.sfn_list_tags_for_resource($1)", [arn]);
    return { tags: rows.map((r) => ({ key: r.key, value: r.value })) };
  },
};
