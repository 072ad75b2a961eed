/* SPDX-License-Identifier: BSD-2-Clause */
/* Secondary PV consoles: /local/domain/N/device/console/M (M >= 1), served
 * by dom0 as QEMU serves them in real Xen (type "ioemu"). They are normal
 * xenbus devices: the frontend grants a page, writes ring-ref (a grant
 * reference, unlike console 0's frame number) and port, and goes
 * Initialised; the backend maps the grant, binds the port and serves the
 * ring with the same code as console 0 (hv/consback.h). Everything the
 * frontend writes is its word: a bad ring-ref or port, or ring indexes
 * more than a ring apart, leave an error node and a Closing backend, and
 * the model goes on. */
#ifndef HV_CONSBACK_XENBUS_H
#define HV_CONSBACK_XENBUS_H

#include <stdbool.h>

#include <xen/event_channel.h>

#include "hv/consback.h"
#include "hv/gnttab.h"
#include "hv/xenbus_backend.h"

#define HV_CONSBACK_XENBUS_TYPE "console"
/* The frontend's "limit" node: libxl's buffer size for the daemon. */
#define HV_CONSBACK_XENBUS_LIMIT "1048576"

struct hv_domain;
struct hv_xs;

struct hv_consback_dev {
	struct hv_xenbus_device dev;
	struct hv_domain *dom0;
	struct hv_domain *guest;
	unsigned devid;
	hv_consback_write_fn *write;   /* NULL: the Xen console */
	void *write_ctx;
	struct hv_consback back;       /* the ring, while connected */
	bool connected;
	bool mapped;
	struct hv_gnttab_mapping ring_map;
	evtchn_port_t port;            /* dom0's end, 0 when unbound */
	unsigned connects;             /* times it reached Connected */
};

/* Create console devid (>= 1) of guest in xenstore, with an optional name
 * (a named channel; NULL for none); the guest's output goes to write
 * (NULL: the Xen console as "(dN) " lines). 0 or a negative Xen errno. */
int hv_consback_dev_create(struct hv_consback_dev *cd, struct hv_xs *xs,
			   struct hv_domain *dom0, struct hv_domain *guest,
			   unsigned devid, const char *name,
			   hv_consback_write_fn *write, void *write_ctx);
/* Where dom0 connects the console, as libxl writes it for a channel:
 * backend "connection" ("pty" or "socket") and "path" (a socket's, NULL
 * for none), frontend "output" ("pty", or "chardev:ID" for QEMU's
 * character device). 0 or a negative Xen errno. */
int hv_consback_dev_set_connection(struct hv_consback_dev *cd,
				   const char *connection, const char *path,
				   const char *output);
/* The pty a "pty" connection got, in the frontend's "tty" node, where
 * `xl console` and users look for it. */
int hv_consback_dev_set_tty(struct hv_consback_dev *cd, const char *tty);
/* dom0's turn: follow the frontend's state and move the ring's output.
 * Whether anything was done. */
bool hv_consback_dev_run(struct hv_consback_dev *cd);
/* Put up to len bytes of input on the guest's ring; how many fit (0 when
 * not connected, full or broken). */
size_t hv_consback_dev_input(struct hv_consback_dev *cd, const char *buf,
			     size_t len);
/* Disconnect and remove the device (safe on a zeroed struct). */
void hv_consback_dev_destroy(struct hv_consback_dev *cd);

#endif
