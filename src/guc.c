/*-------------------------------------------------------------------------
 *
 * guc.c
 *	  Every configuration parameter of the extension is defined here, and
 *	  the "xphere." prefix is reserved so that a misspelt setting is an
 *	  error instead of a silently ignored placeholder.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/guc.h"

#include "guc.h"

void
XphereDefineGucs(void)
{
	MarkGUCPrefixReserved("xphere");
}
