/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance of hypercall buffers as guest virtual addresses: Xen walks
 * the guest's own page tables for every buffer pointer, so a buffer seen
 * through a second mapping of its page (arch_alias_page) works like the
 * original, and a pointer that nothing maps is -EFAULT. */
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/version.h>
#include <xen/xen.h>

#include "conf.h"
#include "gxen/hypercall.h"
#include "kern/page.h"
#include "kern/string.h"
#include "port.h"

/* Never mapped by any port: block 0 of the ARM identity map stays empty
 * so that small pointers fault, and natively it is no host memory. */
#define UNMAPPED_VA ((void *)0x1000)

/* Where each buffer sits in the page (and so in its alias). */
#define OFF_TEXT  0x000
#define OFF_EXTRA 0x100
#define OFF_EVTCH 0x200
#define OFF_QUERY 0x300

static const char alias_line[] = "conf: guest_va: console_io through an alias\n";

static void *at(void *base, unsigned long off)
{
	return (char *)base + off;
}

static void check_console(struct selftest_ctx *ctx, char *page, char *alias)
{
	memcpy(page + OFF_TEXT, alias_line, sizeof(alias_line) - 1);
	conf_expect(ctx, "console_io(write, alias)",
		    HYPERVISOR_console_io(CONSOLEIO_write,
					  sizeof(alias_line) - 1,
					  alias + OFF_TEXT),
		    selftest_console_io_want(0));
	conf_expect(ctx, "console_io(write, unmapped)",
		    HYPERVISOR_console_io(CONSOLEIO_write, 8, UNMAPPED_VA),
		    selftest_console_io_want(-XEN_EFAULT));
}

static void check_version(struct selftest_ctx *ctx, char *page, char *alias)
{
	xen_extraversion_t direct;

	memset(page + OFF_EXTRA, 0, sizeof(direct));
	conf_expect(ctx, "XENVER_extraversion(alias)",
		    HYPERVISOR_xen_version(XENVER_extraversion,
					   alias + OFF_EXTRA), 0);
	if (HYPERVISOR_xen_version(XENVER_extraversion, direct) == 0)
		conf_expect(ctx, "extraversion through the alias is Xen's",
			    memcmp(page + OFF_EXTRA, direct,
				   sizeof(direct)) == 0, 1);
	conf_expect(ctx, "XENVER_extraversion(unmapped)",
		    HYPERVISOR_xen_version(XENVER_extraversion, UNMAPPED_VA),
		    -XEN_EFAULT);
}

static void check_evtchn(struct selftest_ctx *ctx, char *page, char *alias)
{
	evtchn_alloc_unbound_t *op = at(page, OFF_EVTCH);
	evtchn_close_t close;

	memset(op, 0, sizeof(*op));
	op->dom = DOMID_SELF;
	op->remote_dom = DOMID_SELF;
	if (!conf_expect(ctx, "alloc_unbound(alias)",
			 HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound,
						     alias + OFF_EVTCH), 0))
		return;
	conf_expect(ctx, "alloc_unbound(alias) wrote a port", op->port != 0,
		    1);
	close.port = op->port;
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &close);
	conf_expect(ctx, "alloc_unbound(unmapped)",
		    HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound,
						UNMAPPED_VA), -XEN_EFAULT);
}

static void check_gnttab(struct selftest_ctx *ctx, char *page, char *alias)
{
	gnttab_query_size_t *q = at(page, OFF_QUERY);

	memset(q, 0, sizeof(*q));
	q->dom = DOMID_SELF;
	q->status = 1;
	conf_expect(ctx, "query_size(alias)",
		    HYPERVISOR_grant_table_op(GNTTABOP_query_size,
					      alias + OFF_QUERY, 1), 0);
	conf_expect(ctx, "query_size(alias).status", q->status, GNTST_okay);
	conf_expect(ctx, "query_size(unmapped)",
		    HYPERVISOR_grant_table_op(GNTTABOP_query_size,
					      UNMAPPED_VA, 1), -XEN_EFAULT);
}

void check_conf_guest_va(struct selftest_ctx *ctx)
{
	char *page = page_alloc(1);
	char *alias;

	if (!check_that(ctx, page != NULL, "no page for the buffers"))
		return;
	alias = arch_alias_page(page);
	if (check_that(ctx, alias != NULL, "no alias of the buffer page")) {
		check_console(ctx, page, alias);
		check_version(ctx, page, alias);
		check_evtchn(ctx, page, alias);
		check_gnttab(ctx, page, alias);
	}
	page_free(page, 1);
}
