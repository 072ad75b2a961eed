/* SPDX-License-Identifier: BSD-2-Clause */
/* Hypercall dispatch, hvc immediates other than 0 and 0xEA1, and a debug
 * Xen's debug traps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/xen.h>

#include "fixture.h"

static void test_dispatch_unknown_numbers_are_enosys(void **state)
{
	static const uint64_t ops[] = { 1, 22, 63, 64, 1000, UINT64_MAX };

	for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		assert_int_equal(fx_hypercall(*state, ops[i], 0, 0, 0),
				 -XEN_ENOSYS);
}

static void test_dispatch_names_known_hypercalls(void **state)
{
	(void)state;
	assert_string_equal(hv_hypercall_name(__HYPERVISOR_console_io),
			    "console_io");
	assert_string_equal(hv_hypercall_name(9999), "unknown");
}

static void test_dispatch_logs_each_call_at_debug_level(void **state)
{
	struct fixture *fx = *state;

	fx->m->log_level = HV_LOG_DEBUG;
	fx_hypercall(fx, __HYPERVISOR_xen_version, 0, 0, 0);
	assert_true(fx_has_text(fx, "d1v0: xen_version(0, 0, 0) = 262161"));
}

static char x0_char = 'Q';

static uint64_t fake_reg(struct hv_vcpu *v, unsigned n)
{
	(void)v;
	return n == 0 ? (uint64_t)x0_char : 0x1000 + n;
}

static uint64_t fake_pc(struct hv_vcpu *v)
{
	(void)v;
	return 0x40001234;
}

static unsigned dumps;

static void fake_dump(struct hv_vcpu *v)
{
	(void)v;
	dumps++;
}

static const struct hv_vcpu_ops fake_ops = {
	.get_reg = fake_reg, .get_pc = fake_pc, .dump = fake_dump,
};

static void test_debug_print_register(void **state)
{
	struct fixture *fx = *state;

	fx->m->xen_debug = true;
	fx->d->vcpu[0].ops = &fake_ops;
	assert_int_equal(hv_hvc_other(&fx->d->vcpu[0], 0xffe5), HV_HVC_RETURN);
	assert_true(fx_has_line(fx, "(XEN) DOM1: R5 = 0x0000000000001005 at "
				    "0x0000000040001234"));
}

static void test_debug_print_pc(void **state)
{
	struct fixture *fx = *state;

	fx->m->xen_debug = true;
	fx->d->vcpu[0].ops = &fake_ops;
	assert_int_equal(hv_hvc_other(&fx->d->vcpu[0], 0xfffd), HV_HVC_RETURN);
	assert_true(fx_has_line(fx, "(XEN) DOM1: Reached 0000000040001234"));
}

static void test_debug_chars_gather_into_a_line(void **state)
{
	struct fixture *fx = *state;

	const char *text = "hi\001\n";

	fx->m->xen_debug = true;
	fx->d->vcpu[0].ops = &fake_ops;
	for (const char *c = text; *c; c++) {
		x0_char = *c;
		assert_int_equal(hv_hvc_other(&fx->d->vcpu[0], 0xfffe),
				 HV_HVC_RETURN);
		if (c[1])
			assert_int_equal(fx->nr_lines, 0);
	}
	/* Unprintable characters show as '?'. */
	assert_true(fx_has_line(fx, "(XEN) hi?"));
}

static void test_debug_dump_asks_the_runtime(void **state)
{
	struct fixture *fx = *state;

	dumps = 0;
	fx->m->xen_debug = true;
	fx->d->vcpu[0].ops = &fake_ops;
	assert_int_equal(hv_hvc_other(&fx->d->vcpu[0], 0xffff), HV_HVC_RETURN);
	assert_int_equal(dumps, 1);
	assert_true(fx_has_line(fx, "(XEN) DOM1: DEBUG"));
}

static void test_debug_unhandled_immediate_is_logged(void **state)
{
	struct fixture *fx = *state;

	fx->m->xen_debug = true;
	assert_int_equal(hv_hvc_other(&fx->d->vcpu[0], 0xfff0), HV_HVC_RETURN);
	assert_true(fx_has_line(fx, "(XEN) DOM1: Unhandled debug trap 0xf0"));
	assert_int_equal(fx->d->debug_record.nr, 1);
}

/* A debug build still refuses what is not a debug immediate. */
static void test_debug_xen_other_immediates_are_undefined(void **state)
{
	struct fixture *fx = *state;

	fx->m->xen_debug = true;
	assert_int_equal(hv_hvc_other(&fx->d->vcpu[0], 0x0001), HV_HVC_UNDEFINED);
	assert_int_equal(hv_hvc_other(&fx->d->vcpu[0], 0xfeff), HV_HVC_UNDEFINED);
	assert_true(fx_has_line(fx, "(XEN) d1v0 Invalid HVC imm 0x1"));
	assert_true(fx_has_line(fx, "(XEN) d1v0 Invalid HVC imm 0xfeff"));
	assert_int_equal(fx->d->debug_record.nr, 0);
}

/* A release build (the default): the debug immediates are undefined too,
 * logged as Xen 4.17 logs them, and print nothing else. */
static void test_release_xen_debug_immediates_are_undefined(void **state)
{
	static const uint16_t imms[] = { 0xffe5, 0xfffd, 0xfffe, 0xffff,
					 0xff00, 0x0001, 0x8000, 0x0ea0 };
	struct fixture *fx = *state;
	char want[64];

	dumps = 0;
	fx->d->vcpu[0].ops = &fake_ops;
	for (unsigned i = 0; i < sizeof(imms) / sizeof(imms[0]); i++) {
		assert_int_equal(hv_hvc_other(&fx->d->vcpu[0], imms[i]),
				 HV_HVC_UNDEFINED);
		snprintf(want, sizeof(want), "(XEN) d1v0 Invalid HVC imm %#x",
			 imms[i]);
		assert_true(fx_has_line(fx, want));
	}
	assert_int_equal(fx->nr_lines, sizeof(imms) / sizeof(imms[0]));
	assert_int_equal(fx->d->debug_record.nr, 0);
	assert_int_equal(dumps, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_dispatch_unknown_numbers_are_enosys),
		FX_TEST(test_dispatch_names_known_hypercalls),
		FX_TEST(test_dispatch_logs_each_call_at_debug_level),
		FX_TEST(test_debug_print_register),
		FX_TEST(test_debug_print_pc),
		FX_TEST(test_debug_chars_gather_into_a_line),
		FX_TEST(test_debug_dump_asks_the_runtime),
		FX_TEST(test_debug_unhandled_immediate_is_logged),
		FX_TEST(test_debug_xen_other_immediates_are_undefined),
		FX_TEST(test_release_xen_debug_immediates_are_undefined),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
