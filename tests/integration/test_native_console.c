/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's console ring in a running native guest, with the model's
 * backend behind it and the test playing a hostile one: output reaches
 * the Xen console through the ring; a backend that breaks the ring or
 * leaves it full is reported once and console_io carries the output on,
 * with nothing lost and the guest still running; input is read a
 * character or a line at a time, and a broken input ring is an error,
 * never a crash. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>

#include "dev/xencons.h"
#include "hv/evtchn.h"
#include "hv/machine.h"
#include "kern/printf.h"
#include "sim.h"

#define MAX_LINES 256

static struct {
	struct sim_native *sn;
	struct hv_domain *guest, *dom0;
	struct xencons_interface *page;
	evtchn_port_t guest_port, dom0_port;
	char line[MAX_LINES][300];
	unsigned n;
} w;

static void keep_line(void *ctx, const char *line)
{
	(void)ctx;
	if (w.n < MAX_LINES)
		snprintf(w.line[w.n++], sizeof(w.line[0]), "%s", line);
}

static bool seen(const char *s)
{
	for (unsigned i = 0; i < w.n; i++)
		if (strcmp(w.line[i], s) == 0)
			return true;
	return false;
}

static int setup(void **state)
{
	struct sim_config cfg;
	struct sim_result res;
	struct evtchn_status st;

	(void)state;
	memset(&w, 0, sizeof(w));
	sim_config_init(&cfg);
	cfg.no_xenstore = true;     /* the ring needs none */
	cfg.console_sink = keep_line;
	w.sn = sim_native_start(&cfg, &res);
	if (!w.sn) {
		printf("sim_native_start: %s\n", res.message);
		return -1;
	}
	w.guest = sim_native_domain(w.sn);
	w.dom0 = sim_native_dom0(w.sn);
	w.page = hv_gpfn_ptr(&w.guest->mem,
			     w.guest->hvm_param[HVM_PARAM_CONSOLE_PFN]);
	w.guest_port = (evtchn_port_t)
		w.guest->hvm_param[HVM_PARAM_CONSOLE_EVTCHN];
	st.dom = DOMID_SELF;
	st.port = w.guest_port;
	if (!w.page || hv_evtchn_status_for(w.guest, &st) ||
	    st.status != EVTCHNSTAT_interdomain)
		return -1;
	w.dom0_port = st.u.interdomain.port;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sim_native_stop(w.sn);
	return 0;
}

static void assert_still_running(void)
{
	struct sim_result res;

	assert_true(sim_native_running(w.sn, &res));
}

static void test_output_goes_through_the_ring(void **state)
{
	uint32_t before = w.page->out_prod;

	(void)state;
	assert_true(xencons_active());
	kprintf("through the ring %d\n", 42);
	assert_int_equal(w.page->out_prod - before, 20);
	assert_true(seen("(d1) through the ring 42"));
	assert_int_equal(w.page->out_cons, w.page->out_prod);
}

static void test_broken_out_cons_falls_back_to_console_io(void **state)
{
	(void)state;
	w.page->out_cons = w.page->out_prod + 5000;   /* impossible */
	kprintf("still here\n");
	assert_true(seen("(d1) console: backend broke the ring (impossible "
			 "out_cons); output continues on console_io"));
	assert_true(seen("(d1) still here"));
	assert_false(xencons_active());
	kprintf("and after\n");
	assert_true(seen("(d1) and after"));
	assert_still_running();
}

static void test_full_ring_waits_then_falls_back(void **state)
{
	struct hv_machine *m = sim_native_machine(w.sn);
	char want[64];
	uint64_t t0;

	(void)state;
	/* The backend stops listening: its kicks now only set a bit. */
	assert_int_equal(hv_evtchn_set_consumer(w.dom0, w.dom0_port, NULL,
						NULL), 0);
	t0 = m->now_ns;
	for (int i = 0; i < 30; i++)
		kprintf("line %02d of a console nobody drains ..........."
			"..................................................\n",
			i);
	/* It waited (virtual time) before giving up, and said so once. */
	assert_true(m->now_ns - t0 >= 2000000000ull);
	assert_true(seen("(d1) console: the backend left the ring full; "
			 "output continues on console_io"));
	assert_false(xencons_active());
	/* What did not fit went to console_io: the last lines are there. */
	snprintf(want, sizeof(want), "(d1) line 29 of a console nobody");
	assert_true(strncmp(w.line[w.n - 1], want, strlen(want)) == 0);
	assert_still_running();
}

/* The test as the backend: input on the in ring, then an event. */
static void backend_types(const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		w.page->in[MASK_XENCONS_IDX(w.page->in_prod + i, w.page->in)] =
			s[i];
	w.page->in_prod += (uint32_t)n;
	assert_int_equal(hv_evtchn_send_from(w.dom0, w.dom0_port), 0);
}

static void test_getc_and_read_line(void **state)
{
	char line[8];

	(void)state;
	assert_int_equal(console_getc(), -XEN_EAGAIN);
	backend_types("x");
	assert_int_equal(console_getc(), 'x');
	assert_int_equal(console_getc(), -XEN_EAGAIN);
	backend_types("abc\r\ntoo long a line\n");
	assert_int_equal(console_read_line(line, sizeof(line)), 3);
	assert_string_equal(line, "abc");
	/* The \n of "\r\n" does not make an empty line; the rest of an
	 * over-long line is dropped. */
	assert_int_equal(console_read_line(line, sizeof(line)), 7);
	assert_string_equal(line, "too lon");
	assert_int_equal(w.page->in_cons, w.page->in_prod);
	assert_still_running();
}

static void test_broken_in_prod_is_an_error(void **state)
{
	char line[8];

	(void)state;
	w.page->in_prod = w.page->in_cons + 4096;     /* impossible */
	assert_int_equal(console_read_line(line, sizeof(line)), -XEN_ENODEV);
	assert_true(seen("(d1) console: backend broke the ring (impossible "
			 "in_prod); output continues on console_io"));
	assert_int_equal(console_getc(), -XEN_ENODEV);
	assert_still_running();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_output_goes_through_the_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_broken_out_cons_falls_back_to_console_io, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_full_ring_waits_then_falls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_getc_and_read_line, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_broken_in_prod_is_an_error, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
