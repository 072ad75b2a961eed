/* SPDX-License-Identifier: BSD-2-Clause */
/* The model's console backend and the toolstack's console wiring, facing a
 * guest that writes what it likes into the ring page: indexes more than a
 * ring apart break the ring (logged with the domain, never a crash, nothing
 * sent on), wrap-around and a slow sink lose nothing, and the default sink
 * shows output exactly as console_io output is shown. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <xen/arch-arm.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>

#include "hv/console_link.h"
#include "hv/evtchn.h"
#include "hv/machine.h"
#include "hv/xs.h"

static struct {
	struct hv_machine *m;
	struct hv_domain *dom0, *guest;
	struct hv_xs *xs;
	struct hv_console_link link;
	struct xencons_interface *page;
	char lines[16][300];
	unsigned nr_lines;
	char sunk[8192];
	size_t sunk_len;
	size_t sink_room;              /* bytes the sink takes per call */
} w;

static void capture_line(void *ctx, const char *line)
{
	(void)ctx;
	if (w.nr_lines < 16)
		snprintf(w.lines[w.nr_lines++], sizeof(w.lines[0]), "%s", line);
}

static size_t sink(void *ctx, const char *buf, size_t len)
{
	size_t n = len < w.sink_room ? len : w.sink_room;

	(void)ctx;
	if (n > sizeof(w.sunk) - w.sunk_len)
		n = sizeof(w.sunk) - w.sunk_len;
	memcpy(w.sunk + w.sunk_len, buf, n);
	w.sunk_len += n;
	return n;
}

static int start(bool with_xenstore)
{
	struct hv_domain_config d0 = { .name = "Domain-0", .domid = 0,
				       .ram_bytes = 1 << 20, .nr_vcpus = 1,
				       .privileged = true };
	struct hv_domain_config d1 = { .name = "guest", .domid = 1,
				       .ram_bytes = 16 << 20, .nr_vcpus = 1 };
	struct hv_xs_domain_info info = { .domid = 1, .name = "guest",
					   .memory_kb = 16384, .vcpus = 1 };

	memset(&w, 0, sizeof(w));
	w.sink_room = SIZE_MAX;
	w.m = hv_machine_new(capture_line, NULL);
	if (!w.m)
		return -1;
	w.m->log_level = HV_LOG_ERR;
	if (hv_domain_create(w.m, &d0, &w.dom0) ||
	    hv_domain_create(w.m, &d1, &w.guest))
		return -1;
	if (with_xenstore) {
		w.xs = hv_xs_new(NULL);
		if (!w.xs || hv_xs_toolstack_create_domain(w.xs, &info))
			return -1;
	}
	if (hv_console_link_connect(&w.link, w.dom0, w.guest, w.xs))
		return -1;
	w.page = hv_gpfn_ptr(&w.guest->mem, w.link.gfn);
	return w.page ? 0 : -1;
}

static int setup(void **state)
{
	(void)state;
	return start(false);
}

static int setup_xs(void **state)
{
	(void)state;
	return start(true);
}

static int teardown(void **state)
{
	(void)state;
	hv_console_link_disconnect(&w.link);
	if (w.xs)
		hv_xs_free(w.xs);
	hv_machine_free(w.m);
	return 0;
}

/* The guest's side, written straight into the page: output at its
 * producer index, then a kick on its channel. */
static void guest_writes(const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		w.page->out[MASK_XENCONS_IDX(w.page->out_prod + i,
					     w.page->out)] = s[i];
	w.page->out_prod += (uint32_t)n;
	assert_int_equal(hv_evtchn_send_from(w.guest, w.link.guest_port), 0);
}

static bool line_seen(const char *s)
{
	for (unsigned i = 0; i < w.nr_lines; i++)
		if (strcmp(w.lines[i], s) == 0)
			return true;
	return false;
}

static void test_console_link_sets_magic_page_and_params(void **state)
{
	uint64_t gfn = (GUEST_MAGIC_BASE >> 12) + 0;

	(void)state;
	assert_int_equal(w.link.gfn, gfn);
	assert_int_equal(w.guest->hvm_param[HVM_PARAM_CONSOLE_PFN], gfn);
	assert_int_equal(w.guest->hvm_param[HVM_PARAM_CONSOLE_EVTCHN],
			 w.link.guest_port);
	assert_int_not_equal(w.link.guest_port, 0);
	assert_int_equal(w.page->out_prod, 0);
	assert_int_equal(w.page->in_prod, 0);
}

static void test_console_link_writes_xenstore_nodes_as_libxl(void **state)
{
	char buf[64], want[32];

	(void)state;
	snprintf(want, sizeof(want), "%llu",
		 (unsigned long long)w.link.gfn);
	assert_int_equal(hv_xs_read(w.xs, "/local/domain/1/console/ring-ref",
				    buf, sizeof(buf)), (int)strlen(want));
	buf[strlen(want)] = '\0';
	assert_string_equal(buf, want);
	snprintf(want, sizeof(want), "%u", w.link.guest_port);
	assert_int_equal(hv_xs_read(w.xs, "/local/domain/1/console/port", buf,
				    sizeof(buf)), (int)strlen(want));
	buf[strlen(want)] = '\0';
	assert_string_equal(buf, want);
	assert_int_equal(hv_xs_read(w.xs, "/local/domain/1/console/type", buf,
				    sizeof(buf)), 11);
	assert_memory_equal(buf, "xenconsoled", 11);
	assert_int_equal(hv_xs_read(w.xs, "/local/domain/1/console/limit", buf,
				    sizeof(buf)), 7);
	assert_memory_equal(buf, "1048576", 7);
	assert_int_equal(hv_console_link_set_tty(&w.link, "/dev/pts/9"), 0);
	assert_int_equal(hv_xs_read(w.xs, "/local/domain/1/console/tty", buf,
				    sizeof(buf)), 10);
	assert_memory_equal(buf, "/dev/pts/9", 10);
}

static void test_output_shows_as_console_io_lines(void **state)
{
	(void)state;
	guest_writes("hello\r\nwor");
	assert_false(line_seen("(d1) hello"));    /* dom0 has not run yet */
	assert_true(hv_console_link_run(&w.link));
	assert_true(line_seen("(d1) hello"));
	guest_writes("ld\n");
	assert_true(hv_console_link_run(&w.link));
	assert_true(line_seen("(d1) world"));
	assert_int_equal(w.page->out_cons, w.page->out_prod);
}

static void test_no_kick_no_service(void **state)
{
	(void)state;
	memcpy(w.page->out, "quiet\n", 6);
	w.page->out_prod = 6;
	assert_false(hv_console_link_run(&w.link));
	assert_int_equal(w.page->out_cons, 0);
}

static void test_output_wraps_around_the_ring(void **state)
{
	char chunk[1501];

	(void)state;
	hv_consback_set_sink(&w.link.back, sink, NULL);
	memset(chunk, 'a', 1500);
	chunk[1500] = '\0';
	guest_writes(chunk);
	assert_true(hv_console_link_run(&w.link));
	memset(chunk, 'b', 1500);
	guest_writes(chunk);    /* crosses the end of the 2048-byte ring */
	assert_true(hv_console_link_run(&w.link));
	assert_int_equal(w.sunk_len, 3000);
	assert_int_equal(w.sunk[1499], 'a');
	for (size_t i = 1500; i < 3000; i++)
		assert_int_equal(w.sunk[i], 'b');
	assert_int_equal(w.page->out_cons, 3000);
}

static void test_slow_sink_keeps_the_rest_on_the_ring(void **state)
{
	(void)state;
	hv_consback_set_sink(&w.link.back, sink, NULL);
	w.sink_room = 0;
	guest_writes("0123456789");
	assert_false(hv_console_link_run(&w.link));
	assert_int_equal(w.page->out_cons, 0);
	/* No new kick, but dom0 comes back for what is still there. */
	w.sink_room = 4;
	assert_true(hv_console_link_run(&w.link));
	w.sink_room = SIZE_MAX;
	assert_true(hv_console_link_run(&w.link));
	assert_int_equal(w.sunk_len, 10);
	assert_memory_equal(w.sunk, "0123456789", 10);
	assert_int_equal(w.page->out_cons, 10);
}

/* Producer indexes the guest controls, each impossible: more than a ring
 * ahead of what we consumed, or behind it. */
static const uint32_t bad_out_prod[] = { 2049, 0x80000000u, 0xffffffffu };

static void test_hostile_out_prod_breaks_the_ring(void **state)
{
	char want[160];

	(void)state;
	for (size_t i = 0; i < sizeof(bad_out_prod) / sizeof(*bad_out_prod);
	     i++) {
		teardown(state);
		assert_int_equal(start(false), 0);
		hv_consback_set_sink(&w.link.back, sink, NULL);
		w.page->out_prod = bad_out_prod[i];
		assert_int_equal(hv_evtchn_send_from(w.guest, w.link.guest_port),
				 0);
		assert_false(hv_console_link_run(&w.link));
		assert_true(w.link.back.broken);
		assert_int_equal(w.sunk_len, 0);
		assert_int_equal(w.page->out_cons, 0);
		snprintf(want, sizeof(want), "(XEN) d1 console: broken out "
			 "ring (prod %u, cons 0: more than a ring apart); no "
			 "longer served", bad_out_prod[i]);
		assert_true(line_seen(want));
		/* Broken stays broken: later kicks are ignored. */
		w.page->out_prod = 1;
		assert_int_equal(hv_evtchn_send_from(w.guest, w.link.guest_port),
				 0);
		assert_false(hv_console_link_run(&w.link));
		assert_int_equal(hv_consback_input(&w.link.back, "x", 1), 0);
	}
}

static void test_guest_rewriting_out_cons_is_not_believed(void **state)
{
	(void)state;
	hv_consback_set_sink(&w.link.back, sink, NULL);
	guest_writes("abc");
	assert_true(hv_console_link_run(&w.link));
	/* The guest moves our consumer back: we do not send "abc" again. */
	w.page->out_cons = 0;
	guest_writes("d");
	assert_true(hv_console_link_run(&w.link));
	assert_int_equal(w.sunk_len, 4);
	assert_memory_equal(w.sunk, "abcd", 4);
}

static void test_input_reaches_the_in_ring_with_an_event(void **state)
{
	(void)state;
	assert_int_equal(hv_consback_input(&w.link.back, "ls\n", 3), 3);
	assert_int_equal(w.page->in_prod, 3);
	assert_memory_equal(w.page->in, "ls\n", 3);
	assert_true(hv_evtchn_is_pending(w.guest, w.link.guest_port));
}

static void test_input_stops_at_a_full_in_ring(void **state)
{
	char big[1500];

	(void)state;
	memset(big, 'k', sizeof(big));
	assert_int_equal(hv_consback_input(&w.link.back, big, sizeof(big)),
			 1024);
	assert_int_equal(hv_consback_input_room(&w.link.back), 0);
	assert_int_equal(hv_consback_input(&w.link.back, "x", 1), 0);
	/* The guest reads 24 bytes: room for 24 more, wrapping. */
	w.page->in_cons = 24;
	assert_int_equal(hv_consback_input(&w.link.back, big, sizeof(big)),
			 24);
	assert_int_equal(w.page->in_prod, 1048);
	assert_false(w.link.back.broken);
}

static void test_hostile_in_cons_breaks_the_ring(void **state)
{
	(void)state;
	assert_int_equal(hv_consback_input(&w.link.back, "ab", 2), 2);
	w.page->in_cons = 3;       /* consumed more than was produced */
	assert_int_equal(hv_consback_input(&w.link.back, "c", 1), 0);
	assert_true(w.link.back.broken);
	assert_true(line_seen("(XEN) d1 console: broken in ring (prod 2, "
			      "cons 3: more than a ring apart); no longer "
			      "served"));
}

static void test_stop_flushes_what_the_guest_left(void **state)
{
	(void)state;
	memcpy(w.page->out, "last words\n", 11);
	w.page->out_prod = 11;     /* written, never kicked: it crashed */
	hv_console_link_disconnect(&w.link);
	assert_true(line_seen("(d1) last words"));
	assert_int_equal(w.guest->hvm_param[HVM_PARAM_CONSOLE_PFN], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_console_link_sets_magic_page_and_params, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_console_link_sets_magic_page_and_params, setup_xs,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_console_link_writes_xenstore_nodes_as_libxl,
			setup_xs, teardown),
		cmocka_unit_test_setup_teardown(
			test_output_shows_as_console_io_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_kick_no_service, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_output_wraps_around_the_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_slow_sink_keeps_the_rest_on_the_ring, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_hostile_out_prod_breaks_the_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_guest_rewriting_out_cons_is_not_believed, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_input_reaches_the_in_ring_with_an_event, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_input_stops_at_a_full_in_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_hostile_in_cons_breaks_the_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_stop_flushes_what_the_guest_left, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
