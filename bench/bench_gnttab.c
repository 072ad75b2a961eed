/* SPDX-License-Identifier: BSD-2-Clause */
/* Grant copy throughput natively, against memcpy in the same run: a
 * backend in the model copying 4 KiB out of and into pages the guest
 * granted (each copy pins, checks and unpins the grant), and the guest's
 * own GNTTABOP_copy hypercall in batches. Prints figures only. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <xen/grant_table.h>

#include "gxen/gnttab.h"
#include "gxen/hypercall.h"
#include "hv/gnttab.h"
#include "kern/page.h"
#include "sim.h"

#define PAGES   64u
#define ROUNDS  400u
#define BATCH   16u

static uint8_t backend_buf[PAGES][PAGE_SIZE];
static volatile uint8_t sink;

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double mib_per_s(double bytes, double dt)
{
	return bytes / dt / (1024.0 * 1024.0);
}

static void report(const char *what, double dt, double ref_dt)
{
	double bytes = (double)PAGES * ROUNDS * PAGE_SIZE;

	printf("%-40s %9.1f MiB/s (%.2fx memcpy)\n", what, mib_per_s(bytes, dt),
	       ref_dt / dt);
}

static double time_memcpy(uint8_t *pages[PAGES])
{
	double t0 = seconds();

	for (unsigned r = 0; r < ROUNDS; r++)
		for (unsigned p = 0; p < PAGES; p++) {
			memcpy(backend_buf[p], pages[p], PAGE_SIZE);
			sink ^= backend_buf[p][r % PAGE_SIZE];
		}
	return seconds() - t0;
}

static double time_backend(struct hv_domain *dom0, grant_ref_t refs[PAGES],
			   bool to_grant)
{
	double t0 = seconds();

	for (unsigned r = 0; r < ROUNDS; r++)
		for (unsigned p = 0; p < PAGES; p++) {
			int16_t st = to_grant ?
				hv_gnttab_copy_to_ref(dom0, 1, refs[p], 0,
						      backend_buf[p], PAGE_SIZE) :
				hv_gnttab_copy_from_ref(dom0, 1, refs[p], 0,
							backend_buf[p],
							PAGE_SIZE);

			if (st != GNTST_okay)
				return -1;
		}
	return seconds() - t0;
}

/* The guest copies between its own grants and frames (DOMID_SELF). */
static double time_hypercall(uint8_t *pages[PAGES], grant_ref_t refs[PAGES],
			     uint8_t *dst)
{
	struct gnttab_copy ops[BATCH];
	double t0 = seconds();

	memset(ops, 0, sizeof(ops));
	for (unsigned i = 0; i < BATCH; i++) {
		ops[i].flags = GNTCOPY_source_gref;
		ops[i].source.domid = DOMID_SELF;
		ops[i].dest.domid = DOMID_SELF;
		ops[i].dest.u.gmfn = virt_to_pfn(dst);
		ops[i].len = PAGE_SIZE;
	}
	(void)pages;
	for (unsigned r = 0; r < ROUNDS; r++)
		for (unsigned p = 0; p < PAGES; p += BATCH) {
			for (unsigned i = 0; i < BATCH; i++)
				ops[i].source.u.ref = refs[p + i];
			if (HYPERVISOR_grant_table_op(GNTTABOP_copy, ops,
						      BATCH) ||
			    ops[BATCH - 1].status != GNTST_okay)
				return -1;
		}
	return seconds() - t0;
}

static void drop_line(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

int main(void)
{
	uint8_t *pages[PAGES], *dst;
	grant_ref_t refs[PAGES], self_refs[PAGES];
	struct sim_native *sn;
	struct sim_config cfg;
	struct sim_result res;
	struct hv_domain *dom0;
	double ref_dt, dt;

	sim_config_init(&cfg);
	cfg.console_sink = drop_line;
	sn = sim_native_start(&cfg, &res);
	if (!sn) {
		printf("bench_gnttab: %s\n", res.message);
		return 1;
	}
	dom0 = sim_native_dom0(sn);
	dst = page_alloc(1);
	for (unsigned p = 0; p < PAGES; p++) {
		pages[p] = page_alloc(1);
		if (!pages[p] || !dst ||
		    gnttab_grant_access(0, virt_to_pfn(pages[p]), false,
					&refs[p]) ||
		    gnttab_grant_access(1, virt_to_pfn(pages[p]), true,
					&self_refs[p])) {
			printf("bench_gnttab: cannot grant pages\n");
			return 1;
		}
		memset(pages[p], (int)p, PAGE_SIZE);
	}
	ref_dt = time_memcpy(pages);
	printf("%-40s %9.1f MiB/s\n", "memcpy 4 KiB", mib_per_s(
		(double)PAGES * ROUNDS * PAGE_SIZE, ref_dt));
	dt = time_backend(dom0, refs, false);
	if (dt < 0)
		return 1;
	report("backend copy from grant, 4 KiB", dt, ref_dt);
	dt = time_backend(dom0, refs, true);
	if (dt < 0)
		return 1;
	report("backend copy to grant, 4 KiB", dt, ref_dt);
	dt = time_hypercall(pages, self_refs, dst);
	if (dt < 0) {
		printf("bench_gnttab: GNTTABOP_copy failed\n");
		return 1;
	}
	report("guest GNTTABOP_copy, 16 x 4 KiB a call", dt, ref_dt);
	sim_native_stop(sn);
	return 0;
}
