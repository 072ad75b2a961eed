/* SPDX-License-Identifier: BSD-2-Clause */
/* The Unicorn runtime with arm64 guests: hypercalls and debug hypercalls
 * through hvc, undefined hvc immediates into the guest's vectors, faults that end the run with the PC and instruction named,
 * idle, interrupt injection through GICv2 and GICv3, and the generic timer
 * on the model's virtual time. Each guest is a few hand-written
 * instructions (tests/unit/unicorn_guests/a64_*.S). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_unicorn_helpers.h"

static struct uc_run run;

static void test_unicorn_hvc_returns_result_in_x0(void **state)
{
	(void)state;
	uc_boot(&run, "a64_hvc.Image");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_int_equal(run.code, 0);
	/* XENVER_version: 4.17; an unknown hypercall: -ENOSYS (-38). */
	assert_true(uc_has(&run, "DOM1: R0 = 0x0000000000040011 at "
			   "0x0000000040080054"));
	assert_true(uc_printed(&run, 0, 0xffffffffffffffdaull));
	assert_true(uc_has(&run, "(d1) hello from arm64"));
}

static void test_unicorn_debug_hypercalls_print_registers(void **state)
{
	(void)state;
	uc_boot(&run, "a64_debug.Image");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_has(&run, "(XEN) DOM1: R5 = 0x0000000000001234 at "
			   "0x0000000040080048"));
	assert_true(uc_has(&run, "(XEN) DOM1: Reached 000000004008004c"));
	assert_true(uc_has(&run, "(XEN) ok"));
	/* 0xFFFF: Xen 4.17's show_execution_state for an AArch64 guest. */
	assert_true(uc_has(&run, "(XEN) DOM1: DEBUG"));
	assert_true(uc_has(&run, "(XEN) ----[ Xen-4.17.0-xensim  arm64  "
			   "debug=y  Not tainted ]----"));
	assert_true(uc_has(&run, "(XEN) PC:     0000000040080068"));
	assert_true(uc_has(&run, "(XEN) CPSR:   00000000000003c5 MODE:64-bit "
			   "EL1h (Guest Kernel, handler)"));
	assert_true(uc_has(&run, "(XEN)      X3: 0000000000000000  X4: "
			   "0000000000000000  X5: 0000000000001234"));
	assert_true(uc_has(&run, "(XEN)  SCTLR_EL1: "));
	/* MMU off, SP 0: not RAM, as Xen finds it. */
	assert_true(uc_has(&run, "(XEN) Guest stack trace from "
			   "sp=0000000000000000:"));
	assert_true(uc_has(&run, "(XEN)   Failed to convert stack to physical "
			   "address"));
}

/* 0xFFFF from an arm32 guest: Xen's AArch32 layout, every mode's banked
 * registers, and the stack up to the end of its page. */
static void test_unicorn_debug_dump_arm32_layout(void **state)
{
	(void)state;
	uc_boot(&run, "a32_debug.zImage");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_has(&run, "(XEN) DOM1: DEBUG"));
	assert_true(uc_has(&run, "(XEN) CPSR:   00000000000001d3 MODE:32-bit "
			   "Guest SVC"));
	assert_true(uc_has(&run, "(XEN)      R4: 00000000 R5: 00001234 R6: "
			   "00000000 R7: 00000000"));
	assert_true(uc_has(&run, "(XEN) SVC: SP: 40009fe0 LR: 00000000 "
			   "SPSR:00000000"));
	assert_true(uc_has(&run, "(XEN) USR: SP: 00000000 LR: "
			   "0000000000000000"));
	assert_true(uc_has(&run, "(XEN)      TTBR1: 0000000000000000"));
	assert_true(uc_has(&run, "(XEN)       DFAR: 00000000, DFSR: 00000000"));
	assert_true(uc_has(&run, "(XEN) Guest stack trace from "
			   "sp=0000000040009fe0:"));
	assert_true(uc_has(&run, "(XEN)    1111111111111111 2222222222222222 "
			   "3333333333333333 4444444444444444"));
	assert_true(uc_has(&run, "(XEN) IRQ: SP: 12345670 LR: 00000000 "
			   "SPSR:00000000"));
	/* The trace stops at the page's end; the vCPU goes on intact. */
	assert_false(uc_has(&run, "(XEN)    0000000000000000"));
	assert_true(uc_printed(&run, 0, 0x40009fe0));
}

/* hvc immediates Xen does not take: an undefined-instruction exception
 * through the guest's vectors, ESR_EL1, ELR_EL1 and SPSR_EL1 as Xen sets
 * them (the guest checks them), and Xen's line for each. A release Xen
 * (the default) treats the debug immediates so too; a debug Xen acts on
 * them, and the guest, counting two exceptions short, crashes. */
static void test_unicorn_undefined_hvc_enters_the_guest_vectors(void **state)
{
	struct sim_config cfg;

	(void)state;
	uc_config(&run, &cfg, "a64_hvc_undef.Image");
	cfg.xen_debug = false;
	uc_run_config(&run, &cfg);
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_has(&run, "(XEN) d1v0 Invalid HVC imm 0x1234"));
	assert_true(uc_has(&run, "(XEN) d1v0 Invalid HVC imm 0xfffe"));
	assert_true(uc_has(&run, "(XEN) d1v0 Invalid HVC imm 0xffe0"));
	assert_false(uc_has(&run, "DOM1: R0"));

	uc_boot(&run, "a64_hvc_undef.Image");
	assert_int_equal(run.res.outcome, SIM_CRASH);
	assert_true(uc_has(&run, "(XEN) d1v0 Invalid HVC imm 0x1234"));
	assert_false(uc_has(&run, "Invalid HVC imm 0xfffe"));
	assert_true(uc_has(&run, "(XEN) DOM1: R0 = "));
}

/* SCHEDOP_watchdog on virtual time: unfed, the 1 s watchdog shuts the
 * domain down at 1 s (reason watchdog, exit status 4) during the guest's
 * second 0.5 s sleep; fed after each sleep, it never fires and the guest
 * powers off after its three sleeps. */
static void test_unicorn_watchdog_fires_unless_fed(void **state)
{
	(void)state;
	uc_boot(&run, "a64_watchdog.Image");
	assert_int_equal(run.res.outcome, SIM_OTHER_SHUTDOWN);
	assert_int_equal(run.res.shutdown_reason, 4);      /* SHUTDOWN_watchdog */
	assert_int_equal(run.code, 4);
	assert_string_equal(run.res.message, "d1 shut down: watchdog");
	assert_true(uc_has(&run, "(XEN) Watchdog timer fired for domain 1"));
	assert_int_equal(run.res.virtual_ns, 1000000000ull);

	uc_boot(&run, "a64_watchdog_fed.Image");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_false(uc_has(&run, "Watchdog timer fired"));
	assert_true(run.res.virtual_ns >= 1500000000ull);
}

/* SCHEDOP_block and PSCI CPU_SUSPEND with IRQs masked: Xen unmasks them
 * and sleeps the vCPU until the timer's interrupt, taken right after the
 * call; SCHEDOP_poll sleeps until its timeout, 1 ms (62500 ticks) on. */
static void test_unicorn_block_suspend_and_poll_wait_in_xen(void **state)
{
	static const char *const blockers[] = { "a64_block.Image",
						"a64_suspend.Image" };

	(void)state;
	for (unsigned i = 0; i < 2; i++) {
		uc_boot(&run, blockers[i]);
		assert_int_equal(run.res.outcome, SIM_POWEROFF);
		assert_true(uc_printed(&run, 12, 1));   /* taken by then */
		assert_true(uc_printed(&run, 13, 1000));
		assert_true(uc_printed(&run, 14, 0));   /* PSTATE.I clear */
	}
	uc_boot(&run, "a64_poll.Image");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 12, 0));
	assert_true(uc_printed(&run, 13, 62500));
}

/* A page given back and touched: Xen injects a data abort, ESR_EL1
 * 0x96000000 and FAR_EL1 the address, for the read and the write alike;
 * populated again, the page reads zero. */
static void test_unicorn_ballooned_page_takes_a_data_abort(void **state)
{
	(void)state;
	uc_boot(&run, "a64_balloon_abort.Image");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 10, 0x96000000));
	assert_true(uc_printed(&run, 11, 0x40400008));
	assert_true(uc_printed(&run, 12, 0x96000000));
	assert_true(uc_printed(&run, 13, 0x40400010));
	assert_true(uc_printed(&run, 9, 2));    /* ELR and SPSR as Xen's */
	assert_true(uc_printed(&run, 14, 0));
}

/* Table: a guest that faults, what the verdict must name, and the PC the
 * register dump must show (data aborts: the faulting instruction itself,
 * wherever the engine last recorded a PC). */
struct fault_case {
	const char *guest;
	enum hv_gic_version gic;
	const char *want[3];
	const char *dump;
};

static const struct fault_case faults[] = {
	{ "a64_undef.Image", HV_GIC_V2,
	  { "undefined instruction", "at PC 0x40080040",
	    "instruction 0x00000000" }, NULL },
	{ "a64_abort.Image", HV_GIC_V2,
	  { "data abort: read of unmapped address 0x10",
	    "at PC 0x40080044: instruction 0xf9400020", NULL },
	  "pc  0000000040080044 " },
	/* The store, not the first instruction of its block. */
	{ "a64_abort_mid.Image", HV_GIC_V2,
	  { "data abort: write of unmapped address 0x10",
	    "at PC 0x4008004c: instruction 0xb900001f", NULL },
	  "pc  000000004008004c " },
	/* In a block the engine reached by a chained jump, below the one
	 * where it last recorded its PC. */
	{ "a64_abort_loop.Image", HV_GIC_V2,
	  { "data abort: write of unmapped address 0x48000000",
	    "at PC 0x40080050: instruction 0xf800841f", NULL },
	  "pc  0000000040080050 " },
	{ "a64_fetch.Image", HV_GIC_V2,
	  { "prefetch abort: fetch of unmapped address 0x1000",
	    "at PC 0x1000", NULL }, NULL },
	{ "a64_svc.Image", HV_GIC_V2,
	  { "supervisor call", "at PC 0x40080040", "instruction 0xd4000001" },
	  NULL },
	/* Undefined hvc: the exception goes through VBAR_EL1, here 0. */
	{ "a64_badhvc.Image", HV_GIC_V2,
	  { "prefetch abort: fetch of unmapped address 0x200", NULL,
	    NULL }, NULL },
	/* GICv3's redistributor does not exist when the tree says GICv2. */
	{ "a64_gicv3.Image", HV_GIC_V2,
	  { "write of unmapped address 0x3020014", NULL, NULL }, NULL },
};

static void test_unicorn_faults_end_the_run_naming_pc(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		const struct fault_case *f = &faults[i];

		uc_boot_with(&run, f->guest, f->gic, NULL);
		print_message("%s: %s\n", f->guest, run.res.message);
		assert_int_equal(run.res.outcome, SIM_FAULT);
		assert_int_equal(run.code, 2);
		for (unsigned j = 0; j < 3 && f->want[j]; j++)
			assert_non_null(strstr(run.res.message, f->want[j]));
		/* Xen's console says so, with the registers. */
		assert_true(uc_has(&run, "(XEN) Domain 1 crashed: "));
		assert_true(uc_has(&run, "(XEN)   x0 "));
		if (f->dump)
			assert_true(uc_has(&run, f->dump));
	}
}

/* yield and wfe run again and again at one PC are hints. */
static void test_unicorn_yield_and_wfe_are_hints(void **state)
{
	(void)state;
	uc_boot(&run, "a64_hints.Image");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 5, 0));
}

static void test_unicorn_wfi_with_nothing_pending_deadlocks(void **state)
{
	(void)state;
	uc_boot(&run, "a64_wfi.Image");
	assert_int_equal(run.res.outcome, SIM_DEADLOCK);
	assert_int_equal(run.code, 5);
}

static void test_unicorn_sgi_is_taken_through_the_irq_vector(void **state)
{
	(void)state;
	uc_boot(&run, "a64_irq.Image");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 12, 1));   /* taken once, by then */
	assert_true(uc_printed(&run, 11, 1));   /* GICC_IAR gave SGI 1 */
}

static void test_unicorn_irq_from_el1t_switches_stacks(void **state)
{
	(void)state;
	uc_boot(&run, "a64_irq_el1t.Image");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 12, 1));
	assert_true(uc_printed(&run, 14, 0x40088000));  /* back on SP_EL0 */
	assert_true(uc_printed(&run, 15, 0x40090000));  /* handler on SP_EL1 */
}

static void test_unicorn_masked_irq_is_taken_right_after_unmask(void **state)
{
	(void)state;
	uc_boot(&run, "a64_irq_masked.Image");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 12, 0));   /* not through a hypercall */
	assert_true(uc_printed(&run, 13, 1));   /* at the next instruction */
}

static void test_unicorn_irq_raised_by_gic_write_is_taken_while_spinning(void **state)
{
	(void)state;
	uc_boot(&run, "a64_irq_spin.Image");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 12, 1));
	assert_true(uc_printed(&run, 4, 99997));   /* in the third round */
}

static void test_unicorn_wfi_wakes_for_a_masked_pending_irq(void **state)
{
	(void)state;
	uc_boot(&run, "a64_wfi_wake.Image");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 12, 1));
}

static void test_unicorn_gicv3_system_registers_deliver_sgi(void **state)
{
	(void)state;
	uc_boot_with(&run, "a64_gicv3.Image", HV_GIC_V3, NULL);
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 12, 1));   /* right after ICC_SGI1R */
	assert_true(uc_printed(&run, 11, 1));   /* ICC_IAR1_EL1 */
	assert_true(uc_printed(&run, 14, 7));   /* ICC_SRE_EL1 */
}

static void test_unicorn_counter_follows_virtual_time(void **state)
{
	static struct uc_run again;

	(void)state;
	uc_boot(&run, "a64_timer.Image");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 1, 62500000));     /* CNTFRQ_EL0 */
	/* Time stands still while the guest runs, except that each read
	 * of the counter lets one tick pass, so a busy wait ends. */
	assert_true(uc_printed(&run, 2, 0));            /* CNTVCT_EL0 */
	assert_true(uc_printed(&run, 3, 1));            /* CNTPCT_EL0 */
	assert_true(uc_printed(&run, 5, 1001));  /* after 1000 more reads */
	/* Same guest, same transcript. */
	uc_boot(&again, "a64_timer.Image");
	assert_int_equal(again.n, run.n);
	for (unsigned i = 0; i < run.n; i++)
		assert_string_equal(again.line[i], run.line[i]);
}

static void test_unicorn_counter_read_runs_the_block_once(void **state)
{
	(void)state;
	uc_boot(&run, "a64_mrs_once.Image");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 3, 2));
}

static void test_unicorn_virtual_timer_wakes_wfi(void **state)
{
	(void)state;
	uc_boot(&run, "a64_vtimer.Image");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 11, 27));  /* the virtual timer's PPI */
	assert_true(uc_printed(&run, 12, 1));
	assert_true(uc_printed(&run, 13, 1000)); /* time jumped to it */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unicorn_hvc_returns_result_in_x0),
		cmocka_unit_test(test_unicorn_debug_hypercalls_print_registers),
		cmocka_unit_test(test_unicorn_debug_dump_arm32_layout),
		cmocka_unit_test(test_unicorn_undefined_hvc_enters_the_guest_vectors),
		cmocka_unit_test(test_unicorn_watchdog_fires_unless_fed),
		cmocka_unit_test(test_unicorn_block_suspend_and_poll_wait_in_xen),
		cmocka_unit_test(test_unicorn_ballooned_page_takes_a_data_abort),
		cmocka_unit_test(test_unicorn_faults_end_the_run_naming_pc),
		cmocka_unit_test(test_unicorn_yield_and_wfe_are_hints),
		cmocka_unit_test(test_unicorn_wfi_with_nothing_pending_deadlocks),
		cmocka_unit_test(test_unicorn_sgi_is_taken_through_the_irq_vector),
		cmocka_unit_test(test_unicorn_irq_from_el1t_switches_stacks),
		cmocka_unit_test(test_unicorn_masked_irq_is_taken_right_after_unmask),
		cmocka_unit_test(test_unicorn_irq_raised_by_gic_write_is_taken_while_spinning),
		cmocka_unit_test(test_unicorn_wfi_wakes_for_a_masked_pending_irq),
		cmocka_unit_test(test_unicorn_gicv3_system_registers_deliver_sgi),
		cmocka_unit_test(test_unicorn_counter_follows_virtual_time),
		cmocka_unit_test(test_unicorn_counter_read_runs_the_block_once),
		cmocka_unit_test(test_unicorn_virtual_timer_wakes_wfi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
