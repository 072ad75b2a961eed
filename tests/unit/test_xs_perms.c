/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Permissions: owner first, r/w/b/n, the owner entry as the default for
 * other domains, dom0 privileged, SET_TARGET, errors that do not reveal
 * what a domain may not see, and dom0-only ops refused to guests.
 */
#include "test_xs_helpers.h"

#include <stdio.h>

struct fixture {
	struct hv_xs *xs;
	struct tpeer dom0, d1, d2;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->xs = txs_new();
	tpeer_init(&f->dom0, f->xs, 0);
	tpeer_init(&f->d1, f->xs, 1);
	tpeer_init(&f->d2, f->xs, 2);
	assert_int_equal(hv_xs_domain_introduce(f->xs, 1), 0);
	assert_int_equal(hv_xs_domain_introduce(f->xs, 2), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tpeer_fini(&f->dom0);
	tpeer_fini(&f->d1);
	tpeer_fini(&f->d2);
	hv_xs_free(f->xs);
	free(f);
	return 0;
}

/* dom0 creates path with value "v" and the given permission strings. */
static void node_with_perms(struct fixture *f, const char *path, const char *p0, const char *p1)
{
	twrite_ok(&f->dom0, 0, path, "v");
	assert_ok(tcall(&f->dom0, XS_SET_PERMS, 0, path, p0, p1, NULL), XS_SET_PERMS);
}

static void test_xs_perms_get_perms_lists_owner_first(void **state)
{
	struct fixture *f = *state;
	const struct tmsg *r;

	node_with_perms(f, "/n", "b1", "r2");
	r = tcall(&f->dom0, XS_GET_PERMS, 0, "/n", NULL);
	assert_ok(r, XS_GET_PERMS);
	assert_int_equal(r->hdr.len, 6);
	assert_memory_equal(r->payload, "b1\0r2\0", 6);
}

static void test_xs_perms_owner_has_full_access_whatever_its_bits(void **state)
{
	struct fixture *f = *state;

	node_with_perms(f, "/n", "n1", NULL);
	assert_string_equal(tread_ok(&f->d1, 0, "/n"), "v");
	twrite_ok(&f->d1, 0, "/n", "owner wrote");
}

static void test_xs_perms_owner_bits_are_the_default_for_others(void **state)
{
	struct fixture *f = *state;

	node_with_perms(f, "/n", "r1", NULL);
	assert_string_equal(tread_ok(&f->d2, 0, "/n"), "v");
	assert_xs_error(twrite(&f->d2, 0, "/n", "x"), "EACCES");
}

static void test_xs_perms_listed_domain_overrides_default(void **state)
{
	struct fixture *f = *state;

	node_with_perms(f, "/n", "r1", "w2");
	assert_xs_error(tcall(&f->d2, XS_READ, 0, "/n", NULL), "EACCES");
	twrite_ok(&f->d2, 0, "/n", "d2 wrote");
}

static void test_xs_perms_none_denies_read_and_write(void **state)
{
	struct fixture *f = *state;

	node_with_perms(f, "/n", "n1", NULL);
	assert_xs_error(tcall(&f->d2, XS_READ, 0, "/n", NULL), "EACCES");
	assert_xs_error(tcall(&f->d2, XS_DIRECTORY, 0, "/n", NULL), "EACCES");
	assert_xs_error(tcall(&f->d2, XS_GET_PERMS, 0, "/n", NULL), "EACCES");
	assert_xs_error(twrite(&f->d2, 0, "/n", "x"), "EACCES");
	assert_xs_error(tcall(&f->d2, XS_RM, 0, "/n", NULL), "EACCES");
	assert_xs_error(tcall(&f->d2, XS_MKDIR, 0, "/n", NULL), "EACCES");
}

static void test_xs_perms_dom0_is_privileged(void **state)
{
	struct fixture *f = *state;

	node_with_perms(f, "/n", "n1", NULL);
	assert_string_equal(tread_ok(&f->dom0, 0, "/n"), "v");
	twrite_ok(&f->dom0, 0, "/n", "dom0");
}

static void test_xs_perms_missing_node_under_unreadable_parent_is_eacces(void **state)
{
	struct fixture *f = *state;

	node_with_perms(f, "/hidden", "n1", NULL);
	assert_xs_error(tcall(&f->d2, XS_READ, 0, "/hidden/maybe", NULL), "EACCES");
	assert_xs_error(tcall(&f->d1, XS_READ, 0, "/hidden/maybe", NULL), "ENOENT");
}

static void test_xs_perms_create_needs_write_on_nearest_parent(void **state)
{
	struct fixture *f = *state;

	node_with_perms(f, "/ro", "r1", NULL);
	assert_xs_error(twrite(&f->d2, 0, "/ro/a/b", "x"), "EACCES");
	node_with_perms(f, "/rw", "w2", NULL);
	twrite_ok(&f->d2, 0, "/rw/a/b", "x");
}

static void test_xs_perms_guest_created_nodes_are_owned_by_guest(void **state)
{
	struct fixture *f = *state;
	const struct tmsg *r;

	node_with_perms(f, "/rw", "b0", "b2");
	twrite_ok(&f->d2, 0, "/rw/mine", "x");
	r = tcall(&f->dom0, XS_GET_PERMS, 0, "/rw/mine", NULL);
	assert_ok(r, XS_GET_PERMS);
	assert_memory_equal(r->payload, "b2\0b2\0", 6); /* inherited, owner replaced */
}

static void test_xs_perms_dom0_created_nodes_inherit_parent_perms(void **state)
{
	struct fixture *f = *state;
	const struct tmsg *r;

	node_with_perms(f, "/p", "r1", "b2");
	twrite_ok(&f->dom0, 0, "/p/child", "");
	r = tcall(&f->dom0, XS_GET_PERMS, 0, "/p/child", NULL);
	assert_memory_equal(r->payload, "r1\0b2\0", 6);
}

static void test_xs_perms_non_owner_set_perms_returns_eacces(void **state)
{
	struct fixture *f = *state;

	node_with_perms(f, "/n", "b1", "b2"); /* d2 may read and write, not own */
	assert_xs_error(tcall(&f->d2, XS_SET_PERMS, 0, "/n", "b2", NULL), "EACCES");
}

static void test_xs_perms_guest_may_not_give_node_away(void **state)
{
	struct fixture *f = *state;

	node_with_perms(f, "/n", "n1", NULL);
	assert_xs_error(tcall(&f->d1, XS_SET_PERMS, 0, "/n", "n2", NULL), "EPERM");
	assert_ok(tcall(&f->d1, XS_SET_PERMS, 0, "/n", "r1", "w2", NULL), XS_SET_PERMS);
}

static void test_xs_perms_malformed_perm_strings_return_einval(void **state)
{
	static const char *const bad[] = { "x1", "r", "r-1", "r70000", "b 1", "", "rw1", "r0x1" };
	struct fixture *f = *state;

	twrite_ok(&f->dom0, 0, "/n", "");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_xs_error(tcall(&f->dom0, XS_SET_PERMS, 0, "/n", bad[i], NULL), "EINVAL");
	assert_xs_error(tcall(&f->dom0, XS_SET_PERMS, 0, "/n", NULL), "EINVAL"); /* no perms */
}

static void test_xs_perms_set_perms_on_missing_node_returns_enoent(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(tcall(&f->dom0, XS_SET_PERMS, 0, "/missing", "b0", NULL), "ENOENT");
}

static void test_xs_perms_target_acts_as_its_target(void **state)
{
	struct fixture *f = *state;

	node_with_perms(f, "/t", "n2", NULL);
	assert_xs_error(tcall(&f->d1, XS_READ, 0, "/t", NULL), "EACCES");
	assert_ok(tcall(&f->dom0, XS_SET_TARGET, 0, "1", "2", NULL), XS_SET_TARGET);
	assert_string_equal(tread_ok(&f->d1, 0, "/t"), "v");
	twrite_ok(&f->d1, 0, "/t", "via target");
}

static void test_xs_perms_set_target_for_unknown_domain_returns_enoent(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(tcall(&f->dom0, XS_SET_TARGET, 0, "9", "2", NULL), "ENOENT");
}

/* Table: every dom0-only op, with arguments a guest might send. */
static void test_xs_perms_privileged_ops_from_guest_return_eacces(void **state)
{
	static const struct {
		uint32_t type;
		const char *a, *b, *c;
	} ops[] = {
		{ XS_INTRODUCE, "3", "1000", "4" },
		{ XS_RELEASE, "2", NULL, NULL },
		{ XS_RESUME, "2", NULL, NULL },
		{ XS_SET_TARGET, "1", "2", NULL },
		{ XS_IS_DOMAIN_INTRODUCED, "2", NULL, NULL },
		{ XS_CONTROL, "help", NULL, NULL },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		assert_xs_error(tcall(&f->d1, ops[i].type, 0, ops[i].a, ops[i].b, ops[i].c, NULL),
				"EACCES");
	assert_true(hv_xs_domain_introduced(f->xs, 2)); /* the RELEASE did nothing */
}

static void test_xs_perms_guest_may_ask_domain_path(void **state)
{
	struct fixture *f = *state;
	const struct tmsg *r = tcall(&f->d1, XS_GET_DOMAIN_PATH, 0, "1", NULL);

	assert_ok(r, XS_GET_DOMAIN_PATH);
	assert_string_equal((const char *)r->payload, "/local/domain/1");
}

static void test_xs_perms_special_node_perms_are_settable_by_dom0_only(void **state)
{
	struct fixture *f = *state;
	const struct tmsg *r;

	assert_xs_error(tcall(&f->d1, XS_GET_PERMS, 0, "@introduceDomain", NULL), "EACCES");
	assert_xs_error(tcall(&f->d1, XS_SET_PERMS, 0, "@introduceDomain", "r1", NULL), "EACCES");
	assert_ok(tcall(&f->dom0, XS_SET_PERMS, 0, "@introduceDomain", "n0", "r1", NULL),
		  XS_SET_PERMS);
	r = tcall(&f->d1, XS_GET_PERMS, 0, "@introduceDomain", NULL);
	assert_ok(r, XS_GET_PERMS);
	assert_memory_equal(r->payload, "n0\0r1\0", 6);
	assert_xs_error(tcall(&f->dom0, XS_GET_PERMS, 0, "@other", NULL), "ENOENT");
}

static void test_xs_perms_dom0_may_list_many_domains(void **state)
{
	struct fixture *f = *state;
	uint8_t payload[XENSTORE_PAYLOAD_MAX];
	uint32_t len = 0;
	const struct tmsg *r;

	twrite_ok(&f->dom0, 0, "/many", "");
	memcpy(payload, "/many", 6);
	len = 6;
	for (int i = 0; i < 300; i++)
		len += (uint32_t)sprintf((char *)payload + len, "r%d", i + 1) + 1;
	assert_ok(traw(&f->dom0, XS_SET_PERMS, 0, payload, len), XS_SET_PERMS);
	r = tcall(&f->dom0, XS_GET_PERMS, 0, "/many", NULL);
	assert_ok(r, XS_GET_PERMS);
	assert_int_equal(r->hdr.len, len - 6);
	assert_memory_equal(r->payload, payload + 6, len - 6);
}

static void test_xs_perms_special_perms_set_in_transaction_apply_on_commit(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->dom0);

	assert_ok(tcall(&f->dom0, XS_SET_PERMS, t, "@releaseDomain", "n0", "r1", NULL),
		  XS_SET_PERMS);
	assert_ok(tcall(&f->dom0, XS_TRANSACTION_END, t, "F", NULL), XS_TRANSACTION_END);
	assert_xs_error(tcall(&f->d1, XS_GET_PERMS, 0, "@releaseDomain", NULL), "EACCES");
	t = ttxn_start(&f->dom0);
	assert_ok(tcall(&f->dom0, XS_SET_PERMS, t, "@releaseDomain", "n0", "r1", NULL),
		  XS_SET_PERMS);
	assert_ok(tcall(&f->dom0, XS_TRANSACTION_END, t, "T", NULL), XS_TRANSACTION_END);
	assert_ok(tcall(&f->d1, XS_GET_PERMS, 0, "@releaseDomain", NULL), XS_GET_PERMS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_xs_perms_get_perms_lists_owner_first),
		T(test_xs_perms_owner_has_full_access_whatever_its_bits),
		T(test_xs_perms_owner_bits_are_the_default_for_others),
		T(test_xs_perms_listed_domain_overrides_default),
		T(test_xs_perms_none_denies_read_and_write),
		T(test_xs_perms_dom0_is_privileged),
		T(test_xs_perms_missing_node_under_unreadable_parent_is_eacces),
		T(test_xs_perms_create_needs_write_on_nearest_parent),
		T(test_xs_perms_guest_created_nodes_are_owned_by_guest),
		T(test_xs_perms_dom0_created_nodes_inherit_parent_perms),
		T(test_xs_perms_non_owner_set_perms_returns_eacces),
		T(test_xs_perms_guest_may_not_give_node_away),
		T(test_xs_perms_malformed_perm_strings_return_einval),
		T(test_xs_perms_set_perms_on_missing_node_returns_enoent),
		T(test_xs_perms_target_acts_as_its_target),
		T(test_xs_perms_set_target_for_unknown_domain_returns_enoent),
		T(test_xs_perms_privileged_ops_from_guest_return_eacces),
		T(test_xs_perms_guest_may_ask_domain_path),
		T(test_xs_perms_special_node_perms_are_settable_by_dom0_only),
		T(test_xs_perms_dom0_may_list_many_domains),
		T(test_xs_perms_special_perms_set_in_transaction_apply_on_commit),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
