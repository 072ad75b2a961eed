/* The model's xenbus backend helper meeting the guest's xenbus frontend
 * over a xenstore ring: the whole handshake, and a hostile frontend. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "guest_port.h"
#include "gxen/xenbus.h"
#include "hv/xenbus_backend.h"
#include "hv/xs_ring.h"

static struct {
	struct xenstore_domain_interface page;
	struct hv_xs *xs;
	struct hv_xs_ring *ring;
	struct hv_xenbus_backend be;
	uint64_t now;
	unsigned changes;
	enum xenbus_state seen[8];
} w;

static void notify(void *opaque)
{
	(void)opaque;
}

static void run_server(void *ctx)
{
	(void)ctx;
	hv_xs_ring_kick(w.ring);
}

static void wait_once(void *ctx)
{
	(void)ctx;
	w.now += 1000000;
	hv_xs_ring_kick(w.ring);
}

static uint64_t now(void *ctx)
{
	(void)ctx;
	return w.now;
}

static const struct xs_transport transport = {
	.kick = run_server, .wait = wait_once, .now_ns = now,
	.timeout_ns = 50000000,
};

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
	struct hv_xs_config cfg;
	struct hv_xs_domain_info info = { 1, "guest", 65536, 1 };

	(void)state;
	test_guest_port_attach();
	memset(&w, 0, sizeof(w));
	hv_xs_config_default(&cfg);
	w.xs = hv_xs_new(&cfg);
	if (!w.xs || hv_xs_toolstack_create_domain(w.xs, &info))
		return -1;
	w.ring = hv_xs_ring_new(w.xs, 1, &w.page, notify, NULL);
	if (!w.ring || hv_xenbus_backend_create(&w.be, w.xs, 1, "vbd", 51712,
						frontend_changed, NULL))
		return -1;
	return xs_connect(&w.page, &transport);
}

static int teardown(void **state)
{
	(void)state;
	xs_disconnect();
	hv_xenbus_backend_destroy(&w.be);
	hv_xs_ring_free(w.ring);
	hv_xs_free(w.xs);
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
