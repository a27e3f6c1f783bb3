/*
 * tick.h — what sfn_tick (tick.c) tells the timer worker of the same backend.
 */
#ifndef BOOKING_TICK_H
#define BOOKING_TICK_H

/*
 * The last sfn_tick stopped with executions still due because its
 * transaction ran out of subtransaction ids (tick.c): a backlog, though it
 * advanced fewer than it was asked to.
 */
extern bool booking_tick_cut_short;

#endif
