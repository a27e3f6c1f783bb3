/*
 * advance_impl.h — what advance.c and advance_branches.c share: the state of
 * one execution being advanced, and the helpers each calls in the other.
 * Not an interface: the rest of the host uses advance.h.
 */
#ifndef BOOKING_ADVANCE_IMPL_H
#define BOOKING_ADVANCE_IMPL_H

#include "postgres.h"

#include "nodes/pg_list.h"
#include "utils/jsonb.h"

#include "advance.h"
#include "jsonc.h"
#include "store_executions.h"
#include "core/asl/step.h"

typedef struct Advance Advance;

struct Advance
{
	ExecRow    *row;
	const asl_machine *machine;
	json_object *context;		/* execution-level $$ */
	json_object *events;		/* history to write: [{type, timestamp,
								 * details}] */
	/* the cursor: where the execution stands */
	const char *state;
	json_object *input;
	json_object *variables;
	json_object *attempts;
	asl_time	entered;
	int64		entered_event;	/* history id of the state's entry event; 0:
								 * unknown */
	asl_outcome *out;
	asl_outcome *next;
	bool		history_full;
	bool		history_overflow;	/* an event past the quota was not
									 * recorded: the execution fails */
	int64		history_total;	/* events counted in the top-level history so
								 * far */
	size_t		counted;		/* of events, how many are counted in
								 * history_total */
	bool		beside;			/* not the row's own advance: its event_count
								 * is not saved */
	char	   *token;			/* $$.Task.Token of this step, when its Task
								 * waits for one */
	List	   *due_children;	/* children started for it, to run inline
								 * (int64 ids) */
};

/* ---- advance.c ---- */

/*
 * Advances row as far as it goes and saves it. The caller holds the row's
 * lock (FOR UPDATE, or a child nobody else can see yet); opening is the
 * execution's first event (a reference it takes) or NULL; answer the reply to
 * a task token or NULL.
 */
void		advance_row(ExecRow *row, json_object *opening, const TaskAnswer *answer);

/* The advance of execution id when this backend is running it (a parent of what runs now). */
Advance    *advance_find_active(int64 id);

/* Whether this run may go on: transitions and time are left. */
bool		advance_run_has_time(void);

/* Appends event (whose reference a takes) to a's history. */
void		advance_record(Advance *a, json_object *event);

/* Writes event (whose reference it takes) into row's history now. */
void		advance_record_one(ExecRow *row, json_object *event);

/* Fills env for a step of a: its $$, the host's clock, randomness and payload limit (borrowed). */
void		advance_make_env(Advance *a, asl_env *env);

/* Recounts a's history total once its children are collected (their events count in it). */
void		advance_history_refresh(Advance *a);

/* A new json-c reference to jb's value (NULL for SQL NULL); the caller puts it. */
json_object *advance_to_jsonc_or_null(Jsonb *jb);

/* ---- advance_branches.c: Map and Parallel children ---- */

/*
 * Creates the fanout and the children of a's Map/Parallel step
 * (a->out->branches), queueing those this backend runs inline in
 * a->due_children. a's row is locked by the caller.
 */
void		branches_spawn(Advance *a);

/* Runs a->due_children while the run has time, each in a memory context reset after it. */
void		branches_run_inline(Advance *a);

/*
 * When every child of a has ended: their results go to the core (into
 * a->next), the children and the fanout are deleted; false while some run.
 */
bool		branches_collect(Advance *a, const asl_position *pos);

/*
 * child (saved, ended) is counted in its parent's fanout, which this locks
 * (store_fanout_hold); the last one, or a failure the parent does not
 * tolerate, resumes the parent.
 */
void		branches_child_ended(ExecRow *child);

#endif							/* BOOKING_ADVANCE_IMPL_H */
