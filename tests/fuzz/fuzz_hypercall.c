/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the model's hypercall entry with arbitrary numbers,
 * arguments and guest memory. Whatever a guest passes, the model answers
 * with an errno or a result, never a host crash or an out-of-bounds
 * access. Pointers are steered into guest RAM half of the time so the
 * handlers get past their first copy. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <xen/arch-arm.h>

#include "hv/hypercall.h"
#include "hv/machine.h"

#define RAM_BYTES (1u << 20)
#define ARG_AREA  4096

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hv_domain_config dc = { .name = "fuzz", .domid = 1,
				       .ram_bytes = RAM_BYTES, .nr_vcpus = 1,
				       .is_console = true };
	struct hv_machine *m = hv_machine_new(quiet, NULL);
	struct hv_domain *d;
	size_t area = size / 2 < ARG_AREA ? size / 2 : ARG_AREA;

	if (!m || hv_domain_create(m, &dc, &d)) {
		hv_machine_free(m);
		return 0;
	}
	/* The first half of the input (up to a page) is the guest's
	 * argument memory; the rest are hypercalls. */
	memcpy(d->mem.region[0].host, data, area);
	data += area;
	size -= area;
	while (size && hv_domain_running(d)) {
		uint64_t op = take(&data, &size, 1) & 63, arg[5];

		for (int i = 0; i < 5; i++) {
			uint8_t mode = (uint8_t)take(&data, &size, 1);
			uint64_t v = take(&data, &size, mode & 1 ? 8 : 2);

			arg[i] = mode & 2 ? GUEST_RAM0_BASE + v % RAM_BYTES : v;
		}
		hv_hypercall(&d->vcpu[0], op, arg);
	}
	hv_machine_free(m);
	return 0;
}
