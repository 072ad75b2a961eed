/* SPDX-License-Identifier: BSD-2-Clause */
/* Secondary PV consoles (device/console/M, M >= 1): normal xenbus
 * frontends. We grant a page to the backend, allocate an event channel,
 * write ring-ref and port, go Initialised and wait for Connected; the ring
 * itself is console 0's (struct xencons_ring). The backend's indexes are
 * its word: an impossible one breaks the console, never the guest. */
#ifndef DEV_XENCONS_FE_H
#define DEV_XENCONS_FE_H

#include <stdbool.h>
#include <stddef.h>

#include <xen/event_channel.h>
#include <xen/grant_table.h>

#include "dev/xencons.h"
#include "gxen/xenbus.h"

struct xencons_fe {
	struct xenbus_device xb;
	struct xencons_ring ring;
	struct xencons_interface *page;
	grant_ref_t ring_ref;
	evtchn_port_t port;            /* 0 when unbound */
	bool granted;
	bool connected;
	bool broken;                   /* the backend broke the ring */
	/* Input the old ring held at a resume, read before the new ring's. */
	char carried[sizeof(((struct xencons_interface *)0)->in)];
	unsigned carried_len, carried_off;
};

/* Call found(nodename, arg) for each device/console/<M>; how many, or a
 * negative Xen errno. */
int xencons_fe_enumerate(void (*found)(const char *nodename, void *arg),
			 void *arg);
/* Connect to nodename ("device/console/1"): 0, or a negative Xen errno
 * after logging why (-XEN_ENOTCONN when the backend closed instead). */
int xencons_fe_connect(struct xencons_fe *fe, const char *nodename);
/* Put up to len bytes on the ring and notify; how many fit (0 when full),
 * -XEN_ENOTCONN when not connected, -XEN_EIO once the ring is broken. */
long xencons_fe_write(struct xencons_fe *fe, const char *s, size_t len);
/* Take up to len bytes of input; how many (0 when none), or as write. */
long xencons_fe_read(struct xencons_fe *fe, char *buf, size_t len);
/* Closing, Closed, then give back the page and the channel. 0 or a
 * negative Xen errno (the backend did not follow). */
int xencons_fe_disconnect(struct xencons_fe *fe);
/* The domain was resumed in a new domain: the old port and grant went
 * with it. Keep what the old ring held (input not read yet, output the
 * old backend did not take), offer a clean ring to the new backend as at
 * connect, and put that output on it. 0 (also when not connected), or a
 * negative Xen errno with the console left unconnected. */
int xencons_fe_resume(struct xencons_fe *fe);

#endif
