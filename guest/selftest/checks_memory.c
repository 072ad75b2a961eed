/* SPDX-License-Identifier: BSD-2-Clause */
/* The RAM banks of the device tree, as far as Xen filled them: a page at
 * each end of every bank after the first is written through the guest's
 * own mapping and read back by Xen through its frame number (GNTTABOP_copy
 * by gmfn), then written by Xen and read by the guest, so that the guest's
 * map and Xen's p2m are seen to agree on it. Bank 0 holds the allocator's
 * pages and is tried through one of them. Nothing here trusts the tree's
 * sizes beyond the pages Xen says it gave. */
#include <xen/grant_table.h>
#include <xen/memory.h>

#include "gxen/hypercall.h"
#include "kern/boot.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"
#include "selftest_checks.h"

#define WORDS (PAGE_SIZE / sizeof(uint32_t))

/* A page's own pattern: the frame and the round in every word. */
static uint32_t pattern(uint64_t pfn, unsigned round, unsigned i)
{
	return (uint32_t)pfn * 2654435761u ^ round << 24 ^ i;
}

static bool holds(const volatile uint32_t *p, uint64_t pfn, unsigned round)
{
	for (unsigned i = 0; i < WORDS; i++)
		if (p[i] != pattern(pfn, round, i))
			return false;
	return true;
}

/* Xen copies one whole page from frame to frame of this domain. */
static int copy_frame(uint64_t src, uint64_t dst)
{
	struct gnttab_copy c = {
		.source = { .u.gmfn = src, .domid = DOMID_SELF },
		.dest = { .u.gmfn = dst, .domid = DOMID_SELF },
		.len = PAGE_SIZE,
	};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1);

	return rc ? (int)rc : c.status;
}

/* Both ways through the page at pa, with buf (a page of bank 0) on Xen's
 * other side; the page is left zeroed as Xen gave it. */
static void touch(struct selftest_ctx *ctx, paddr_t pa, uint32_t *buf)
{
	volatile uint32_t *p = arch_phys_window(pa);
	uint64_t pfn = pa >> PAGE_SHIFT, buf_pfn = virt_to_pfn(buf);

	if (!check_that(ctx, p != NULL, "no mapping for RAM at %#llx",
			(unsigned long long)pa))
		return;
	for (unsigned i = 0; i < WORDS; i++)
		p[i] = pattern(pfn, 1, i);
	memset(buf, 0, PAGE_SIZE);
	check_that(ctx, copy_frame(pfn, buf_pfn) == GNTST_okay &&
		   holds(buf, pfn, 1), "Xen did not read at %#llx what the "
		   "guest wrote", (unsigned long long)pa);
	for (unsigned i = 0; i < WORDS; i++)
		buf[i] = pattern(pfn, 2, i);
	p = arch_phys_window(pa);
	check_that(ctx, copy_frame(buf_pfn, pfn) == GNTST_okay && p &&
		   holds(p, pfn, 2), "the guest did not read at %#llx what "
		   "Xen wrote", (unsigned long long)pa);
	for (unsigned i = 0; p && i < WORDS; i++)
		p[i] = 0;
}

void check_ram_banks(struct selftest_ctx *ctx)
{
	struct xen_memory_domain md = { .domid = DOMID_SELF };
	long given = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &md);
	uint32_t *buf = page_alloc(1), *own = page_alloc(1);
	uint64_t left;

	if (!check(ctx, buf && own && given > 0))
		goto out;
	touch(ctx, arch_virt_to_phys(own), buf);
	left = (uint64_t)given;
	for (unsigned i = 0; i < boot_dt.nr_mem && left; i++) {
		uint64_t pages = boot_dt.mem[i].size >> PAGE_SHIFT;
		uint64_t take = pages < left ? pages : left;
		paddr_t first = boot_dt.mem[i].base;
		paddr_t last = first + ((take - 1) << PAGE_SHIFT);

		left -= take;
		if (i == 0 || take == 0)
			continue;
		touch(ctx, first, buf);
		touch(ctx, last, buf);
		kprintf("memory: RAM bank %u [%#llx, %#llx): first and last "
			"page written and read both ways with Xen\n", i,
			(unsigned long long)first,
			(unsigned long long)(last + PAGE_SIZE));
	}
out:
	page_free(buf, 1);
	page_free(own, 1);
}
