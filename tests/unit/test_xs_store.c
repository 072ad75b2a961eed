/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xenstored store behaviour over the wire, as dom0: reads, writes, mkdir,
 * rm, directories (including DIRECTORY_PART), paths, domain paths and
 * node accounting.
 */
#include "test_xs_helpers.h"

#include <stdio.h>

struct fixture {
	struct hv_xs *xs;
	struct tpeer dom0;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->xs = txs_new();
	tpeer_init(&f->dom0, f->xs, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tpeer_fini(&f->dom0);
	hv_xs_free(f->xs);
	free(f);
	return 0;
}

static void test_xs_write_then_read_returns_value(void **state)
{
	struct fixture *f = *state;

	twrite_ok(&f->dom0, 0, "/a", "hello");
	assert_string_equal(tread_ok(&f->dom0, 0, "/a"), "hello");
}

static void test_xs_write_overwrites_value(void **state)
{
	struct fixture *f = *state;

	twrite_ok(&f->dom0, 0, "/a", "one");
	twrite_ok(&f->dom0, 0, "/a", "two");
	assert_string_equal(tread_ok(&f->dom0, 0, "/a"), "two");
}

static void test_xs_value_may_hold_binary_and_nul_bytes(void **state)
{
	struct fixture *f = *state;
	const uint8_t payload[] = { '/', 'b', 0, 1, 0, 0xff, 'x' };
	const struct tmsg *r;

	assert_ok(traw(&f->dom0, XS_WRITE, 0, payload, sizeof(payload)), XS_WRITE);
	r = tcall(&f->dom0, XS_READ, 0, "/b", NULL);
	assert_ok(r, XS_READ);
	assert_int_equal(r->hdr.len, 4);
	assert_memory_equal(r->payload, payload + 3, 4);
}

static void test_xs_write_of_empty_value_reads_back_empty(void **state)
{
	struct fixture *f = *state;
	const struct tmsg *r;

	twrite_ok(&f->dom0, 0, "/e", "");
	r = tcall(&f->dom0, XS_READ, 0, "/e", NULL);
	assert_ok(r, XS_READ);
	assert_int_equal(r->hdr.len, 0);
}

static void test_xs_read_missing_returns_enoent(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(tcall(&f->dom0, XS_READ, 0, "/nope", NULL), "ENOENT");
}

static void test_xs_write_creates_missing_parents_empty(void **state)
{
	struct fixture *f = *state;

	twrite_ok(&f->dom0, 0, "/p/q/r", "v");
	assert_string_equal(tread_ok(&f->dom0, 0, "/p"), "");
	assert_string_equal(tread_ok(&f->dom0, 0, "/p/q"), "");
	assert_string_equal(tread_ok(&f->dom0, 0, "/p/q/r"), "v");
}

static void test_xs_mkdir_creates_and_keeps_existing_value(void **state)
{
	struct fixture *f = *state;

	assert_ok(tcall(&f->dom0, XS_MKDIR, 0, "/m/n", NULL), XS_MKDIR);
	assert_string_equal(tread_ok(&f->dom0, 0, "/m/n"), "");
	twrite_ok(&f->dom0, 0, "/m", "kept");
	assert_ok(tcall(&f->dom0, XS_MKDIR, 0, "/m", NULL), XS_MKDIR);
	assert_string_equal(tread_ok(&f->dom0, 0, "/m"), "kept");
}

static void test_xs_rm_removes_node_and_subtree(void **state)
{
	struct fixture *f = *state;

	twrite_ok(&f->dom0, 0, "/r/a/b", "1");
	twrite_ok(&f->dom0, 0, "/r/c", "2");
	assert_ok(tcall(&f->dom0, XS_RM, 0, "/r", NULL), XS_RM);
	assert_xs_error(tcall(&f->dom0, XS_READ, 0, "/r/a/b", NULL), "ENOENT");
	assert_xs_error(tcall(&f->dom0, XS_READ, 0, "/r", NULL), "ENOENT");
}

static void test_xs_rm_missing_node_with_parent_succeeds(void **state)
{
	struct fixture *f = *state;

	twrite_ok(&f->dom0, 0, "/parent", "");
	assert_ok(tcall(&f->dom0, XS_RM, 0, "/parent/child", NULL), XS_RM);
}

static void test_xs_rm_missing_node_without_parent_returns_enoent(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(tcall(&f->dom0, XS_RM, 0, "/none/child", NULL), "ENOENT");
}

static void test_xs_rm_root_returns_einval(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(tcall(&f->dom0, XS_RM, 0, "/", NULL), "EINVAL");
}

/* A lookup matches whole names: no prefix, no extension, no other node. */
static void test_xs_names_that_share_a_prefix_are_told_apart(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = { "/p/a", "/p/ab", "/p/abc", "/p/b", "/p/ba" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		twrite_ok(&f->dom0, 0, names[i], names[i] + 3);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_string_equal(tread_ok(&f->dom0, 0, names[i]), names[i] + 3);
	assert_xs_error(tcall(&f->dom0, XS_READ, 0, "/p/abcd", NULL), "ENOENT");
	assert_xs_error(tcall(&f->dom0, XS_READ, 0, "/p/c", NULL), "ENOENT");
	assert_xs_error(tcall(&f->dom0, XS_READ, 0, "/p/a/b", NULL), "ENOENT");
}

/* Enough children for the store to index them by name: each still found
 * after others were removed before it and added after. */
static void test_xs_many_children_found_after_removals(void **state)
{
	struct fixture *f = *state;
	char path[32], buf[512];

	for (unsigned i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "/many/c%u", i);
		twrite_ok(&f->dom0, 0, path, path + 6);
	}
	assert_ok(tcall(&f->dom0, XS_RM, 0, "/many/c5", NULL), XS_RM);
	assert_ok(tcall(&f->dom0, XS_RM, 0, "/many/c0", NULL), XS_RM);
	twrite_ok(&f->dom0, 0, "/many/c5", "again");
	for (unsigned i = 1; i < 40; i++) {
		snprintf(path, sizeof(path), "/many/c%u", i);
		assert_string_equal(tread_ok(&f->dom0, 0, path),
				    i == 5 ? "again" : path + 6);
	}
	assert_xs_error(tcall(&f->dom0, XS_READ, 0, "/many/c0", NULL), "ENOENT");
	assert_xs_error(tcall(&f->dom0, XS_READ, 0, "/many/c40", NULL), "ENOENT");
	tdir_joined(tcall(&f->dom0, XS_DIRECTORY, 0, "/many", NULL), buf,
		    sizeof(buf));
	assert_non_null(strstr(buf, "c1,c2,c3,c4,c6,"));
	assert_non_null(strstr(buf, ",c39,c5"));
}

static void test_xs_directory_lists_children_in_creation_order(void **state)
{
	struct fixture *f = *state;
	char buf[256];

	twrite_ok(&f->dom0, 0, "/d/zeta", "");
	twrite_ok(&f->dom0, 0, "/d/alpha", "");
	twrite_ok(&f->dom0, 0, "/d/mid/deep", "");
	assert_string_equal(tdir_joined(tcall(&f->dom0, XS_DIRECTORY, 0, "/d", NULL), buf,
					sizeof(buf)), "zeta,alpha,mid");
}

static void test_xs_directory_of_leaf_is_empty(void **state)
{
	struct fixture *f = *state;
	const struct tmsg *r;

	twrite_ok(&f->dom0, 0, "/leaf", "x");
	r = tcall(&f->dom0, XS_DIRECTORY, 0, "/leaf", NULL);
	assert_ok(r, XS_DIRECTORY);
	assert_int_equal(r->hdr.len, 0);
}

/* 300 children of 20-byte names: about 6300 bytes of listing. */
static void make_big_dir(struct tpeer *p)
{
	char path[64];

	for (int i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "/big/child-%014d", i);
		twrite_ok(p, 0, path, "");
	}
}

static void test_xs_directory_over_payload_max_returns_e2big(void **state)
{
	struct fixture *f = *state;

	make_big_dir(&f->dom0);
	assert_xs_error(tcall(&f->dom0, XS_DIRECTORY, 0, "/big", NULL), "E2BIG");
}

static void test_xs_directory_part_pages_through_whole_list(void **state)
{
	struct fixture *f = *state;
	char offset[16], gen[32] = "";
	unsigned off = 0, count = 0, parts = 0;

	make_big_dir(&f->dom0);
	for (;;) {
		const struct tmsg *r;
		const char *p, *end;

		snprintf(offset, sizeof(offset), "%u", off);
		r = tcall(&f->dom0, XS_DIRECTORY_PART, 0, "/big", offset, NULL);
		assert_ok(r, XS_DIRECTORY_PART);
		parts++;
		p = (const char *)r->payload;
		end = p + r->hdr.len;
		if (gen[0])
			assert_string_equal(p, gen); /* unchanged node, same gen */
		snprintf(gen, sizeof(gen), "%.31s", p);
		p += strlen(p) + 1;
		while (p < end && *p) {
			char want[32];

			snprintf(want, sizeof(want), "child-%014u", count);
			assert_string_equal(p, want);
			count++;
			off += (unsigned)strlen(p) + 1;
			p += strlen(p) + 1;
		}
		if (p < end) { /* the empty string: end of list */
			assert_ptr_equal(p + 1, end);
			break;
		}
		assert_true(parts < 10);
	}
	assert_int_equal(count, 300);
	assert_true(parts >= 2);
}

static void test_xs_directory_part_gen_changes_when_children_change(void **state)
{
	struct fixture *f = *state;
	char before[32];

	twrite_ok(&f->dom0, 0, "/g/a", "");
	snprintf(before, sizeof(before), "%.31s",
		 (const char *)tcall(&f->dom0, XS_DIRECTORY_PART, 0, "/g", "0", NULL)->payload);
	twrite_ok(&f->dom0, 0, "/g/b", "");
	assert_string_not_equal(
		(const char *)tcall(&f->dom0, XS_DIRECTORY_PART, 0, "/g", "0", NULL)->payload, before);
}

static void test_xs_directory_part_offset_past_end_returns_end_marker(void **state)
{
	struct fixture *f = *state;
	const struct tmsg *r;
	size_t gl;

	twrite_ok(&f->dom0, 0, "/g/a", "");
	r = tcall(&f->dom0, XS_DIRECTORY_PART, 0, "/g", "999", NULL);
	assert_ok(r, XS_DIRECTORY_PART);
	gl = strlen((const char *)r->payload) + 1;
	assert_int_equal(r->hdr.len, gl + 1);
	assert_int_equal(r->payload[gl], 0);
}

static void test_xs_relative_path_is_under_own_domain_home(void **state)
{
	struct fixture *f = *state;

	twrite_ok(&f->dom0, 0, "rel/key", "v");
	assert_string_equal(tread_ok(&f->dom0, 0, "/local/domain/0/rel/key"), "v");
}

static void test_xs_get_domain_path_returns_local_domain_n(void **state)
{
	struct fixture *f = *state;
	const struct tmsg *r = tcall(&f->dom0, XS_GET_DOMAIN_PATH, 0, "7", NULL);

	assert_ok(r, XS_GET_DOMAIN_PATH);
	assert_string_equal((const char *)r->payload, "/local/domain/7");
	assert_int_equal(r->hdr.len, strlen("/local/domain/7") + 1);
}

static void test_xs_write_reply_is_ok_string(void **state)
{
	struct fixture *f = *state;
	const struct tmsg *r = twrite(&f->dom0, 0, "/ok", "v");

	assert_ok(r, XS_WRITE);
	assert_int_equal(r->hdr.len, 3);
	assert_string_equal((const char *)r->payload, "OK");
}

static void test_xs_live_nodes_return_to_baseline_after_rm(void **state)
{
	struct fixture *f = *state;
	size_t base = hv_xs_live_nodes(f->xs);

	twrite_ok(&f->dom0, 0, "/tmp/a/b/c", "x");
	twrite_ok(&f->dom0, 0, "/tmp/d", "y");
	assert_int_equal(hv_xs_live_nodes(f->xs), base + 5);
	assert_ok(tcall(&f->dom0, XS_RM, 0, "/tmp", NULL), XS_RM);
	assert_int_equal(hv_xs_live_nodes(f->xs), base);
}

static void test_xs_two_daemons_in_one_process_are_independent(void **state)
{
	struct fixture *f = *state;
	struct hv_xs *other = txs_new();
	struct tpeer p;

	tpeer_init(&p, other, 0);
	twrite_ok(&f->dom0, 0, "/only-here", "1");
	assert_xs_error(tcall(&p, XS_READ, 0, "/only-here", NULL), "ENOENT");
	tpeer_fini(&p);
	hv_xs_free(other);
}

static void test_xs_free_with_open_connections_releases_everything(void **state)
{
	struct hv_xs *xs = txs_new();
	struct tpeer p;

	(void)state;
	tpeer_init(&p, xs, 0);
	twrite_ok(&p, 0, "/x/y", "z");
	ttxn_start(&p);
	twatch_ok(&p, "/x", "tok");
	/* The daemon frees the connection with its watches and transactions. */
	hv_xs_free(xs);
	free(p.replies);
	free(p.events);
}

static void test_xs_direct_api_reads_and_writes_as_dom0(void **state)
{
	struct fixture *f = *state;
	char buf[8];

	assert_int_equal(hv_xs_write_str(f->xs, "/direct/k", "value"), 0);
	assert_int_equal(hv_xs_read(f->xs, "/direct/k", buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "value", 5);
	assert_int_equal(hv_xs_read(f->xs, "/direct/none", buf, sizeof(buf)), -XEN_ENOENT);
	assert_int_equal(hv_xs_rm(f->xs, "/direct"), 0);
	assert_int_equal(hv_xs_read(f->xs, "/direct/k", buf, sizeof(buf)), -XEN_ENOENT);
}

static void test_xs_domain_node_count_follows_owner(void **state)
{
	struct fixture *f = *state;
	const struct hv_xs_perm mine = { .domid = 3, .perms = HV_XS_PERM_NONE };

	assert_int_equal(hv_xs_write_str(f->xs, "/own/a", ""), 0);
	assert_int_equal(hv_xs_domain_nodes(f->xs, 3), 0);
	assert_int_equal(hv_xs_set_perms(f->xs, "/own/a", &mine, 1), 0);
	assert_int_equal(hv_xs_domain_nodes(f->xs, 3), 1);
	assert_int_equal(hv_xs_write_str(f->xs, "/own/a/b", ""), 0); /* inherits owner 3 */
	assert_int_equal(hv_xs_domain_nodes(f->xs, 3), 2);
	assert_int_equal(hv_xs_rm(f->xs, "/own"), 0);
	assert_int_equal(hv_xs_domain_nodes(f->xs, 3), 0);
}

static void test_xs_control_help_lists_commands(void **state)
{
	struct fixture *f = *state;
	const struct tmsg *r = tcall(&f->dom0, XS_CONTROL, 0, "help", NULL);

	assert_ok(r, XS_CONTROL);
	assert_non_null(strstr((const char *)r->payload, "check"));
	assert_xs_error(tcall(&f->dom0, XS_CONTROL, 0, "bogus", NULL), "EINVAL");
}

/* What a snapshot holds comes back whole: values, removed and added
 * nodes, ownership counts, the node count and the generation a directory
 * reports; the snapshot stays usable for the next restore. */
static void test_xs_snapshot_restore_puts_back_the_store(void **state)
{
	struct fixture *f = *state;
	struct hv_xs_snapshot *snap;
	char gen[32];
	size_t nodes;

	twrite_ok(&f->dom0, 0, "/s/a", "one");
	twrite_ok(&f->dom0, 0, "/s/b", "two");
	snprintf(gen, sizeof(gen), "%.31s",
		 (const char *)tcall(&f->dom0, XS_DIRECTORY_PART, 0, "/s", "0", NULL)->payload);
	nodes = hv_xs_live_nodes(f->xs);
	snap = hv_xs_snapshot_take(f->xs);
	assert_non_null(snap);
	for (int round = 0; round < 2; round++) {
		twrite_ok(&f->dom0, 0, "/s/a", "changed");
		assert_ok(tcall(&f->dom0, XS_RM, 0, "/s/b", NULL), XS_RM);
		twrite_ok(&f->dom0, 0, "/s/c/d", "new");
		assert_int_equal(hv_xs_snapshot_restore(f->xs, snap), 0);
		assert_string_equal(tread_ok(&f->dom0, 0, "/s/a"), "one");
		assert_string_equal(tread_ok(&f->dom0, 0, "/s/b"), "two");
		assert_xs_error(tcall(&f->dom0, XS_READ, 0, "/s/c", NULL), "ENOENT");
		assert_int_equal(hv_xs_live_nodes(f->xs), nodes);
		assert_string_equal(
			(const char *)tcall(&f->dom0, XS_DIRECTORY_PART, 0, "/s", "0", NULL)->payload,
			gen);
	}
	hv_xs_snapshot_free(f->xs, snap);
	assert_string_equal(tread_ok(&f->dom0, 0, "/s/a"), "one");
}

/* Introductions, releases and the special nodes' permissions come back
 * too: what a dom0 request changed beside the tree. */
static void test_xs_snapshot_restore_puts_back_domains_and_special_perms(void **state)
{
	struct fixture *f = *state;
	struct hv_xs_snapshot *snap;
	const struct tmsg *r;

	assert_int_equal(hv_xs_domain_introduce(f->xs, 2), 0);
	snap = hv_xs_snapshot_take(f->xs);
	assert_non_null(snap);
	assert_ok(tcall(&f->dom0, XS_RELEASE, 0, "2", NULL), XS_RELEASE);
	assert_ok(tcall(&f->dom0, XS_INTRODUCE, 0, "3", "1000", "4", NULL), XS_INTRODUCE);
	assert_ok(tcall(&f->dom0, XS_SET_PERMS, 0, "@introduceDomain", "n0", "r1", NULL),
		  XS_SET_PERMS);
	assert_false(hv_xs_domain_introduced(f->xs, 2));
	assert_true(hv_xs_domain_introduced(f->xs, 3));
	assert_int_equal(hv_xs_snapshot_restore(f->xs, snap), 0);
	assert_true(hv_xs_domain_introduced(f->xs, 2));
	assert_false(hv_xs_domain_introduced(f->xs, 3));
	r = tcall(&f->dom0, XS_GET_PERMS, 0, "@introduceDomain", NULL);
	assert_ok(r, XS_GET_PERMS);
	assert_int_equal(r->hdr.len, 3);
	assert_memory_equal(r->payload, "n0\0", 3);
	hv_xs_snapshot_free(f->xs, snap);
}

static void test_xs_snapshot_restore_refused_while_a_transaction_is_open(void **state)
{
	struct fixture *f = *state;
	struct hv_xs_snapshot *snap = hv_xs_snapshot_take(f->xs);

	assert_non_null(snap);
	ttxn_start(&f->dom0);
	assert_int_equal(hv_xs_snapshot_restore(f->xs, snap), -XEN_EBUSY);
	hv_xs_snapshot_free(f->xs, snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_xs_write_then_read_returns_value),
		T(test_xs_write_overwrites_value),
		T(test_xs_value_may_hold_binary_and_nul_bytes),
		T(test_xs_write_of_empty_value_reads_back_empty),
		T(test_xs_read_missing_returns_enoent),
		T(test_xs_write_creates_missing_parents_empty),
		T(test_xs_mkdir_creates_and_keeps_existing_value),
		T(test_xs_rm_removes_node_and_subtree),
		T(test_xs_rm_missing_node_with_parent_succeeds),
		T(test_xs_rm_missing_node_without_parent_returns_enoent),
		T(test_xs_rm_root_returns_einval),
		T(test_xs_names_that_share_a_prefix_are_told_apart),
		T(test_xs_many_children_found_after_removals),
		T(test_xs_directory_lists_children_in_creation_order),
		T(test_xs_directory_of_leaf_is_empty),
		T(test_xs_directory_over_payload_max_returns_e2big),
		T(test_xs_directory_part_pages_through_whole_list),
		T(test_xs_directory_part_gen_changes_when_children_change),
		T(test_xs_directory_part_offset_past_end_returns_end_marker),
		T(test_xs_relative_path_is_under_own_domain_home),
		T(test_xs_get_domain_path_returns_local_domain_n),
		T(test_xs_write_reply_is_ok_string),
		T(test_xs_live_nodes_return_to_baseline_after_rm),
		T(test_xs_two_daemons_in_one_process_are_independent),
		T(test_xs_free_with_open_connections_releases_everything),
		T(test_xs_direct_api_reads_and_writes_as_dom0),
		T(test_xs_domain_node_count_follows_owner),
		T(test_xs_control_help_lists_commands),
		T(test_xs_snapshot_restore_puts_back_the_store),
		T(test_xs_snapshot_restore_puts_back_domains_and_special_perms),
		T(test_xs_snapshot_restore_refused_while_a_transaction_is_open),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
