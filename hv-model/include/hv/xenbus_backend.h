/* SPDX-License-Identifier: BSD-2-Clause */
/* The backend half of xenbus for the model's dom0 backends: creating a
 * device's frontend and backend directories as the toolstack does, moving
 * the backend's state, and following the frontend's. Everything read from
 * the frontend's directory is the guest's word: parsed strictly, bounded.
 *
 * Two levels. hv_xenbus_backend_create() is the plumbing alone: the
 * directories and a watch that reports each frontend state change.
 * hv_xenbus_device_create() adds the state machine every device class
 * shares (as QEMU's xen-bus and Linux's backends behave), so a class only
 * supplies hooks:
 *   frontend Initialised/Connected, backend not Connected -> connect();
 *       0 -> Connected; an error -> the class said why (error node),
 *       the backend goes Closing
 *   frontend Closing            -> backend Closing
 *   frontend Closed or Unknown  -> disconnect(), backend Closed
 *   frontend Initialising after Closing/Closed -> disconnect(), backend
 *       InitWait again (the frontend reconnects)
 * The watch only records the change; the machine acts on it in
 * hv_xenbus_device_run(), dom0's turn, never inside the daemon. */
#ifndef HV_XENBUS_BACKEND_H
#define HV_XENBUS_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/io/xenbus.h>

#include "hv/xs.h"

#define HV_XENBUS_PATH_MAX 96

struct hv_xenbus_backend;
typedef void (*hv_xenbus_frontend_fn)(struct hv_xenbus_backend *be,
				      enum xenbus_state state, void *arg);

struct hv_xenbus_backend {
	struct hv_xs *xs;
	struct hv_xs_conn *conn;          /* dom0's connection, for the watch */
	uint16_t frontend_id;
	char type[16];                    /* device type, "vbd" */
	unsigned devid;
	char fe_path[HV_XENBUS_PATH_MAX]; /* /local/domain/N/device/T/I */
	char be_path[HV_XENBUS_PATH_MAX]; /* /local/domain/0/backend/T/N/I */
	enum xenbus_state fe_state;       /* as last read */
	enum xenbus_state be_state;       /* as last written */
	hv_xenbus_frontend_fn frontend_changed;
	void *arg;
	uint32_t next_req;
};

struct hv_xenbus_device;
struct hv_machine;

/* What one device class (vbd, xensim-test, ...) adds to the layer. Every
 * hook is optional. */
struct hv_xenbus_device_ops {
	/* Before the frontend can see the device: write the toolstack's
	 * extra nodes and the features offered. 0 or a negative Xen errno
	 * (then the device is not created). */
	int (*probe)(struct hv_xenbus_device *dev);
	/* The frontend says it is ready: read its nodes, map, bind. 0 to go
	 * Connected, or a negative Xen errno after hv_xenbus_device_error(). */
	int (*connect)(struct hv_xenbus_device *dev);
	/* Drop what connect() took; called whenever the backend leaves
	 * Connected (and on destroy); must be safe when not connected. */
	void (*disconnect)(struct hv_xenbus_device *dev);
	/* Every frontend state change, after the layer acted on it. */
	void (*frontend_changed)(struct hv_xenbus_device *dev,
				 enum xenbus_state state);
	/* Connect only once the frontend says Connected, not at
	 * Initialised (Linux's netback; its blkback takes either). */
	bool connect_on_connected;
};

struct hv_xenbus_device {
	struct hv_xenbus_backend xb;
	const struct hv_xenbus_device_ops *ops;
	void *priv;                       /* the class's own state */
	struct hv_machine *machine;       /* for the log */
	enum xenbus_state seen;           /* frontend state not yet acted on */
	bool pending;
	unsigned connects;                /* times it reached Connected */
	/* The toolstack is removing the device (online 0): once the backend
	 * leaves Connected it never offers itself again. */
	bool removing;
};

/* Write both directories (frontend owned by the guest and readable by
 * dom0, backend owned by dom0 and readable by the guest), set the backend
 * to InitWait and the frontend to Initialising, and watch the frontend's
 * state: fn runs whenever it changes. 0 or a negative Xen errno. */
int hv_xenbus_backend_create(struct hv_xenbus_backend *be, struct hv_xs *xs,
			     uint16_t frontend_id, const char *type,
			     unsigned devid, hv_xenbus_frontend_fn fn,
			     void *arg);
/* For a fuzzer keeping several backends of one device, the store put back
 * under each in turn (hv_blkback_sleep): asleep, a backend's connection and
 * watch are gone, so the others' writes reach it no more; awake, it has
 * them again (the watch's first event as on create). Wake: 0 or
 * -XEN_ENOMEM. */
void hv_xenbus_backend_sleep(struct hv_xenbus_backend *be);
int hv_xenbus_backend_wake(struct hv_xenbus_backend *be);
/* Write <frontend>/<node> = value with the frontend's permissions, as the
 * toolstack writes virtual-device or device-type. */
int hv_xenbus_frontend_write(struct hv_xenbus_backend *be, const char *node,
			     const char *value);
/* Remove both directories and the watch. */
void hv_xenbus_backend_destroy(struct hv_xenbus_backend *be);

int hv_xenbus_backend_switch_state(struct hv_xenbus_backend *be,
				   enum xenbus_state state);
/* Write <backend>/<node> = printf(fmt, ...). */
int hv_xenbus_backend_printf(struct hv_xenbus_backend *be, const char *node,
			     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Read <frontend>/<node> as an unsigned number no larger than max:
 * -XEN_ENOENT when absent, -XEN_EINVAL when not a plain number,
 * -XEN_ERANGE when too large. */
int hv_xenbus_frontend_read_ulong(struct hv_xenbus_backend *be,
				  const char *node, unsigned long max,
				  unsigned long *out);
/* The frontend's state now (Unknown when absent or garbage). */
enum xenbus_state hv_xenbus_frontend_state(struct hv_xenbus_backend *be);

/* A device of a class: directories, ops->probe(), then the watch. On an
 * error nothing is left in the store. */
int hv_xenbus_device_create(struct hv_xenbus_device *dev, struct hv_xs *xs,
			    struct hv_machine *machine, uint16_t frontend_id, const char *type,
			    unsigned devid,
			    const struct hv_xenbus_device_ops *ops, void *priv);
/* dom0's turn: act on the frontend's last state change. Whether anything
 * was done. */
bool hv_xenbus_device_run(struct hv_xenbus_device *dev);
/* The class gives up: log once, write <backend>/error, go Closing. */
void hv_xenbus_device_error(struct hv_xenbus_device *dev, int err,
			    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Disconnect and remove both directories (safe on a zeroed struct). */
void hv_xenbus_device_destroy(struct hv_xenbus_device *dev);

#endif
