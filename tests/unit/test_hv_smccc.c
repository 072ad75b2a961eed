/* SPDX-License-Identifier: BSD-2-Clause */
/* hv_smccc_call (`hvc #0`): the PSCI and SMCCC calls the guest battery
 * cannot make without stopping itself (SYSTEM_OFF, SYSTEM_RESET, CPU_OFF),
 * secondary vCPUs (CPU_ON, CPU_OFF, AFFINITY_INFO as Xen 4.17's vpsci.c
 * answers them), and the 64-bit convention refused to 32-bit code. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/sched.h>

#include "fixture.h"
#include "hv/hypercall.h"
#include "hv/vcpu.h"

static int64_t call(struct fixture *fx, unsigned vcpu, uint64_t fid,
		    uint64_t a1, uint64_t a2, bool aarch32)
{
	const uint64_t a[4] = { fid, a1, a2, 0 };
	uint64_t r[4];

	hv_smccc_call(&fx->d->vcpu[vcpu], a, r, aarch32);
	return (int64_t)r[0];
}

static void test_smccc_system_off_powers_off(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(call(fx, 0, 0x84000008, 0, 0, false), -6);
	assert_false(hv_domain_running(fx->d));
	assert_int_equal(fx->d->shutdown_reason, SHUTDOWN_poweroff);
}

static void test_smccc_system_reset_reboots(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(call(fx, 0, 0x84000009, 0, 0, true), -6);
	assert_false(hv_domain_running(fx->d));
	assert_int_equal(fx->d->shutdown_reason, SHUTDOWN_reboot);
}

/* A second domain with nr vCPUs, vCPU 0 running and the others down;
 * runs: whether its runtime runs secondary vCPUs. */
static struct hv_domain *smp_domain(struct fixture *fx, unsigned nr, bool runs)
{
	const struct hv_domain_config dc = { .name = "smp", .domid = 2,
					     .ram_bytes = 16 << 20,
					     .nr_vcpus = nr };
	struct hv_domain *d;

	assert_int_equal(hv_domain_create(fx->m, &dc, &d), 0);
	d->runs_secondaries = runs;
	return d;
}

static int64_t call_on(struct hv_domain *d, unsigned vcpu, uint64_t fid,
		       uint64_t a1, uint64_t a2, uint64_t a3, bool aarch32)
{
	const uint64_t a[4] = { fid, a1, a2, a3 };
	uint64_t r[4];

	hv_smccc_call(&d->vcpu[vcpu], a, r, aarch32);
	return (int64_t)r[0];
}

/* Where the runtime runs only vCPU 0, CPU_ON of an existing, offline
 * vCPU answers as for an absent one and CPU_OFF is DENIED; AFFINITY_INFO
 * reports the vCPU off. */
static void test_smccc_second_vcpu_stays_off(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d = smp_domain(fx, 2, false);

	assert_int_equal(call_on(d, 0, 0x84000003, 1, 0x40080000, 0, false), -2);
	assert_int_equal(call_on(d, 0, 0xc4000003, 1, 0x40080001, 0, false), -9);
	assert_int_equal(call_on(d, 0, 0x84000004, 1, 0, 0, false), 1);
	/* Level 1 ignores Aff0: vCPU 1 shares Aff1 with the running vCPU 0. */
	assert_int_equal(call_on(d, 0, 0x84000004, 1, 1, 0, false), 0);
	assert_int_equal(call_on(d, 0, 0x84000002, 0, 0, 0, false), -3);
	assert_false(d->vcpu[1].online);
	assert_true(d->vcpu[0].online);
}

/* CPU_ON starts the vCPU where it is told, with context_id for x0, and
 * the runtime is asked to put it there; asked again, it is ALREADY_ON. */
static void test_smccc_cpu_on_starts_secondary(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d = smp_domain(fx, 4, true);
	struct hv_vcpu *v = &d->vcpu[2];

	assert_int_equal(call_on(d, 0, 0xc4000003, 2, 0x40081000, 0x1234,
				 false), 0);
	assert_true(v->online);
	assert_true(v->start_pending);
	assert_int_equal(v->start.entry, 0x40081000);
	assert_int_equal(v->start.context_id, 0x1234);
	assert_false(v->start.thumb);
	assert_int_equal(call_on(d, 0, 0xc4000003, 2, 0x40081000, 0, false), -4);
	assert_int_equal(call_on(d, 0, 0x84000004, 2, 0, 0, false), 0);
	assert_int_equal(call_on(d, 0, 0x84000004, 3, 0, 0, false), 1);
	assert_false(d->vcpu[3].online);
}

/* The target is an MPIDR affinity read as Xen reads it: all of Aff0, so
 * Aff0 16 is vCPU 16 (absent), and Aff1 1 is vCPU 16 as well. */
static void test_smccc_cpu_on_reads_affinity_as_xen(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d = smp_domain(fx, 4, true);

	assert_int_equal(call_on(d, 0, 0xc4000003, 0x10, 0x40080000, 0,
				 false), -2);
	assert_int_equal(call_on(d, 0, 0xc4000003, 0x100, 0x40080000, 0,
				 false), -2);
	assert_int_equal(call_on(d, 0, 0xc4000003, 4, 0x40080000, 0, false),
			 -2);
	/* Aff2 and Aff3 are no part of the id Xen reads: Aff3 1, Aff0 1 is
	 * vCPU 1. */
	assert_int_equal(call_on(d, 0, 0xc4000003, 0x10000000001ull,
				 0x40080000, 0, false), 0);
	assert_true(d->vcpu[1].online);
	assert_false(d->vcpu[0].start_pending);
}

/* A 32-bit domain may start a vCPU in Thumb state: bit 0 of the entry
 * point says so and is cleared; a 64-bit one may not. */
static void test_smccc_cpu_on_thumb_entry(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d = smp_domain(fx, 2, true);

	assert_int_equal(call_on(d, 0, 0xc4000003, 1, 0x40080001, 0, false),
			 -9);
	assert_false(d->vcpu[1].online);
	assert_int_equal(call_on(d, 0, 0x84000003, 1, 0x40080001, 7, true), 0);
	assert_true(d->vcpu[1].start.thumb);
	assert_int_equal(d->vcpu[1].start.entry, 0x40080000);
	assert_int_equal(d->vcpu[1].start.context_id, 7);
}

/* CPU_OFF takes the caller down; AFFINITY_INFO then reports it off, and a
 * CPU_ON brings it back. */
static void test_smccc_cpu_off_then_on_again(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d = smp_domain(fx, 2, true);
	struct vcpu_runstate_info rs;

	assert_int_equal(call_on(d, 0, 0x84000003, 1, 0x40080000, 0, false), 0);
	d->vcpu[1].start_pending = false;          /* the runtime took it */
	assert_int_equal(call_on(d, 1, 0x84000002, 0, 0, 0, false), 0);
	assert_false(d->vcpu[1].online);
	assert_false(d->vcpu[1].start_pending);
	hv_vcpu_runstate_get(&d->vcpu[1], &rs);
	assert_int_equal(rs.state, RUNSTATE_offline);
	assert_int_equal(call_on(d, 0, 0x84000004, 1, 0, 0, false), 1);
	assert_true(hv_domain_running(d));
	assert_int_equal(call_on(d, 0, 0x84000003, 1, 0x40090000, 5, false), 0);
	assert_true(d->vcpu[1].start_pending);
	assert_int_equal(d->vcpu[1].start.entry, 0x40090000);
	assert_int_equal(call_on(d, 0, 0x84000004, 1, 0, 0, false), 0);
}

static void test_smccc_64bit_ids_refused_to_32bit_code(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(call(fx, 0, 0xc4000004, 0, 0, true), -1);
	assert_int_equal(call(fx, 0, 0xc4000004, 0, 0, false), 0);
	assert_true(hv_domain_running(fx->d));
}

static void test_smccc_cpu_off_refused_for_the_only_vcpu(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(call(fx, 0, 0x84000002, 0, 0, false), -3);
	assert_true(hv_domain_running(fx->d));
}

static void test_smccc_unknown_is_logged(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(call(fx, 0, 0x8600ff00, 0, 0, false), -1);
	assert_true(fx_has_text(fx, "d1v0 Unhandled SMC/HVC: 0x8600ff00"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_smccc_system_off_powers_off),
		FX_TEST(test_smccc_system_reset_reboots),
		FX_TEST(test_smccc_second_vcpu_stays_off),
		FX_TEST(test_smccc_cpu_on_starts_secondary),
		FX_TEST(test_smccc_cpu_on_reads_affinity_as_xen),
		FX_TEST(test_smccc_cpu_on_thumb_entry),
		FX_TEST(test_smccc_cpu_off_then_on_again),
		FX_TEST(test_smccc_64bit_ids_refused_to_32bit_code),
		FX_TEST(test_smccc_cpu_off_refused_for_the_only_vcpu),
		FX_TEST(test_smccc_unknown_is_logged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
