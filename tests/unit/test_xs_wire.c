/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The xenstore wire ABI (guest/include/xen/io/xs_wire.h) against the
 * documented facts: op numbers, header and ring page layout, limits and
 * the error-name table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/io/xs_wire.h>

static void test_xs_wire_op_numbers_match_xen(void **state)
{
	static const struct { uint32_t value, want; } ops[] = {
		{ XS_CONTROL, 0 }, { XS_DEBUG, 0 }, { XS_DIRECTORY, 1 }, { XS_READ, 2 },
		{ XS_GET_PERMS, 3 }, { XS_WATCH, 4 }, { XS_UNWATCH, 5 },
		{ XS_TRANSACTION_START, 6 }, { XS_TRANSACTION_END, 7 }, { XS_INTRODUCE, 8 },
		{ XS_RELEASE, 9 }, { XS_GET_DOMAIN_PATH, 10 }, { XS_WRITE, 11 }, { XS_MKDIR, 12 },
		{ XS_RM, 13 }, { XS_SET_PERMS, 14 }, { XS_WATCH_EVENT, 15 }, { XS_ERROR, 16 },
		{ XS_IS_DOMAIN_INTRODUCED, 17 }, { XS_RESUME, 18 }, { XS_SET_TARGET, 19 },
		{ XS_RESET_WATCHES, 21 }, { XS_DIRECTORY_PART, 22 }, { XS_GET_FEATURE, 23 },
		{ XS_SET_FEATURE, 24 }, { XS_GET_QUOTA, 25 }, { XS_SET_QUOTA, 26 },
		{ XS_INVALID, 0xffff },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		assert_int_equal(ops[i].value, ops[i].want);
}

static void test_xs_wire_header_and_page_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct xsd_sockmsg), 16);
	assert_int_equal(offsetof(struct xsd_sockmsg, req_id), 4);
	assert_int_equal(offsetof(struct xsd_sockmsg, tx_id), 8);
	assert_int_equal(offsetof(struct xsd_sockmsg, len), 12);
	assert_int_equal(offsetof(struct xenstore_domain_interface, rsp), 1024);
	assert_int_equal(offsetof(struct xenstore_domain_interface, req_cons), 2048);
	assert_int_equal(offsetof(struct xenstore_domain_interface, req_prod), 2052);
	assert_int_equal(offsetof(struct xenstore_domain_interface, rsp_cons), 2056);
	assert_int_equal(offsetof(struct xenstore_domain_interface, rsp_prod), 2060);
	assert_int_equal(offsetof(struct xenstore_domain_interface, server_features), 2064);
	assert_int_equal(offsetof(struct xenstore_domain_interface, connection), 2068);
	assert_int_equal(offsetof(struct xenstore_domain_interface, error), 2072);
	assert_int_equal(MASK_XENSTORE_IDX(UINT32_MAX), 1023);
}

static void test_xs_wire_limits_and_flags(void **state)
{
	(void)state;
	assert_int_equal(XENSTORE_PAYLOAD_MAX, 4096);
	assert_int_equal(XENSTORE_ABS_PATH_MAX, 3072);
	assert_int_equal(XENSTORE_REL_PATH_MAX, 2048);
	assert_int_equal(XENSTORE_SERVER_FEATURE_RECONNECTION, 1);
	assert_int_equal(XENSTORE_SERVER_FEATURE_ERROR, 2);
	assert_int_equal(XENSTORE_CONNECTED, 0);
	assert_int_equal(XENSTORE_RECONNECT, 1);
	assert_int_equal(XENSTORE_ERROR_NONE, 0);
	assert_int_equal(XENSTORE_ERROR_COMM, 1);
	assert_int_equal(XENSTORE_ERROR_RINGIDX, 2);
	assert_int_equal(XENSTORE_ERROR_PROTO, 3);
}

static void test_xs_wire_error_table_in_documented_order(void **state)
{
	static const char *const names[] = {
		"EINVAL", "EACCES", "EEXIST", "EISDIR", "ENOENT", "ENOMEM", "ENOSPC", "EIO",
		"ENOTEMPTY", "ENOSYS", "EROFS", "EBUSY", "EAGAIN", "EISCONN", "E2BIG", "EPERM",
	};
	static const int nums[] = { 22, 13, 17, 21, 2, 12, 28, 5, 39, 38, 30, 16, 11, 106, 7, 1 };

	(void)state;
	assert_int_equal(XSD_ERROR_COUNT, 16);
	for (size_t i = 0; i < XSD_ERROR_COUNT; i++) {
		assert_string_equal(xsd_errors[i].errstring, names[i]);
		assert_int_equal(xsd_errors[i].errnum, nums[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xs_wire_op_numbers_match_xen),
		cmocka_unit_test(test_xs_wire_header_and_page_layout),
		cmocka_unit_test(test_xs_wire_limits_and_flags),
		cmocka_unit_test(test_xs_wire_error_table_in_documented_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
