/* SPDX-License-Identifier: BSD-2-Clause */
/* The "xensim-test" backend: see hv/testback.h. What the frontend writes
 * is read once, checked, and only then used. */
#include <string.h>

#include <xen/errno.h>

#include "hv/evtchn.h"
#include "hv/machine.h"
#include "hv/testback.h"

#define PAGE 4096u

static struct hv_testback *of(struct hv_xenbus_device *dev)
{
	return dev->priv;
}

static void disconnect(struct hv_xenbus_device *dev)
{
	struct hv_testback *tb = of(dev);

	if (tb->mapped)
		hv_gnttab_unmap(tb->dom0, tb->src_map.handle);
	tb->mapped = false;
	if (tb->port)
		hv_evtchn_close_for(tb->dom0, tb->port);
	tb->port = 0;
}

/* The frontend's references and port, each checked for range. */
static int read_frontend(struct hv_testback *tb, grant_ref_t *src,
			 grant_ref_t *dst, evtchn_port_t *port)
{
	unsigned long v;

	if (hv_xenbus_frontend_read_ulong(&tb->dev.xb, "src-ref", UINT32_MAX, &v))
		return -XEN_EINVAL;
	*src = (grant_ref_t)v;
	if (hv_xenbus_frontend_read_ulong(&tb->dev.xb, "dst-ref", UINT32_MAX, &v))
		return -XEN_EINVAL;
	*dst = (grant_ref_t)v;
	if (hv_xenbus_frontend_read_ulong(&tb->dev.xb, "event-channel",
					  UINT32_MAX, &v) || v == 0)
		return -XEN_EINVAL;
	*port = (evtchn_port_t)v;
	return 0;
}

/* Say why the device gives up: error node, backend Closing. */
static int fail(struct hv_testback *tb, const char *why)
{
	hv_xenbus_device_error(&tb->dev, -XEN_EINVAL, "xensim-test backend: "
			       "%s", why);
	return -XEN_EINVAL;
}

static int connect(struct hv_xenbus_device *dev)
{
	struct hv_testback *tb = of(dev);
	unsigned char *page = tb->buf;
	uint16_t gid = tb->guest->domid;
	grant_ref_t src, dst;
	evtchn_port_t fe_port;
	int16_t st;

	if (read_frontend(tb, &src, &dst, &fe_port))
		return fail(tb, "missing or malformed src-ref, dst-ref or "
			    "event-channel");
	st = hv_gnttab_copy_from_ref(tb->dom0, gid, src, 0, page, PAGE);
	if (st != GNTST_okay) {
		hv_xenbus_backend_printf(&tb->dev.xb, "copy-status", "%d", st);
		return fail(tb, "cannot copy from src-ref");
	}
	for (unsigned i = 0; i < PAGE; i++)
		page[i] = (unsigned char)~page[i];
	st = hv_gnttab_copy_to_ref(tb->dom0, gid, dst, 0, page, PAGE);
	if (st != GNTST_okay) {
		hv_xenbus_backend_printf(&tb->dev.xb, "copy-status", "%d", st);
		return fail(tb, "cannot copy to dst-ref");
	}
	/* A read-only grant must not take a write. */
	st = hv_gnttab_copy_to_ref(tb->dom0, gid, src, 0, page, 1);
	hv_xenbus_backend_printf(&tb->dev.xb, "ro-write-status", "%d", st);
	st = hv_gnttab_map_ref(tb->dom0, gid, src, true, &tb->src_map);
	tb->mapped = st == GNTST_okay;
	hv_xenbus_backend_printf(&tb->dev.xb, "map-status", "%d", st);
	if (hv_evtchn_bind_interdomain_for(tb->dom0, gid, fe_port, &tb->port)) {
		tb->port = 0;
		return fail(tb, "cannot bind event-channel");
	}
	tb->connects++;
	/* The layer switches to Connected once this returns: the event
	 * tells a frontend that polls the ring rather than the state. */
	hv_evtchn_send_from(tb->dom0, tb->port);
	return 0;
}

static const struct hv_xenbus_device_ops testback_ops = {
	.connect = connect,
	.disconnect = disconnect,
};

bool hv_testback_run(struct hv_testback *tb)
{
	return hv_xenbus_device_run(&tb->dev);
}

int hv_testback_create(struct hv_testback *tb, struct hv_xs *xs,
		       struct hv_domain *dom0, struct hv_domain *guest)
{
	memset(tb, 0, sizeof(*tb));
	tb->dom0 = dom0;
	tb->guest = guest;
	return hv_xenbus_device_create(&tb->dev, xs, dom0->machine,
				       guest->domid, HV_TESTBACK_TYPE, 0,
				       &testback_ops, tb);
}

void hv_testback_destroy(struct hv_testback *tb)
{
	if (!tb->dom0)
		return;
	hv_xenbus_device_destroy(&tb->dev);
	tb->dom0 = NULL;
}
