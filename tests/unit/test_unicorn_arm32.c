/* SPDX-License-Identifier: BSD-2-Clause */
/* The Unicorn runtime with arm32 guests, in the ARM and Thumb-2 encodings:
 * hypercalls, faults naming the PC, yield and wfe, idle, interrupts (an
 * ARM handler returning to Thumb code too), GICv3 through CP15, and the
 * counters read with MRRC on the model's virtual time. The guests are
 * tests/unit/unicorn_guests/{a32,t32}_*.S. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_unicorn_helpers.h"

static struct uc_run run;

static void check_hvc_round_trip(const char *guest, const char *hello)
{
	uc_boot(&run, guest);
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 0, 0x40011));
	/* -ENOSYS in the 32-bit r0. */
	assert_true(uc_printed(&run, 0, 0xffffffdaull));
	assert_true(uc_has(&run, hello));
}

static void test_unicorn_arm32_hvc_returns_result_in_r0(void **state)
{
	(void)state;
	check_hvc_round_trip("a32_hvc.zImage", "(d1) hello from arm32");
	assert_true(uc_has(&run, "DOM1: R0 = 0x0000000000040011 at "
			   "0x0000000040008048"));
}

static void test_unicorn_thumb_hvc_returns_result_in_r0(void **state)
{
	(void)state;
	check_hvc_round_trip("t32_hvc.zImage", "(d1) hello from thumb");
	/* Thumb-2 hvc is 32 bits too: the PC after it. */
	assert_true(uc_has(&run, "DOM1: R0 = 0x0000000000040011 at "
			   "0x0000000040008050"));
}

/* hvc immediates Xen does not take: an undefined-instruction exception
 * into Undefined mode through VBAR + 4, SPSR_und and LR_und as Xen sets
 * them (the guest checks them: LR is the instruction after the hvc plus
 * the instruction set's offset). Release Xen (the default): all three
 * undefined; a debug Xen acts on 0xfffe and 0xffe0 and the guest, two
 * exceptions short, crashes. */
static void check_undefined_hvc(const char *guest)
{
	struct sim_config cfg;

	uc_config(&run, &cfg, guest);
	cfg.xen_debug = false;
	uc_run_config(&run, &cfg);
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_has(&run, "(XEN) d1v0 Invalid HVC imm 0x1234"));
	assert_true(uc_has(&run, "(XEN) d1v0 Invalid HVC imm 0xfffe"));
	assert_true(uc_has(&run, "(XEN) d1v0 Invalid HVC imm 0xffe0"));
	assert_false(uc_has(&run, "DOM1: R0"));

	uc_boot(&run, guest);
	assert_int_equal(run.res.outcome, SIM_CRASH);
	assert_false(uc_has(&run, "Invalid HVC imm 0xfffe"));
	assert_true(uc_has(&run, "(XEN) DOM1: R0 = "));
}

static void test_unicorn_arm32_undefined_hvc_enters_the_guest_vectors(void **state)
{
	(void)state;
	check_undefined_hvc("a32_hvc_undef.zImage");
}

static void test_unicorn_thumb_undefined_hvc_enters_the_guest_vectors(void **state)
{
	(void)state;
	check_undefined_hvc("t32_hvc_undef.zImage");
}

/* A page given back and touched, in ARM and Thumb: Xen injects a data
 * abort, DFSR 0x2 (a debug fault, short descriptors) and DFAR the address,
 * for the read and the write alike; LR_abt, SPSR_abt and the mode as Xen
 * sets them; populated again, the page reads zero. */
static void check_ballooned_page(const char *guest)
{
	uc_boot(&run, guest);
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 4, 0x2));
	assert_true(uc_printed(&run, 5, 0x40400008));
	assert_true(uc_printed(&run, 10, 0x2));
	assert_true(uc_printed(&run, 11, 0x40400010));
	assert_true(uc_printed(&run, 9, 2));
	assert_true(uc_printed(&run, 3, 0));
}

static void test_unicorn_arm32_ballooned_page_takes_a_data_abort(void **state)
{
	(void)state;
	check_ballooned_page("a32_balloon_abort.zImage");
}

static void test_unicorn_thumb_ballooned_page_takes_a_data_abort(void **state)
{
	(void)state;
	check_ballooned_page("t32_balloon_abort.zImage");
}

/* A guest that faults, what the verdict must name, and the PC (r15) the
 * register dump must show: for data aborts, the faulting instruction. */
struct fault_case {
	const char *guest;
	const char *want[3];
	const char *dump;
};

static const struct fault_case faults[] = {
	{ "a32_undef.zImage",
	  { "undefined instruction", "at PC 0x40008034",
	    "instruction 0xe7f000f0" }, NULL },
	{ "a32_abort.zImage",
	  { "data abort: write of unmapped address 0x10",
	    "at PC 0x40008038: instruction 0xe5810000", NULL },
	  "r15 40008038" },
	{ "t32_abort.zImage",
	  { "data abort: write of unmapped address 0x10",
	    "at PC 0x40008040: Thumb instruction 0x6008", NULL },
	  "r15 40008040" },
	/* The store is mid-block, in a block the engine reached by a chained
	 * jump from the one where it last recorded its PC. */
	{ "a32_abort_loop.zImage",
	  { "data abort: write of unmapped address 0x48000000",
	    "at PC 0x40008048: instruction 0xe4801004", NULL },
	  "r15 40008048" },
	/* Right after a wfe, after a yield run three times at one PC: the
	 * udf itself is named, not the instruction after it. */
	{ "a32_hint_undef.zImage",
	  { "undefined instruction", "at PC 0x40008048",
	    "instruction 0xe7f000f0" }, NULL },
	{ "t32_hint_undef.zImage",
	  { "undefined instruction", "at PC 0x40008048",
	    "Thumb instruction 0xde00" }, NULL },
	{ "t32_abort_loop.zImage",
	  { "data abort: write of unmapped address 0x48000000",
	    "at PC 0x4000804c: Thumb instruction 0xf840 0x1b04", NULL },
	  "r15 4000804c" },
};

static void test_unicorn_arm32_faults_end_the_run_naming_pc(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		const struct fault_case *f = &faults[i];

		uc_boot(&run, f->guest);
		print_message("%s: %s\n", f->guest, run.res.message);
		assert_int_equal(run.res.outcome, SIM_FAULT);
		assert_int_equal(run.code, 2);
		for (unsigned j = 0; j < 3 && f->want[j]; j++)
			assert_non_null(strstr(run.res.message, f->want[j]));
		assert_true(uc_has(&run, "(XEN)   r0 "));
		if (f->dump)
			assert_true(uc_has(&run, f->dump));
	}
}

/* yield and wfe (Xen traps wfe as a yield) at one PC again and again, in
 * ARM, 16- and 32-bit Thumb, and a conditional wfe in an IT block: hints
 * the guest goes on from, never undefined instructions. */
static void test_unicorn_arm32_yield_and_wfe_are_hints(void **state)
{
	static const char *const guests[] = { "a32_hints.zImage",
					      "t32_hints.zImage" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		uc_boot(&run, guests[i]);
		print_message("%s: %s\n", guests[i], run.res.message);
		assert_int_equal(run.res.outcome, SIM_POWEROFF);
		assert_true(uc_printed(&run, 5, 0));
	}
}

static void test_unicorn_arm32_wfi_with_nothing_pending_deadlocks(void **state)
{
	(void)state;
	uc_boot(&run, "a32_wfi.zImage");
	assert_int_equal(run.res.outcome, SIM_DEADLOCK);
}

static void check_irqs(const char *guest)
{
	uc_boot(&run, guest);
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 3, 1));    /* unmasked: taken */
	assert_true(uc_printed(&run, 11, 1));   /* SGI 1 */
	assert_true(uc_printed(&run, 4, 1));    /* masked: waits... */
	assert_true(uc_printed(&run, 5, 2));    /* ...until cpsie i */
}

static void test_unicorn_arm32_irq_in_arm_state(void **state)
{
	(void)state;
	check_irqs("a32_irq.zImage");
}

static void test_unicorn_arm32_irq_returns_to_thumb(void **state)
{
	(void)state;
	check_irqs("t32_irq.zImage");
}

static void test_unicorn_arm32_gicv3_through_cp15(void **state)
{
	(void)state;
	uc_boot_with(&run, "a32_gicv3.zImage", HV_GIC_V3, NULL);
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 3, 1));    /* right after MCRR SGI1R */
	assert_true(uc_printed(&run, 11, 1));   /* ICC_IAR1 */
	assert_true(uc_printed(&run, 6, 7));    /* ICC_SRE */
}

static void check_counters(const char *guest)
{
	uc_boot(&run, guest);
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 1, 62500000));     /* CNTFRQ */
	/* Each read of the counter lets one tick pass, so a busy wait ends. */
	assert_true(uc_printed(&run, 2, 0));            /* CNTVCT low */
	assert_true(uc_printed(&run, 3, 0));            /* CNTVCT high */
	assert_true(uc_printed(&run, 4, 1));            /* CNTPCT low */
	assert_true(uc_printed(&run, 7, 1001));  /* after 1000 more reads */
}

static void test_unicorn_arm32_counters_follow_virtual_time(void **state)
{
	(void)state;
	check_counters("a32_timer.zImage");
}

static void test_unicorn_thumb_counters_follow_virtual_time(void **state)
{
	(void)state;
	check_counters("t32_timer.zImage");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unicorn_arm32_hvc_returns_result_in_r0),
		cmocka_unit_test(test_unicorn_thumb_hvc_returns_result_in_r0),
		cmocka_unit_test(test_unicorn_arm32_undefined_hvc_enters_the_guest_vectors),
		cmocka_unit_test(test_unicorn_thumb_undefined_hvc_enters_the_guest_vectors),
		cmocka_unit_test(test_unicorn_arm32_ballooned_page_takes_a_data_abort),
		cmocka_unit_test(test_unicorn_thumb_ballooned_page_takes_a_data_abort),
		cmocka_unit_test(test_unicorn_arm32_faults_end_the_run_naming_pc),
		cmocka_unit_test(test_unicorn_arm32_yield_and_wfe_are_hints),
		cmocka_unit_test(test_unicorn_arm32_wfi_with_nothing_pending_deadlocks),
		cmocka_unit_test(test_unicorn_arm32_irq_in_arm_state),
		cmocka_unit_test(test_unicorn_arm32_irq_returns_to_thumb),
		cmocka_unit_test(test_unicorn_arm32_gicv3_through_cp15),
		cmocka_unit_test(test_unicorn_arm32_counters_follow_virtual_time),
		cmocka_unit_test(test_unicorn_thumb_counters_follow_virtual_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
