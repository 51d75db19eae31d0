/*-------------------------------------------------------------------------
 *
 * xphere.c
 *	  Module entry point of the xphere extension.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

#include "guc.h"
#include "secrets.h"
#include "worker.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	XphereDefineGucs();
	XphereSecretsInit();
	XphereWorkerInit();
}
