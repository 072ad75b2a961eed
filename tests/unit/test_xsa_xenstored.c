/* SPDX-License-Identifier: BSD-2-Clause */
/* One regression test per class of Xen Security Advisory against
 * xenstored, on the model's daemon: a guest on its ring that never reads
 * what it is sent, watch floods, big transactions, and watch events for
 * paths the watcher may not read. Memory is measured with the sanitizer
 * allocator's count of live bytes, so "bounded" means bounded. */
#include <stdio.h>

#include "hv/xs_ring.h"
#include "test_xs_helpers.h"

/* The sanitizer runtime's count of live heap bytes (tests are built with
 * ASan, whose allocator serves every malloc). */
size_t __sanitizer_get_current_allocated_bytes(void);

struct fixture {
	struct hv_xs *xs;
	struct tpeer dom0, guest;             /* guest: domain 1 */
	struct xenstore_domain_interface page; /* domain 2's ring */
	struct hv_xs_ring *ring;
	unsigned notifies;
	uint32_t next_req;
};

static void ring_notify(void *opaque)
{
	((struct fixture *)opaque)->notifies++;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const struct hv_xs_perm home1 = { .domid = 1, .perms = HV_XS_PERM_NONE };
	const struct hv_xs_perm home2 = { .domid = 2, .perms = HV_XS_PERM_NONE };

	f->xs = txs_new();
	tpeer_init(&f->dom0, f->xs, 0);
	tpeer_init(&f->guest, f->xs, 1);
	assert_int_equal(hv_xs_mkdir(f->xs, "/local/domain/1"), 0);
	assert_int_equal(hv_xs_set_perms(f->xs, "/local/domain/1", &home1, 1), 0);
	assert_int_equal(hv_xs_mkdir(f->xs, "/local/domain/2"), 0);
	assert_int_equal(hv_xs_set_perms(f->xs, "/local/domain/2", &home2, 1), 0);
	f->ring = hv_xs_ring_new(f->xs, 2, &f->page, ring_notify, f);
	assert_non_null(f->ring);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	hv_xs_ring_free(f->ring);
	tpeer_fini(&f->dom0);
	tpeer_fini(&f->guest);
	hv_xs_free(f->xs);
	free(f);
	return 0;
}

/* Domain 2 puts one request on its ring, if it fits; whether it did. */
static bool ring_request(struct fixture *f, uint32_t type, const char *a,
			 const char *b)
{
	struct xenstore_domain_interface *p = &f->page;
	uint8_t msg[sizeof(struct xsd_sockmsg) + 128];
	struct xsd_sockmsg hdr = { .type = type, .req_id = f->next_req++ };
	size_t la = strlen(a) + 1, lb = b ? strlen(b) + 1 : 0;

	hdr.len = (uint32_t)(la + lb);
	if (p->req_prod - p->req_cons + sizeof(hdr) + hdr.len >
	    XENSTORE_RING_SIZE)
		return false;
	memcpy(msg, &hdr, sizeof(hdr));
	memcpy(msg + sizeof(hdr), a, la);
	if (b)
		memcpy(msg + sizeof(hdr) + la, b, lb);
	for (size_t i = 0; i < sizeof(hdr) + hdr.len; i++)
		p->req[MASK_XENSTORE_IDX(p->req_prod + i)] = (char)msg[i];
	__atomic_store_n(&p->req_prod, p->req_prod +
			 (uint32_t)(sizeof(hdr) + hdr.len), __ATOMIC_RELEASE);
	return true;
}

/* XSA-115: a watch on / fires only for paths the watcher may read. */
static void test_xsa115_watch_events_only_for_readable_paths(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->guest, "/", "all");
	twrite_ok(&f->dom0, 0, "/secret/key", "x");       /* "n0" */
	twrite_ok(&f->dom0, 0, "/local/domain/2/private", "y");
	assert_ok(tcall(&f->dom0, XS_RM, 0, "/secret", NULL), XS_RM);
	assert_int_equal(tevents_pending(&f->guest), 0);
	twrite_ok(&f->dom0, 0, "/local/domain/1/mine", "z");
	tevent_expect(&f->guest, "/local/domain/1/mine", "all");
}

/* XSA-326: a guest that sends requests and never takes the replies gets
 * no more served once 20 wait: its requests stay on the ring, memory
 * stays put. */
static void test_xsa326_unread_replies_stop_service(void **state)
{
	struct fixture *f = *state;
	size_t before = __sanitizer_get_current_allocated_bytes();
	unsigned sent = 0;

	for (unsigned round = 0; round < 200; round++) {
		while (ring_request(f, XS_READ, "/local/domain/2", NULL))
			sent++;
		hv_xs_ring_kick(f->ring);
	}
	assert_true(sent > 20);
	/* What was taken: 20 replies waiting, whole, and the ring's worth. */
	assert_true(f->page.req_prod != f->page.req_cons);
	assert_true(f->page.rsp_prod - f->page.rsp_cons <= XENSTORE_RING_SIZE);
	assert_true(__sanitizer_get_current_allocated_bytes() - before <
		    64 * 1024);
	assert_int_equal(hv_xs_ring_error(f->ring), XENSTORE_ERROR_NONE);
	/* It reads at last: service resumes. */
	f->page.rsp_cons = f->page.rsp_prod;
	hv_xs_ring_kick(f->ring);
	assert_true(f->page.rsp_prod != f->page.rsp_cons);
}

/* XSA-349: a watch flood towards a guest that never reads its events is
 * cut at the per-connection queue limit; dom0's writes all succeed. */
static void test_xsa349_watch_flood_to_a_stuck_guest_is_bounded(void **state)
{
	struct fixture *f = *state;
	size_t before;

	assert_true(ring_request(f, XS_WATCH, "/local/domain/2/flood", "t"));
	hv_xs_ring_kick(f->ring);
	before = __sanitizer_get_current_allocated_bytes();
	for (unsigned i = 0; i < 20000; i++)
		assert_int_equal(hv_xs_write_str(f->xs,
						 "/local/domain/2/flood/x",
						 "a value of some length"), 0);
	/* 1024 events of under 100 bytes each, not 20000. */
	assert_true(__sanitizer_get_current_allocated_bytes() - before <
		    512 * 1024);
	assert_int_equal(hv_xs_ring_error(f->ring), XENSTORE_ERROR_NONE);
}

/* XSA-326: a transaction cannot grow without bound. */
static void test_xsa326_big_transaction_is_refused_not_grown(void **state)
{
	struct fixture *f = *state;
	size_t before = __sanitizer_get_current_allocated_bytes();
	uint32_t t = ttxn_start(&f->guest);
	unsigned ok = 0;
	char path[64];

	for (unsigned i = 0; i < 5000; i++) {
		const struct tmsg *r;

		snprintf(path, sizeof(path), "/local/domain/1/t/%u", i);
		r = twrite(&f->guest, t, path, "v");
		if (r->hdr.type == XS_WRITE)
			ok++;
	}
	assert_true(ok < 5000);
	assert_ok(tcall(&f->guest, XS_TRANSACTION_END, t, "F", NULL),
		  XS_TRANSACTION_END);
	tpeer_fini(&f->guest);
	tpeer_init(&f->guest, f->xs, 1);
	assert_true(__sanitizer_get_current_allocated_bytes() - before <
		    256 * 1024);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_xsa115_watch_events_only_for_readable_paths),
		T(test_xsa326_unread_replies_stop_service),
		T(test_xsa349_watch_flood_to_a_stuck_guest_is_bounded),
		T(test_xsa326_big_transaction_is_refused_not_grown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
