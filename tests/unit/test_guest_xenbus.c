/* SPDX-License-Identifier: BSD-2-Clause */
/* xenbus for frontends, against the model's xenstored: enumeration, probe
 * checks, the state machine, and following the backend's state. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "gxen/xenbus.h"
#include "kern/console.h"
#include "xs_world.h"

#define FE "/local/domain/1/device/vif/0"
#define BE "/local/domain/0/backend/vif/1/0"

static struct xs_world w;

/* The backend moves to this state on the n-th wait. */
static unsigned move_at;
static const char *move_to;

static void backend_moves(struct xs_world *world)
{
	if (world->waits == move_at && move_to)
		hv_xs_write_str(world->xs, BE "/state", move_to);
}

/* What the toolstack writes for one vif, with xl's ownership. */
static void add_vif(void)
{
	const struct hv_xs_perm fe_perms[] = { { 1, HV_XS_PERM_NONE },
					       { 0, HV_XS_PERM_READ } };
	const struct hv_xs_perm be_perms[] = { { 0, HV_XS_PERM_NONE },
					       { 1, HV_XS_PERM_READ } };

	assert_int_equal(hv_xs_write_str(w.xs, FE "/backend", BE), 0);
	assert_int_equal(hv_xs_write_str(w.xs, FE "/backend-id", "0"), 0);
	assert_int_equal(hv_xs_write_str(w.xs, FE "/state", "1"), 0);
	assert_int_equal(hv_xs_set_perms(w.xs, FE, fe_perms, 2), 0);
	assert_int_equal(hv_xs_set_perms(w.xs, FE "/backend", fe_perms, 2), 0);
	assert_int_equal(hv_xs_set_perms(w.xs, FE "/backend-id", fe_perms, 2), 0);
	assert_int_equal(hv_xs_set_perms(w.xs, FE "/state", fe_perms, 2), 0);
	assert_int_equal(hv_xs_write_str(w.xs, BE "/frontend", FE), 0);
	assert_int_equal(hv_xs_write_str(w.xs, BE "/state", "2"), 0);
	assert_int_equal(hv_xs_set_perms(w.xs, BE, be_perms, 2), 0);
	assert_int_equal(hv_xs_set_perms(w.xs, BE "/state", be_perms, 2), 0);
}

static int setup(void **state)
{
	(void)state;
	move_at = 0;
	move_to = NULL;
	if (xs_world_start(&w, true))
		return -1;
	w.on_wait = backend_moves;
	add_vif();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xs_world_stop(&w);
	return 0;
}

static void count(const char *nodename, void *arg)
{
	assert_string_equal(nodename, "device/vif/0");
	(*(int *)arg)++;
}

static void test_xenbus_enumerates_devices_of_a_type(void **state)
{
	int n = 0;

	(void)state;
	assert_int_equal(xenbus_enumerate("vif", count, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(xenbus_enumerate("vbd", count, &n), 0);
}

static void test_xenbus_probe_reads_backend(void **state)
{
	struct xenbus_device dev;

	(void)state;
	assert_int_equal(xenbus_probe(&dev, "device/vif/0"), 0);
	assert_string_equal(dev.otherend, BE);
	assert_int_equal(dev.otherend_id, 0);
	assert_int_equal(dev.state, XenbusStateInitialising);
	assert_int_equal(dev.otherend_state, XenbusStateInitWait);
}

static void test_xenbus_probe_refuses_bad_backend_entries(void **state)
{
	struct xenbus_device dev;

	(void)state;
	hv_xs_write_str(w.xs, FE "/backend", "relative/path");
	assert_int_equal(xenbus_probe(&dev, "device/vif/0"), -XEN_EINVAL);
	hv_xs_write_str(w.xs, FE "/backend", BE);
	hv_xs_write_str(w.xs, FE "/backend-id", "-1");
	assert_int_equal(xenbus_probe(&dev, "device/vif/0"), -XEN_EINVAL);
	hv_xs_write_str(w.xs, FE "/backend-id", "65535");
	assert_int_equal(xenbus_probe(&dev, "device/vif/0"), -XEN_ERANGE);
	hv_xs_write_str(w.xs, FE "/backend-id", "0 ");
	assert_int_equal(xenbus_probe(&dev, "device/vif/0"), -XEN_EINVAL);
	hv_xs_rm(w.xs, FE "/backend");
	assert_int_equal(xenbus_probe(&dev, "device/vif/0"), -XEN_ENOENT);
}

static void test_xenbus_state_machine_allows_only_legal_moves(void **state)
{
	struct xenbus_device dev;
	char buf[8];

	(void)state;
	assert_int_equal(xenbus_probe(&dev, "device/vif/0"), 0);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateReconfigured),
			 -XEN_EINVAL);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateInitialised), 0);
	assert_int_equal(hv_xs_read(w.xs, FE "/state", buf, sizeof(buf)), 1);
	assert_int_equal(buf[0], '3');
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateInitWait),
			 -XEN_EINVAL);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateConnected), 0);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateInitialising),
			 -XEN_EINVAL);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateClosing), 0);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateConnected),
			 -XEN_EINVAL);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateClosed), 0);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateInitialising), 0);
	assert_int_equal(xenbus_switch_state(&dev, 9), -XEN_EINVAL);
}

static unsigned changes;
static enum xenbus_state last_seen;

static void on_change(struct xenbus_device *dev, enum xenbus_state st)
{
	(void)dev;
	changes++;
	last_seen = st;
}

static void test_xenbus_watch_follows_backend_state(void **state)
{
	static struct xenbus_device dev;

	(void)state;
	changes = 0;
	assert_int_equal(xenbus_probe(&dev, "device/vif/0"), 0);
	assert_int_equal(xenbus_watch_otherend(&dev, on_change), 0);
	xs_poll();
	assert_int_equal(changes, 0);   /* the first event repeats what we know */
	hv_xs_write_str(w.xs, BE "/state", "4");
	hv_xs_ring_kick(w.ring);
	xs_poll();
	assert_int_equal(changes, 1);
	assert_int_equal(last_seen, XenbusStateConnected);
	assert_int_equal(xenbus_unwatch_otherend(&dev), 0);
}

static void test_xenbus_wait_for_otherend(void **state)
{
	static struct xenbus_device dev;

	(void)state;
	assert_int_equal(xenbus_probe(&dev, "device/vif/0"), 0);
	move_at = 3;
	move_to = "4";
	assert_int_equal(xenbus_wait_for_otherend(&dev, XenbusStateConnected,
						  50000000), 0);
	assert_int_equal(w.waits, 3);
	w.waits = 0;
	move_to = "6";
	assert_int_equal(xenbus_wait_for_otherend(&dev, XenbusStateReconfigured,
						  50000000), -XEN_ENOTCONN);
	move_to = NULL;
	hv_xs_write_str(w.xs, BE "/state", "2");
	assert_int_equal(xenbus_wait_for_otherend(&dev, XenbusStateConnected,
						  10000000), -XEN_ETIMEDOUT);
}

/* Closing is a step on the way to Closed, not a failure of that wait. */
static void test_xenbus_wait_for_closed_passes_closing(void **state)
{
	static struct xenbus_device dev;

	(void)state;
	assert_int_equal(xenbus_probe(&dev, "device/vif/0"), 0);
	hv_xs_write_str(w.xs, BE "/state", "5");
	move_at = 2;
	move_to = "6";
	assert_int_equal(xenbus_wait_for_otherend(&dev, XenbusStateClosed,
						  50000000), 0);
	assert_int_equal(w.waits, 2);
	hv_xs_write_str(w.xs, BE "/state", "5");
	move_to = NULL;
	assert_int_equal(xenbus_wait_for_otherend(&dev, XenbusStateConnected,
						  50000000), -XEN_ENOTCONN);
}

/* A wait reads the state again only when the store says it was written:
 * the store's events for the replies to our own reads must not wake the
 * next wait at once (a busy loop that, natively, never let virtual time
 * reach the deadline). 40 waits of 1 ms, one read of the state. */
static void test_xenbus_wait_does_not_poll_an_unchanged_state(void **state)
{
	static struct xenbus_device dev;
	unsigned kicks;

	(void)state;
	assert_int_equal(xenbus_probe(&dev, "device/vif/0"), 0);
	hv_xs_write_str(w.xs, BE "/state", "banana");
	kicks = w.kicks;
	assert_int_equal(xenbus_wait_for_otherend(&dev, XenbusStateConnected,
						  40000000), -XEN_ETIMEDOUT);
	/* watch, one read, unwatch */
	assert_true(w.kicks - kicks <= 3);
	assert_true(w.waits >= 40);
}

/* A long wait says on the console, every 5 s, what it waits on: on a slow
 * host that line tells a stall from a hang. 12 s: two lines, at 5 and
 * 10 s, then the timeout; the shared bound itself is 30 s. */
static char said[1024];
static size_t said_len;

static void capture(const char *s, size_t len)
{
	if (len > sizeof(said) - 1 - said_len)
		len = sizeof(said) - 1 - said_len;
	memcpy(said + said_len, s, len);
	said_len += len;
	said[said_len] = '\0';
}

static void test_xenbus_long_wait_says_what_it_waits_on(void **state)
{
	static struct xenbus_device dev;
	const char *second;

	(void)state;
	assert_true(XENBUS_STATE_TIMEOUT_NS >= 30ull * 1000000000);
	assert_int_equal(xenbus_probe(&dev, "device/vif/0"), 0);
	said_len = 0;
	said[0] = '\0';
	console_set_backend(capture);
	assert_int_equal(xenbus_wait_for_otherend(&dev, XenbusStateConnected,
						  12000000000ull),
			 -XEN_ETIMEDOUT);
	console_set_backend(NULL);
	assert_non_null(strstr(said, "xenbus: device/vif/0: still waiting for "
			       "the backend (" BE ", InitWait) after 5 s\n"));
	second = strstr(said, "after 10 s\n");
	assert_non_null(second);
	assert_null(strstr(second + 1, "still waiting"));
}

static void test_xenbus_garbage_state_reads_unknown(void **state)
{
	(void)state;
	hv_xs_write_str(w.xs, BE "/state", "banana");
	assert_int_equal(xenbus_read_state(BE), XenbusStateUnknown);
	hv_xs_write_str(w.xs, BE "/state", "99");
	assert_int_equal(xenbus_read_state(BE), XenbusStateUnknown);
	assert_int_equal(xenbus_read_state("/nonexistent"), XenbusStateUnknown);
}

static void test_xenbus_typed_helpers(void **state)
{
	unsigned long v;

	(void)state;
	assert_int_equal(xenbus_printf(XBT_NIL, "device/vif/0", "ring-ref", "%u",
				       77u), 0);
	assert_int_equal(xenbus_read_ulong(XBT_NIL, "device/vif/0", "ring-ref",
					   1000, &v), 0);
	assert_int_equal(v, 77);
	assert_int_equal(xenbus_read_ulong(XBT_NIL, "device/vif/0", "ring-ref",
					   10, &v), -XEN_ERANGE);
	assert_int_equal(xenbus_printf(XBT_NIL, "device/vif/0", "mask", "0x%x",
				       0xffu), 0);
	assert_int_equal(xenbus_read_ulong(XBT_NIL, "device/vif/0", "mask",
					   ~0ul, &v), 0);
	assert_int_equal(v, 255);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_xenbus_enumerates_devices_of_a_type),
		T(test_xenbus_probe_reads_backend),
		T(test_xenbus_probe_refuses_bad_backend_entries),
		T(test_xenbus_state_machine_allows_only_legal_moves),
		T(test_xenbus_watch_follows_backend_state),
		T(test_xenbus_wait_for_otherend),
		T(test_xenbus_wait_for_closed_passes_closing),
		T(test_xenbus_wait_does_not_poll_an_unchanged_state),
		T(test_xenbus_long_wait_says_what_it_waits_on),
		T(test_xenbus_garbage_state_reads_unknown),
		T(test_xenbus_typed_helpers),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
