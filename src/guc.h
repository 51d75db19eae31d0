/*-------------------------------------------------------------------------
 *
 * guc.h
 *	  Configuration parameters of the xphere extension.
 *
 *-------------------------------------------------------------------------
 */
#ifndef XPHERE_GUC_H
#define XPHERE_GUC_H

#include "datatype/timestamp.h"

/* xphere.clock: true and the fixed time when set */
extern bool xphere_clock_is_set;
extern TimestampTz xphere_clock_value;

/* xphere.user_id: the user a session acts for, "" when unset */
extern char *xphere_user_id;

/* the background worker and tick() */
extern bool xphere_worker_enabled;
extern int	xphere_tick_interval;
extern char *xphere_databases;
extern bool xphere_auto_liquidate;

/* xphere.untrusted_lease: milliseconds (trust.c) */
extern int	xphere_untrusted_lease;

extern void XphereDefineGucs(void);

#endif							/* XPHERE_GUC_H */
