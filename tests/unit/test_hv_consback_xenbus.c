/* SPDX-License-Identifier: BSD-2-Clause */
/* A secondary console (device/console/1) in the model, with the test as
 * its frontend: it connects through a grant and an event channel, output
 * reaches the sink, input reaches the ring, it closes and reconnects; and
 * a frontend that writes nonsense (ring-ref not granted, port not bound,
 * impossible indexes) gets an error node and a Closing backend, never a
 * crash. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <xen/io/console.h>

#include "hv/consback_xenbus.h"
#include "hv/evtchn.h"
#include "hv/xs.h"
#include "test_gnttab_util.h"

#define FE "/local/domain/1/device/console/1"
#define BE "/local/domain/0/backend/console/1/1"
#define RING_REF 8
#define RING_PAGE 16

static struct {
	struct hv_machine *m;
	struct hv_domain *dom0, *guest;
	struct hv_xs *xs;
	struct hv_consback_dev cd;
	struct xencons_interface *page;
	evtchn_port_t guest_port;
	char sink[256];
	size_t sunk;
} w;

static size_t sink(void *ctx, const char *buf, size_t len)
{
	(void)ctx;
	if (len > sizeof(w.sink) - 1 - w.sunk)
		len = sizeof(w.sink) - 1 - w.sunk;
	memcpy(w.sink + w.sunk, buf, len);
	w.sunk += len;
	return len;
}

static int setup(void **state)
{
	struct hv_domain_config d0 = { .name = "Domain-0", .domid = 0,
				       .ram_bytes = 16 << 20, .nr_vcpus = 1,
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
	    hv_xs_toolstack_create_domain(w.xs, &info) ||
	    ut_map_frame(w.guest, 0))
		return -1;
	w.page = (struct xencons_interface *)ut_ram_page(w.guest, RING_PAGE);
	memset(w.page, 0, 4096);
	if (hv_evtchn_alloc_unbound_for(w.guest, 0, &w.guest_port))
		return -1;
	return hv_consback_dev_create(&w.cd, w.xs, w.dom0, w.guest, 1,
				      "org.xensim.test", sink, NULL);
}

static int teardown(void **state)
{
	(void)state;
	hv_consback_dev_destroy(&w.cd);
	hv_xs_free(w.xs);
	hv_machine_free(w.m);
	return 0;
}

static void fe_write(const char *node, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), FE "/%s", node);
	assert_int_equal(hv_xs_write_str(w.xs, path, value), 0);
}

static void fe_state(enum xenbus_state st)
{
	char v[4];

	snprintf(v, sizeof(v), "%u", (unsigned)st);
	fe_write("state", v);
	assert_true(hv_consback_dev_run(&w.cd));
}

/* The frontend's handshake: grant, ring-ref, port, Initialised. */
static void frontend_connects(void)
{
	char port[12];

	ut_grant(w.guest, RING_REF, 0, ut_ram_gfn(w.guest, RING_PAGE), false);
	snprintf(port, sizeof(port), "%u", w.guest_port);
	fe_write("ring-ref", "8");
	fe_write("port", port);
	fe_state(XenbusStateInitialised);
}

static void guest_puts(const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		w.page->out[MASK_XENCONS_IDX(w.page->out_prod + i,
					     w.page->out)] = s[i];
	w.page->out_prod += (uint32_t)n;
	assert_int_equal(hv_evtchn_send_from(w.guest, w.guest_port), 0);
}

static void read_be(const char *node, char *buf, size_t size)
{
	char path[128];
	int n;

	snprintf(path, sizeof(path), BE "/%s", node);
	n = hv_xs_read(w.xs, path, buf, size - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
}

static void expect_closing_with(const char *why)
{
	char buf[128];

	assert_int_equal(w.cd.dev.xb.be_state, XenbusStateClosing);
	read_be("error", buf, sizeof(buf));
	assert_non_null(strstr(buf, why));
}

static void expect_nothing_held(void)
{
	assert_false(w.cd.connected);
	assert_int_equal(hv_gnttab_nr_mappings(w.dom0), 0);
	assert_int_equal(w.cd.port, 0);
}

static void test_console_dev_offers_device_with_name(void **state)
{
	char buf[64];
	int n;

	(void)state;
	n = hv_xs_read(w.xs, FE "/name", buf, sizeof(buf) - 1);
	assert_int_equal(n, 15);
	n = hv_xs_read(w.xs, FE "/type", buf, sizeof(buf) - 1);
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "ioemu", 5);
	assert_int_equal(w.cd.dev.xb.be_state, XenbusStateInitWait);
}

static void read_fe(const char *node, char *buf, size_t size)
{
	char path[128];
	int n;

	snprintf(path, sizeof(path), FE "/%s", node);
	n = hv_xs_read(w.xs, path, buf, size - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
}

/* What libxl writes for a channel: the name in both directories, limit,
 * output and an empty tty for the frontend. */
static void test_console_dev_writes_libxl_channel_nodes(void **state)
{
	char buf[64];

	(void)state;
	read_be("name", buf, sizeof(buf));
	assert_string_equal(buf, "org.xensim.test");
	read_fe("limit", buf, sizeof(buf));
	assert_string_equal(buf, "1048576");
	read_fe("output", buf, sizeof(buf));
	assert_string_equal(buf, "pty");
	read_fe("tty", buf, sizeof(buf));
	assert_string_equal(buf, "");
}

static void test_console_dev_socket_connection_nodes(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(hv_consback_dev_set_connection(&w.cd, "socket",
							"/run/agent.sock",
							"chardev:libxl-channel1"),
			 0);
	read_be("connection", buf, sizeof(buf));
	assert_string_equal(buf, "socket");
	read_be("path", buf, sizeof(buf));
	assert_string_equal(buf, "/run/agent.sock");
	read_fe("output", buf, sizeof(buf));
	assert_string_equal(buf, "chardev:libxl-channel1");
}

static void test_console_dev_pty_connection_nodes(void **state)
{
	char buf[64], path[128];

	(void)state;
	assert_int_equal(hv_consback_dev_set_connection(&w.cd, "pty", NULL,
							"pty"), 0);
	assert_int_equal(hv_consback_dev_set_tty(&w.cd, "/dev/pts/7"), 0);
	read_be("connection", buf, sizeof(buf));
	assert_string_equal(buf, "pty");
	snprintf(path, sizeof(path), BE "/path");
	assert_true(hv_xs_read(w.xs, path, buf, sizeof(buf) - 1) < 0);
	read_fe("tty", buf, sizeof(buf));
	assert_string_equal(buf, "/dev/pts/7");
}

static void test_console_dev_refuses_console_zero(void **state)
{
	struct hv_consback_dev other;

	(void)state;
	assert_int_equal(hv_consback_dev_create(&other, w.xs, w.dom0, w.guest,
						0, NULL, NULL, NULL),
			 -XEN_EINVAL);
	hv_consback_dev_destroy(&other);
}

static void test_console_dev_connects_and_carries_output(void **state)
{
	(void)state;
	guest_puts("early ");       /* before the backend connected */
	frontend_connects();
	assert_int_equal(w.cd.dev.xb.be_state, XenbusStateConnected);
	assert_int_equal(w.cd.connects, 1);
	assert_int_equal(hv_gnttab_nr_mappings(w.dom0), 1);
	guest_puts("hello\n");
	assert_true(hv_consback_dev_run(&w.cd));
	assert_string_equal(w.sink, "early hello\n");
	assert_int_equal(w.page->out_cons, w.page->out_prod);
}

static void test_console_dev_input_reaches_ring(void **state)
{
	(void)state;
	assert_int_equal(hv_consback_dev_input(&w.cd, "no", 2), 0);
	frontend_connects();
	assert_false(hv_evtchn_is_pending(w.guest, w.guest_port));
	assert_int_equal(hv_consback_dev_input(&w.cd, "typed", 5), 5);
	assert_int_equal(w.page->in_prod, 5);
	assert_memory_equal(w.page->in, "typed", 5);
	assert_true(hv_evtchn_is_pending(w.guest, w.guest_port));
}

static void test_console_dev_closes_and_reconnects(void **state)
{
	(void)state;
	frontend_connects();
	guest_puts("one");
	fe_state(XenbusStateClosing);
	assert_int_equal(w.cd.dev.xb.be_state, XenbusStateClosing);
	fe_state(XenbusStateClosed);
	assert_int_equal(w.cd.dev.xb.be_state, XenbusStateClosed);
	/* What the guest wrote before it closed went out. */
	assert_string_equal(w.sink, "one");
	expect_nothing_held();
	fe_state(XenbusStateInitialising);
	assert_int_equal(w.cd.dev.xb.be_state, XenbusStateInitWait);
	memset(w.page, 0, 4096);
	assert_int_equal(hv_evtchn_close_for(w.guest, w.guest_port), 0);
	assert_int_equal(hv_evtchn_alloc_unbound_for(w.guest, 0,
						     &w.guest_port), 0);
	frontend_connects();
	assert_int_equal(w.cd.dev.xb.be_state, XenbusStateConnected);
	assert_int_equal(w.cd.connects, 2);
	guest_puts("two");
	assert_true(hv_consback_dev_run(&w.cd));
	assert_string_equal(w.sink, "onetwo");
}

static void test_console_dev_refuses_ungranted_ring_ref(void **state)
{
	char buf[16];
	char port[12];

	(void)state;
	snprintf(port, sizeof(port), "%u", w.guest_port);
	fe_write("ring-ref", "9");           /* never granted */
	fe_write("port", port);
	fe_state(XenbusStateInitialised);
	expect_closing_with("cannot map ring-ref");
	read_be("map-status", buf, sizeof(buf));
	assert_true(buf[0] == '-');
	expect_nothing_held();
}

static void test_console_dev_refuses_unbound_port(void **state)
{
	(void)state;
	ut_grant(w.guest, RING_REF, 0, ut_ram_gfn(w.guest, RING_PAGE), false);
	fe_write("ring-ref", "8");
	fe_write("port", "77");              /* no such port */
	fe_state(XenbusStateInitialised);
	expect_closing_with("cannot bind port");
	/* The ring mapping taken before the bind failed was dropped. */
	expect_nothing_held();
}

/* Values that never reach the grant table or the event channels. */
static void test_console_dev_refuses_malformed_nodes(void **state)
{
	static const char *const cases[][2] = {
		{ "ring-ref", "eight" }, { "ring-ref", "99999999999" },
		{ "ring-ref", "" }, { "port", "0" }, { "port", "-1" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char port[12];

		snprintf(port, sizeof(port), "%u", w.guest_port);
		fe_write("ring-ref", "8");
		fe_write("port", port);
		fe_write(cases[i][0], cases[i][1]);
		ut_grant(w.guest, RING_REF, 0,
			 ut_ram_gfn(w.guest, RING_PAGE), false);
		fe_state(XenbusStateInitialised);
		expect_closing_with("malformed");
		expect_nothing_held();
		fe_state(XenbusStateClosed);
		fe_state(XenbusStateInitialising);
		assert_int_equal(w.cd.dev.xb.be_state, XenbusStateInitWait);
	}
}

static void test_console_dev_broken_out_ring_closes(void **state)
{
	(void)state;
	frontend_connects();
	w.page->out_prod = w.page->out_cons + 5000;   /* impossible */
	assert_int_equal(hv_evtchn_send_from(w.guest, w.guest_port), 0);
	assert_true(hv_consback_dev_run(&w.cd));
	expect_closing_with("broken ring indexes");
	assert_int_equal(w.sunk, 0);
	/* It stays down and says nothing more. */
	assert_false(hv_consback_dev_run(&w.cd));
	assert_int_equal(hv_consback_dev_input(&w.cd, "x", 1), 0);
	fe_state(XenbusStateClosed);
	expect_nothing_held();
}

static void test_console_dev_broken_in_ring_refuses_input(void **state)
{
	(void)state;
	frontend_connects();
	w.page->in_cons = 3000;                       /* impossible */
	assert_int_equal(hv_consback_dev_input(&w.cd, "x", 1), 0);
	assert_true(w.cd.back.broken);
	assert_true(hv_consback_dev_run(&w.cd));
	expect_closing_with("broken ring indexes");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_console_dev_offers_device_with_name),
		T(test_console_dev_writes_libxl_channel_nodes),
		T(test_console_dev_socket_connection_nodes),
		T(test_console_dev_pty_connection_nodes),
		T(test_console_dev_refuses_console_zero),
		T(test_console_dev_connects_and_carries_output),
		T(test_console_dev_input_reaches_ring),
		T(test_console_dev_closes_and_reconnects),
		T(test_console_dev_refuses_ungranted_ring_ref),
		T(test_console_dev_refuses_unbound_port),
		T(test_console_dev_refuses_malformed_nodes),
		T(test_console_dev_broken_out_ring_closes),
		T(test_console_dev_broken_in_ring_refuses_input),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
