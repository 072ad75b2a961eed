/* SPDX-License-Identifier: BSD-2-Clause */
/* The xenbus handshake of a secondary PV console (see dev/xencons_fe.h);
 * the bytes go through xencons_ring.c, shared with console 0. Nothing the
 * backend writes is trusted: its state is only waited on, its ring
 * indexes are checked by the ring code. */
#include <xen/errno.h>

#include "dev/xencons_fe.h"
#include "gxen/evtchn.h"
#include "gxen/gnttab.h"
#include "gxen/time.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"


static void ring_event(evtchn_port_t port, void *arg)
{
	/* Readers and writers look at the ring when they next call. */
	(void)port;
	(void)arg;
}

int xencons_fe_enumerate(void (*found)(const char *nodename, void *arg),
			 void *arg)
{
	return xenbus_enumerate("console", found, arg);
}

/* Give back what connect took: channel, grant (only once the backend no
 * longer maps it), page. */
static void release(struct xencons_fe *fe)
{
	if (fe->port)
		evtchn_unbind(fe->port);
	fe->port = 0;
	if (fe->granted && gnttab_end_access(fe->ring_ref) == 0) {
		fe->granted = false;
		page_free(fe->page, 1);
	} else if (fe->granted) {
		/* Still mapped: the page stays the backend's, leaked. */
		kprintf("%s: backend still maps ring-ref %u; page kept\n",
			fe->xb.nodename, fe->ring_ref);
		fe->granted = false;
	} else if (fe->page) {
		page_free(fe->page, 1);
	}
	fe->page = NULL;
	fe->connected = false;
}

static int offer_ring(struct xencons_fe *fe)
{
	domid_t be = fe->xb.otherend_id;
	int rc;

	/* A resume keeps its page, cleared: the new backend starts at 0. */
	if (!fe->page)
		fe->page = page_alloc(1);
	if (!fe->page)
		return -XEN_ENOMEM;
	memset(fe->page, 0, sizeof(*fe->page));
	rc = gnttab_grant_access(be, virt_to_pfn(fe->page), false,
				 &fe->ring_ref);
	if (rc)
		return rc;
	fe->granted = true;
	rc = evtchn_alloc_unbound(be, ring_event, fe, &fe->port);
	if (rc) {
		fe->port = 0;
		return rc;
	}
	xencons_ring_attach(&fe->ring, fe->page);
	rc = xenbus_printf(XBT_NIL, fe->xb.nodename, "ring-ref", "%u",
			   fe->ring_ref);
	if (!rc)
		rc = xenbus_printf(XBT_NIL, fe->xb.nodename, "port", "%u",
				   fe->port);
	if (!rc)
		rc = xenbus_printf(XBT_NIL, fe->xb.nodename, "protocol", "%s",
				   "arm-abi");
	return rc;
}

static int handshake(struct xencons_fe *fe)
{
	int rc;

	/* A device closed earlier starts over from Initialising. */
	if (fe->xb.state != XenbusStateInitialising &&
	    (rc = xenbus_switch_state(&fe->xb, XenbusStateInitialising)))
		return rc;
	rc = xenbus_wait_for_otherend(&fe->xb, XenbusStateInitWait,
				      XENBUS_STATE_TIMEOUT_NS);
	if (rc)
		return rc;
	rc = offer_ring(fe);
	if (!rc)
		rc = xenbus_switch_state(&fe->xb, XenbusStateInitialised);
	if (!rc)
		rc = xenbus_wait_for_otherend(&fe->xb, XenbusStateConnected,
					      XENBUS_STATE_TIMEOUT_NS);
	if (!rc)
		rc = xenbus_switch_state(&fe->xb, XenbusStateConnected);
	return rc;
}

int xencons_fe_connect(struct xencons_fe *fe, const char *nodename)
{
	int rc;

	memset(fe, 0, sizeof(*fe));
	rc = xenbus_probe(&fe->xb, nodename);
	if (rc) {
		kprintf("%s: no usable backend (%d)\n", nodename, rc);
		return rc;
	}
	rc = handshake(fe);
	if (rc) {
		kprintf("%s: backend is %s, not Connected (%d)\n", nodename,
			xenbus_state_name(fe->xb.otherend_state), rc);
		xencons_fe_disconnect(fe);
		return rc;
	}
	fe->connected = true;
	return 0;
}

static long check_ring(struct xencons_fe *fe, long n, const char *index)
{
	if (n >= 0)
		return n;
	if (!fe->broken)
		kprintf("%s: backend broke the ring (impossible %s)\n",
			fe->xb.nodename, index);
	fe->broken = true;
	return -XEN_EIO;
}

long xencons_fe_write(struct xencons_fe *fe, const char *s, size_t len)
{
	long n;

	if (!fe->connected)
		return -XEN_ENOTCONN;
	if (fe->broken)
		return -XEN_EIO;
	n = check_ring(fe, xencons_ring_put(&fe->ring, s, len), "out_cons");
	/* Publish what we put. */
	if (n > 0)
		evtchn_notify(fe->port);
	return n;
}

/* What a resume carried over comes first. */
static long read_carried(struct xencons_fe *fe, char *buf, size_t len)
{
	size_t n = fe->carried_len - fe->carried_off;

	if (n > len)
		n = len;
	memcpy(buf, fe->carried + fe->carried_off, n);
	fe->carried_off += (unsigned)n;
	if (fe->carried_off == fe->carried_len)
		fe->carried_off = fe->carried_len = 0;
	return (long)n;
}

long xencons_fe_read(struct xencons_fe *fe, char *buf, size_t len)
{
	long n;

	if (!fe->connected)
		return -XEN_ENOTCONN;
	if (fe->carried_len)
		return read_carried(fe, buf, len);
	if (fe->broken)
		return -XEN_EIO;
	n = check_ring(fe, xencons_ring_get(&fe->ring, buf, len), "in_prod");
	/* Tell the backend there is room for more input. */
	if (n > 0)
		evtchn_notify(fe->port);
	return n;
}

int xencons_fe_disconnect(struct xencons_fe *fe)
{
	int rc;

	/* Closing is a step: the backend follows, then we close. */
	xenbus_switch_state(&fe->xb, XenbusStateClosing);
	rc = xenbus_wait_for_otherend(&fe->xb, XenbusStateClosing,
				      XENBUS_STATE_TIMEOUT_NS);
	if (rc == -XEN_ENOTCONN)
		rc = 0;         /* it went straight to Closed */
	xenbus_switch_state(&fe->xb, XenbusStateClosed);
	if (rc == 0 && fe->xb.otherend_state != XenbusStateClosed)
		rc = xenbus_wait_for_otherend(&fe->xb, XenbusStateClosed,
					      XENBUS_STATE_TIMEOUT_NS);
	if (rc)
		kprintf("%s: backend did not close (%s)\n", fe->xb.nodename,
			xenbus_state_name(fe->xb.otherend_state));
	release(fe);
	return rc;
}

/* Output the old backend did not take, at most one ring's worth: read
 * back from our side of the page (our producer index, its consumer). */
static size_t unsent_output(struct xencons_fe *fe, char *out)
{
	struct xencons_interface *page = fe->page;
	size_t n = xencons_ring_unsent(&fe->ring);
	uint32_t from = fe->ring.out_prod - (uint32_t)n;

	for (size_t i = 0; i < n; i++)
		out[i] = page->out[MASK_XENCONS_IDX(from + i, page->out)];
	return n;
}

int xencons_fe_resume(struct xencons_fe *fe)
{
	char nodename[XENBUS_PATH_MAX], out[sizeof(fe->page->out)];
	size_t unsent = 0;
	long got;
	int rc;

	if (!fe->connected)
		return 0;
	if (!fe->broken) {
		got = xencons_ring_get(&fe->ring, fe->carried + fe->carried_len,
				       sizeof(fe->carried) - fe->carried_len);
		if (got > 0)
			fe->carried_len += (unsigned)got;
		unsent = unsent_output(fe, out);
	}
	/* Nothing of the old connection exists in this domain: no port to
	 * close, no grant to end; the device is read afresh from the tree
	 * the toolstack wrote for the new domain. */
	fe->port = 0;
	fe->granted = false;
	fe->connected = false;
	fe->broken = false;
	memcpy(nodename, fe->xb.nodename, sizeof(nodename));
	rc = xenbus_probe(&fe->xb, nodename);
	if (!rc)
		rc = handshake(fe);
	if (rc) {
		kprintf("%s: cannot reconnect after the resume: backend is %s "
			"(%d)\n", nodename,
			xenbus_state_name(fe->xb.otherend_state), rc);
		return rc;
	}
	fe->connected = true;
	if (unsent && xencons_ring_put(&fe->ring, out, unsent) > 0)
		evtchn_notify(fe->port);
	return 0;
}
