/*
 * advance_branches.c — Map and Parallel children of a durable execution:
 * starting them (a fanout, created a chunk at a time, MaxConcurrency
 * respected), running them inline while the run has time, counting them as
 * they end, and handing their results to the parent.
 *
 * Callers hold the parent's row lock (advance.c's advance_row) or, for
 * branches_child_ended, the child's; the fanout row is locked by
 * store_fanout_hold.
 */
#include "postgres.h"

#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "advance_impl.h"
#include "booking.h"
#include "jsonc_bridge.h"
#include "store_fanouts.h"
#include "core/asl/dataflow.h"
#include "core/asl/events.h"

/* ---- branches ---- */

/*
 * Queues a child to be advanced within the parent's own advance, in the
 * parent's memory context.
 */
static void
queue_inline(Advance *parent, int64 child_id)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(parent));
	int64	   *id = palloc(sizeof(int64));

	*id = child_id;
	parent->due_children = lappend(parent->due_children, id);
	MemoryContextSwitchTo(old);
}

/*
 * How many branches may have started once ended of them have ended: all, or
 * MaxConcurrency more than have ended.
 */
static int
fanout_want(const Fanout *f, int ended)
{
	return f->max_concurrency > 0 ? Min(f->total, ended + f->max_concurrency) : f->total;
}

/*
 * Starts what the fanout may run now: queued children up to MaxConcurrency,
 * and the next chunk of branches once the children created so far are half
 * done (or MaxConcurrency wants more than exist). parent: the parent's
 * advance when it runs in this backend (it runs them inline), or NULL.
 */
static void
fanout_launch(Fanout *f, Advance *parent)
{
	int			want = fanout_want(f, f->ended);

	if (f->aborted)
		return;
	while (f->launched < Min(want, f->created))
	{
		int64		id = store_fanout_launch(f->parent_id, f->launched++);

		if (id != 0 && parent != NULL)
			queue_inline(parent, id);
	}
	if (f->created < f->total && (f->created - f->ended <= FANOUT_CHUNK / 2 || want > f->created))
	{
		int			n;
		List	   *started = store_fanout_materialize(f->parent_id, f->created, want, f->distributed, &n);
		ListCell   *lc;

		if (n == 0)
			elog(ERROR, "branches %d and on of execution %lld are missing",
				 f->created, (long long) f->parent_id);
		f->created += n;
		f->launched = Min(want, f->created);
		foreach(lc, started)
			if (parent != NULL)
			queue_inline(parent, *(int64 *) lfirst(lc));
	}
	Assert(f->launched <= f->created && f->created <= f->total);
}

/*
 * Starts one child per branch (or Map item): the branches are kept in chunks
 * (store_fanout_items_insert) and created a chunk at a time; those past
 * MaxConcurrency wait in the queue.
 */
void
branches_spawn(Advance *a)
{
	const asl_branches *b = &a->out->branches;
	const asl_state *st = asl_machine_find(a->machine, a->state);
	json_object *fanout = json_object_new_object();
	BookingOwned *owner = booking_owner(booking_json_put);
	Fanout		f;

	owner->ptr = fanout;
	(void) asl_json_add_literal(fanout, "map", json_object_new_boolean(b->is_map));
	(void) asl_json_add_literal(fanout, "tolerance", json_object_new_boolean(b->tolerance));
	(void) asl_json_add_literal(fanout, "max_concurrency", json_object_new_int64(b->max_concurrency));
	a->row->fanout = booking_jsonc_to_jsonb(fanout);
	booking_release(owner);

	if (b->count > (size_t) PG_INT32_MAX)
		elog(ERROR, "too many branches (%zu)", b->count);
	memset(&f, 0, sizeof(f));
	f.parent_id = a->row->id;
	f.state = (char *) a->state;
	f.is_map = b->is_map;
	f.distributed = b->is_map && st != NULL && st->type == ASL_STATE_MAP && st->map.distributed;
	f.tolerant = b->tolerance;
	f.max_concurrency = (int) Min(b->max_concurrency, (int64) PG_INT32_MAX);
	f.total = (int) b->count;
	store_fanout_create(&f);
	for (size_t first = 0; first < b->count; first += FANOUT_CHUNK)
	{
		json_object *chunk = json_object_new_array();

		owner = booking_owner(booking_json_put);
		owner->ptr = chunk;
		for (size_t i = first; i < b->count && i < first + FANOUT_CHUNK; i++)
		{
			const asl_branch *br = &b->items[i];
			json_object *item = json_object_new_object();

			json_object_array_add(chunk, item);
			(void) asl_json_add_literal(item, "s", json_object_new_string(br->start));
			(void) asl_json_add_literal(item, "i", json_object_get(br->input));
			if (br->variables != NULL)
				(void) asl_json_add_literal(item, "v", json_object_get(br->variables));
		}
		store_fanout_items_insert(f.parent_id, (int) first, booking_jsonc_to_jsonb(chunk));
		booking_release(owner);
	}

	/*
	 * MapIterationStarted as AWS records it: for the iterations
	 * MaxConcurrency lets start now (all when it is 0, however many children
	 * are created yet); each further one as an iteration ends
	 * (branches_child_ended). A Distributed Map's iterations are executions
	 * of their own in AWS: no iteration events.
	 */
	if (b->is_map && !f.distributed)
		for (int i = 0; i < fanout_want(&f, 0); i++)
			advance_record(a, asl_event_map_iteration("MapIterationStarted", a->state, (size_t) i));
	fanout_launch(&f, a);
	store_fanout_update(&f);
}

/*
 * Advances, in this call, the children this parent started (or that ended
 * children started for it), each in a memory context of its own, for as long
 * as the run has time. The others are due and a tick advances them.
 */
void
branches_run_inline(Advance *a)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "booking child execution",
											  ALLOCSET_DEFAULT_SIZES);

	while (a->due_children != NIL && advance_run_has_time())
	{
		List	   *due = a->due_children;
		ListCell   *lc;

		a->due_children = NIL;	/* children ending now may start more */
		foreach(lc, due)
		{
			MemoryContext old;
			ExecRow		child;

			if (!advance_run_has_time())
				break;
			old = MemoryContextSwitchTo(cxt);
			if (store_exec_load(*(int64 *) lfirst(lc), true, true, &child))
				advance_row(&child, NULL, NULL);	/* not locked elsewhere */
			MemoryContextSwitchTo(old);
			MemoryContextReset(cxt);
		}
	}
	a->due_children = NIL;		/* the rest are due: ticks advance them */
	MemoryContextDelete(cxt);
}

/*
 * The children have all ended: hands their results to the core. False when
 * some are still running or not created yet (the parent stays parked).
 */
bool
branches_collect(Advance *a, const asl_position *pos)
{
	List	   *children;
	ListCell   *lc;
	asl_result *results;
	int			n = 0;
	asl_env		env;
	BookingOwned *owner;
	json_object *outputs;
	Fanout		f;

	if (store_fanout_get(a->row->id, &f) && !f.aborted && f.ended < f.total)
		return false;			/* counted, not scanned */
	children = store_exec_children(a->row->id);
	foreach(lc, children)
	{
		ChildSummary *c = lfirst(lc);

		if (c->status == EXEC_RUNNING)
			return false;
	}
	results = palloc0(sizeof(asl_result) * (list_length(children) + 1));
	owner = booking_owner(booking_json_put);
	owner->ptr = outputs = json_object_new_array();
	foreach(lc, children)
	{
		ChildSummary *c = lfirst(lc);
		json_object *output;

		if (c->status == EXEC_ABORTED)
			continue;			/* stopped because a sibling failed */
		results[n].failed = c->status != EXEC_SUCCEEDED;
		output = results[n].failed ? NULL : advance_to_jsonc_or_null(c->output);
		json_object_array_add(outputs, output);
		results[n].output = output;
		results[n].error = c->error ? c->error : (results[n].failed ? "" : NULL);
		results[n].cause = c->cause;
		n++;
	}
	advance_make_env(a, &env);
	asl_outcome_clear(a->next);
	asl_step_branches_done(a->machine, pos, &env, results, n, a->next);
	store_exec_delete_children(a->row->id);
	store_fanout_delete(a->row->id);
	a->row->fanout = NULL;
	advance_history_refresh(a);
	return true;
}

/*
 * A Map iteration event (of branch index) in the top-level execution's history,
 * written beside the parent's row of child: only its id and its root's are
 * needed.
 */
static void
record_iteration(const ExecRow *child, const char *type, const char *map_state, size_t index)
{
	ExecRow		parent;

	memset(&parent, 0, sizeof(parent));
	parent.id = child->parent_id;
	parent.root_id = child->root_id;
	parent.parent_id = child->parent_id == child->root_id ? 0 : child->parent_id;
	advance_record_one(&parent, asl_event_map_iteration(type, map_state, index));
}

/* MapIterationSucceeded / Failed / Aborted of child, in the top-level execution's history. */
static void
record_iteration_end(const ExecRow *child, const char *map_state)
{
	const char *type = child->status == EXEC_SUCCEEDED ? "MapIterationSucceeded" :
	child->status == EXEC_ABORTED ? "MapIterationAborted" : "MapIterationFailed";

	record_iteration(child, type, map_state, (size_t) child->branch_index);
}

/* The last child has ended (or a failure stopped the rest): the parent goes on. */
static void
resume_parent(int64 parent_id)
{
	ExecRow		parent;

	if (advance_find_active(parent_id) != NULL)
		return;					/* its own loop collects the results */
	if (!advance_run_has_time())
		store_exec_wake(parent_id, GetCurrentTimestamp());
	else if (store_exec_load(parent_id, true, false, &parent))
		advance_row(&parent, NULL, NULL);
}

/*
 * A child of a parent parked before fanouts were counted (an execution in
 * flight across an upgrade): the siblings are looked at instead.
 */
static void
child_ended_uncounted(ExecRow *child, bool failed)
{
	bool		running = store_exec_lock_parent_has_running(child->parent_id);
	ExecRow		parent;
	bool		tolerant = false;

	if (!store_exec_load(child->parent_id, false, false, &parent))
		return;
	if (parent.fanout != NULL)
	{
		json_object *f = booking_jsonb_to_jsonc(parent.fanout);
		json_object *v;

		tolerant = json_object_object_get_ex(f, "tolerance", &v) && json_object_get_boolean(v);
		if (json_object_object_get_ex(f, "map", &v) && json_object_get_boolean(v))
			record_iteration_end(child, parent.state);
	}
	if (failed && !tolerant && running)
	{
		store_exec_abort_children(parent.id, GetCurrentTimestamp());
		running = false;
	}
	if (running)
	{
		int64		queued = store_exec_first_queued(parent.id);

		if (queued != 0)
			store_exec_wake(queued, GetCurrentTimestamp());
		return;
	}
	resume_parent(parent.id);
}

/*
 * A child has ended (and is saved): counted in its fanout (one row update,
 * no scan of the siblings); a failure that fails its parent stops its
 * siblings; more children start; the last one to end resumes the parent,
 * here when this backend is not already advancing it.
 */
void
branches_child_ended(ExecRow *child)
{
	bool		failed = child->status != EXEC_SUCCEEDED && child->status != EXEC_ABORTED;
	Fanout	   *f;
	int64		parent_id = child->parent_id;

	Assert(parent_id != 0 && child->status != EXEC_RUNNING);
	f = store_fanout_hold(parent_id);
	if (f == NULL)
	{
		ExecRow		parent;

		/* no fanout: the parent has ended (or it predates fanouts) */
		if (store_exec_load(parent_id, false, false, &parent) &&
			parent.status == EXEC_RUNNING && parent.phase == EXEC_PHASE_BRANCHES)
			child_ended_uncounted(child, failed);
		return;
	}
	f->ended++;
	Assert(f->ended <= f->total);
	if (f->is_map && !f->distributed)
		record_iteration_end(child, f->state);
	if (f->aborted)
		return;					/* the failure that stopped the rest resumed
								 * the parent */
	if (failed && !f->tolerant)
	{
		f->aborted = true;
		store_exec_abort_children(parent_id, GetCurrentTimestamp());
		resume_parent(parent_id);
		return;
	}
	if (f->ended < f->total)
	{
		/* the iteration the ended one's slot lets start, after its event */
		if (f->is_map && !f->distributed)
			for (int i = fanout_want(f, f->ended - 1); i < fanout_want(f, f->ended); i++)
				record_iteration(child, "MapIterationStarted", f->state, (size_t) i);
		fanout_launch(f, advance_find_active(parent_id));
		return;
	}
	resume_parent(parent_id);	/* f is not used past here: advancing may move
								 * it */
}
