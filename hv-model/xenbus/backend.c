/* SPDX-License-Identifier: BSD-2-Clause */
/* xenbus for the model's backends: see hv/xenbus_backend.h. The watch runs
 * over an ordinary dom0 connection to the daemon, so backends see exactly
 * the events a real dom0 backend would. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

#include "hv/xenbus_backend.h"
#include "xenbus_internal.h"

#define NR_STATES (XenbusStateReconfigured + 1)
#define WATCH_TOKEN "hv-xenbus-backend"

static int path_of(char *buf, size_t size, const char *dir, const char *node)
{
	int n = snprintf(buf, size, "%s/%s", dir, node);

	return n < 0 || (size_t)n >= size ? -XEN_E2BIG : 0;
}

/* A plain unsigned decimal number, nothing else. */
static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!*s)
		return -XEN_EINVAL;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (*s < '0' || *s > '9')
			return -XEN_EINVAL;
		if (d > max || v > (max - d) / 10)
			return -XEN_ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int hv_xenbus_frontend_read_ulong(struct hv_xenbus_backend *be,
				  const char *node, unsigned long max,
				  unsigned long *out)
{
	char path[HV_XENBUS_PATH_MAX + 32], value[24];
	int rc = path_of(path, sizeof(path), be->fe_path, node);

	if (rc)
		return rc;
	rc = hv_xs_read(be->xs, path, value, sizeof(value) - 1);
	if (rc < 0)
		return rc;
	if ((size_t)rc >= sizeof(value) - 1)
		return -XEN_ERANGE;
	value[rc] = '\0';
	return parse_ulong(value, max, out);
}

enum xenbus_state hv_xenbus_frontend_state(struct hv_xenbus_backend *be)
{
	unsigned long v;

	if (hv_xenbus_frontend_read_ulong(be, "state", NR_STATES - 1, &v))
		return XenbusStateUnknown;
	return (enum xenbus_state)v;
}

/* Watch events arrive as wire messages on dom0's connection. */
static int on_message(void *opaque, const void *msg, size_t len,
		      enum hv_xs_msg_kind kind)
{
	struct hv_xenbus_backend *be = opaque;
	enum xenbus_state st;

	(void)msg;
	(void)len;
	if (kind != HV_XS_MSG_EVENT)
		return 0;
	st = hv_xenbus_frontend_state(be);
	if (st == be->fe_state)
		return 0;
	be->fe_state = st;
	if (be->frontend_changed)
		be->frontend_changed(be, st, be->arg);
	return 0;
}

/* Send one request on dom0's connection; replies are not needed. */
static void conn_request(struct hv_xenbus_backend *be, uint32_t type,
			 const char *a, const char *b)
{
	char payload[2 * HV_XENBUS_PATH_MAX + 64];
	size_t la = strlen(a) + 1, lb = strlen(b) + 1;
	struct xsd_sockmsg hdr = { type, ++be->next_req, 0,
				   (uint32_t)(la + lb) };

	memcpy(payload, a, la);
	memcpy(payload + la, b, lb);
	hv_xs_conn_request(be->conn, &hdr, payload);
}

static int write_node(struct hv_xs *xs, const char *dir, const char *node,
		      const char *value, const struct hv_xs_perm *perms)
{
	char path[HV_XENBUS_PATH_MAX + 32];
	int rc = path_of(path, sizeof(path), dir, node);

	if (!rc)
		rc = hv_xs_write_str(xs, path, value);
	if (!rc)
		rc = hv_xs_set_perms(xs, path, perms, 2);
	return rc;
}

static int write_dirs(struct hv_xenbus_backend *be)
{
	const struct hv_xs_perm fe_perms[] = {
		{ be->frontend_id, HV_XS_PERM_NONE }, { 0, HV_XS_PERM_READ } };
	const struct hv_xs_perm be_perms[] = {
		{ 0, HV_XS_PERM_NONE }, { be->frontend_id, HV_XS_PERM_READ } };
	char id[8];
	int rc;

	snprintf(id, sizeof(id), "%u", be->frontend_id);
	if ((rc = hv_xs_mkdir(be->xs, be->fe_path)) ||
	    (rc = hv_xs_set_perms(be->xs, be->fe_path, fe_perms, 2)) ||
	    (rc = write_node(be->xs, be->fe_path, "backend", be->be_path,
			     fe_perms)) ||
	    (rc = write_node(be->xs, be->fe_path, "backend-id", "0",
			     fe_perms)) ||
	    (rc = write_node(be->xs, be->fe_path, "state", "1", fe_perms)))
		return rc;
	if ((rc = hv_xs_mkdir(be->xs, be->be_path)) ||
	    (rc = hv_xs_set_perms(be->xs, be->be_path, be_perms, 2)) ||
	    (rc = write_node(be->xs, be->be_path, "frontend", be->fe_path,
			     be_perms)) ||
	    (rc = write_node(be->xs, be->be_path, "frontend-id", id,
			     be_perms)) ||
	    (rc = write_node(be->xs, be->be_path, "online", "1", be_perms)) ||
	    (rc = write_node(be->xs, be->be_path, "state", "2", be_perms)))
		return rc;
	return 0;
}

int hv_xenbus_backend_init_dirs(struct hv_xenbus_backend *be,
				struct hv_xs *xs, uint16_t frontend_id,
				const char *type, unsigned devid)
{
	int n, rc;

	memset(be, 0, sizeof(*be));
	be->xs = xs;
	be->frontend_id = frontend_id;
	snprintf(be->type, sizeof(be->type), "%s", type);
	be->devid = devid;
	n = snprintf(be->fe_path, sizeof(be->fe_path),
		     "/local/domain/%u/device/%s/%u", frontend_id, type, devid);
	if (n < 0 || (size_t)n >= sizeof(be->fe_path))
		return -XEN_E2BIG;
	n = snprintf(be->be_path, sizeof(be->be_path),
		     "/local/domain/0/backend/%s/%u/%u", type, frontend_id,
		     devid);
	if (n < 0 || (size_t)n >= sizeof(be->be_path))
		return -XEN_E2BIG;
	rc = write_dirs(be);
	if (rc)
		return rc;
	be->fe_state = XenbusStateInitialising;
	be->be_state = XenbusStateInitWait;
	return 0;
}

int hv_xenbus_backend_watch(struct hv_xenbus_backend *be,
			    hv_xenbus_frontend_fn fn, void *arg)
{
	char state_path[HV_XENBUS_PATH_MAX + 8];

	be->conn = hv_xs_conn_new(be->xs, 0, on_message, be);
	if (!be->conn)
		return -XEN_ENOMEM;
	/* Only now: the watch's first event must not call back half-built. */
	be->frontend_changed = fn;
	be->arg = arg;
	path_of(state_path, sizeof(state_path), be->fe_path, "state");
	conn_request(be, XS_WATCH, state_path, WATCH_TOKEN);
	return 0;
}

int hv_xenbus_backend_create(struct hv_xenbus_backend *be, struct hv_xs *xs,
			     uint16_t frontend_id, const char *type,
			     unsigned devid, hv_xenbus_frontend_fn fn,
			     void *arg)
{
	int rc = hv_xenbus_backend_init_dirs(be, xs, frontend_id, type, devid);

	return rc ? rc : hv_xenbus_backend_watch(be, fn, arg);
}

void hv_xenbus_backend_sleep(struct hv_xenbus_backend *be)
{
	hv_xs_conn_free(be->conn);
	be->conn = NULL;
}

int hv_xenbus_backend_wake(struct hv_xenbus_backend *be)
{
	return be->conn ? 0 : hv_xenbus_backend_watch(be, be->frontend_changed,
						       be->arg);
}

void hv_xenbus_backend_destroy(struct hv_xenbus_backend *be)
{
	if (be->conn)
		hv_xs_conn_free(be->conn);
	be->conn = NULL;
	if (!be->xs)
		return;
	hv_xs_rm(be->xs, be->be_path);
	hv_xs_rm(be->xs, be->fe_path);
}

int hv_xenbus_backend_switch_state(struct hv_xenbus_backend *be,
				   enum xenbus_state state)
{
	int rc;

	if ((unsigned)state >= NR_STATES)
		return -XEN_EINVAL;
	rc = hv_xenbus_backend_printf(be, "state", "%u", (unsigned)state);
	if (!rc)
		be->be_state = state;
	return rc;
}

int hv_xenbus_backend_printf(struct hv_xenbus_backend *be, const char *node,
			     const char *fmt, ...)
{
	char path[HV_XENBUS_PATH_MAX + 32], value[256];
	va_list ap;
	int n, rc = path_of(path, sizeof(path), be->be_path, node);

	if (rc)
		return rc;
	va_start(ap, fmt);
	n = vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(value))
		return -XEN_E2BIG;
	return hv_xs_write_str(be->xs, path, value);
}

int hv_xenbus_frontend_write(struct hv_xenbus_backend *be, const char *node,
			     const char *value)
{
	const struct hv_xs_perm fe_perms[] = {
		{ be->frontend_id, HV_XS_PERM_NONE }, { 0, HV_XS_PERM_READ } };

	return write_node(be->xs, be->fe_path, node, value, fe_perms);
}
