/* SPDX-License-Identifier: BSD-2-Clause */
/* What finding the written pages of guest memory costs an emulated fuzz
 * target's restore (sim/emu_watch.c), by region size and by pages
 * written: the CPU time of one collect (userfaultfd's PAGEMAP_SCAN, or
 * the fault handler's list) and of one rearm, each way the host allows.
 * Regions are populated as a booted guest's are (every page written once
 * before arming) or left empty; the pages written are spread over the
 * region or close together from its start, as a guest's are. Prints
 * figures only. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "emu_watch.h"

#define ROUNDS 400u

/* CPU time, the kernel's on our behalf included: the host is shared. */
static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), by_value);
	return v[n / 2];
}

/* One size, written pages, way: ns a collect and a rearm, or -1. */
static int measure(size_t mib, unsigned writes, bool populated,
		   bool spread, const char *way, double *collect,
		   double *rearm)
{
	size_t size = mib << 20, pages = size / EMU_WATCH_PAGE;
	struct emu_watch w;
	uint8_t *host;
	static double c[ROUNDS], r[ROUNDS];
	unsigned done = 0;

	memset(&w, 0, sizeof(w));
	host = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (host == MAP_FAILED)
		return -1;
	if (populated)
		for (size_t pg = 0; pg < pages; pg++)
			host[pg * EMU_WATCH_PAGE] = 1;
	setenv("XENSIM_EMU_WATCH", way, 1);
	if (emu_watch_add(&w, host, size) || emu_watch_arm(&w)) {
		munmap(host, size);
		return -1;
	}
	if (strcmp(way, "mprotect") && w.way != EMU_WATCH_UFFD) {
		emu_watch_stop(&w);
		munmap(host, size);
		return -1;
	}
	for (unsigned k = 0; k < ROUNDS; k++) {
		double t0, t1, t2;

		/* Spread over the region, as a guest's stack, rings and
		 * buffers are. */
		for (unsigned i = 0; i < writes; i++)
			host[((spread ? i * pages / writes : i * 3) + k % 3) %
			     pages * EMU_WATCH_PAGE + 8] = (uint8_t)k;
		t0 = now_ns();
		if (emu_watch_collect(&w))
			break;
		t1 = now_ns();
		if (emu_watch_rearm(&w, &w.region[0]))
			break;
		t2 = now_ns();
		c[done] = t1 - t0;
		r[done++] = t2 - t1;
	}
	emu_watch_stop(&w);
	munmap(host, size);
	if (done < ROUNDS)
		return -1;
	*collect = median(c, ROUNDS);
	*rearm = median(r, ROUNDS);
	return 0;
}

int main(void)
{
	static const size_t sizes[] = { 1, 4, 16, 64 };
	static const unsigned writes[] = { 0, 8, 64, 512 };
	static const char *const ways[] = { "uffd", "mprotect" };

	printf("emu_watch: CPU ns a collect / a rearm, median of %u rounds; "
	       "pages written spread over the region or every third from "
	       "its start\n", ROUNDS);
	for (unsigned wy = 0; wy < 2; wy++)
		for (unsigned p = 0; p < 4; p++)
			for (unsigned s = 0; s < 4; s++) {
				printf("%-8s %-9s %-7s %2zu MiB:", ways[wy],
				       p & 1 ? "populated" : "empty",
				       p & 2 ? "spread" : "third", sizes[s]);
				for (unsigned k = 0; k < 4; k++) {
					double c, r;

					if (measure(sizes[s], writes[k], p & 1,
						    p & 2, ways[wy], &c, &r))
						printf(" %3u: refused",
						       writes[k]);
					else
						printf(" %3u: %6.0f / %6.0f",
						       writes[k], c, r);
				}
				printf("\n");
			}
	return 0;
}
