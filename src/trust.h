/*-------------------------------------------------------------------------
 *
 * trust.h
 *	  Who a session may act for (trust.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef XPHERE_TRUST_H
#define XPHERE_TRUST_H

/* superuser, owner of the extension, or member of xphere_backend */
extern bool XphereSessionTrusted(void);

#endif							/* XPHERE_TRUST_H */
