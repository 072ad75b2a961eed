/* SPDX-License-Identifier: BSD-2-Clause */
/* Bringing up the xenstore connection at boot: where the ring page and
 * the event channel are comes from the HVM parameters the toolstack set. */
#ifndef GXEN_XENSTORE_H
#define GXEN_XENSTORE_H

/* No connection attempted yet, as at load (the client's own state is
 * xs_disconnect()'s). */
void xenstore_reset(void);

/* Connect the xenstore client. -XEN_ENODEV when this domain has no
 * xenstore (HVM_PARAM_STORE_PFN is 0, as for dom0 on real Xen, or not yet
 * set up); other negative Xen errnos for a page or port that is unusable. */
int xenstore_init(void);
/* After a resume in a new domain: connect to the store the toolstack
 * gave it, keeping the client's watches (registered again) and failing
 * its open transactions with -XEN_EAGAIN (xs_resume); a domain that had
 * no connection gets xenstore_init(). */
int xenstore_resume(void);
/* What the last xenstore_init() returned (-XEN_ENODEV before any). */
int xenstore_init_result(void);

#endif
