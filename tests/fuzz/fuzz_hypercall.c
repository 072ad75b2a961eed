/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the model's hypercall entry with arbitrary numbers,
 * arguments and guest memory. Whatever a guest passes, the model answers
 * with an errno or a result, never a host crash or an out-of-bounds
 * access. Pointers are steered into guest RAM half of the time so the
 * handlers get past their first copy.
 *
 * The machine and its domain are built once and put back to that point
 * after every input (tests/lib/model_snapshot.h); an input that changed
 * the machine's shape (a table grew, a page was given back) gets a new
 * machine instead. FUZZ_DIGEST: the calls' results and the memory and
 * console they left, and each restore checked against the snapshot. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xen/arch-arm.h>

#include "hv/hypercall.h"
#include "hv/machine.h"
#include "fuzz_digest.h"
#include "model_snapshot.h"

#define RAM_BYTES (1u << 20)
#define ARG_AREA  4096

static struct hv_machine *machine;
static struct hv_domain *dom;
static struct model_snapshot *snap;

static void quiet(void *ctx, const char *line)
{
	(void)ctx, (void)line;
}

static uint64_t take(const uint8_t **p, size_t *left, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n && *left; i++, (*p)++, (*left)--)
		v |= (uint64_t)**p << (8 * i);
	return v;
}

static void teardown(void)
{
	model_snapshot_free(snap);
	hv_machine_free(machine);
	snap = NULL;
	machine = NULL;
}

static int build(void)
{
	struct hv_domain_config dc = { .name = "fuzz", .domid = 1,
				       .ram_bytes = RAM_BYTES, .nr_vcpus = 1,
				       .is_console = true };

	machine = hv_machine_new(quiet, NULL);
	if (machine && !hv_domain_create(machine, &dc, &dom) &&
	    (snap = model_snapshot_take(machine)))
		return 0;
	teardown();
	return -1;
}

/* What the input left that a guest or the console would see. */
static void digest_after(void)
{
	const struct hv_mem *mem = &dom->mem;
	uint64_t prod = machine->conring_prod;

	if (!fuzz_digest_on())
		return;
	fuzz_digest_add(&dom->state, sizeof(dom->state));
	/* The pages the guest may see (most of the grant window is not). */
	for (unsigned i = 0; i < mem->nr_regions; i++) {
		const struct hv_mem_region *r = &mem->region[i];

		for (uint64_t pg = 0; pg < r->size >> HV_PAGE_SHIFT; pg++)
			if (!r->present || r->present[pg / 8] >> (pg % 8) & 1)
				fuzz_digest_add(r->host + (pg << HV_PAGE_SHIFT),
						HV_PAGE_SIZE);
	}
	fuzz_digest_add(&prod, sizeof(prod));
	if (machine->conring)
		fuzz_digest_add(machine->conring, prod < HV_CONRING_SIZE ?
				prod : HV_CONRING_SIZE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t area = size / 2 < ARG_AREA ? size / 2 : ARG_AREA;

	if (!machine && build())
		return 0;
	fuzz_digest_start();
	/* The first half of the input (up to a page) is the guest's
	 * argument memory; the rest are hypercalls. */
	memcpy(dom->mem.region[0].host, data, area);
	model_snapshot_wrote(snap, dom, dom->mem.region[0].gpa, area);
	data += area;
	size -= area;
	while (size && hv_domain_running(dom)) {
		uint64_t op = take(&data, &size, 1) & 63, arg[5];
		long rc;

		for (int i = 0; i < 5; i++) {
			uint8_t mode = (uint8_t)take(&data, &size, 1);
			uint64_t v = take(&data, &size, mode & 1 ? 8 : 2);

			arg[i] = mode & 2 ? GUEST_RAM0_BASE + v % RAM_BYTES : v;
		}
		rc = hv_hypercall(&dom->vcpu[0], op, arg);
		fuzz_digest_add(&rc, sizeof(rc));
	}
	digest_after();
	fuzz_digest_report();
	if (!model_snapshot_restore(snap)) {
		teardown();
		build();
	} else if (fuzz_digest_on() && !model_snapshot_memory_same(snap)) {
		fprintf(stderr, "fuzz_hypercall: guest memory not restored\n");
		abort();
	}
	return 0;
}
