/*-------------------------------------------------------------------------
 *
 * errcodes.h
 *	  The extension's own SQLSTATEs (class XP), as doc/errors.md lists them;
 *	  PL/pgSQL names them through xphere_internal.errcode() (sql/install/
 *	  platform/base.sql).
 *
 *-------------------------------------------------------------------------
 */
#ifndef XPHERE_ERRCODES_H
#define XPHERE_ERRCODES_H

#include "utils/elog.h"

#define ERRCODE_XP_INSUFFICIENT_BALANCE		MAKE_SQLSTATE('X','P','0','0','1')
#define ERRCODE_XP_INSUFFICIENT_LIQUIDITY	MAKE_SQLSTATE('X','P','0','0','2')
#define ERRCODE_XP_UNHEALTHY				MAKE_SQLSTATE('X','P','0','0','3')
#define ERRCODE_XP_NOT_LIQUIDATABLE			MAKE_SQLSTATE('X','P','0','0','4')
#define ERRCODE_XP_STALE_PRICE				MAKE_SQLSTATE('X','P','0','0','5')
#define ERRCODE_XP_WRONG_STATE				MAKE_SQLSTATE('X','P','0','0','6')
#define ERRCODE_XP_DUST						MAKE_SQLSTATE('X','P','0','0','7')

#endif							/* XPHERE_ERRCODES_H */
