/* SPDX-License-Identifier: BSD-2-Clause */
/* The GIC model of the Unicorn runtime, driven directly: which interrupt
 * the CPU interface signals (enables, priority, mask, running priority),
 * acknowledge and end of interrupt, level lines, the GICv2 and GICv3
 * register maps and system registers, and hostile accesses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "gic.h"

#define SPURIOUS SIM_GIC_SPURIOUS
#define ICC(op1, crn, crm, op2) SIM_SYSREG(op1, crn, crm, op2)
#define ICC_PMR     ICC(0, 4, 6, 0)
#define ICC_IAR1    ICC(0, 12, 12, 0)
#define ICC_EOIR1   ICC(0, 12, 12, 1)
#define ICC_CTLR    ICC(0, 12, 12, 4)
#define ICC_SRE     ICC(0, 12, 12, 5)
#define ICC_IGRPEN1 ICC(0, 12, 12, 7)

static uint64_t line_levels;

static uint64_t test_lines(void *ctx)
{
	return *(uint64_t *)ctx;
}

static void init_v2(struct sim_gic *g, unsigned cpus)
{
	line_levels = 0;
	sim_gic_init(g, HV_GIC_V2, cpus, test_lines, &line_levels);
}

/* Distributor and CPU interface on, everything above 0xf0 unmasked. */
static void enable_v2(struct sim_gic *g)
{
	sim_gic_dist_write(g, 0x000, 4, 1);
	sim_gic_cpu_write(g, 0x00, 4, 1);
	sim_gic_cpu_write(g, 0x04, 4, 0xf0);
}

static void enable_irq(struct sim_gic *g, unsigned id, uint8_t prio)
{
	sim_gic_dist_write(g, 0x100 + id / 32 * 4, 4, 1u << (id % 32));
	sim_gic_dist_write(g, 0x400 + id, 1, prio);
}

static void test_gic_signals_nothing_until_enabled(void **state)
{
	struct sim_gic g;

	(void)state;
	init_v2(&g, 1);
	sim_gic_set_pending(&g, 1);
	assert_int_equal(sim_gic_signalled(&g), SPURIOUS);
	enable_irq(&g, 1, 0x80);
	assert_int_equal(sim_gic_signalled(&g), SPURIOUS);
	sim_gic_dist_write(&g, 0x000, 4, 1);
	assert_int_equal(sim_gic_signalled(&g), SPURIOUS);
	sim_gic_cpu_write(&g, 0x00, 4, 1);
	assert_int_equal(sim_gic_signalled(&g), SPURIOUS);   /* PMR 0 */
	sim_gic_cpu_write(&g, 0x04, 4, 0xf0);
	assert_int_equal(sim_gic_signalled(&g), 1);
	sim_gic_dist_write(&g, 0x180, 4, 1u << 1);           /* ICENABLER */
	assert_int_equal(sim_gic_signalled(&g), SPURIOUS);
}

struct prio_case {
	unsigned a, b;
	uint8_t pa, pb;
	unsigned want;
};

static void test_gic_highest_priority_then_lowest_intid_wins(void **state)
{
	static const struct prio_case cases[] = {
		{ 1, 31, 0x80, 0x40, 31 },     /* lower value wins */
		{ 31, 1, 0x40, 0x80, 31 },
		{ 5, 3, 0xa0, 0xa0, 3 },       /* tie: lower INTID */
		{ 40, 20, 0x10, 0x10, 20 },
		{ 2, 33, 0xe8, 0xe0, 33 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sim_gic g;

		init_v2(&g, 1);
		enable_v2(&g);
		enable_irq(&g, cases[i].a, cases[i].pa);
		enable_irq(&g, cases[i].b, cases[i].pb);
		sim_gic_set_pending(&g, cases[i].a);
		sim_gic_set_pending(&g, cases[i].b);
		assert_int_equal(sim_gic_signalled(&g), cases[i].want);
	}
}

static void test_gic_priority_mask_hides_equal_and_lower(void **state)
{
	struct sim_gic g;

	(void)state;
	init_v2(&g, 1);
	enable_v2(&g);
	enable_irq(&g, 1, 0xf0);
	sim_gic_set_pending(&g, 1);
	assert_int_equal(sim_gic_signalled(&g), SPURIOUS);   /* 0xf0 !< 0xf0 */
	sim_gic_cpu_write(&g, 0x04, 4, 0xff);                 /* reads 0xf8 */
	assert_int_equal(sim_gic_cpu_read(&g, 0x04, 4), 0xf8);
	assert_int_equal(sim_gic_signalled(&g), 1);
}

static void test_gic_ack_activates_and_eoi_ends(void **state)
{
	struct sim_gic g;

	(void)state;
	init_v2(&g, 1);
	enable_v2(&g);
	enable_irq(&g, 3, 0x80);
	sim_gic_set_pending(&g, 3);
	assert_int_equal(sim_gic_cpu_read(&g, 0x0c, 4), 3);  /* GICC_IAR */
	assert_int_equal(sim_gic_signalled(&g), SPURIOUS);
	assert_int_equal(sim_gic_cpu_read(&g, 0x0c, 4), SPURIOUS);
	assert_int_equal(sim_gic_dist_read(&g, 0x300, 4), 1u << 3); /* active */
	assert_int_equal(sim_gic_cpu_read(&g, 0x14, 4), 0x80);      /* RPR */
	sim_gic_cpu_write(&g, 0x10, 4, 3);                           /* EOIR */
	assert_int_equal(sim_gic_dist_read(&g, 0x300, 4), 0);
	assert_int_equal(sim_gic_cpu_read(&g, 0x14, 4), 0xff);
	assert_int_equal(sim_gic_signalled(&g), SPURIOUS);
}

static void test_gic_level_line_signals_again_after_eoi(void **state)
{
	struct sim_gic g;

	(void)state;
	init_v2(&g, 1);
	enable_v2(&g);
	enable_irq(&g, 31, 0xa0);
	line_levels = 1ull << 31;
	assert_int_equal(sim_gic_dist_read(&g, 0x200, 4), 1u << 31); /* pending */
	assert_int_equal(sim_gic_ack(&g), 31);
	assert_int_equal(sim_gic_signalled(&g), SPURIOUS);  /* active */
	sim_gic_eoi(&g, 31);
	assert_int_equal(sim_gic_signalled(&g), 31);        /* still high */
	line_levels = 0;
	assert_int_equal(sim_gic_signalled(&g), SPURIOUS);
}

static void test_gic_higher_priority_preempts_active(void **state)
{
	struct sim_gic g;

	(void)state;
	init_v2(&g, 1);
	enable_v2(&g);
	enable_irq(&g, 1, 0x80);
	enable_irq(&g, 2, 0x40);
	enable_irq(&g, 3, 0xa0);
	sim_gic_set_pending(&g, 1);
	assert_int_equal(sim_gic_ack(&g), 1);
	sim_gic_set_pending(&g, 3);
	assert_int_equal(sim_gic_signalled(&g), SPURIOUS);  /* 0xa0 waits */
	sim_gic_set_pending(&g, 2);
	assert_int_equal(sim_gic_signalled(&g), 2);         /* 0x40 preempts */
	assert_int_equal(sim_gic_ack(&g), 2);
	sim_gic_eoi(&g, 2);
	sim_gic_eoi(&g, 1);
	assert_int_equal(sim_gic_signalled(&g), 3);
}

static void test_gic_eoimode_splits_drop_and_deactivate(void **state)
{
	struct sim_gic g;

	(void)state;
	init_v2(&g, 1);
	enable_v2(&g);
	sim_gic_cpu_write(&g, 0x00, 4, 1 | 1u << 9);        /* EOImodeNS */
	enable_irq(&g, 4, 0x80);
	sim_gic_set_pending(&g, 4);
	assert_int_equal(sim_gic_ack(&g), 4);
	sim_gic_cpu_write(&g, 0x10, 4, 4);                  /* drop only */
	assert_int_equal(sim_gic_cpu_read(&g, 0x14, 4), 0xff);
	assert_int_equal(sim_gic_dist_read(&g, 0x300, 4), 1u << 4);
	sim_gic_set_pending(&g, 4);
	assert_int_equal(sim_gic_signalled(&g), SPURIOUS);  /* still active */
	sim_gic_cpu_write(&g, 0x1000, 4, 4);                /* GICC_DIR */
	assert_int_equal(sim_gic_signalled(&g), 4);
}

static void test_gicv2_distributor_registers(void **state)
{
	struct sim_gic g;

	(void)state;
	init_v2(&g, 2);
	assert_int_equal(sim_gic_dist_read(&g, 0x004, 4), 0x21); /* 64 IRQs, 2 CPUs */
	assert_int_equal(sim_gic_dist_read(&g, 0x008, 4), 0x43b);
	assert_int_equal(sim_gic_dist_read(&g, 0xfe8, 4), 0x20);
	sim_gic_dist_write(&g, 0x104, 4, 0x5);
	assert_int_equal(sim_gic_dist_read(&g, 0x104, 4), 0x5);
	assert_int_equal(sim_gic_dist_read(&g, 0x184, 4), 0x5);
	sim_gic_dist_write(&g, 0x184, 4, 0x1);
	assert_int_equal(sim_gic_dist_read(&g, 0x104, 4), 0x4);
	/* Priorities: bytes and halfwords, five bits kept. */
	sim_gic_dist_write(&g, 0x420, 2, 0xffff);
	assert_int_equal(sim_gic_dist_read(&g, 0x420, 4), 0xf8f8);
	/* Targets: SGIs and PPIs fixed on this CPU, SPIs masked to 2 CPUs. */
	assert_int_equal(sim_gic_dist_read(&g, 0x800, 4), 0x01010101);
	sim_gic_dist_write(&g, 0x81c, 4, 0);
	assert_int_equal(sim_gic_dist_read(&g, 0x81c, 4), 0x01010101);
	sim_gic_dist_write(&g, 0x820, 1, 0xff);
	assert_int_equal(sim_gic_dist_read(&g, 0x820, 1), 0x3);
	/* ICFGR: SGIs fixed edge, the rest as written. */
	sim_gic_dist_write(&g, 0xc00, 4, 0);
	assert_int_equal(sim_gic_dist_read(&g, 0xc00, 4), 0xaaaaaaaau);
	sim_gic_dist_write(&g, 0xc08, 4, 0x2);
	assert_int_equal(sim_gic_dist_read(&g, 0xc08, 4), 0x2);
	/* Bitmaps take only 32-bit accesses; unknown offsets are empty. */
	sim_gic_dist_write(&g, 0x100, 2, 0xffff);
	assert_int_equal(sim_gic_dist_read(&g, 0x100, 4), 0);
	assert_int_equal(sim_gic_dist_read(&g, 0x0fc, 4), 0);
	assert_int_equal(sim_gic_dist_read(&g, 0x108, 4), 0);   /* INTIDs 64+ */
}

static void test_gicv2_sgir_filters_and_sgi_pending(void **state)
{
	struct sim_gic g;

	(void)state;
	init_v2(&g, 1);
	sim_gic_dist_write(&g, 0xf00, 4, 2u << 24 | 5);        /* self */
	sim_gic_dist_write(&g, 0xf00, 4, 0u << 24 | 1u << 16 | 6); /* list: 0 */
	sim_gic_dist_write(&g, 0xf00, 4, 0u << 24 | 2u << 16 | 7); /* list: 1 */
	sim_gic_dist_write(&g, 0xf00, 4, 1u << 24 | 8);        /* others */
	assert_int_equal(sim_gic_dist_read(&g, 0x200, 4), 1u << 5 | 1u << 6);
	assert_int_equal(sim_gic_dist_read(&g, 0xf24, 4), 0x010100); /* 5, 6 */
	sim_gic_dist_write(&g, 0xf14, 4, 0x01);                     /* clear 4 */
	sim_gic_dist_write(&g, 0xf14, 4, 0x0100);                   /* clear 5 */
	assert_int_equal(sim_gic_dist_read(&g, 0x200, 4), 1u << 6);
	sim_gic_dist_write(&g, 0xf2c, 4, 0x01000000);               /* set 15 */
	assert_int_equal(sim_gic_dist_read(&g, 0x200, 4), 1u << 6 | 1u << 15);
}

static void test_gicv2_cpu_interface_registers(void **state)
{
	struct sim_gic g;

	(void)state;
	init_v2(&g, 1);
	sim_gic_cpu_write(&g, 0x00, 4, 0xffffffff);
	assert_int_equal(sim_gic_cpu_read(&g, 0x00, 4), 1 | 1u << 9);
	assert_int_equal(sim_gic_cpu_read(&g, 0xfc, 4), 0x2043b);
	assert_int_equal(sim_gic_cpu_read(&g, 0x14, 4), 0xff);
	assert_int_equal(sim_gic_cpu_read(&g, 0x18, 4), SPURIOUS);
	assert_int_equal(sim_gic_cpu_read(&g, 0x20, 4), SPURIOUS);
	assert_int_equal(sim_gic_cpu_read(&g, 0x0c, 2), 0);      /* bad width */
}

static void init_v3(struct sim_gic *g, unsigned cpus)
{
	line_levels = 0;
	sim_gic_init(g, HV_GIC_V3, cpus, test_lines, &line_levels);
}

static void test_gicv3_distributor_leaves_sgis_and_ppis_to_the_redistributor(void **state)
{
	struct sim_gic g;

	(void)state;
	init_v3(&g, 1);
	sim_gic_dist_write(&g, 0x000, 4, 0x13);
	assert_int_equal(sim_gic_dist_read(&g, 0x000, 4), 0x13);  /* ARE set */
	sim_gic_dist_write(&g, 0x000, 4, 0);
	assert_int_equal(sim_gic_dist_read(&g, 0x000, 4), 0x10);
	assert_int_equal(sim_gic_dist_read(&g, 0x004, 4), 1 | 9u << 19);
	assert_int_equal(sim_gic_dist_read(&g, 0xffe8, 4), 0x30);
	sim_gic_dist_write(&g, 0x100, 4, 0xffffffff);             /* RAZ/WI */
	assert_int_equal(sim_gic_dist_read(&g, 0x100, 4), 0);
	sim_gic_dist_write(&g, 0x104, 4, 0x3);                    /* SPIs 32, 33 */
	assert_int_equal(sim_gic_dist_read(&g, 0x104, 4), 0x3);
	/* GICD_IROUTER<n>: 64-bit or two halves. */
	sim_gic_dist_write(&g, 0x6000 + 8 * 40, 8, 0x0000000100000002ull);
	assert_int_equal(sim_gic_dist_read(&g, 0x6000 + 8 * 40, 8),
			 0x0000000100000002ull);
	sim_gic_dist_write(&g, 0x6000 + 8 * 40 + 4, 4, 0);
	assert_int_equal(sim_gic_dist_read(&g, 0x6000 + 8 * 40, 4), 2);
	assert_int_equal(sim_gic_dist_read(&g, 0x6000 + 8 * 40 + 4, 4), 0);
	assert_int_equal(sim_gic_dist_read(&g, 0x6000 + 8 * 2, 8), 0); /* no SGI */
}

static void test_gicv3_redistributor_frames(void **state)
{
	struct sim_gic g;
	const uint64_t frame = SIM_GICV3_RDIST_STRIDE, sgi = 0x10000;

	(void)state;
	init_v3(&g, 2);
	assert_int_equal(sim_gic_rdist_read(&g, 0x8, 8), 0);          /* cpu 0 */
	assert_int_equal(sim_gic_rdist_read(&g, frame + 0x8, 8),
			 1ull << 32 | 1u << 8 | 1u << 4);                /* Last */
	assert_int_equal(sim_gic_rdist_read(&g, frame + 0xc, 4), 1);
	assert_int_equal(sim_gic_rdist_read(&g, 0xffe8, 4), 0x30);
	assert_int_equal(sim_gic_rdist_read(&g, 0x14, 4), 6);         /* asleep */
	sim_gic_rdist_write(&g, 0x14, 4, 0);
	assert_int_equal(sim_gic_rdist_read(&g, 0x14, 4), 0);
	sim_gic_rdist_write(&g, sgi + 0x100, 4, 1u << 27 | 1u << 31);
	assert_int_equal(sim_gic_rdist_read(&g, sgi + 0x100, 4),
			 1u << 27 | 1u << 31);
	sim_gic_rdist_write(&g, sgi + 0x41f, 1, 0x90);
	assert_int_equal(sim_gic_rdist_read(&g, sgi + 0x41c, 4), 0x90000000u);
	/* Only CPU 0 runs: other frames hold nothing; past the last, nothing. */
	sim_gic_rdist_write(&g, frame + sgi + 0x100, 4, 1);
	assert_int_equal(sim_gic_rdist_read(&g, frame + sgi + 0x100, 4), 0);
	assert_int_equal(sim_gic_rdist_read(&g, 2 * frame + 0x8, 8), 0);
}

static uint64_t icc_read(struct sim_gic *g, uint32_t key)
{
	uint64_t v = 0xdead;

	assert_int_equal(sim_gic_sysreg(g, key, false, &v), 0);
	return v;
}

static void icc_write(struct sim_gic *g, uint32_t key, uint64_t v)
{
	assert_int_equal(sim_gic_sysreg(g, key, true, &v), 0);
}

static void test_gicv3_system_registers(void **state)
{
	struct sim_gic g;
	uint64_t v = 0;

	(void)state;
	init_v3(&g, 1);
	assert_int_equal(icc_read(&g, ICC_SRE), 7);
	assert_int_equal(icc_read(&g, ICC_CTLR), 4u << 8);
	assert_int_equal(icc_read(&g, ICC(0, 12, 9, 0)), 0);     /* AP1R0 */
	sim_gic_dist_write(&g, 0x000, 4, 0x12);
	sim_gic_rdist_write(&g, 0x10000 + 0x100, 4, 1u << 9);
	icc_write(&g, ICC_PMR, 0xff);
	assert_int_equal(icc_read(&g, ICC_PMR), 0xf8);
	icc_write(&g, SIM_ICC_SGI1R, 1ull << 40 | 9ull << 24);   /* IRM: others */
	icc_write(&g, SIM_ICC_SGI1R, 1ull << 16 | 9ull << 24 | 1); /* Aff1 1 */
	icc_write(&g, SIM_ICC_SGI1R, 9ull << 24 | 2);            /* CPU 1 */
	assert_int_equal(sim_gic_rdist_read(&g, 0x10000 + 0x200, 4), 0);
	icc_write(&g, SIM_ICC_SGI1R, 9ull << 24 | 1);            /* CPU 0 */
	assert_int_equal(sim_gic_rdist_read(&g, 0x10000 + 0x200, 4), 1u << 9);
	assert_int_equal(icc_read(&g, ICC_IAR1), SPURIOUS);      /* group off */
	icc_write(&g, ICC_IGRPEN1, 1);
	assert_int_equal(icc_read(&g, ICC_IAR1), 9);
	assert_int_equal(icc_read(&g, ICC_IAR1), SPURIOUS);
	icc_write(&g, ICC_EOIR1, 9);
	assert_int_equal(sim_gic_rdist_read(&g, 0x10000 + 0x300, 4), 0);
	assert_int_equal(sim_gic_sysreg(&g, ICC(0, 12, 13, 0), false, &v), -1);
	init_v2(&g, 1);
	assert_int_equal(sim_gic_sysreg(&g, ICC_IAR1, false, &v), -1);
}

/* A deterministic stream of hostile accesses at every entry point: the
 * sanitizers and the invariants are the assertions. */
static void test_gic_survives_hostile_accesses(void **state)
{
	static const unsigned sizes[] = { 0, 1, 2, 3, 4, 8, 16 };
	uint64_t x = 0x9e3779b97f4a7c15ull;
	struct sim_gic g;

	(void)state;
	for (unsigned round = 0; round < 2; round++) {
		if (round)
			init_v3(&g, 4);
		else
			init_v2(&g, 4);
		for (unsigned i = 0; i < 200000; i++) {
			uint64_t off, val;
			unsigned size;
			uint32_t id;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			off = x % 0x90000;
			size = sizes[(x >> 20) % 7];
			val = x * 0x2545f4914f6cdd1dull;
			line_levels = val & (1ull << 27 | 1ull << 31);
			switch (x >> 60) {
			case 0: case 1: case 2:
				sim_gic_dist_write(&g, off, size, val);
				break;
			case 3: case 4:
				sim_gic_cpu_write(&g, off, size, val);
				break;
			case 5: case 6:
				sim_gic_rdist_write(&g, off, size, val);
				break;
			case 7:
				(void)sim_gic_dist_read(&g, off, size);
				(void)sim_gic_cpu_read(&g, off, size);
				(void)sim_gic_rdist_read(&g, off, size);
				break;
			case 8:
				(void)sim_gic_sysreg(&g, (uint32_t)val & 0x3fff,
						     x & 1, &val);
				break;
			case 9:
				sim_gic_eoi(&g, (uint32_t)val);
				sim_gic_deactivate(&g, (uint32_t)(val >> 32));
				break;
			default:
				id = sim_gic_ack(&g);
				assert_true(id < SIM_GIC_NR_IRQS || id == SPURIOUS);
				break;
			}
			id = sim_gic_signalled(&g);
			assert_true(id < SIM_GIC_NR_IRQS || id == SPURIOUS);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gic_signals_nothing_until_enabled),
		cmocka_unit_test(test_gic_highest_priority_then_lowest_intid_wins),
		cmocka_unit_test(test_gic_priority_mask_hides_equal_and_lower),
		cmocka_unit_test(test_gic_ack_activates_and_eoi_ends),
		cmocka_unit_test(test_gic_level_line_signals_again_after_eoi),
		cmocka_unit_test(test_gic_higher_priority_preempts_active),
		cmocka_unit_test(test_gic_eoimode_splits_drop_and_deactivate),
		cmocka_unit_test(test_gicv2_distributor_registers),
		cmocka_unit_test(test_gicv2_sgir_filters_and_sgi_pending),
		cmocka_unit_test(test_gicv2_cpu_interface_registers),
		cmocka_unit_test(test_gicv3_distributor_leaves_sgis_and_ppis_to_the_redistributor),
		cmocka_unit_test(test_gicv3_redistributor_frames),
		cmocka_unit_test(test_gicv3_system_registers),
		cmocka_unit_test(test_gic_survives_hostile_accesses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
