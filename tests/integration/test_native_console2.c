/* SPDX-License-Identifier: BSD-2-Clause */
/* A secondary PV console end to end in a running native guest: the
 * guest's frontend (dev/xencons_fe.h) against the model's console device
 * (hv/consback_xenbus.h). It connects, output reaches the backend's sink,
 * input reaches the guest, it closes and reconnects; a frontend that
 * offers an ungranted ring-ref or an unbound port, or breaks the ring, is
 * refused with an error node while the backend and the guest go on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "dev/xencons_fe.h"
#include "gxen/evtchn.h"
#include "gxen/gnttab.h"
#include "gxen/xs.h"
#include "hv/consback_xenbus.h"
#include "hv/gnttab.h"
#include "hv/xs.h"
#include "kern/page.h"
#include "port.h"
#include "sim.h"

#define NODE "device/console/1"
#define BE "/local/domain/0/backend/console/1/1"
#define TIMEOUT (5000ull * 1000000)

static struct {
	struct sim_native *sn;
	struct hv_domain *guest, *dom0;
	struct hv_xs *xs;
	struct hv_consback_dev cd;
	struct xencons_fe fe;
	char sink[512];
	size_t sunk;
	unsigned found;
	char found_name[32];
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

static bool dom0_console(void *ctx)
{
	(void)ctx;
	return hv_consback_dev_run(&w.cd);
}

static int setup(void **state)
{
	struct sim_config cfg;
	struct sim_result res;

	(void)state;
	memset(&w, 0, sizeof(w));
	sim_config_init(&cfg);
	cfg.log_level = HV_LOG_ERR;
	cfg.dom0_extra = dom0_console;
	w.sn = sim_native_start(&cfg, &res);
	if (!w.sn) {
		printf("sim_native_start: %s\n", res.message);
		return -1;
	}
	w.guest = sim_native_domain(w.sn);
	w.dom0 = sim_native_dom0(w.sn);
	w.xs = sim_native_xs(w.sn);
	return hv_consback_dev_create(&w.cd, w.xs, w.dom0, w.guest, 1,
				      "org.xensim.log", sink, NULL);
}

static int teardown(void **state)
{
	(void)state;
	hv_consback_dev_destroy(&w.cd);
	sim_native_stop(w.sn);
	return 0;
}

static void assert_still_running(void)
{
	struct sim_result res;

	assert_true(sim_native_running(w.sn, &res));
}

static void backend_error(char *buf, size_t size)
{
	int n = hv_xs_read(w.xs, BE "/error", buf, size - 1);

	assert_true(n > 0);
	buf[n] = '\0';
}

static void found(const char *nodename, void *arg)
{
	char path[64];
	int n;

	(void)arg;
	w.found++;
	snprintf(path, sizeof(path), "%s/name", nodename);
	n = xs_read(XBT_NIL, path, w.found_name, sizeof(w.found_name) - 1);
	w.found_name[n > 0 ? n : 0] = '\0';
}

static void test_console2_is_enumerated_with_its_name(void **state)
{
	(void)state;
	assert_int_equal(xencons_fe_enumerate(found, NULL), 1);
	assert_int_equal(w.found, 1);
	assert_string_equal(w.found_name, "org.xensim.log");
}

static void test_console2_connects_and_output_reaches_sink(void **state)
{
	(void)state;
	assert_int_equal(xencons_fe_connect(&w.fe, NODE), 0);
	assert_int_equal(w.cd.dev.xb.be_state, XenbusStateConnected);
	assert_int_equal(w.cd.connects, 1);
	assert_int_equal(xencons_fe_write(&w.fe, "hello, channel\n", 15), 15);
	assert_string_equal(w.sink, "hello, channel\n");
	assert_int_equal(w.fe.page->out_cons, w.fe.page->out_prod);
	assert_still_running();
}

static void test_console2_input_reaches_guest(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(xencons_fe_connect(&w.fe, NODE), 0);
	assert_int_equal(xencons_fe_read(&w.fe, buf, sizeof(buf)), 0);
	assert_int_equal(hv_consback_dev_input(&w.cd, "typed", 5), 5);
	assert_int_equal(xencons_fe_read(&w.fe, buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "typed", 5);
	assert_int_equal(xencons_fe_read(&w.fe, buf, sizeof(buf)), 0);
}

static void test_console2_closes_and_reconnects(void **state)
{
	(void)state;
	assert_int_equal(xencons_fe_connect(&w.fe, NODE), 0);
	assert_int_equal(xencons_fe_write(&w.fe, "one ", 4), 4);
	assert_int_equal(xencons_fe_disconnect(&w.fe), 0);
	assert_int_equal(w.cd.dev.xb.be_state, XenbusStateClosed);
	assert_int_equal(hv_gnttab_nr_mappings(w.dom0), 0);
	assert_int_equal(xencons_fe_write(&w.fe, "x", 1), -XEN_ENOTCONN);
	assert_int_equal(xencons_fe_connect(&w.fe, NODE), 0);
	assert_int_equal(w.cd.connects, 2);
	assert_int_equal(xencons_fe_write(&w.fe, "two", 3), 3);
	assert_string_equal(w.sink, "one two");
	assert_still_running();
}

/* The guest as a hostile frontend: its own ring-ref and port, then
 * Initialised; the backend must refuse and say why. */
static void hostile_handshake(struct xenbus_device *xb, unsigned long ref,
			      unsigned long port)
{
	assert_int_equal(xenbus_probe(xb, NODE), 0);
	assert_int_equal(xenbus_printf(XBT_NIL, NODE, "ring-ref", "%lu", ref),
			 0);
	assert_int_equal(xenbus_printf(XBT_NIL, NODE, "port", "%lu", port), 0);
	assert_int_equal(xenbus_switch_state(xb, XenbusStateInitialised), 0);
	assert_int_equal(xenbus_wait_for_otherend(xb, XenbusStateConnected,
						  TIMEOUT), -XEN_ENOTCONN);
	assert_int_equal(xb->otherend_state, XenbusStateClosing);
	/* Close, and the device is offered again. */
	assert_int_equal(xenbus_switch_state(xb, XenbusStateClosed), 0);
	assert_int_equal(xenbus_wait_for_otherend(xb, XenbusStateClosed,
						  TIMEOUT), 0);
}

static void expect_backend_still_serves(void)
{
	assert_int_equal(hv_gnttab_nr_mappings(w.dom0), 0);
	assert_int_equal(xencons_fe_connect(&w.fe, NODE), 0);
	assert_int_equal(xencons_fe_write(&w.fe, "ok", 2), 2);
	assert_string_equal(w.sink, "ok");
	assert_still_running();
}

static void no_handler(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
}

static void test_console2_ungranted_ring_ref_is_refused(void **state)
{
	struct xenbus_device xb;
	evtchn_port_t port;
	char why[128];

	(void)state;
	assert_int_equal(evtchn_alloc_unbound(0, no_handler, NULL, &port), 0);
	hostile_handshake(&xb, 1000, port);
	backend_error(why, sizeof(why));
	assert_non_null(strstr(why, "cannot map ring-ref"));
	assert_int_equal(evtchn_unbind(port), 0);
	expect_backend_still_serves();
}

static void test_console2_unbound_port_is_refused(void **state)
{
	struct xenbus_device xb;
	grant_ref_t ref;
	void *page = page_alloc(1);
	char why[128];

	(void)state;
	assert_non_null(page);
	assert_int_equal(gnttab_grant_access(0, virt_to_pfn(page), false,
					     &ref), 0);
	hostile_handshake(&xb, ref, 999);
	backend_error(why, sizeof(why));
	assert_non_null(strstr(why, "cannot bind port"));
	/* The backend dropped its mapping: the grant can end. */
	assert_int_equal(gnttab_end_access(ref), 0);
	page_free(page, 1);
	expect_backend_still_serves();
}

static void test_console2_impossible_out_prod_closes_device(void **state)
{
	char why[128];

	(void)state;
	assert_int_equal(xencons_fe_connect(&w.fe, NODE), 0);
	w.fe.page->out_prod = w.fe.page->out_cons + 5000;
	assert_int_equal(evtchn_notify(w.fe.port), 0);
	assert_int_equal(w.cd.dev.xb.be_state, XenbusStateClosing);
	backend_error(why, sizeof(why));
	assert_non_null(strstr(why, "broken ring indexes"));
	assert_int_equal(w.sunk, 0);
	assert_int_equal(xencons_fe_disconnect(&w.fe), 0);
	memset(w.sink, 0, sizeof(w.sink));
	expect_backend_still_serves();
}

static void test_console2_impossible_in_prod_is_an_error(void **state)
{
	char buf[4];

	(void)state;
	assert_int_equal(xencons_fe_connect(&w.fe, NODE), 0);
	w.fe.page->in_prod = w.fe.page->in_cons + 4096;  /* the backend's */
	assert_int_equal(xencons_fe_read(&w.fe, buf, sizeof(buf)), -XEN_EIO);
	assert_int_equal(xencons_fe_write(&w.fe, "x", 1), -XEN_EIO);
	assert_int_equal(xencons_fe_disconnect(&w.fe), 0);
	assert_still_running();
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_console2_is_enumerated_with_its_name),
		T(test_console2_connects_and_output_reaches_sink),
		T(test_console2_input_reaches_guest),
		T(test_console2_closes_and_reconnects),
		T(test_console2_ungranted_ring_ref_is_refused),
		T(test_console2_unbound_port_is_refused),
		T(test_console2_impossible_out_prod_closes_device),
		T(test_console2_impossible_in_prod_is_an_error),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
