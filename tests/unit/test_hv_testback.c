/* SPDX-License-Identifier: BSD-2-Clause */
/* The xensim-test backend facing a frontend that writes nonsense: each bad
 * value closes the device with an error node, and the model goes on. (The
 * well-behaved path runs in the battery, in every runtime.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hv/machine.h"
#include "hv/testback.h"
#include "hv/xs.h"

#define FE "/local/domain/1/device/xensim-test/0"
#define BE "/local/domain/0/backend/xensim-test/1/0"

static struct {
	struct hv_machine *m;
	struct hv_domain *dom0, *guest;
	struct hv_xs *xs;
	struct hv_testback tb;
} w;

static int setup(void **state)
{
	struct hv_domain_config d0 = { .name = "Domain-0", .domid = 0,
				       .ram_bytes = 1 << 20, .nr_vcpus = 1,
				       .privileged = true };
	struct hv_domain_config d1 = { .name = "guest", .domid = 1,
				       .ram_bytes = 16 << 20, .nr_vcpus = 1 };
	struct hv_xs_domain_info info = { .domid = 1, .name = "guest",
					   .memory_kb = 16384, .vcpus = 1 };

	(void)state;
	memset(&w, 0, sizeof(w));
	w.m = hv_machine_new(NULL, NULL);
	if (!w.m)
		return -1;
	w.m->log_level = HV_LOG_ERR;
	w.xs = hv_xs_new(NULL);
	if (!w.xs || hv_domain_create(w.m, &d0, &w.dom0) ||
	    hv_domain_create(w.m, &d1, &w.guest) ||
	    hv_xs_toolstack_create_domain(w.xs, &info))
		return -1;
	return hv_testback_create(&w.tb, w.xs, w.dom0, w.guest);
}

static int teardown(void **state)
{
	(void)state;
	hv_testback_destroy(&w.tb);
	hv_xs_free(w.xs);
	hv_machine_free(w.m);
	return 0;
}

static void frontend_writes(const char *src, const char *dst, const char *port)
{
	if (src)
		assert_int_equal(hv_xs_write_str(w.xs, FE "/src-ref", src), 0);
	if (dst)
		assert_int_equal(hv_xs_write_str(w.xs, FE "/dst-ref", dst), 0);
	if (port)
		assert_int_equal(hv_xs_write_str(w.xs, FE "/event-channel", port),
				 0);
	assert_int_equal(hv_xs_write_str(w.xs, FE "/state", "3"), 0);
}

static void expect_closed_with(const char *error)
{
	char buf[96];
	int n;

	assert_true(hv_testback_run(&w.tb));
	assert_int_equal(w.tb.dev.xb.be_state, XenbusStateClosing);
	n = hv_xs_read(w.xs, BE "/error", buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, error));
	assert_int_equal(w.tb.connects, 0);
	assert_false(w.tb.mapped);
	assert_int_equal(w.tb.port, 0);
}

static void test_testback_creates_both_directories(void **state)
{
	char buf[96];

	(void)state;
	assert_true(hv_xs_read(w.xs, FE "/backend", buf, sizeof(buf)) > 0);
	assert_true(hv_xs_read(w.xs, BE "/frontend", buf, sizeof(buf)) > 0);
	assert_int_equal(w.tb.dev.xb.be_state, XenbusStateInitWait);
	assert_false(hv_testback_run(&w.tb));
}

static void test_testback_refuses_garbage_refs(void **state)
{
	(void)state;
	frontend_writes("twelve", "1", "5");
	expect_closed_with("malformed");
}

static void test_testback_refuses_missing_port(void **state)
{
	(void)state;
	frontend_writes("1", "2", NULL);
	expect_closed_with("malformed");
}

static void test_testback_refuses_port_zero(void **state)
{
	(void)state;
	frontend_writes("1", "2", "0");
	expect_closed_with("malformed");
}

static void test_testback_refuses_ungranted_refs(void **state)
{
	char buf[16];
	int n;

	(void)state;
	/* The guest granted nothing: the copy fails with a status. */
	frontend_writes("7", "8", "3");
	expect_closed_with("cannot copy from src-ref");
	n = hv_xs_read(w.xs, BE "/copy-status", buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_true(buf[0] == '-');
}

static void test_testback_huge_ref_is_refused(void **state)
{
	(void)state;
	frontend_writes("99999999999999999999", "1", "1");
	expect_closed_with("malformed");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_testback_creates_both_directories),
		T(test_testback_refuses_garbage_refs),
		T(test_testback_refuses_missing_port),
		T(test_testback_refuses_port_zero),
		T(test_testback_refuses_ungranted_refs),
		T(test_testback_huge_ref_is_refused),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
