/*-------------------------------------------------------------------------
 *
 * secrets.h
 *	  Keeping passwords and tokens out of the server log (see secrets.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef XPHERE_SECRETS_H
#define XPHERE_SECRETS_H

extern void XphereSecretsInit(void);

#endif							/* XPHERE_SECRETS_H */
