/* The "xensim-test" backend: see hv/testback.h. What the frontend writes
 * is read once, checked, and only then used. */
#include <string.h>

#include <xen/errno.h>

#include "hv/evtchn.h"
#include "hv/machine.h"
#include "hv/testback.h"

#define PAGE 4096u

static void frontend_changed(struct hv_xenbus_backend *xb,
			     enum xenbus_state state, void *arg)
{
	struct hv_testback *tb = arg;

	(void)xb;
	/* dom0 acts later, outside the daemon's callback. */
	tb->seen = state;
	tb->pending = true;
}

/* Give up on the device, saying why, as a backend's error node does. */
static void fail(struct hv_testback *tb, const char *why)
{
	hv_log(tb->dom0->machine, HV_LOG_WARN, "xensim-test backend: %s", why);
	hv_xenbus_backend_printf(&tb->xb, "error", "%s", why);
	hv_xenbus_backend_switch_state(&tb->xb, XenbusStateClosing);
}

static void disconnect(struct hv_testback *tb)
{
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

	if (hv_xenbus_frontend_read_ulong(&tb->xb, "src-ref", UINT32_MAX, &v))
		return -XEN_EINVAL;
	*src = (grant_ref_t)v;
	if (hv_xenbus_frontend_read_ulong(&tb->xb, "dst-ref", UINT32_MAX, &v))
		return -XEN_EINVAL;
	*dst = (grant_ref_t)v;
	if (hv_xenbus_frontend_read_ulong(&tb->xb, "event-channel",
					  UINT32_MAX, &v) || v == 0)
		return -XEN_EINVAL;
	*port = (evtchn_port_t)v;
	return 0;
}

static void connect(struct hv_testback *tb)
{
	unsigned char *page = tb->buf;
	uint16_t gid = tb->guest->domid;
	grant_ref_t src, dst;
	evtchn_port_t fe_port;
	int16_t st;

	if (read_frontend(tb, &src, &dst, &fe_port)) {
		fail(tb, "missing or malformed src-ref, dst-ref or event-channel");
		return;
	}
	st = hv_gnttab_copy_from_ref(tb->dom0, gid, src, 0, page, PAGE);
	if (st != GNTST_okay) {
		hv_xenbus_backend_printf(&tb->xb, "copy-status", "%d", st);
		fail(tb, "cannot copy from src-ref");
		return;
	}
	for (unsigned i = 0; i < PAGE; i++)
		page[i] = (unsigned char)~page[i];
	st = hv_gnttab_copy_to_ref(tb->dom0, gid, dst, 0, page, PAGE);
	if (st != GNTST_okay) {
		hv_xenbus_backend_printf(&tb->xb, "copy-status", "%d", st);
		fail(tb, "cannot copy to dst-ref");
		return;
	}
	/* A read-only grant must not take a write. */
	st = hv_gnttab_copy_to_ref(tb->dom0, gid, src, 0, page, 1);
	hv_xenbus_backend_printf(&tb->xb, "ro-write-status", "%d", st);
	st = hv_gnttab_map_ref(tb->dom0, gid, src, true, &tb->src_map);
	tb->mapped = st == GNTST_okay;
	hv_xenbus_backend_printf(&tb->xb, "map-status", "%d", st);
	if (hv_evtchn_bind_interdomain_for(tb->dom0, gid, fe_port, &tb->port)) {
		tb->port = 0;
		disconnect(tb);
		fail(tb, "cannot bind event-channel");
		return;
	}
	hv_xenbus_backend_switch_state(&tb->xb, XenbusStateConnected);
	tb->connects++;
	hv_evtchn_send_from(tb->dom0, tb->port);
}

bool hv_testback_run(struct hv_testback *tb)
{
	if (!tb->pending)
		return false;
	tb->pending = false;
	switch (tb->seen) {
	case XenbusStateInitialised:
		if (tb->xb.be_state != XenbusStateConnected)
			connect(tb);
		break;
	case XenbusStateClosing:
	case XenbusStateClosed:
		disconnect(tb);
		hv_xenbus_backend_switch_state(&tb->xb, XenbusStateClosed);
		break;
	case XenbusStateInitialising:
		/* The frontend starts over: so does the backend. */
		disconnect(tb);
		hv_xenbus_backend_switch_state(&tb->xb, XenbusStateInitWait);
		break;
	default:
		break;
	}
	return true;
}

int hv_testback_create(struct hv_testback *tb, struct hv_xs *xs,
		       struct hv_domain *dom0, struct hv_domain *guest)
{
	memset(tb, 0, sizeof(*tb));
	tb->dom0 = dom0;
	tb->guest = guest;
	return hv_xenbus_backend_create(&tb->xb, xs, guest->domid,
					HV_TESTBACK_TYPE, 0, frontend_changed,
					tb);
}

void hv_testback_destroy(struct hv_testback *tb)
{
	if (!tb->dom0)
		return;
	disconnect(tb);
	hv_xenbus_backend_destroy(&tb->xb);
	tb->dom0 = NULL;
}
