/* SPDX-License-Identifier: BSD-2-Clause */
/* The xenbus handshake states a frontend and a backend publish in their
 * xenstore "state" nodes. A value read from the store may be anything:
 * parse it, then check it is one of these. */
#ifndef XENSIM_XEN_IO_XENBUS_H
#define XENSIM_XEN_IO_XENBUS_H

enum xenbus_state {
	XenbusStateUnknown      = 0,
	XenbusStateInitialising = 1,
	XenbusStateInitWait     = 2,  /* early setup done, waiting for the peer */
	XenbusStateInitialised  = 3,  /* ready, waiting for the peer to connect */
	XenbusStateConnected    = 4,
	XenbusStateClosing      = 5,  /* device going away */
	XenbusStateClosed       = 6,
	XenbusStateReconfiguring = 7,
	XenbusStateReconfigured = 8
};
typedef enum xenbus_state XenbusState;

#endif /* XENSIM_XEN_IO_XENBUS_H */
