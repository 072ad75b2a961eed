/* SPDX-License-Identifier: BSD-2-Clause */
/* Hypercall buffers are guest virtual addresses: the model walks the
 * vCPU's stage-1 tables (built here in the fixture's RAM) page by page,
 * with Xen's permission checks and -EFAULT, and warns about memory Xen
 * cannot share coherently (MMU off, Device or Non-cacheable mappings). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/arch-arm.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/vcpu.h>
#include <xen/xen.h>

#include "fixture.h"
#include "hv/gnttab.h"
#include "hv/guest_va.h"

/* Descriptor bits (long format). */
#define D_BLOCK  0x1ull
#define D_TABLE  0x3ull
#define D_PAGE   0x3ull
#define D_AF     (1ull << 10)
#define D_RO     (1ull << 7)
#define D_APT_RO (1ull << 62)
#define D_ATTR(i) ((uint64_t)(i) << 2)

/* MAIR: 0 Normal WB, 1 Device-nGnRE, 2 Normal Non-cacheable, 3 WT. */
#define MAIR     0xbb4404ffull

/* Where the tables live in the fixture's RAM (offsets). */
#define L1       0x100000
#define L2       0x101000
#define L3       0x102000
#define L1_HI    0x103000
#define L2_HI    0x104000
#define L3_HI    0x105000
#define L2_RO    0x106000

static struct hv_mmu_regs regs;

static void fake_mmu_regs(struct hv_vcpu *v, struct hv_mmu_regs *out)
{
	(void)v;
	*out = regs;
}

static const struct hv_vcpu_ops fake_ops = { .mmu_regs = fake_mmu_regs };

static void put64(struct fixture *fx, uint64_t off, uint64_t val)
{
	fx_put(fx, off, &val, sizeof(val));
}

static void put32(struct fixture *fx, uint64_t off, uint32_t val)
{
	fx_put(fx, off, &val, sizeof(val));
}

/* AArch64, 4 KiB granule, 39-bit halves. TTBR0: VA 0x40000000 (1 GiB) is
 * RAM as is; VA 0x1000 + n pages map RAM pages at 0x200000 + (n ^ 1)
 * pages (swapped pairs), page 4 read-only, page 5 Device, page 6
 * Non-cacheable, page 7 write-through, and VA 0x80000000 a 2 MiB block
 * under a read-only table. TTBR1: VA 0xffffff8000000000 + n pages map
 * RAM page 0x300000 + n pages. */
static struct hv_vcpu *a64_tables(struct fixture *fx)
{
	struct hv_vcpu *v = &fx->d->vcpu[0];

	put64(fx, L1 + 0 * 8, fx_gpa(L2) | D_TABLE);
	put64(fx, L1 + 1 * 8, fx_gpa(0) | D_BLOCK | D_AF);
	put64(fx, L1 + 2 * 8, fx_gpa(L2_RO) | D_TABLE | D_APT_RO);
	put64(fx, L2_RO, fx_gpa(0x400000) | D_BLOCK | D_AF);
	put64(fx, L2, fx_gpa(L3) | D_TABLE);
	for (unsigned n = 0; n < 8; n++) {
		uint64_t d = fx_gpa(0x200000 + (uint64_t)(n ^ 1) * 0x1000) |
			     D_PAGE | D_AF | D_ATTR(0);

		if (n == 4)
			d |= D_RO;
		if (n >= 5)
			d = (d & ~D_ATTR(7)) | D_ATTR(n - 4);
		put64(fx, L3 + (1 + n) * 8, d);
	}
	put64(fx, L1_HI, fx_gpa(L2_HI) | D_TABLE);
	put64(fx, L2_HI, fx_gpa(L3_HI) | D_TABLE);
	for (unsigned n = 0; n < 4; n++)
		put64(fx, L3_HI + n * 8, fx_gpa(0x300000 + n * 0x1000ull) |
			  D_PAGE | D_AF);
	memset(&regs, 0, sizeof(regs));
	regs.sctlr = HV_SCTLR_M | HV_SCTLR_C;
	regs.tcr = 25 | 25ull << 16 | 2ull << 30 | 5ull << 32;
	regs.ttbr0 = fx_gpa(L1);
	regs.ttbr1 = fx_gpa(L1_HI) | 0x1234ull << 48;   /* an ASID */
	regs.mair = MAIR;
	v->ops = &fake_ops;
	return v;
}

static uint8_t *ram(struct fixture *fx, uint64_t off)
{
	return fx_ptr(fx, fx_gpa(off));
}

static void test_gva_identity_block_translates(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);
	char buf[6];

	memcpy(ram(fx, 0x1234), "hello", 6);
	assert_int_equal(hv_copy_from_guest(v, buf, fx_gpa(0x1234), 6), 0);
	assert_string_equal(buf, "hello");
}

static void test_gva_alias_reads_the_page_it_maps(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);
	char buf[4];

	/* VA 0x1000 maps RAM 0x201000, not 0x1000 or 0x200000. */
	memcpy(ram(fx, 0x201010), "abc", 4);
	assert_int_equal(hv_copy_from_guest(v, buf, 0x1010, 4), 0);
	assert_string_equal(buf, "abc");
}

static void test_gva_upper_half_uses_ttbr1(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);
	uint64_t val = 0x1122334455667788ull, back = 0;

	assert_int_equal(hv_copy_to_guest(v, 0xffffff8000002008ull, &val,
					  sizeof(val)), 0);
	memcpy(&back, ram(fx, 0x302008), sizeof(back));
	assert_true(back == val);
}

static void test_gva_buffer_crossing_pages_translates_each(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);
	char buf[8];

	/* VA 0x1ffc..0x2003: the end of RAM page 0x200000 (VA page 0x1000
	 * maps 0x201000, VA 0x2000 maps 0x200000): out of order in RAM. */
	memcpy(ram(fx, 0x201ffc), "ABCD", 4);
	memcpy(ram(fx, 0x200000), "EFGH", 4);
	assert_int_equal(hv_copy_from_guest(v, buf, 0x1ffc, 8), 0);
	assert_memory_equal(buf, "ABCDEFGH", 8);
}

static void test_gva_unmapped_is_efault(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);
	char buf[8] = { 0 };

	assert_int_equal(hv_copy_from_guest(v, buf, 0x20000, 8), -XEN_EFAULT);
	assert_int_equal(hv_copy_to_guest(v, 0x20000, buf, 8), -XEN_EFAULT);
	/* TTBR1 region, an empty slot; and a VA beyond both tables' reach. */
	assert_int_equal(hv_copy_from_guest(v, buf, 0xffffff8000010000ull, 8),
			 -XEN_EFAULT);
	assert_int_equal(hv_copy_from_guest(v, buf, 0xc0000000, 8),
			 -XEN_EFAULT);
	/* As a hypercall: console_io of an unmapped buffer. */
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_console_io,
				      CONSOLEIO_write, 4, 0x20000),
			 -XEN_EFAULT);
}

static void test_gva_read_only_page_refuses_writes_only(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);
	char buf[4] = "xyz";

	assert_int_equal(hv_copy_from_guest(v, buf, 0x5000, 4), 0);
	assert_int_equal(hv_copy_to_guest(v, 0x5000, buf, 4), -XEN_EFAULT);
	/* Read-only through the table above the block (APTable). */
	assert_int_equal(hv_copy_from_guest(v, buf, 0x80000000, 4), 0);
	assert_int_equal(hv_copy_to_guest(v, 0x80000000, buf, 4), -XEN_EFAULT);
}

static void test_gva_fault_midway_keeps_the_pages_before(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);
	char buf[8] = "12345678";

	/* VA 0x4ffc..0x5003: page 0x4000 writable, page 0x5000 read-only. */
	assert_int_equal(hv_copy_to_guest(v, 0x4ffc, buf, 8), -XEN_EFAULT);
	assert_memory_equal(ram(fx, 0x202ffc), "1234", 4);
}

static void test_gva_mmu_off_is_the_ipa_and_warned_once(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);

	regs.sctlr = 0;
	fx_put(fx, 0x1000, "off\n", 4);
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_console_io,
				      CONSOLEIO_write, 4, fx_gpa(0x1000)), 0);
	assert_true(fx_has_line(fx, "(d1) off"));
	assert_true(fx_has_text(fx, "hypercall console_io made with the MMU "
				"off (SCTLR.M = 0)"));
	fx->nr_lines = 0;
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_console_io,
				      CONSOLEIO_write, 4, fx_gpa(0x1000)), 0);
	assert_false(fx_has_text(fx, "MMU off"));
	(void)v;
}

static void test_gva_device_buffer_is_warned_with_its_attribute(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);
	char buf[4];

	assert_int_equal(hv_copy_from_guest(v, buf, 0x1000, 4), 0);
	assert_false(fx_has_text(fx, "is mapped"));
	assert_int_equal(hv_copy_from_guest(v, buf, 0x6000, 4), 0);
	assert_true(fx_has_text(fx, "a hypercall buffer, guest page 0x40204 "
				"at VA 0x6000, is mapped Device-nGnRE "
				"(MAIR attribute 0x04)"));
	assert_int_equal(hv_copy_from_guest(v, buf, 0x7000, 4), 0);
	assert_true(fx_has_text(fx, "is mapped Normal inner Non-cacheable "
				"outer Non-cacheable (MAIR attribute 0x44)"));
	/* Write-through is fine; the same page is reported once. */
	fx->nr_lines = 0;
	assert_int_equal(hv_copy_from_guest(v, buf, 0x8000, 4), 0);
	assert_int_equal(hv_copy_from_guest(v, buf, 0x6000, 4), 0);
	assert_int_equal(fx->nr_lines, 0);
}

static void test_gva_data_cache_off_makes_buffers_uncached(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);
	char buf[4];

	regs.sctlr = HV_SCTLR_M;
	assert_int_equal(hv_copy_from_guest(v, buf, 0x1000, 4), 0);
	assert_true(fx_has_text(fx, "is mapped Normal inner Non-cacheable "
				"outer Non-cacheable (MAIR attribute 0xff)"));
}

static void test_gva_shared_gpfn_found_in_tables(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);

	hv_check_shared_gpfn(v, (fx_gpa(0x200000) >> 12) + 7, "shared_info");
	assert_true(fx_has_text(fx, "shared_info, guest page 0x40207 at VA "
				"0x7000, is mapped Normal inner Non-cacheable"));
	fx->nr_lines = 0;
	hv_check_shared_gpfn(v, fx_gpa(0x300000) >> 12, "vcpu_info");
	hv_check_shared_gpfn(v, 0x12345, "grant frame");   /* not mapped */
	assert_int_equal(fx->nr_lines, 0);
	/* Page 0x40206 is write-through at VA 0x8000 and, once the 1 GiB
	 * block turns Non-cacheable, badly mapped there too: the bad
	 * mapping is the one named. */
	put64(fx, L1 + 1 * 8, fx_gpa(0) | D_BLOCK | D_AF | D_ATTR(2));
	hv_check_shared_gpfn(v, (fx_gpa(0x200000) >> 12) + 6, "a FIFO page");
	assert_true(fx_has_text(fx, "a FIFO page, guest page 0x40206 at VA "
				"0x40206000, is mapped Normal inner "
				"Non-cacheable"));
}

static void test_gva_pages_given_by_frame_are_checked(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_shared_info,
		.gpfn = fx_gpa(0x204000) >> 12,      /* Device at VA 0x6000 */
	};
	struct vcpu_register_vcpu_info info = {
		.mfn = fx_gpa(0x207000) >> 12,       /* Non-cacheable, 0x7000 */
	};

	/* The arguments themselves sit in RAM mapped as is (the 1 GiB
	 * block): their VA is their IPA. */
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_memory_op,
				      XENMEM_add_to_physmap,
				      fx_put(fx, 0x1000, &xatp, sizeof(xatp)),
				      0), 0);
	assert_true(fx_has_text(fx, "shared_info, guest page 0x40204 at VA "
				"0x6000, is mapped Device-nGnRE"));
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_vcpu_op,
				      VCPUOP_register_vcpu_info, 0,
				      fx_put(fx, 0x1100, &info, sizeof(info))),
			 0);
	assert_true(fx_has_text(fx, "vcpu_info, guest page 0x40207 at VA "
				"0x7000, is mapped Normal inner Non-cacheable"));
	(void)v;
}

static void test_gva_hostile_tables_fault_or_end(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);
	struct hv_memattr attr;
	uint64_t va;
	char buf[4];

	/* A table pointing at itself (a walk still ends: one level a step),
	 * tables outside RAM. */
	put64(fx, L1 + 3 * 8, fx_gpa(L1) | D_TABLE);
	put64(fx, L1 + 4 * 8, 0x7000000000ull | D_TABLE);
	put64(fx, L1 + 5 * 8, (1ull << 47) | D_TABLE);
	assert_int_equal(hv_copy_from_guest(v, buf, 0x100000000ull, 4),
			 -XEN_EFAULT);
	assert_int_equal(hv_copy_from_guest(v, buf, 0x140000000ull, 4),
			 -XEN_EFAULT);
	/* A search for an unmapped page ends (its budget) with nothing. */
	assert_false(hv_stage1_find(&fx->d->mem, &regs, 0x7fff000, &va, &attr));
	/* Reserved register values: T0SZ giving 64-bit input, IPS 52. */
	regs.tcr = 0;
	assert_int_equal(hv_copy_from_guest(v, buf, 0x1000, 4), -XEN_EFAULT);
	regs.tcr = 25 | 6ull << 32;
	assert_int_equal(hv_copy_from_guest(v, buf, 0x1000, 4), -XEN_EFAULT);
	/* TTBR1 walks off (EPD1). */
	regs.tcr = 25 | 25ull << 16 | 1ull << 23 | 5ull << 32;
	assert_int_equal(hv_copy_from_guest(v, buf, 0xffffff8000000000ull, 4),
			 -XEN_EFAULT);
}

static void test_gva_64k_and_16k_granules(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);
	char buf[4];

	/* 64 KiB granule, 42-bit input: level 2 (512 MiB entries), then
	 * level 3 (64 KiB pages): VA 0x30123 is page 3, on RAM 0x400000. */
	put64(fx, 0x600000, fx_gpa(0x500000) | D_TABLE);
	put64(fx, 0x500000 + 3 * 8, fx_gpa(0x400000) | D_PAGE | D_AF);
	memcpy(ram(fx, 0x400123), "64k", 4);
	regs.tcr = 22 | 1ull << 14 | 1ull << 23 | 5ull << 32;
	regs.ttbr0 = fx_gpa(0x600000);
	assert_int_equal(hv_copy_from_guest(v, buf, 0x30123, 4), 0);
	assert_string_equal(buf, "64k");

	/* 16 KiB granule, 36-bit input: level 2 (32 MiB entries), then
	 * level 3 (16 KiB pages): VA 0x8010 is page 2, on RAM 0x40c000. */
	put64(fx, 0x700000, fx_gpa(0x708000) | D_TABLE);
	put64(fx, 0x708000 + 2 * 8, fx_gpa(0x40c000) | D_PAGE | D_AF);
	memcpy(ram(fx, 0x40c010), "16k", 4);
	regs.tcr = 28 | 2ull << 14 | 1ull << 23 | 5ull << 32;
	regs.ttbr0 = fx_gpa(0x700000);
	assert_int_equal(hv_copy_from_guest(v, buf, 0x8010, 4), 0);
	assert_string_equal(buf, "16k");
}

static void test_gva_arm32_lpae(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);
	char buf[4];

	/* TTBCR.EAE, T0SZ 0: four 1 GiB first-level entries; VA 0x40000000
	 * is RAM as is, VA 0x1000 (through L2/L3) maps 0x201000. */
	regs.aarch32 = true;
	regs.tcr = HV_TTBCR_EAE | 1ull << 23;
	memcpy(ram(fx, 0x201020), "a32", 4);
	assert_int_equal(hv_copy_from_guest(v, buf, 0x1020, 4), 0);
	assert_string_equal(buf, "a32");
	assert_int_equal(hv_copy_to_guest(v, 0x5000, buf, 4), -XEN_EFAULT);
	assert_int_equal(hv_copy_from_guest(v, buf, 0xc0000000, 4),
			 -XEN_EFAULT);
	/* T1SZ 2: the top GiB walks from TTBR1 (here: an empty table). */
	regs.tcr = HV_TTBCR_EAE | 2ull << 16;
	regs.ttbr1 = fx_gpa(0x600000);
	memset(ram(fx, 0x600000), 0, 0x1000);
	assert_int_equal(hv_copy_from_guest(v, buf, 0xc0001000, 4),
			 -XEN_EFAULT);
	assert_int_equal(hv_copy_from_guest(v, buf, 0x1020, 4), 0);
}

static void test_gva_arm32_short_descriptors(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);
	char buf[4];

	/* 16 KiB first-level table at 0x600000: VA 0x0-0xfffff a section on
	 * RAM 0x400000 (read-only, AP[2]); VA 0x100000 a second-level table
	 * whose entry 1 is a small page on RAM 0x20c000, Device (TEX 0 C 0
	 * B 1). */
	memset(ram(fx, 0x600000), 0, 0x4000);
	put32(fx, 0x600000, (uint32_t)fx_gpa(0x400000) | 2 | 1u << 15 |
			    1u << 3 | 1u << 2);
	put32(fx, 0x600004, (uint32_t)fx_gpa(0x604000) | 1);
	memset(ram(fx, 0x604000), 0, 0x400);
	put32(fx, 0x604004, (uint32_t)fx_gpa(0x20c000) | 2 | 1u << 2);
	memcpy(ram(fx, 0x400040), "sec", 4);
	memcpy(ram(fx, 0x20c040), "pag", 4);
	regs.aarch32 = true;
	regs.tcr = 0;
	regs.ttbr0 = fx_gpa(0x600000);
	assert_int_equal(hv_copy_from_guest(v, buf, 0x40, 4), 0);
	assert_string_equal(buf, "sec");
	assert_int_equal(hv_copy_to_guest(v, 0x40, buf, 4), -XEN_EFAULT);
	assert_int_equal(hv_copy_from_guest(v, buf, 0x101040, 4), 0);
	assert_string_equal(buf, "pag");
	assert_true(fx_has_text(fx, "is mapped Device or Strongly-ordered "
				"(TEX 0 C 0 B 1)"));
	assert_int_equal(hv_copy_to_guest(v, 0x101040, buf, 4), 0);
	assert_int_equal(hv_copy_from_guest(v, buf, 0x200000, 4),
			 -XEN_EFAULT);
}


/* Short-descriptor tables for find: TTBCR.N 1, so TTBR0 (an 8 KiB table at
 * 0x600000) covers VAs below 2 GiB and TTBR1 (16 KiB at 0x60c000) the
 * rest. TTBR0: VA 0 a Non-cacheable section on RAM 0x400000; VA 0x100000
 * a second-level table (0x608000) with a Device small page at VA 0x101000
 * on RAM 0x20c000 and a Non-cacheable large page at VA 0x110000 on RAM
 * 0x210000; VA 0x1000000 a write-back supersection over all the RAM.
 * TTBR1: VA 0xc0000000 a Device section on RAM 0x600000. */
#define S_SECTION     2u
#define S_SUPER       (2u | 1u << 18)
#define S_TEX(t)      ((uint32_t)(t) << 12)
#define S_C           (1u << 3)
#define S_B           (1u << 2)
#define S_L2_TEX(t)   ((uint32_t)(t) << 6)

static void short_tables(struct fixture *fx)
{
	memset(ram(fx, 0x600000), 0, 0x10000);
	put32(fx, 0x600000, (uint32_t)fx_gpa(0x400000) | S_SECTION | S_TEX(1));
	put32(fx, 0x600004, (uint32_t)fx_gpa(0x608000) | 1);
	put32(fx, 0x608004, (uint32_t)fx_gpa(0x20c000) | 2 | S_B);
	for (unsigned i = 16; i < 32; i++)
		put32(fx, 0x608000 + i * 4, (uint32_t)fx_gpa(0x210000) | 1 |
					    S_TEX(1));
	for (unsigned i = 16; i < 32; i++)
		put32(fx, 0x600000 + i * 4, (uint32_t)fx_gpa(0) | S_SUPER |
					    S_C | S_B);
	put32(fx, 0x60c000 + 0xc00 * 4, (uint32_t)fx_gpa(0x600000) |
					S_SECTION | S_B);
	memset(&regs, 0, sizeof(regs));
	regs.aarch32 = true;
	regs.sctlr = HV_SCTLR_M | HV_SCTLR_C;
	regs.tcr = 1;
	regs.ttbr0 = fx_gpa(0x600000);
	regs.ttbr1 = fx_gpa(0x60c000);
}

static void assert_found(struct fixture *fx, uint64_t gpa, uint64_t want_va,
			 const char *want_attr)
{
	struct hv_memattr attr;
	uint64_t va = 0;
	char name[96];

	assert_true(hv_stage1_find(&fx->d->mem, &regs, gpa, &va, &attr));
	hv_memattr_name(&attr, name, sizeof(name));
	if (va != want_va || strcmp(name, want_attr))
		fail_msg("gpa 0x%llx: want VA 0x%llx %s, got 0x%llx %s",
			 (unsigned long long)gpa, (unsigned long long)want_va,
			 want_attr, (unsigned long long)va, name);
}

#define NC_SHORT  "Normal inner Non-cacheable outer Non-cacheable (TEX 1 C 0 B 0)"
#define WB_SHORT  "Normal inner write-back outer write-back (TEX 0 C 1 B 1)"

static void test_gva_short_descriptor_search_finds_each_kind(void **state)
{
	struct fixture *fx = *state;

	short_tables(fx);
	/* Section (its bad mapping wins over the supersection's good one),
	 * small page, large page, supersection, TTBR1 section. */
	assert_found(fx, fx_gpa(0x405000), 0x5000, NC_SHORT);
	assert_found(fx, fx_gpa(0x20c000), 0x101000,
		     "Device or Strongly-ordered (TEX 0 C 0 B 1)");
	assert_found(fx, fx_gpa(0x213000), 0x113000,
		     "Normal inner Non-cacheable outer Non-cacheable "
		     "(TEX 1 C 0 B 0)");
	assert_found(fx, fx_gpa(0xabc000), 0x1abc000, WB_SHORT);
	assert_found(fx, fx_gpa(0x623000), 0xc0023000,
		     "Device or Strongly-ordered (TEX 0 C 0 B 1)");
	/* TTBR1 walks off (PD1): only the supersection maps that page. */
	regs.tcr |= 1u << 5;
	assert_found(fx, fx_gpa(0x623000), 0x1623000, WB_SHORT);
	/* N 0: TTBR0 covers everything, from a 16 KiB table; TTBR1 unused. */
	regs.tcr = 0;
	assert_found(fx, fx_gpa(0x623000), 0x1623000, WB_SHORT);
	/* A page nothing maps; the MMU off. */
	regs.tcr = 1;
	assert_false(hv_stage1_find(&fx->d->mem, &regs, 0x80000000,
				    &(uint64_t){ 0 },
				    &(struct hv_memattr){ 0 }));
	regs.sctlr = 0;
	assert_false(hv_stage1_find(&fx->d->mem, &regs, fx_gpa(0x405000),
				    &(uint64_t){ 0 },
				    &(struct hv_memattr){ 0 }));
}

static void test_gva_short_descriptor_shared_page_is_warned(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = a64_tables(fx);

	short_tables(fx);
	hv_check_shared_gpfn(v, fx_gpa(0x405000) >> 12, "shared_info");
	assert_true(fx_has_text(fx, "shared_info, guest page 0x40405 at VA "
				"0x5000, is mapped " NC_SHORT));
	fx->nr_lines = 0;
	hv_check_shared_gpfn(v, fx_gpa(0xabc000) >> 12, "vcpu_info");
	assert_int_equal(fx->nr_lines, 0);
}

/* ---- granted pages, mapped or copied by dom0's backends ---- */

static struct hv_domain *grant_setup(struct fixture *fx)
{
	struct hv_domain_config dc = { .name = "dom0", .domid = 0,
				       .ram_bytes = 16 << 20, .nr_vcpus = 1,
				       .privileged = true };
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
		.idx = 0, .gpfn = GUEST_GNTTAB_BASE >> 12,
	};
	struct hv_domain *dom0;

	assert_int_equal(hv_domain_create(fx->m, &dc, &dom0), 0);
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_memory_op,
				      XENMEM_add_to_physmap,
				      fx_put(fx, 0x1000, &xatp, sizeof(xatp)),
				      0), 0);
	return dom0;
}

/* fx's guest grants ref on RAM offset off to dom0. */
static void grant(struct fixture *fx, grant_ref_t ref, uint64_t off)
{
	struct grant_entry_v1 *e = hv_gpa_ptr(&fx->d->mem,
					      GUEST_GNTTAB_BASE + ref * 8ull,
					      8);

	e->frame = (uint32_t)(fx_gpa(off) >> 12);
	e->domid = 0;
	e->flags = GTF_permit_access;
}

static void test_gva_granted_page_mapped_by_backend_is_warned(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *dom0;
	struct hv_gnttab_mapping map;
	uint8_t byte;

	a64_tables(fx);
	dom0 = grant_setup(fx);
	/* RAM 0x204000: Device at VA 0x6000 (and write-back in the 1 GiB
	 * block); 0x206000 write-through; 0x300000 write-back only. */
	grant(fx, 8, 0x204000);
	grant(fx, 9, 0x206000);
	grant(fx, 10, 0x300000);
	fx->nr_lines = 0;
	assert_int_equal(hv_gnttab_map_ref(dom0, 1, 8, false, &map),
			 GNTST_okay);
	assert_true(fx_has_text(fx, "d1: a page granted to d0 (grant ref 8), "
				"guest page 0x40204 at VA 0x6000, is mapped "
				"Device-nGnRE (MAIR attribute 0x04)"));
	assert_int_equal(hv_gnttab_unmap(dom0, map.handle), GNTST_okay);
	fx->nr_lines = 0;
	assert_int_equal(hv_gnttab_map_ref(dom0, 1, 8, true, &map),
			 GNTST_okay);        /* once per page and attribute */
	assert_int_equal(hv_gnttab_unmap(dom0, map.handle), GNTST_okay);
	assert_int_equal(hv_gnttab_copy_from_ref(dom0, 1, 9, 0, &byte, 1),
			 GNTST_okay);
	assert_int_equal(hv_gnttab_copy_to_ref(dom0, 1, 10, 0, &byte, 1),
			 GNTST_okay);
	assert_int_equal(fx->nr_lines, 0);
}

static void test_gva_granted_page_names_every_bad_alias(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *dom0;
	uint8_t byte = 0;

	a64_tables(fx);
	/* RAM 0x207000: Non-cacheable at VA 0x7000 and, here, at TTBR1's
	 * page 4 too. */
	put64(fx, L3_HI + 4 * 8, fx_gpa(0x207000) | D_PAGE | D_AF | D_ATTR(2));
	dom0 = grant_setup(fx);
	grant(fx, 11, 0x207000);
	assert_int_equal(hv_gnttab_copy_to_ref(dom0, 1, 11, 0, &byte, 1),
			 GNTST_okay);
	assert_true(fx_has_text(fx, "d1: a page granted to d0 (grant ref 11), "
				"guest page 0x40207 at VA 0x7000 and "
				"0xffffff8000004000, is mapped Normal inner "
				"Non-cacheable outer Non-cacheable (MAIR "
				"attribute 0x44)"));
}

static void test_gva_granted_page_seen_again_after_tables_change(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *dom0;
	uint8_t byte = 0;

	a64_tables(fx);
	dom0 = grant_setup(fx);
	grant(fx, 12, 0x300000);
	grant(fx, 13, 0x301000);
	assert_int_equal(hv_gnttab_copy_to_ref(dom0, 1, 12, 0, &byte, 1),
			 GNTST_okay);
	/* The guest maps both pages Device at TTBR1's pages 4 and 5. A
	 * frame already checked is not looked at again under the same
	 * registers; a new one is, after the guest's next hypercall. */
	put64(fx, L3_HI + 4 * 8, fx_gpa(0x300000) | D_PAGE | D_AF | D_ATTR(1));
	put64(fx, L3_HI + 5 * 8, fx_gpa(0x301000) | D_PAGE | D_AF | D_ATTR(1));
	fx->nr_lines = 0;
	assert_int_equal(hv_gnttab_copy_to_ref(dom0, 1, 12, 0, &byte, 1),
			 GNTST_okay);
	assert_int_equal(fx->nr_lines, 0);
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_xen_version, 0, 0, 0),
			 0x4 << 16 | 17);
	assert_int_equal(hv_gnttab_copy_to_ref(dom0, 1, 13, 0, &byte, 1),
			 GNTST_okay);
	assert_true(fx_has_text(fx, "guest page 0x40301 at VA "
				"0xffffff8000005000, is mapped Device-nGnRE"));
	/* New registers (another ASID in TTBR1): every frame again. */
	regs.ttbr1 ^= 1ull << 48;
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_xen_version, 0, 0, 0),
			 0x4 << 16 | 17);
	assert_int_equal(hv_gnttab_copy_to_ref(dom0, 1, 12, 0, &byte, 1),
			 GNTST_okay);
	assert_true(fx_has_text(fx, "guest page 0x40300 at VA "
				"0xffffff8000004000, is mapped Device-nGnRE"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_gva_identity_block_translates),
		FX_TEST(test_gva_alias_reads_the_page_it_maps),
		FX_TEST(test_gva_upper_half_uses_ttbr1),
		FX_TEST(test_gva_buffer_crossing_pages_translates_each),
		FX_TEST(test_gva_unmapped_is_efault),
		FX_TEST(test_gva_read_only_page_refuses_writes_only),
		FX_TEST(test_gva_fault_midway_keeps_the_pages_before),
		FX_TEST(test_gva_mmu_off_is_the_ipa_and_warned_once),
		FX_TEST(test_gva_device_buffer_is_warned_with_its_attribute),
		FX_TEST(test_gva_data_cache_off_makes_buffers_uncached),
		FX_TEST(test_gva_shared_gpfn_found_in_tables),
		FX_TEST(test_gva_pages_given_by_frame_are_checked),
		FX_TEST(test_gva_hostile_tables_fault_or_end),
		FX_TEST(test_gva_64k_and_16k_granules),
		FX_TEST(test_gva_arm32_lpae),
		FX_TEST(test_gva_arm32_short_descriptors),
		FX_TEST(test_gva_short_descriptor_search_finds_each_kind),
		FX_TEST(test_gva_short_descriptor_shared_page_is_warned),
		FX_TEST(test_gva_granted_page_mapped_by_backend_is_warned),
		FX_TEST(test_gva_granted_page_names_every_bad_alias),
		FX_TEST(test_gva_granted_page_seen_again_after_tables_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
