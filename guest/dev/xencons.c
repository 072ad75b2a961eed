/* SPDX-License-Identifier: BSD-2-Clause */
/* The first PV console, boot glue and I/O: read the ring page and port the
 * toolstack left in the HVM parameters, check them, attach the port, and
 * become the console's output. A backend that breaks the ring (impossible
 * indexes) or never makes room is reported once through console_io, which
 * then carries the output again: nothing is dropped silently. */
#include <xen/errno.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#include "dev/xencons.h"
#include "gxen/evtchn.h"
#include "gxen/hypercall.h"
#include "gxen/time.h"
#include "kern/console.h"
#include "kern/printf.h"
#include "kern/string.h"

/* How long output may wait for the backend to make room, in virtual
 * time, before console_io takes over. */
#define XENCONS_FULL_TIMEOUT (2000 * NSEC_PER_MSEC)

static struct xencons_ring ring;
static evtchn_port_t cons_port;
static bool active;
static bool skip_lf;             /* a '\r' ended the last line */

static void cons_event(evtchn_port_t port, void *arg)
{
	/* Writers and readers look at the ring when their wait returns. */
	(void)port;
	(void)arg;
}

/* Back to console_io for good, saying why, once. */
static void give_up(const char *why)
{
	active = false;
	console_set_backend(NULL);
	kprintf("console: %s; output continues on console_io\n", why);
}

static bool has_room(void *arg)
{
	(void)arg;
	return xencons_ring_unsent(&ring) < sizeof(ring.page->out);
}

static void ring_write(const char *s, size_t len)
{
	while (len) {
		long n = xencons_ring_put(&ring, s, len);

		if (n < 0) {
			give_up("backend broke the ring (impossible out_cons)");
			break;
		}
		s += n;
		len -= (size_t)n;
		/* Publish what we put, then wait for room if it did not all
		 * fit. */
		if (n)
			evtchn_notify(cons_port);
		if (len && !time_wait(has_room, NULL, XENCONS_FULL_TIMEOUT)) {
			give_up("the backend left the ring full");
			break;
		}
	}
	if (len)
		console_write(s, len);
}

static int hvm_param(unsigned index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
	long rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);

	*value = p.value;
	return (int)rc;
}

int xencons_init(void)
{
	uint64_t pfn, port;
	void *page;
	int rc;

	xencons_reset();
	console_set_backend(NULL);
	/* An error here (real Xen may refuse the parameter) or a zero frame
	 * both mean this domain has no ring: console_io it is. */
	if (hvm_param(HVM_PARAM_CONSOLE_PFN, &pfn) ||
	    hvm_param(HVM_PARAM_CONSOLE_EVTCHN, &port) || pfn == 0)
		return -XEN_ENODEV;
	page = pfn_to_virt(pfn);
	if (!page || port == 0 || port >= EVTCHN_MAX_PORTS) {
		kprintf("console: unusable ring page %#llx or port %llu\n",
			(unsigned long long)pfn, (unsigned long long)port);
		return -XEN_EINVAL;
	}
	cons_port = (evtchn_port_t)port;
	rc = evtchn_attach(cons_port, cons_event, NULL);
	if (rc)
		return rc;
	xencons_ring_attach(&ring, page);
	active = true;
	console_set_backend(ring_write);
	return 0;
}

void xencons_reset(void)
{
	memset(&ring, 0, sizeof(ring));
	cons_port = 0;
	active = false;
	skip_lf = false;
}

bool xencons_active(void)
{
	return active;
}

int console_getc(void)
{
	char c;
	long n;

	if (!active)
		return -XEN_ENODEV;
	n = xencons_ring_get(&ring, &c, 1);
	if (n < 0) {
		give_up("backend broke the ring (impossible in_prod)");
		return -XEN_ENODEV;
	}
	if (n == 0)
		return -XEN_EAGAIN;
	/* Tell the backend there is room for more input. */
	evtchn_notify(cons_port);
	return (unsigned char)c;
}

int console_read_line(char *buf, size_t cap)
{
	size_t len = 0;
	int c;

	if (cap == 0)
		return -XEN_EINVAL;
	for (;;) {
		c = console_getc();
		if (c == -XEN_EAGAIN) {
			/* No deadline: input comes when it comes. */
			arch_idle();
			continue;
		}
		if (c < 0)
			return c;
		/* "\r\n" from a terminal ends one line, not two. */
		if (c == '\n' && skip_lf && len == 0) {
			skip_lf = false;
			continue;
		}
		skip_lf = c == '\r';
		if (c == '\n' || c == '\r')
			break;
		if (len < cap - 1)
			buf[len++] = (char)c;
	}
	buf[len] = '\0';
	return (int)len;
}
