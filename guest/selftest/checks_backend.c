/* SPDX-License-Identifier: BSD-2-Clause */
/* The battery's frontend for dom0's "xensim-test" device: grants two
 * pages and an event channel to the backend the way a block or network
 * frontend does, and checks what the backend did with them: the copy
 * through the grant table, the refusal of a write through a read-only
 * grant, the mapping that keeps a grant from being ended, the event, and
 * the close. Skips where no such device exists (a domain without
 * xenstore; real Xen's dom0 offers none): tests/expected-skips lists where. */
#include <xen/errno.h>
#include <xen/grant_table.h>

#include "gxen/evtchn.h"
#include "gxen/gnttab.h"
#include "gxen/xenbus.h"
#include "gxen/xs.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "selftest_checks.h"

#define STATE_TIMEOUT (1000ull * 1000 * 1000)

struct testfront {
	struct xenbus_device dev;
	unsigned char *src, *dst;
	grant_ref_t src_ref, dst_ref;
	evtchn_port_t port;
	unsigned events;
};

static void count_found(const char *nodename, void *arg)
{
	char *first = arg;

	if (!first[0] && strlen(nodename) < XENBUS_PATH_MAX)
		memcpy(first, nodename, strlen(nodename) + 1);
}

static void on_event(evtchn_port_t port, void *arg)
{
	(void)port;
	((struct testfront *)arg)->events++;
}

/* Pages, grants, port, and the nodes the backend reads. */
static bool set_up(struct selftest_ctx *ctx, struct testfront *f)
{
	uint16_t be = f->dev.otherend_id;

	f->src = page_alloc(1);
	f->dst = page_alloc(1);
	if (!check(ctx, f->src && f->dst))
		return false;
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		f->src[i] = (unsigned char)(i * 7 + 3);
	return check(ctx, gnttab_grant_access(be, virt_to_pfn(f->src), true,
					      &f->src_ref) == 0) &&
	       check(ctx, gnttab_grant_access(be, virt_to_pfn(f->dst), false,
					      &f->dst_ref) == 0) &&
	       check(ctx, evtchn_alloc_unbound(be, on_event, f, &f->port) == 0) &&
	       check(ctx, xenbus_printf(XBT_NIL, f->dev.nodename, "src-ref",
					"%u", f->src_ref) == 0) &&
	       check(ctx, xenbus_printf(XBT_NIL, f->dev.nodename, "dst-ref",
					"%u", f->dst_ref) == 0) &&
	       check(ctx, xenbus_printf(XBT_NIL, f->dev.nodename,
					"event-channel", "%u", f->port) == 0);
}

/* What the backend did while Connected. */
static void check_connected(struct selftest_ctx *ctx, struct testfront *f)
{
	char path[XENBUS_PATH_MAX + 32], value[16];
	bool same = true;

	for (unsigned i = 0; i < PAGE_SIZE; i++)
		same &= f->dst[i] == (unsigned char)~f->src[i];
	check_that(ctx, same, "destination page is not the inverted source");
	ksnprintf(path, sizeof(path), "%s/ro-write-status", f->dev.otherend);
	check(ctx, xs_read(XBT_NIL, path, value, sizeof(value)) > 0);
	check_that(ctx, strcmp(value, "-1") == 0,
		   "write through a read-only grant gave status %s", value);
	check_that(ctx, gnttab_in_use(f->src_ref),
		   "source grant not marked in use while mapped");
	check(ctx, gnttab_end_access(f->src_ref) == -XEN_EBUSY);
	check_that(ctx, f->events >= 1, "no event from the backend");
}

static void tear_down(struct testfront *f)
{
	if (f->port)
		evtchn_unbind(f->port);
	page_free(f->src, 1);
	page_free(f->dst, 1);
}

void check_backend_grant_copy(struct selftest_ctx *ctx)
{
	static struct testfront f;
	char nodename[XENBUS_PATH_MAX] = "";

	memset(&f, 0, sizeof(f));
	if (!xs_connected()) {
		selftest_skip(ctx, "this domain has no xenstore");
		return;
	}
	if (xenbus_enumerate("xensim-test", count_found, nodename) <= 0) {
		selftest_skip(ctx, "no xensim-test device in xenstore");
		return;
	}
	if (!check(ctx, xenbus_probe(&f.dev, nodename) == 0))
		return;
	if (set_up(ctx, &f) &&
	    check(ctx, xenbus_switch_state(&f.dev, XenbusStateInitialised) == 0) &&
	    check(ctx, xenbus_wait_for_otherend(&f.dev, XenbusStateConnected,
						STATE_TIMEOUT) == 0) &&
	    check(ctx, xenbus_switch_state(&f.dev, XenbusStateConnected) == 0)) {
		check_connected(ctx, &f);
		/* The close handshake of Linux's and QEMU's backends. */
		check(ctx, xenbus_switch_state(&f.dev, XenbusStateClosing) == 0);
		check(ctx, xenbus_wait_for_otherend(&f.dev, XenbusStateClosing,
						    STATE_TIMEOUT) == 0);
		check(ctx, xenbus_switch_state(&f.dev, XenbusStateClosed) == 0);
		check(ctx, xenbus_wait_for_otherend(&f.dev, XenbusStateClosed,
						    STATE_TIMEOUT) == 0);
		check(ctx, !gnttab_in_use(f.src_ref));
		check(ctx, gnttab_end_access(f.src_ref) == 0);
		check(ctx, gnttab_end_access(f.dst_ref) == 0);
	}
	tear_down(&f);
}
