/* SPDX-License-Identifier: BSD-2-Clause */
/* hvm_op get/set_param and sched_op yield/shutdown, with their errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/sched.h>
#include <xen/xen.h>

#include "fixture.h"

#define ARG_OFF 0x1000

static long hvm_param(struct fixture *fx, unsigned op, uint16_t domid,
		      uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = domid, .index = index,
				   .value = *value };
	uint64_t gpa = fx_put(fx, ARG_OFF, &p, sizeof(p));
	long rc = fx_hypercall(fx, __HYPERVISOR_hvm_op, op, gpa, 0);

	memcpy(&p, fx_ptr(fx, gpa), sizeof(p));
	*value = p.value;
	return rc;
}

static void test_hvm_get_param_reads_toolstack_value(void **state)
{
	struct fixture *fx = *state;
	uint64_t v = 0;

	fx->d->hvm_param[HVM_PARAM_STORE_PFN] = 0x39001;
	assert_int_equal(hvm_param(fx, HVMOP_get_param, DOMID_SELF,
				   HVM_PARAM_STORE_PFN, &v), 0);
	assert_int_equal(v, 0x39001);
}

/* Xen 4.17: the toolstack's parameters are read-only to the domain, the
 * monitor ring hidden from it, every other index a hole. */
static void test_hvm_own_params_as_xen_allows(void **state)
{
	struct fixture *fx = *state;
	uint64_t v = 42;

	assert_int_equal(hvm_param(fx, HVMOP_set_param, 1,
				   HVM_PARAM_CONSOLE_EVTCHN, &v), -XEN_EPERM);
	assert_int_equal(fx->d->hvm_param[HVM_PARAM_CONSOLE_EVTCHN], 0);
	assert_int_equal(hvm_param(fx, HVMOP_set_param, DOMID_SELF,
				   HVM_PARAM_TIMER_MODE, &v), -XEN_EINVAL);
	assert_int_equal(hvm_param(fx, HVMOP_get_param, DOMID_SELF,
				   HVM_PARAM_TIMER_MODE, &v), -XEN_EINVAL);
	assert_int_equal(hvm_param(fx, HVMOP_get_param, DOMID_SELF,
				   HVM_PARAM_MONITOR_RING_PFN, &v), -XEN_EPERM);
	fx->d->hvm_param[HVM_PARAM_CONSOLE_EVTCHN] = 5;
	v = 0;
	assert_int_equal(hvm_param(fx, HVMOP_get_param, 1,
				   HVM_PARAM_CONSOLE_EVTCHN, &v), 0);
	assert_int_equal(v, 5);
}

static void test_hvm_index_out_of_range_is_einval(void **state)
{
	uint64_t v = 0;

	assert_int_equal(hvm_param(*state, HVMOP_get_param, DOMID_SELF,
				   HVM_NR_PARAMS, &v), -XEN_EINVAL);
	assert_int_equal(hvm_param(*state, HVMOP_set_param, DOMID_SELF,
				   UINT32_MAX, &v), -XEN_EINVAL);
}

static void test_hvm_unknown_domain_is_esrch(void **state)
{
	uint64_t v = 0;

	assert_int_equal(hvm_param(*state, HVMOP_get_param, 6,
				   HVM_PARAM_STORE_PFN, &v), -XEN_ESRCH);
}

static void test_hvm_other_domain_needs_privilege(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain_config dc = { .name = "other", .domid = 2,
				       .ram_bytes = 16 << 20, .nr_vcpus = 1 };
	struct hv_domain *other;
	uint64_t v = 7;

	assert_int_equal(hv_domain_create(fx->m, &dc, &other), 0);
	assert_int_equal(hvm_param(fx, HVMOP_set_param, 2, HVM_PARAM_STORE_PFN,
				   &v), -XEN_EPERM);
	fx->d->privileged = true;
	assert_int_equal(hvm_param(fx, HVMOP_set_param, 2, HVM_PARAM_STORE_PFN,
				   &v), 0);
	assert_int_equal(other->hvm_param[HVM_PARAM_STORE_PFN], 7);
}

static void test_hvm_bad_pointer_and_unknown_op(void **state)
{
	assert_int_equal(fx_hypercall(*state, __HYPERVISOR_hvm_op,
				      HVMOP_get_param, 0x10, 0), -XEN_EFAULT);
	assert_int_equal(fx_hypercall(*state, __HYPERVISOR_hvm_op, 2,
				      fx_gpa(ARG_OFF), 0), -XEN_ENOSYS);
}

static long shutdown(struct fixture *fx, unsigned reason)
{
	struct sched_shutdown s = { .reason = reason };
	uint64_t gpa = fx_put(fx, ARG_OFF, &s, sizeof(s));

	return fx_hypercall(fx, __HYPERVISOR_sched_op, SCHEDOP_shutdown, gpa, 0);
}

static void test_sched_shutdown_reasons_are_recorded(void **state)
{
	static const unsigned reasons[] = {
		SHUTDOWN_poweroff, SHUTDOWN_reboot, SHUTDOWN_suspend,
		SHUTDOWN_crash, SHUTDOWN_watchdog, SHUTDOWN_soft_reset,
	};

	for (unsigned i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		struct fixture *fx = *state;

		fx->d->state = HV_DOMAIN_RUNNING;
		assert_int_equal(shutdown(fx, reasons[i]), 0);
		assert_int_equal(fx->d->state, HV_DOMAIN_SHUTDOWN);
		assert_int_equal(fx->d->shutdown_reason, reasons[i]);
		assert_false(hv_domain_running(fx->d));
	}
}

static void test_sched_shutdown_is_logged_with_reason(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(shutdown(fx, SHUTDOWN_crash), 0);
	assert_true(fx_has_text(fx, "Domain 1 shutdown: reason 3 (crash)"));
}

static void test_sched_no_hypercall_after_shutdown(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(shutdown(fx, SHUTDOWN_poweroff), 0);
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_sched_op, SCHEDOP_yield,
				      0, 0), -XEN_EINVAL);
}

static void test_sched_shutdown_bad_pointer_keeps_running(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_sched_op,
				      SCHEDOP_shutdown, 0x10, 0), -XEN_EFAULT);
	assert_true(hv_domain_running(fx->d));
}

static void test_sched_yield_and_unknown(void **state)
{
	assert_int_equal(fx_hypercall(*state, __HYPERVISOR_sched_op,
				      SCHEDOP_yield, 0, 0), 0);
	assert_int_equal(fx_hypercall(*state, __HYPERVISOR_sched_op, 99, 0, 0),
			 -XEN_ENOSYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_hvm_get_param_reads_toolstack_value),
		FX_TEST(test_hvm_own_params_as_xen_allows),
		FX_TEST(test_hvm_index_out_of_range_is_einval),
		FX_TEST(test_hvm_unknown_domain_is_esrch),
		FX_TEST(test_hvm_other_domain_needs_privilege),
		FX_TEST(test_hvm_bad_pointer_and_unknown_op),
		FX_TEST(test_sched_shutdown_reasons_are_recorded),
		FX_TEST(test_sched_shutdown_is_logged_with_reason),
		FX_TEST(test_sched_no_hypercall_after_shutdown),
		FX_TEST(test_sched_shutdown_bad_pointer_keeps_running),
		FX_TEST(test_sched_yield_and_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
