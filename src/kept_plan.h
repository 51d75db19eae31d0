/*-------------------------------------------------------------------------
 *
 * kept_plan.h
 *	  SPI statements prepared once per backend.
 *
 *-------------------------------------------------------------------------
 */
#ifndef XPHERE_KEPT_PLAN_H
#define XPHERE_KEPT_PLAN_H

#include "executor/spi.h"

#define KEPT_PLAN_MAX_ARGS 8

/*
 * A statement prepared once per backend, with the argument types it was
 * prepared for: the extension's own types (currency, wad) get new OIDs
 * when the extension is dropped and created again, and the statement is
 * then prepared afresh.  A zero-initialised static is an empty slot.
 */
typedef struct KeptPlan
{
	SPIPlanPtr	plan;
	Oid			types[KEPT_PLAN_MAX_ARGS];
} KeptPlan;

extern SPIPlanPtr kept_plan(KeptPlan *kp, const char *sql, int nargs, const Oid *types);

#endif							/* XPHERE_KEPT_PLAN_H */
