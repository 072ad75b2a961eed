/* SPDX-License-Identifier: BSD-2-Clause */
/* The model's xenbus backend helper meeting the guest's xenbus frontend
 * over a xenstore ring: the whole handshake, and a hostile frontend. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "gxen/xenbus.h"
#include "hv/xenbus_backend.h"
#include "xs_world.h"

static struct {
	struct xs_world world;
	struct hv_xenbus_backend be;
	unsigned changes;
	enum xenbus_state seen[8];
} w;

/* The backend's reaction to the frontend, as a block or net backend's. */
static void frontend_changed(struct hv_xenbus_backend *be,
			     enum xenbus_state st, void *arg)
{
	(void)arg;
	if (w.changes < 8)
		w.seen[w.changes] = st;
	w.changes++;
	if (st == XenbusStateInitialised)
		hv_xenbus_backend_switch_state(be, XenbusStateConnected);
	if (st == XenbusStateClosing)
		hv_xenbus_backend_switch_state(be, XenbusStateClosed);
}

static int setup(void **state)
{
	(void)state;
	memset(&w, 0, sizeof(w));
	if (xs_world_start(&w.world, true))
		return -1;
	return hv_xenbus_backend_create(&w.be, w.world.xs, 1, "vbd", 51712,
					frontend_changed, NULL);
}

static int teardown(void **state)
{
	(void)state;
	hv_xenbus_backend_destroy(&w.be);
	xs_world_stop(&w.world);
	return 0;
}

static void test_xenbus_handshake_frontend_meets_model_backend(void **state)
{
	struct xenbus_device dev;
	unsigned long ref;

	(void)state;
	assert_int_equal(xenbus_probe(&dev, "device/vbd/51712"), 0);
	assert_string_equal(dev.otherend, "/local/domain/0/backend/vbd/1/51712");
	assert_int_equal(dev.otherend_state, XenbusStateInitWait);
	assert_int_equal(xenbus_printf(XBT_NIL, dev.nodename, "ring-ref", "%u",
				       8u), 0);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateInitialised), 0);
	assert_int_equal(xenbus_wait_for_otherend(&dev, XenbusStateConnected,
						  20000000), 0);
	assert_int_equal(hv_xenbus_frontend_read_ulong(&w.be, "ring-ref", 1u << 20,
						       &ref), 0);
	assert_int_equal(ref, 8);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateConnected), 0);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateClosing), 0);
	assert_int_equal(xenbus_wait_for_otherend(&dev, XenbusStateClosed,
						  20000000), 0);
	assert_int_equal(w.be.be_state, XenbusStateClosed);
	assert_int_equal(w.seen[0], XenbusStateInitialised);
	assert_int_equal(w.seen[w.changes - 1], XenbusStateClosing);
}

static void test_xenbus_backend_frontend_cannot_touch_backend_dir(void **state)
{
	(void)state;
	assert_int_equal(xs_write(XBT_NIL, "/local/domain/0/backend/vbd/1/51712/"
				  "state", "4"), -XEN_EACCES);
	assert_int_equal(w.be.be_state, XenbusStateInitWait);
}

static void test_xenbus_backend_reads_hostile_values_strictly(void **state)
{
	unsigned long v;

	(void)state;
	assert_int_equal(xs_write(XBT_NIL, "device/vbd/51712/ring-ref", "12abc"),
			 0);
	assert_int_equal(hv_xenbus_frontend_read_ulong(&w.be, "ring-ref", 100,
						       &v), -XEN_EINVAL);
	assert_int_equal(xs_write(XBT_NIL, "device/vbd/51712/ring-ref",
				  "99999999999999999999999"), 0);
	assert_int_equal(hv_xenbus_frontend_read_ulong(&w.be, "ring-ref", ~0ul,
						       &v), -XEN_ERANGE);
	assert_int_equal(xs_write(XBT_NIL, "device/vbd/51712/ring-ref", ""), 0);
	assert_int_equal(hv_xenbus_frontend_read_ulong(&w.be, "ring-ref", 100,
						       &v), -XEN_EINVAL);
	assert_int_equal(hv_xenbus_frontend_read_ulong(&w.be, "missing", 100,
						       &v), -XEN_ENOENT);
	assert_int_equal(xs_write(XBT_NIL, "device/vbd/51712/state", "7x"), 0);
	assert_int_equal(hv_xenbus_frontend_state(&w.be), XenbusStateUnknown);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_xenbus_handshake_frontend_meets_model_backend),
		T(test_xenbus_backend_frontend_cannot_touch_backend_dir),
		T(test_xenbus_backend_reads_hostile_values_strictly),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
