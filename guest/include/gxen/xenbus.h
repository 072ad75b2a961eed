/* SPDX-License-Identifier: BSD-2-Clause */
/* xenbus for frontends: find devices under device/<type>/, follow the
 * backend's state through a watch, and move our own state only along the
 * transitions the protocol allows. Typed helpers read and write nodes. */
#ifndef GXEN_XENBUS_H
#define GXEN_XENBUS_H

#include <stdint.h>

#include <xen/io/xenbus.h>

#include "gxen/xs.h"

#define XENBUS_PATH_MAX 96

struct xenbus_device;
typedef void (*xenbus_otherend_fn)(struct xenbus_device *dev,
				   enum xenbus_state state);

struct xenbus_device {
	char nodename[XENBUS_PATH_MAX];   /* "device/vif/0" */
	char otherend[XENBUS_PATH_MAX];   /* the backend's directory */
	uint16_t otherend_id;             /* the backend's domain */
	enum xenbus_state state;          /* ours, as last written */
	enum xenbus_state otherend_state; /* theirs, as last read */
	xenbus_otherend_fn otherend_changed;
	char watch_token[32];
	void *drvdata;
};

const char *xenbus_state_name(enum xenbus_state state);

/* Call found(nodename) for each device/<type>/<id>; the number found, or a
 * negative errno (a missing device/<type> directory is 0 devices). */
int xenbus_enumerate(const char *type,
		     void (*found)(const char *nodename, void *arg), void *arg);

/* Read backend and backend-id of nodename into dev; both must be present
 * and sane (an absolute path, an id below DOMID_FIRST_RESERVED). */
int xenbus_probe(struct xenbus_device *dev, const char *nodename);

/* Write our state; -XEN_EINVAL for a transition the protocol forbids. */
int xenbus_switch_state(struct xenbus_device *dev, enum xenbus_state next);

/* Watch <otherend>/state; fn runs from xs_poll() with the new state. */
int xenbus_watch_otherend(struct xenbus_device *dev, xenbus_otherend_fn fn);
int xenbus_unwatch_otherend(struct xenbus_device *dev);

/* How long a frontend waits for its backend to take a step of the state
 * dance: a loaded host (real Xen under QEMU at load 14) has taken more
 * than 5 s. A wait says so on the console every XENBUS_WAIT_NOTE_NS. */
#define XENBUS_STATE_TIMEOUT_NS (30ull * 1000 * 1000 * 1000)
#define XENBUS_WAIT_NOTE_NS     (5ull * 1000 * 1000 * 1000)
#define XENBUS_STATE_BIT(st)    (1u << (st))

/* Wait until the other end's state is one of `want` (XENBUS_STATE_BITs),
 * woken by a watch on its state held meanwhile (queued watch events are
 * delivered as it goes); -XEN_ENOTCONN when it reaches one of `fail`
 * instead, -XEN_ETIMEDOUT after timeout_ns, -XEN_EIO without a store. */
int xenbus_wait_for_states(struct xenbus_device *dev, unsigned want,
			   unsigned fail, uint64_t timeout_ns);
/* Wait until the other end reaches state or passes it into Closing/Closed
 * (Closing is only a step when state is Closed): as above, -XEN_ENOTCONN
 * if it closed instead. */
int xenbus_wait_for_otherend(struct xenbus_device *dev,
			     enum xenbus_state state, uint64_t timeout_ns);

/* The state stored at <dir>/state; XenbusStateUnknown when absent or not a
 * number in range. */
enum xenbus_state xenbus_read_state(const char *dir);

/* <dir>/<node> as an unsigned number (decimal, or 0x hex); -XEN_EINVAL
 * when it is not one, -XEN_ERANGE above max. */
int xenbus_read_ulong(xs_transaction_t t, const char *dir, const char *node,
		      unsigned long max, unsigned long *out);
int xenbus_printf(xs_transaction_t t, const char *dir, const char *node,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
