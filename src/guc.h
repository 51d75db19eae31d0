/*-------------------------------------------------------------------------
 *
 * guc.h
 *	  Configuration parameters of the xphere extension.
 *
 *-------------------------------------------------------------------------
 */
#ifndef XPHERE_GUC_H
#define XPHERE_GUC_H

extern void XphereDefineGucs(void);

#endif							/* XPHERE_GUC_H */
