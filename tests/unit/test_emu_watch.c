/* SPDX-License-Identifier: BSD-2-Clause */
/* The watch on guest memory a restore relies on (sim/emu_watch.c), each
 * way the host allows: a collect lists exactly the pages written since
 * the watch was armed or rearmed, and a rearm protects again every page
 * it was given and leaves the pages between them protected (it covers
 * close pages with one call), so that writes after it are listed
 * again, and only those. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "emu_watch.h"

#define PAGES 256u

static uint8_t *region;
static struct emu_watch watch;

static void write_pages(const unsigned *pg, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		region[pg[i] * EMU_WATCH_PAGE + 100] ^= 0x5a;
}

/* After a collect: the pages listed are those in want, each once. */
static void assert_listed(const unsigned *want, unsigned n)
{
	struct emu_watch_region *r = &watch.region[0];

	assert_int_equal(emu_watch_collect(&watch), 0);
	assert_int_equal(r->nr, n);
	for (unsigned pg = 0; pg < PAGES; pg++) {
		bool wanted = false;

		for (unsigned i = 0; i < n; i++)
			wanted |= want[i] == pg;
		assert_int_equal(r->written[pg], wanted);
	}
}

static int arm(const char *way)
{
	memset(&watch, 0, sizeof(watch));
	region = mmap(NULL, PAGES * EMU_WATCH_PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(region != MAP_FAILED);
	/* Some pages populated before, as a booted guest's. */
	for (unsigned pg = 0; pg < PAGES / 2; pg++)
		region[pg * EMU_WATCH_PAGE] = 1;
	setenv("XENSIM_EMU_WATCH", way, 1);
	assert_int_equal(emu_watch_add(&watch, region,
				       PAGES * EMU_WATCH_PAGE), 0);
	return emu_watch_arm(&watch);
}

static void disarm(void)
{
	emu_watch_stop(&watch);
	munmap(region, PAGES * EMU_WATCH_PAGE);
	unsetenv("XENSIM_EMU_WATCH");
}

static void rounds(void)
{
	/* Close pages (one rearm call), far ones, the last page. */
	static const unsigned first[] = { 3, 10, 12, 90, 200, PAGES - 1 };
	/* Between those rearmed together, and those again. */
	static const unsigned second[] = { 5, 10, 11, 150 };
	struct emu_watch_region *r = &watch.region[0];

	assert_listed(NULL, 0);
	write_pages(first, 6);
	assert_listed(first, 6);
	assert_int_equal(emu_watch_rearm(&watch, r), 0);
	assert_listed(NULL, 0);
	write_pages(second, 4);
	assert_listed(second, 4);
	assert_int_equal(emu_watch_rearm(&watch, r), 0);
	/* A page noted by the caller goes back like a written one. */
	assert_int_equal(emu_watch_note(&watch, r, 7), 0);
	region[7 * EMU_WATCH_PAGE] = 9;
	assert_listed((const unsigned[]){ 7 }, 1);
	assert_int_equal(emu_watch_rearm(&watch, r), 0);
	write_pages(first, 3);
	assert_listed(first, 3);
	assert_int_equal(emu_watch_rearm(&watch, r), 0);
}

static void by_uffd(void **state)
{
	(void)state;
	if (arm("uffd") || watch.way != EMU_WATCH_UFFD) {
		disarm();
		skip();                       /* the kernel has no PAGEMAP_SCAN */
	}
	rounds();
	disarm();
}

static void by_mprotect(void **state)
{
	(void)state;
	assert_int_equal(arm("mprotect"), 0);
	assert_int_equal(watch.way, EMU_WATCH_MPROTECT);
	rounds();
	disarm();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(by_uffd),
		cmocka_unit_test(by_mprotect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
