/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance of the grant ops a backend issues: map_grant_ref of a grant
 * this domain gave itself (Xen lets a domain map its own grants), at a gfn
 * given back to Xen first, as Linux maps grants into ballooned pages; the
 * mapping shows the granted page both ways; unmap empties the gfn again.
 * Then each refusal with its GNTST_* status, unmap_and_replace, unmap's
 * handle checks, cache_flush's argument checks, and transfer, which ARM
 * does not build. */
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/xen.h>

#include "conf.h"
#include "gxen/evtchn.h"
#include "gxen/gnttab.h"
#include "gxen/hypercall.h"
#include "kern/page.h"
#include "kern/printf.h"

#define PATTERN       0x5a
#define UNUSED_REF    7        /* a reserved entry nobody grants */
#define BAD_REF       100000u  /* past any table */
#define NO_DOMAIN     7
#define UNUSED_HANDLE 0xffffu

struct map_case {
	const char *what;
	uint32_t flags;
	grant_ref_t ref;
	domid_t dom;
	int16_t status;
};

/* Give page back to Xen (its gfn then has no RAM) or take RAM again. */
static long balloon(unsigned cmd, void *page)
{
	xen_pfn_t gfn = virt_to_pfn(page);
	struct xen_memory_reservation r = { .nr_extents = 1,
					    .domid = DOMID_SELF };

	set_xen_guest_handle(r.extent_start, &gfn);
	return HYPERVISOR_memory_op(cmd, &r);
}

static struct gnttab_map_grant_ref map_at(void *host, uint32_t flags,
					  grant_ref_t ref, domid_t dom)
{
	return (struct gnttab_map_grant_ref){
		.host_addr = arch_virt_to_phys(host), .flags = flags,
		.ref = ref, .dom = dom,
	};
}

static int16_t unmap(void *host, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref u = {
		.host_addr = host ? arch_virt_to_phys(host) : 0,
		.handle = handle,
	};

	if (HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1))
		return 99;   /* not a status: the call itself failed */
	return u.status;
}

static long flush(uint64_t dev_bus_addr, uint16_t offset, uint16_t length,
		  uint32_t op)
{
	struct gnttab_cache_flush f = { .offset = offset, .length = length,
					.op = op };

	f.a.dev_bus_addr = dev_bus_addr;
	return HYPERVISOR_grant_table_op(GNTTABOP_cache_flush, &f, 1);
}

/* The mapping at host is live: data crosses both ways, the grant shows
 * in use, the no-op and refused unmaps keep it, cache_flush finds it. */
static void check_live_mapping(struct selftest_ctx *ctx, uint8_t *src,
			       uint8_t *host, grant_ref_t ref,
			       const struct gnttab_map_grant_ref *m)
{
	struct gnttab_unmap_and_replace r = {
		.host_addr = arch_virt_to_phys(host),
		.new_addr = arch_virt_to_phys(src), .handle = m->handle,
	};

	conf_expect(ctx, "mapped page shows the granted one", host[100],
		    PATTERN);
	host[101] = PATTERN + 1;
	conf_expect(ctx, "write through the mapping lands in the granted page",
		    src[101], PATTERN + 1);
	conf_expect(ctx, "grant in use while mapped", gnttab_in_use(ref), 1);
	conf_expect(ctx, "unmap_grant_ref(no address).status", unmap(NULL,
		    m->handle), GNTST_okay);
	conf_expect(ctx, "unmap_and_replace(new address)",
		    HYPERVISOR_grant_table_op(GNTTABOP_unmap_and_replace, &r, 1),
		    0);
	conf_expect(ctx, "unmap_and_replace(new address).status", r.status,
		    GNTST_general_error);
	conf_expect(ctx, "cache_flush(mapped page, clean)",
		    flush(m->dev_bus_addr, 0, 64, GNTTAB_CACHE_CLEAN), 0);
	conf_expect(ctx, "cache_flush(mapped page, clean+invalidate)",
		    flush(m->dev_bus_addr, 64, 64,
			  GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL), 0);
	conf_expect(ctx, "still mapped", host[101], PATTERN + 1);
}

static void check_map_own_grant(struct selftest_ctx *ctx, domid_t self,
				uint8_t *src, uint8_t *host)
{
	struct gnttab_map_grant_ref m;
	grant_ref_t ref;

	if (!check_that(ctx, gnttab_grant_access(self, virt_to_pfn(src),
						 false, &ref) == 0,
			"grant a page to this domain"))
		return;
	src[100] = PATTERN;
	conf_expect(ctx, "decrease_reservation(host page)",
		    balloon(XENMEM_decrease_reservation, host), 1);
	m = map_at(host, GNTMAP_host_map, ref, self);
	conf_expect(ctx, "map_grant_ref(own grant)",
		    HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1), 0);
	if (conf_expect(ctx, "map_grant_ref(own grant).status", m.status,
			GNTST_okay)) {
		check_live_mapping(ctx, src, host, ref, &m);
		conf_expect(ctx, "unmap_grant_ref.status", unmap(host,
			    m.handle), GNTST_okay);
		conf_expect(ctx, "unmap_grant_ref(again).status", unmap(host,
			    m.handle), GNTST_bad_handle);
	}
	conf_expect(ctx, "grant free after unmap", gnttab_in_use(ref), 0);
	conf_expect(ctx, "populate_physmap(host page)",
		    balloon(XENMEM_populate_physmap, host), 1);
	conf_expect(ctx, "end the grant", gnttab_end_access(ref), 0);
}

static void check_map_refusals(struct selftest_ctx *ctx, domid_t self,
			       uint8_t *src, uint8_t *host)
{
	grant_ref_t ro, other;
	const struct map_case cases[] = {
		{ "no map flags", 0, 0, self, GNTST_bad_gntref },
		{ "device_map", GNTMAP_host_map | GNTMAP_device_map, 0, self,
		  GNTST_general_error },
		{ "contains_pte", GNTMAP_host_map | GNTMAP_contains_pte, 0,
		  self, GNTST_general_error },
		{ "DOMID_SELF", GNTMAP_host_map, 0, DOMID_SELF,
		  GNTST_bad_domain },
		{ "no domain", GNTMAP_host_map, 0, NO_DOMAIN,
		  GNTST_bad_domain },
		{ "ref past the table", GNTMAP_host_map, BAD_REF, self,
		  GNTST_bad_gntref },
		{ "unused ref", GNTMAP_host_map, UNUSED_REF, self,
		  GNTST_general_error },
		{ "read-only grant, writable map", GNTMAP_host_map, 1, self,
		  GNTST_general_error },
		{ "grant for another domain", GNTMAP_host_map, 2, self,
		  GNTST_general_error },
	};
	char what[80];

	if (!check_that(ctx, gnttab_grant_access(self, virt_to_pfn(src), true,
						 &ro) == 0 &&
			gnttab_grant_access(self + 1, virt_to_pfn(src), false,
					    &other) == 0, "two more grants"))
		return;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gnttab_map_grant_ref m = map_at(host, cases[i].flags,
						       cases[i].ref,
						       cases[i].dom);

		if (cases[i].ref == 1)
			m.ref = ro;
		else if (cases[i].ref == 2)
			m.ref = other;
		ksnprintf(what, sizeof(what), "map_grant_ref(%s).status",
			  cases[i].what);
		if (HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1))
			m.status = 99;
		conf_expect(ctx, what, m.status, cases[i].status);
	}
	gnttab_end_access(ro);
	gnttab_end_access(other);
	conf_expect(ctx, "unmap_grant_ref(unused handle).status",
		    unmap(host, UNUSED_HANDLE), GNTST_bad_handle);
}

static void check_flush_and_transfer(struct selftest_ctx *ctx)
{
	struct gnttab_transfer t = { .domid = DOMID_SELF };

	conf_expect(ctx, "cache_flush(offset 4096)",
		    flush(0, 4096, 1, GNTTAB_CACHE_CLEAN), -XEN_EINVAL);
	conf_expect(ctx, "cache_flush(offset + length past the page)",
		    flush(0, 4000, 200, GNTTAB_CACHE_CLEAN), -XEN_EINVAL);
	conf_expect(ctx, "cache_flush(source_gref)",
		    flush(0, 0, 64, GNTTAB_CACHE_CLEAN |
			  GNTTAB_CACHE_SOURCE_GREF), -XEN_EINVAL);
	conf_expect(ctx, "cache_flush(length 0)",
		    flush(0, 0, 0, GNTTAB_CACHE_CLEAN), 0);
	conf_expect(ctx, "cache_flush(no op)", flush(0, 0, 64, 0), 0);
	conf_expect(ctx, "cache_flush(address 0)",
		    flush(0, 0, 64, GNTTAB_CACHE_INVAL), -XEN_EINVAL);
	conf_expect(ctx, "transfer",
		    HYPERVISOR_grant_table_op(GNTTABOP_transfer, &t, 1),
		    -XEN_EOPNOTSUPP);
	conf_expect(ctx, "transfer(count 0)",
		    HYPERVISOR_grant_table_op(GNTTABOP_transfer, &t, 0),
		    -XEN_EOPNOTSUPP);
}

void check_conf_grant_table_op(struct selftest_ctx *ctx)
{
	uint8_t *pages = page_alloc(2);
	domid_t self;

	if (!check_that(ctx, pages != NULL && evtchn_own_domid(&self) == 0,
			"two pages and this domain's id"))
		return;
	check_map_own_grant(ctx, self, pages, pages + PAGE_SIZE);
	check_map_refusals(ctx, self, pages, pages + PAGE_SIZE);
	check_flush_and_transfer(ctx);
	page_free(pages, 2);
}
