/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the kernel loader (sim/loader.c) fed any file as a kernel:
 * arm64 Image and arm32 zImage headers with any offsets, sizes, flags and
 * start/end words, truncated anywhere. The input is the whole file. A
 * file is refused with a message, or parsed into a kernel whose fields
 * agree with the file and placed in a small domain's RAM inside RAM,
 * clear of the device tree, entered inside the bytes copied, those bytes
 * equal to the file's. Nothing else may happen: no crash, no read past
 * the input, no write past RAM. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_digest.h"
#include "hv/domain.h"
#include "hv/machine.h"
#include "hv/mem.h"
#include "loader.h"

/* Small, so that real images fit and headers a little larger do not. */
#define RAM_BYTES  (16u << 20)
/* Where the toolstack puts a tree in such a domain: the top 2 MiB slot. */
#define DTB_OFFSET (RAM_BYTES - (2u << 20))
#define DTB_BYTES  (64u << 10)

static struct hv_machine *machine;
static struct hv_domain *dom;

static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "fuzz_loader: %s\n", what);
	abort();
}

static void quiet(void *ctx, const char *line)
{
	(void)ctx, (void)line;
}

static void setup_once(void)
{
	struct hv_domain_config dc = { .name = "fuzz", .domid = 1,
				       .ram_bytes = RAM_BYTES, .nr_vcpus = 1 };

	machine = hv_machine_new(quiet, NULL);
	if (!machine || hv_domain_create(machine, &dc, &dom))
		fail("cannot build the domain");
}

/* A parsed kernel must describe the file it came from. */
static void check_parsed(const struct sim_kernel *k, const uint8_t *data,
			 size_t size)
{
	if (k->data != data)
		fail("the kernel does not point at the file");
	switch (k->kind) {
	case SIM_KERNEL_ARM64:
		if (k->len != size || k->trailing)
			fail("an Image not loaded whole");
		if (k->load_offset % 4096 || k->load_offset >= SIM_KERNEL_MAX_FILE)
			fail("an Image text_offset let through");
		if (k->mem_size < k->len || k->mem_size > SIM_KERNEL_MAX_FILE)
			fail("an Image smaller in RAM than in its file");
		if (k->entry)
			fail("an Image with an entry of its own");
		break;
	case SIM_KERNEL_ARM32:
		if (k->len == 0 || k->len + k->trailing != size)
			fail("a zImage's length does not add up to the file's");
		if (k->mem_size != k->len)
			fail("a zImage larger in RAM than loaded");
		if (k->load_offset != SIM_ZIMAGE_LOAD_OFFSET)
			fail("a zImage loaded at another offset");
		break;
	case SIM_KERNEL_NATIVE:
		break;
	default:
		fail("a kernel of no known kind parsed");
	}
}

/* A placed kernel lies in RAM, clear of the tree, entered inside itself. */
static void check_placed(const struct sim_kernel *k, const struct sim_boot *b,
			 uint64_t dtb)
{
	const struct hv_mem_region *ram = &dom->mem.region[0];
	const void *copy;

	if (b->image_start < ram->gpa || b->image_end < b->image_start ||
	    b->image_end > ram->gpa + ram->size)
		fail("a kernel placed outside RAM");
	if (b->image_start < dtb + DTB_BYTES && dtb < b->image_end)
		fail("a kernel placed over the device tree");
	if (b->image_end - b->image_start != k->mem_size)
		fail("a kernel placed at another size");
	if (b->entry < b->image_start || b->entry >= b->image_start + k->len)
		fail("an entry outside the bytes loaded");
	if (b->dtb != dtb || b->cpu_on)
		fail("boot registers other than the tree's");
	copy = hv_gpa_ptr(&dom->mem, b->image_start, k->len);
	if (!copy || memcmp(copy, k->data, k->len))
		fail("the bytes loaded are not the file's");
	fuzz_digest_add(copy, k->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t dtb;
	struct sim_boot boot = { 0 };
	struct sim_kernel k;
	char err[256] = "";
	int rc;

	if (!machine)
		setup_once();
	dtb = dom->mem.region[0].gpa + DTB_OFFSET;
	fuzz_digest_start();
	rc = sim_kernel_parse(&k, data, size, err, sizeof(err));
	if (rc == 0) {
		check_parsed(&k, data, size);
		rc = sim_kernel_place(&k, dom, dtb, DTB_BYTES, &boot, err,
				      sizeof(err));
		if (rc == 0)
			check_placed(&k, &boot, dtb);
		else if (k.kind == SIM_KERNEL_ARM64 ||
			 k.kind == SIM_KERNEL_ARM32)
			fuzz_digest_add(&k.mem_size, sizeof(k.mem_size));
	}
	if (rc && !err[0])
		fail("a refusal without a message");
	if (rc && !memchr(err, 0, sizeof(err)))
		fail("a message not terminated");
	fuzz_digest_add(&rc, sizeof(rc));
	fuzz_digest_add(err, strlen(err));
	fuzz_digest_add(&boot.entry, sizeof(boot.entry));
	fuzz_digest_report();
	return 0;
}
