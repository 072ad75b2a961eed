/* SPDX-License-Identifier: BSD-2-Clause */
/* hv_netback_mark and hv_netback_rewind as fuzz_netback uses them: a
 * connected backend marked, changed through its real paths (a frame on
 * its tx ring, a frame from the host queued for the guest, the
 * frontend's state in the store), rewound with the machine, the store,
 * the switch and the ring pages put back, is the backend it was: a fresh
 * mark is the same and it answers as before. Sleep, wake and forget: a
 * backend asleep hears nothing of the store, awake it follows it again;
 * forgotten, what it held is freed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <xen/io/netif.h>

#include "model_snapshot.h"
#include "hv/netback.h"
#include "hv/netswitch.h"
#include "hv/time.h"
#include "hv/xs.h"
#include "test_gnttab_util.h"

#define FE        "/local/domain/1/device/vif/0"
#define TX_PAGE   16u
#define RX_PAGE   17u
#define DATA_PAGE 128u
#define DATA_REF  512u

static const uint8_t guest_mac[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x01 };
static const uint8_t host_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0xaa };

static struct {
	struct hv_machine *m;
	struct hv_domain *dom0, *guest;
	struct hv_xs *xs;
	struct hv_netswitch sw, sw_marked;
	int host_port;
	unsigned host_frames;
	struct hv_netback *nb;
	netif_tx_front_ring_t tx, tx_marked;
	evtchn_port_t port;
	struct hv_netback_mark *mark;
	struct model_snapshot *model;
	struct hv_xs_snapshot *store;
	uint8_t rings[2][4096];
} w;

static bool host_deliver(void *ctx, const void *frame, size_t len)
{
	(void)ctx, (void)frame, (void)len;
	w.host_frames++;
	return true;
}

static void fe_write(const char *node, const char *value)
{
	char path[96];

	snprintf(path, sizeof(path), FE "/%s", node);
	hv_xs_write_str(w.xs, path, value);
}

static void fe_writef(const char *node, unsigned v)
{
	char s[16];

	snprintf(s, sizeof(s), "%u", v);
	fe_write(node, s);
}

/* The machine, the switch with a host port, and the frontend's one
 * queue: its rings granted, its channel, its nodes. */
static int machine(void)
{
	struct hv_domain_config d0 = { .name = "Domain-0", .domid = 0,
				       .ram_bytes = 1 << 20, .nr_vcpus = 1,
				       .privileged = true };
	struct hv_domain_config d1 = { .name = "guest", .domid = 1,
				       .ram_bytes = 16 << 20, .nr_vcpus = 1 };
	struct hv_xs_domain_info info = { .domid = 1, .name = "guest",
					   .memory_kb = 16384, .vcpus = 1 };
	struct hv_netback_config cfg = { .devid = 0, .sw = &w.sw };
	char err[160];

	w.m = hv_machine_new(NULL, NULL);
	w.xs = hv_xs_new(NULL);
	if (!w.m || !w.xs || hv_domain_create(w.m, &d0, &w.dom0) ||
	    hv_domain_create(w.m, &d1, &w.guest) ||
	    hv_xs_toolstack_create_domain(w.xs, &info))
		return -1;
	for (unsigned i = 0; i < 4; i++)
		if (ut_map_frame(w.guest, i))
			return -1;
	hv_netswitch_init(&w.sw, "test0");
	w.host_port = hv_netswitch_attach(&w.sw, host_deliver, NULL);
	memcpy(cfg.mac, guest_mac, 6);
	hv_netback_features_default(&cfg.offer);
	if (hv_netback_create(w.m, w.xs, w.dom0, w.guest, &cfg, &w.nb, err,
			      sizeof(err)))
		return -1;
	XEN_SRING_INIT((netif_tx_sring_t *)ut_ram_page(w.guest, TX_PAGE));
	XEN_SRING_INIT((netif_rx_sring_t *)ut_ram_page(w.guest, RX_PAGE));
	XEN_FRONT_RING_INIT(&w.tx, (netif_tx_sring_t *)
			    ut_ram_page(w.guest, TX_PAGE), 4096);
	ut_grant(w.guest, 8, 0, ut_ram_gfn(w.guest, TX_PAGE), false);
	ut_grant(w.guest, 9, 0, ut_ram_gfn(w.guest, RX_PAGE), false);
	w.port = (evtchn_port_t)ut_alloc(w.guest, DOMID_SELF, 0);
	fe_writef("tx-ring-ref", 8);
	fe_writef("rx-ring-ref", 9);
	fe_writef("event-channel", w.port);
	fe_write("request-rx-copy", "1");
	fe_write("feature-rx-notify", "1");
	fe_write("state", "4");
	hv_netback_run(w.nb);
	return w.nb->connected ? 0 : -1;
}

static int setup(void **state)
{
	(void)state;
	memset(&w, 0, sizeof(w));
	if (machine())
		return -1;
	w.mark = hv_netback_mark(w.nb);
	w.model = model_snapshot_take_state(w.m);
	w.store = hv_xs_snapshot_take(w.xs);
	w.sw_marked = w.sw;
	w.tx_marked = w.tx;
	memcpy(w.rings[0], ut_ram_page(w.guest, TX_PAGE), 4096);
	memcpy(w.rings[1], ut_ram_page(w.guest, RX_PAGE), 4096);
	return w.mark && w.model && w.store ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	hv_netback_mark_free(w.mark);
	hv_xs_snapshot_free(w.xs, w.store);
	model_snapshot_free(w.model);
	hv_netback_destroy(w.nb);
	hv_xs_free(w.xs);
	hv_machine_free(w.m);
	return 0;
}

/* The backend and what the caller keeps, back to the mark. */
static void rewind_all(void)
{
	hv_netback_rewind(w.nb, w.mark);
	assert_true(model_snapshot_restore(w.model));
	assert_int_equal(hv_xs_snapshot_restore(w.xs, w.store), 0);
	w.sw = w.sw_marked;
	w.tx = w.tx_marked;
	memcpy(ut_ram_page(w.guest, TX_PAGE), w.rings[0], 4096);
	memcpy(ut_ram_page(w.guest, RX_PAGE), w.rings[1], 4096);
}

static void assert_as_marked(void)
{
	struct hv_netback_mark *now = hv_netback_mark(w.nb);

	assert_non_null(now);
	assert_true(hv_netback_mark_same(w.mark, now));
	hv_netback_mark_free(now);
}

/* The guest sends the host one 60-byte frame: its tx response's status. */
static int16_t send_frame(void)
{
	uint8_t *frame = ut_ram_page(w.guest, DATA_PAGE);
	struct netif_tx_request *req = XEN_RING_REQ(&w.tx, w.tx.req_prod_pvt);

	memset(frame, 0x5a, 60);
	memcpy(frame, host_mac, 6);
	memcpy(frame + 6, guest_mac, 6);
	ut_grant(w.guest, DATA_REF, 0, ut_ram_gfn(w.guest, DATA_PAGE), true);
	*req = (struct netif_tx_request){ .gref = DATA_REF, .size = 60,
					  .id = 7 };
	w.tx.req_prod_pvt++;
	__atomic_store_n(&w.tx.sring->req_prod, w.tx.req_prod_pvt,
			 __ATOMIC_RELEASE);
	ut_send(w.guest, w.port);
	hv_netback_run(w.nb);
	if (w.tx.sring->rsp_prod != w.tx.req_prod_pvt)
		return 99;
	return XEN_RING_RSP(&w.tx, w.tx.req_prod_pvt - 1)->status;
}

/* The host sends the guest a frame: queued, no rx buffer posted. */
static void host_frame(void)
{
	uint8_t frame[60];

	memset(frame, 0xa5, sizeof(frame));
	memcpy(frame, guest_mac, 6);
	memcpy(frame + 6, host_mac, 6);
	hv_netswitch_input(&w.sw, w.host_port, frame, sizeof(frame));
}

static void test_mark_rewind_after_frames(void **state)
{
	(void)state;
	assert_int_equal(send_frame(), NETIF_RSP_OKAY);
	host_frame();
	assert_int_equal(w.host_frames, 1);
	assert_int_equal(w.nb->stats.tx_packets, 1);
	assert_int_equal(hv_netback_rx_queued(w.nb), 1);
	rewind_all();
	assert_as_marked();
	assert_int_equal(w.nb->stats.tx_packets, 0);
	assert_int_equal(hv_netback_rx_queued(w.nb), 0);
	/* And it answers as it did from the mark. */
	assert_int_equal(send_frame(), NETIF_RSP_OKAY);
	assert_int_equal(w.host_frames, 2);
	assert_int_equal(w.nb->stats.tx_packets, 1);
}

static void test_mark_rewind_after_close(void **state)
{
	(void)state;
	fe_write("state", "6");
	hv_netback_run(w.nb);
	assert_false(w.nb->connected);
	assert_int_equal(hv_gnttab_nr_mappings(w.dom0), 0);
	rewind_all();
	assert_as_marked();
	assert_true(w.nb->connected);
	assert_int_equal(hv_gnttab_nr_mappings(w.dom0), 2);
	assert_int_equal(send_frame(), NETIF_RSP_OKAY);
}

/* A changed backend is not the marked one: the comparison sees it. */
static void test_mark_same_sees_a_change(void **state)
{
	struct hv_netback_mark *now;

	(void)state;
	assert_int_equal(send_frame(), NETIF_RSP_OKAY);
	now = hv_netback_mark(w.nb);
	assert_non_null(now);
	assert_false(hv_netback_mark_same(w.mark, now));
	hv_netback_mark_free(now);
}

static void test_asleep_hears_nothing_awake_follows(void **state)
{
	(void)state;
	hv_netback_sleep(w.nb);
	fe_write("state", "6");
	hv_netback_run(w.nb);
	assert_true(w.nb->connected);
	assert_int_equal(hv_xs_snapshot_restore(w.xs, w.store), 0);
	assert_int_equal(hv_netback_wake(w.nb), 0);
	rewind_all();
	assert_as_marked();
	fe_write("state", "6");
	hv_netback_run(w.nb);
	assert_false(w.nb->connected);
}

static void test_forget_a_sleeping_backend(void **state)
{
	(void)state;
	host_frame();          /* a frame queued: freed with the backend */
	hv_netback_sleep(w.nb);
	hv_netback_forget(w.nb);
	w.nb = NULL;
	/* Nothing of it answers the store any more (a watch left would
	 * call into freed memory here). */
	fe_write("state", "6");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_mark_rewind_after_frames),
		T(test_mark_rewind_after_close),
		T(test_mark_same_sees_a_change),
		T(test_asleep_hears_nothing_awake_follows),
		T(test_forget_a_sleeping_backend),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
