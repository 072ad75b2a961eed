/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Watches: the registration event, events for a node and its descendants,
 * removal of an ancestor, special watches, relative paths, permissions
 * (no event leaks a path the watcher may not read), UNWATCH and
 * RESET_WATCHES.
 */
#include "test_xs_helpers.h"

struct fixture {
	struct hv_xs *xs;
	struct tpeer dom0, guest; /* guest is domain 1 */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const struct hv_xs_perm guest_home = { .domid = 1, .perms = HV_XS_PERM_NONE };

	f->xs = txs_new();
	tpeer_init(&f->dom0, f->xs, 0);
	tpeer_init(&f->guest, f->xs, 1);
	assert_int_equal(hv_xs_mkdir(f->xs, "/local/domain/1"), 0);
	assert_int_equal(hv_xs_set_perms(f->xs, "/local/domain/1", &guest_home, 1), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tpeer_fini(&f->dom0);
	tpeer_fini(&f->guest);
	hv_xs_free(f->xs);
	free(f);
	return 0;
}

static void test_xs_watch_fires_once_on_registration(void **state)
{
	struct fixture *f = *state;
	const struct tmsg *r = tcall(&f->dom0, XS_WATCH, 0, "/w", "tok", NULL);

	assert_ok(r, XS_WATCH);
	assert_string_equal((const char *)r->payload, "OK");
	tevent_expect(&f->dom0, "/w", "tok");
	assert_int_equal(tevents_pending(&f->dom0), 0);
}

static void test_xs_watch_fires_on_registration_for_missing_node(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->dom0, "/does/not/exist", "t");
}

static void test_xs_watch_event_has_zero_req_and_tx_id(void **state)
{
	struct fixture *f = *state;
	uint32_t t;

	twatch_ok(&f->dom0, "/w", "tok");
	t = ttxn_start(&f->dom0);
	twrite_ok(&f->dom0, t, "/w", "v");
	assert_ok(tcall(&f->dom0, XS_TRANSACTION_END, t, "T", NULL), XS_TRANSACTION_END);
	tevent_expect(&f->dom0, "/w", "tok"); /* checks req_id == tx_id == 0 */
}

static void test_xs_watch_fires_for_node_and_descendants(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->dom0, "/w", "tok");
	twrite_ok(&f->dom0, 0, "/w", "1");
	tevent_expect(&f->dom0, "/w", "tok");
	twrite_ok(&f->dom0, 0, "/w/a/b", "2");
	tevent_expect(&f->dom0, "/w/a/b", "tok");
	assert_ok(tcall(&f->dom0, XS_SET_PERMS, 0, "/w/a", "b0", NULL), XS_SET_PERMS);
	tevent_expect(&f->dom0, "/w/a", "tok");
	assert_ok(tcall(&f->dom0, XS_RM, 0, "/w/a/b", NULL), XS_RM);
	tevent_expect(&f->dom0, "/w/a/b", "tok");
	assert_int_equal(tevents_pending(&f->dom0), 0);
}

static void test_xs_watch_ignores_siblings_and_parents(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->dom0, "/w/a", "tok");
	twrite_ok(&f->dom0, 0, "/w/ab", "prefix but not a child");
	twrite_ok(&f->dom0, 0, "/w/b", "sibling");
	twrite_ok(&f->dom0, 0, "/w", "parent");
	assert_int_equal(tevents_pending(&f->dom0), 0);
}

static void test_xs_watch_on_root_sees_everything(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->dom0, "/", "all");
	twrite_ok(&f->dom0, 0, "/any/where", "");
	tevent_expect(&f->dom0, "/any/where", "all");
}

static void test_xs_watch_below_removed_node_reports_watch_path(void **state)
{
	struct fixture *f = *state;

	twrite_ok(&f->dom0, 0, "/r/a/b", "");
	twatch_ok(&f->dom0, "/r/a/b", "deep");
	twatch_ok(&f->dom0, "/r", "top");
	assert_ok(tcall(&f->dom0, XS_RM, 0, "/r/a", NULL), XS_RM);
	tevent_expect(&f->dom0, "/r/a/b", "deep");
	tevent_expect(&f->dom0, "/r/a", "top");
	assert_int_equal(tevents_pending(&f->dom0), 0);
}

static void test_xs_watch_mkdir_of_existing_node_fires_nothing(void **state)
{
	struct fixture *f = *state;

	twrite_ok(&f->dom0, 0, "/m", "");
	twatch_ok(&f->dom0, "/m", "t");
	assert_ok(tcall(&f->dom0, XS_MKDIR, 0, "/m", NULL), XS_MKDIR);
	assert_int_equal(tevents_pending(&f->dom0), 0);
}

static void test_xs_watch_several_watchers_each_get_event(void **state)
{
	struct fixture *f = *state;
	struct tpeer other;

	tpeer_init(&other, f->xs, 0);
	twatch_ok(&f->dom0, "/s", "one");
	twatch_ok(&f->dom0, "/s/x", "two");
	twatch_ok(&other, "/s", "three");
	twrite_ok(&f->dom0, 0, "/s/x", "");
	tevent_expect(&f->dom0, "/s/x", "one");
	tevent_expect(&f->dom0, "/s/x", "two");
	tevent_expect(&other, "/s/x", "three");
	tpeer_fini(&other);
}

static void test_xs_watch_reply_precedes_its_first_event(void **state)
{
	struct fixture *f = *state;
	size_t event = f->dom0.nevents;
	const struct tmsg *r = tcall(&f->dom0, XS_WATCH, 0, "/order", "t", NULL);

	assert_ok(r, XS_WATCH);
	assert_int_equal(f->dom0.nevents, event + 1);
	assert_true(r->seq < f->dom0.events[event].seq);
	tevent_expect(&f->dom0, "/order", "t");
}

static void test_xs_watch_special_introduce_and_release(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->dom0, "@introduceDomain", "in");
	twatch_ok(&f->dom0, "@releaseDomain", "out");
	assert_ok(tcall(&f->dom0, XS_INTRODUCE, 0, "5", "1234", "7", NULL), XS_INTRODUCE);
	tevent_expect(&f->dom0, "@introduceDomain", "in");
	assert_int_equal(tevents_pending(&f->dom0), 0);
	assert_ok(tcall(&f->dom0, XS_RELEASE, 0, "5", NULL), XS_RELEASE);
	tevent_expect(&f->dom0, "@releaseDomain", "out");
	assert_int_equal(tevents_pending(&f->dom0), 0);
}

static void test_xs_watch_special_not_fired_by_ordinary_writes(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->dom0, "@releaseDomain", "out");
	twrite_ok(&f->dom0, 0, "/local/domain/1/x", "");
	assert_ok(tcall(&f->dom0, XS_RM, 0, "/local/domain/1", NULL), XS_RM);
	assert_int_equal(tevents_pending(&f->dom0), 0);
}

static void test_xs_watch_special_hidden_from_guest_by_default(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->guest, "@releaseDomain", "g");
	assert_int_equal(hv_xs_domain_introduce(f->xs, 5), 0);
	assert_int_equal(hv_xs_domain_release(f->xs, 5), 0);
	assert_int_equal(tevents_pending(&f->guest), 0);
}

static void test_xs_watch_special_shown_to_guest_granted_read(void **state)
{
	struct fixture *f = *state;

	assert_ok(tcall(&f->dom0, XS_SET_PERMS, 0, "@releaseDomain", "n0", "r1", NULL),
		  XS_SET_PERMS);
	twatch_ok(&f->guest, "@releaseDomain", "g");
	assert_int_equal(hv_xs_domain_introduce(f->xs, 5), 0);
	assert_int_equal(hv_xs_domain_release(f->xs, 5), 0);
	tevent_expect(&f->guest, "@releaseDomain", "g");
}

static void test_xs_watch_does_not_leak_unreadable_paths(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->guest, "/", "all");
	twrite_ok(&f->dom0, 0, "/secret/key", "x"); /* inherits "n0" from / */
	assert_ok(tcall(&f->dom0, XS_RM, 0, "/secret", NULL), XS_RM);
	assert_int_equal(tevents_pending(&f->guest), 0);
}

static void test_xs_watch_delivers_readable_paths_to_guest(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->guest, "/pub", "p");
	twrite_ok(&f->dom0, 0, "/pub", "");
	assert_int_equal(tevents_pending(&f->guest), 0); /* "n0": not for domain 1 */
	assert_ok(tcall(&f->dom0, XS_SET_PERMS, 0, "/pub", "r0", NULL), XS_SET_PERMS);
	tevent_expect(&f->guest, "/pub", "p");
	twrite_ok(&f->dom0, 0, "/pub/k", "v");
	tevent_expect(&f->guest, "/pub/k", "p");
}

static void test_xs_watch_rm_event_judged_by_removed_nodes_perms(void **state)
{
	struct fixture *f = *state;

	twrite_ok(&f->dom0, 0, "/pub/open", "");
	assert_ok(tcall(&f->dom0, XS_SET_PERMS, 0, "/pub/open", "r0", NULL), XS_SET_PERMS);
	twatch_ok(&f->guest, "/pub/open", "g");
	assert_ok(tcall(&f->dom0, XS_RM, 0, "/pub", NULL), XS_RM);
	tevent_expect(&f->guest, "/pub/open", "g");
}

static void test_xs_watch_relative_path_gets_relative_events(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->guest, "device", "rel");
	twrite_ok(&f->dom0, 0, "/local/domain/1/device/vif/0/state", "1");
	tevent_expect(&f->guest, "device/vif/0/state", "rel");
	assert_ok(tcall(&f->dom0, XS_RM, 0, "/local/domain/1", NULL), XS_RM);
	tevent_expect(&f->guest, "device", "rel");
}

static void test_xs_watch_absolute_path_of_guest_stays_absolute(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->guest, "/local/domain/1/data", "abs");
	twrite_ok(&f->guest, 0, "data/x", "1");
	tevent_expect(&f->guest, "/local/domain/1/data/x", "abs");
}

static void test_xs_unwatch_stops_events(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->dom0, "/u", "t");
	assert_ok(tcall(&f->dom0, XS_UNWATCH, 0, "/u", "t", NULL), XS_UNWATCH);
	twrite_ok(&f->dom0, 0, "/u", "");
	assert_int_equal(tevents_pending(&f->dom0), 0);
}

static void test_xs_unwatch_unknown_returns_enoent(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->dom0, "/u", "t");
	assert_xs_error(tcall(&f->dom0, XS_UNWATCH, 0, "/u", "other", NULL), "ENOENT");
	assert_xs_error(tcall(&f->dom0, XS_UNWATCH, 0, "/v", "t", NULL), "ENOENT");
}

static void test_xs_watch_duplicate_returns_eexist(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->dom0, "/d", "t");
	assert_xs_error(tcall(&f->dom0, XS_WATCH, 0, "/d", "t", NULL), "EEXIST");
	twatch_ok(&f->dom0, "/d", "t2"); /* another token is another watch */
}

static void test_xs_watch_invalid_path_returns_einval(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(tcall(&f->dom0, XS_WATCH, 0, "/bad//path", "t", NULL), "EINVAL");
	assert_xs_error(tcall(&f->dom0, XS_WATCH, 0, "", "t", NULL), "EINVAL");
	assert_int_equal(tevents_pending(&f->dom0), 0);
}

static void test_xs_reset_watches_removes_all_watches(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->dom0, "/a", "1");
	twatch_ok(&f->dom0, "/b", "2");
	assert_ok(tcall(&f->dom0, XS_RESET_WATCHES, 0, "", NULL), XS_RESET_WATCHES);
	twrite_ok(&f->dom0, 0, "/a", "");
	twrite_ok(&f->dom0, 0, "/b", "");
	assert_int_equal(tevents_pending(&f->dom0), 0);
	twatch_ok(&f->dom0, "/a", "1"); /* may register again */
}

static void test_xs_watch_ignores_tx_id(void **state)
{
	struct fixture *f = *state;

	/* A WATCH with a stale tx_id still works: the id is ignored. */
	assert_ok(tcall(&f->dom0, XS_WATCH, 999, "/tx", "t", NULL), XS_WATCH);
	tevent_expect(&f->dom0, "/tx", "t");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_xs_watch_fires_once_on_registration),
		T(test_xs_watch_fires_on_registration_for_missing_node),
		T(test_xs_watch_event_has_zero_req_and_tx_id),
		T(test_xs_watch_fires_for_node_and_descendants),
		T(test_xs_watch_ignores_siblings_and_parents),
		T(test_xs_watch_on_root_sees_everything),
		T(test_xs_watch_below_removed_node_reports_watch_path),
		T(test_xs_watch_mkdir_of_existing_node_fires_nothing),
		T(test_xs_watch_several_watchers_each_get_event),
		T(test_xs_watch_reply_precedes_its_first_event),
		T(test_xs_watch_special_introduce_and_release),
		T(test_xs_watch_special_not_fired_by_ordinary_writes),
		T(test_xs_watch_special_hidden_from_guest_by_default),
		T(test_xs_watch_special_shown_to_guest_granted_read),
		T(test_xs_watch_does_not_leak_unreadable_paths),
		T(test_xs_watch_delivers_readable_paths_to_guest),
		T(test_xs_watch_rm_event_judged_by_removed_nodes_perms),
		T(test_xs_watch_relative_path_gets_relative_events),
		T(test_xs_watch_absolute_path_of_guest_stays_absolute),
		T(test_xs_unwatch_stops_events),
		T(test_xs_unwatch_unknown_returns_enoent),
		T(test_xs_watch_duplicate_returns_eexist),
		T(test_xs_watch_invalid_path_returns_einval),
		T(test_xs_reset_watches_removes_all_watches),
		T(test_xs_watch_ignores_tx_id),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
