/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_vcpu_op as Xen 4.17 on ARM: register_vcpu_info with every
 * check map_vcpu_info makes, register_runstate_memory_area, and the
 * refusal of everything else; and the timer hypercall ARM lacks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#include "hv/domain.h"
#include "hv/evtchn.h"
#include "hv/time.h"
#include "hv/vcpu.h"
#include "test_evtchn_util.h"

#define INFO_PAGE 0x20000u

/* vcpu_op(cmd, vcpuid, arg): the struct goes at UT_ARG_OFF. */
static long vop(struct hv_domain *d, int cmd, uint32_t vcpuid, void *arg,
		size_t len)
{
	uint64_t gpa = d->mem.region[0].gpa + UT_ARG_OFF;
	void *p = hv_gpa_ptr(&d->mem, gpa, len ? len : 1);
	const uint64_t args[5] = { (uint64_t)cmd, vcpuid, gpa, 0, 0 };
	long rc;

	memcpy(p, arg, len);
	rc = hv_hypercall(&d->vcpu[0], __HYPERVISOR_vcpu_op, args);
	memcpy(arg, p, len);
	return rc;
}

static long register_info(struct hv_domain *d, uint32_t vcpu, uint64_t gfn,
			  uint32_t offset)
{
	struct vcpu_register_vcpu_info info = { .mfn = gfn, .offset = offset };

	return vop(d, VCPUOP_register_vcpu_info, vcpu, &info, sizeof(info));
}

static uint64_t info_gfn(void)
{
	return fx_gpa(INFO_PAGE) >> 12;
}

static void test_register_vcpu_info_moves_it_and_marks_all_pending(void **state)
{
	struct fixture *fx = *state;
	struct vcpu_info *legacy = &ut_shared(fx->d)->vcpu_info[0];
	struct vcpu_info *moved = fx_ptr(fx, fx_gpa(INFO_PAGE + 64));

	legacy->evtchn_pending_sel = 0x5;
	legacy->time.version = 42;
	assert_int_equal(register_info(fx->d, 0, info_gfn(), 64), 0);
	assert_ptr_equal(hv_vcpu_info(&fx->d->vcpu[0]), moved);
	assert_true(hv_vcpu_info_registered(&fx->d->vcpu[0]));
	assert_int_equal(moved->time.version, 42);
	assert_int_equal(moved->evtchn_pending_sel, ~(xen_ulong_t)0);
	assert_int_equal(moved->evtchn_upcall_pending, 1);
	/* Events now land in the new place. */
	moved->evtchn_upcall_pending = 0;
	moved->evtchn_pending_sel = 0;
	ut_alloc(fx->d, DOMID_SELF, DOMID_SELF);
	ut_bind(fx->d, DOMID_SELF, 1);
	assert_int_equal(moved->evtchn_upcall_pending, 1);
	assert_int_equal(moved->evtchn_pending_sel, 1);
	assert_int_equal(legacy->evtchn_pending_sel, 0x5);
}

static void test_register_vcpu_info_errors(void **state)
{
	struct fixture *fx = *state;
	const uint64_t bad[5] = { VCPUOP_register_vcpu_info, 0, 0x10, 0, 0 };

	assert_int_equal(register_info(fx->d, 1, info_gfn(), 0), -XEN_ENOENT);
	assert_int_equal(hv_hypercall(&fx->d->vcpu[0], __HYPERVISOR_vcpu_op,
				      bad), -XEN_EFAULT);
	/* Must fit in the page, 8-byte aligned. */
	assert_int_equal(register_info(fx->d, 0, info_gfn(), 4096 - 48 + 8),
			 -XEN_ENXIO);
	assert_int_equal(register_info(fx->d, 0, info_gfn(), 12),
			 -XEN_ENXIO);
	assert_int_equal(register_info(fx->d, 0, 0x1234, 0), -XEN_EINVAL);
	assert_int_equal(register_info(fx->d, 0, info_gfn(), 4096 - 48), 0);
	/* Once only. */
	assert_int_equal(register_info(fx->d, 0, info_gfn(), 0), -XEN_EINVAL);
}

static void test_register_for_other_vcpu_only_while_offline(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d2 = ut_add_domain(fx, 2, false, 3);
	uint64_t gfn = (d2->mem.region[0].gpa >> 12) + 0x20;

	/* vCPU 1 has no legacy slot: events go to a dummy until now. */
	assert_false(hv_vcpu_info_registered(&d2->vcpu[1]));
	assert_int_equal(register_info(d2, 1, gfn, 0), 0);
	assert_int_equal(hv_vcpu_info(&d2->vcpu[1])->evtchn_upcall_pending, 1);
	d2->vcpu[2].online = true;
	assert_int_equal(register_info(d2, 2, gfn, 64), -XEN_EINVAL);
}

static long init_control(struct hv_domain *d, uint32_t vcpu, uint64_t gfn)
{
	struct evtchn_init_control ic = { .control_gfn = gfn, .vcpu = vcpu };

	return EV(d, EVTCHNOP_init_control, ic);
}

/* Each vCPU's vcpu_info, runstate area and FIFO control block are
 * registered once per domain (Xen refuses a second: -EINVAL), a cancelled
 * suspend keeps them, and a resume on a new host drops them for every
 * vCPU, so that each may register again. */
static void test_registrations_once_per_domain_until_new_host(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d = ut_add_domain(fx, 2, false, 3);
	uint64_t gfn = (d->mem.region[0].gpa >> 12) + 0x20;
	struct vcpu_register_runstate_memory_area area = {
		.addr.p = (gfn + 1) << 12,
	};

	assert_int_equal(register_info(d, 1, gfn, 0), 0);
	assert_int_equal(vop(d, VCPUOP_register_runstate_memory_area, 1,
			     &area, sizeof(area)), 0);
	assert_int_equal(init_control(d, 0, gfn + 2), 0);
	assert_int_equal(init_control(d, 1, gfn + 3), 0);
	assert_int_equal(register_info(d, 1, gfn, 64), -XEN_EINVAL);
	assert_int_equal(init_control(d, 1, gfn + 3), -XEN_EINVAL);

	hv_domain_shutdown(d, SHUTDOWN_suspend);
	assert_int_equal(hv_domain_resume(d, false), 0);
	assert_true(hv_vcpu_info_registered(&d->vcpu[1]));
	assert_int_equal(register_info(d, 1, gfn, 0), -XEN_EINVAL);
	assert_int_equal(init_control(d, 1, gfn + 3), -XEN_EINVAL);

	hv_domain_shutdown(d, SHUTDOWN_suspend);
	assert_int_equal(hv_domain_resume(d, true), 0);
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		assert_false(hv_vcpu_info_registered(&d->vcpu[i]));
		assert_int_equal(d->vcpu[i].state->runstate_gva, 0);
	}
	assert_int_equal(register_info(d, 1, gfn, 0), 0);
	assert_int_equal(init_control(d, 0, gfn + 2), 0);
	assert_int_equal(init_control(d, 1, gfn + 3), 0);
	assert_int_equal(register_info(d, 1, gfn, 0), -XEN_EINVAL);
}

static void test_runstate_area_written_and_updated(void **state)
{
	struct fixture *fx = *state;
	struct vcpu_register_runstate_memory_area area = {
		.addr.p = fx_gpa(INFO_PAGE),
	};
	struct vcpu_runstate_info *rs = fx_ptr(fx, fx_gpa(INFO_PAGE));

	fx->m->now_ns = 1000;
	assert_int_equal(vop(fx->d, VCPUOP_register_runstate_memory_area, 0,
			     &area, sizeof(area)), 0);
	assert_int_equal(rs->state, RUNSTATE_running);
	assert_int_equal(rs->time[RUNSTATE_running], 1000);
	hv_vcpu_runstate_set(&fx->d->vcpu[0], RUNSTATE_blocked);
	hv_time_advance_to(fx->m, 5000);
	hv_vcpu_runstate_set(&fx->d->vcpu[0], RUNSTATE_running);
	assert_int_equal(rs->state, RUNSTATE_running);
	assert_int_equal(rs->state_entry_time, 5000);
	assert_int_equal(rs->time[RUNSTATE_blocked], 4000);
	assert_int_equal(rs->time[RUNSTATE_running], 1000);
}

static void test_runstate_area_accepts_any_handle(void **state)
{
	struct fixture *fx = *state;
	struct vcpu_register_runstate_memory_area area = { .addr.p = 0x10 };
	const uint64_t bad[5] = { VCPUOP_register_runstate_memory_area, 0,
				  0x10, 0, 0 };

	/* ARM never checks the handle: a bad one is simply never written. */
	assert_int_equal(vop(fx->d, VCPUOP_register_runstate_memory_area, 0,
			     &area, sizeof(area)), 0);
	hv_vcpu_runstate_set(&fx->d->vcpu[0], RUNSTATE_blocked);
	assert_int_equal(hv_hypercall(&fx->d->vcpu[0], __HYPERVISOR_vcpu_op,
				      bad), -XEN_EFAULT);
	assert_int_equal(vop(fx->d, VCPUOP_register_runstate_memory_area, 4,
			     &area, sizeof(area)), -XEN_ENOENT);
}

static void test_other_vcpu_ops_refused_as_on_arm(void **state)
{
	static const int refused[] = {
		VCPUOP_initialise, VCPUOP_up, VCPUOP_down, VCPUOP_is_up,
		VCPUOP_get_runstate_info, VCPUOP_set_periodic_timer,
		VCPUOP_stop_periodic_timer, VCPUOP_set_singleshot_timer,
		VCPUOP_stop_singleshot_timer, VCPUOP_send_nmi,
		VCPUOP_get_physid, VCPUOP_register_vcpu_time_memory_area, 99,
	};
	struct fixture *fx = *state;
	uint8_t arg[64] = { 0 };

	for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_int_equal(vop(fx->d, refused[i], 0, arg, sizeof(arg)),
				 -XEN_EINVAL);
	/* The vCPU is checked first, whatever the command. */
	assert_int_equal(vop(fx->d, VCPUOP_up, 7, arg, sizeof(arg)),
			 -XEN_ENOENT);
}

static void test_arm_has_no_set_timer_op(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_set_timer_op, 1000, 0,
				      0), -XEN_ENOSYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_register_vcpu_info_moves_it_and_marks_all_pending),
		FX_TEST(test_register_vcpu_info_errors),
		FX_TEST(test_register_for_other_vcpu_only_while_offline),
		FX_TEST(test_registrations_once_per_domain_until_new_host),
		FX_TEST(test_runstate_area_written_and_updated),
		FX_TEST(test_runstate_area_accepts_any_handle),
		FX_TEST(test_other_vcpu_ops_refused_as_on_arm),
		FX_TEST(test_arm_has_no_set_timer_op),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
