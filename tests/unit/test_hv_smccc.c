/* SPDX-License-Identifier: BSD-2-Clause */
/* hv_smccc_call (`hvc #0`): the PSCI and SMCCC calls the guest battery
 * cannot make without stopping itself (SYSTEM_OFF, SYSTEM_RESET, CPU_OFF),
 * a second vCPU, and the 64-bit convention refused to 32-bit code. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/sched.h>

#include "fixture.h"
#include "hv/hypercall.h"

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

/* Until secondary vCPUs run, CPU_ON of an existing, offline vCPU answers
 * as for an absent one; AFFINITY_INFO reports it off. */
static void test_smccc_second_vcpu_stays_off(void **state)
{
	struct fixture *fx = *state;

	fx->d->nr_vcpus = 2;
	fx->d->vcpu[1].domain = fx->d;
	fx->d->vcpu[1].id = 1;
	fx->d->vcpu[1].online = false;
	assert_int_equal(call(fx, 0, 0x84000003, 1, 0x40080000, false), -2);
	assert_int_equal(call(fx, 0, 0xc4000003, 1, 0x40080001, false), -9);
	assert_int_equal(call(fx, 0, 0x84000004, 1, 0, false), 1);
	/* Level 1 ignores Aff0: vCPU 1 shares Aff1 with the running vCPU 0. */
	assert_int_equal(call(fx, 0, 0x84000004, 1, 1, false), 0);
	fx->d->nr_vcpus = 1;
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
		FX_TEST(test_smccc_64bit_ids_refused_to_32bit_code),
		FX_TEST(test_smccc_cpu_off_refused_for_the_only_vcpu),
		FX_TEST(test_smccc_unknown_is_logged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
