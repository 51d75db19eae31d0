/*-------------------------------------------------------------------------
 *
 * worker.h
 *	  The background worker that runs xphere.tick().
 *
 *-------------------------------------------------------------------------
 */
#ifndef XPHERE_WORKER_H
#define XPHERE_WORKER_H

/* registers the launcher and its shared memory, when preloaded */
extern void XphereWorkerInit(void);

#endif							/* XPHERE_WORKER_H */
