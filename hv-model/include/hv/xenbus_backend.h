/* The backend half of xenbus for the model's dom0 backends: creating a
 * device's frontend and backend directories as the toolstack does, moving
 * the backend's state, and following the frontend's. Everything read from
 * the frontend's directory is the guest's word: parsed strictly, bounded. */
#ifndef HV_XENBUS_BACKEND_H
#define HV_XENBUS_BACKEND_H

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
	char fe_path[HV_XENBUS_PATH_MAX]; /* /local/domain/N/device/T/I */
	char be_path[HV_XENBUS_PATH_MAX]; /* /local/domain/0/backend/T/N/I */
	enum xenbus_state fe_state;       /* as last read */
	enum xenbus_state be_state;       /* as last written */
	hv_xenbus_frontend_fn frontend_changed;
	void *arg;
	uint32_t next_req;
};

/* Write both directories (frontend owned by the guest and readable by
 * dom0, backend owned by dom0 and readable by the guest), set the backend
 * to InitWait and the frontend to Initialising, and watch the frontend's
 * state: fn runs whenever it changes. 0 or a negative Xen errno. */
int hv_xenbus_backend_create(struct hv_xenbus_backend *be, struct hv_xs *xs,
			     uint16_t frontend_id, const char *type,
			     unsigned devid, hv_xenbus_frontend_fn fn,
			     void *arg);
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

#endif
