/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest memory's written pages, seen by the host (emu_watch.h): by
 * userfaultfd's asynchronous write protection where the kernel has it,
 * else by page protection and a fault handler. A fault outside the
 * watched regions, or one the watch cannot give write access for, goes
 * to the handler that was there before (a sanitizer's, libFuzzer's, or
 * the default: the process dies as it would have). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "emu_watch.h"
#include "vcpu.h"         /* SIM_UC_HOT */

/* The kernel's interface where Debian 12's headers (Linux 6.1) stop. */
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#ifndef UFFD_FEATURE_WP_HUGETLBFS_SHMEM
#define UFFD_FEATURE_WP_HUGETLBFS_SHMEM (1u << 12)
#endif
#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED (1u << 13)
#endif
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_ASYNC (1u << 15)
#endif

struct scan_arg {                 /* struct pm_scan_arg */
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask;
	uint64_t return_mask;
};

struct scan_run {                 /* struct page_region */
	uint64_t start, end, categories;
};

#define SCAN_PAGEMAP     _IOWR('f', 16, struct scan_arg)
#define SCAN_IS_WRITTEN  (1u << 1)
#define SCAN_RUNS        64
/* Listed pages this far apart or closer are protected again in one call. */
#define EMU_WATCH_GAP    16u

static struct emu_watch *volatile watching;
static struct sigaction before;

int emu_watch_add(struct emu_watch *w, uint8_t *host, size_t size)
{
	struct emu_watch_region *r;
	size_t pages = size / EMU_WATCH_PAGE;

	if (w->nr_regions == HV_MAX_REGIONS || w->way != EMU_WATCH_OFF ||
	    (uintptr_t)host % EMU_WATCH_PAGE || size % EMU_WATCH_PAGE)
		return -1;
	r = &w->region[w->nr_regions];
	r->host = host;
	r->size = size;
	r->nr = 0;
	r->written = calloc(pages ? pages : 1, 1);
	r->list = calloc(pages ? pages : 1, sizeof(*r->list));
	if (!r->written || !r->list) {
		free(r->written);
		free(r->list);
		return -1;
	}
	w->nr_regions++;
	return 0;
}

SIM_UC_HOT static void listed(struct emu_watch_region *r, size_t pg)
{
	r->written[pg] = 1;
	r->list[r->nr++] = (uint32_t)pg;
}

/* ---- uffd ---- */

static int uffd_protect(struct emu_watch *w, uint8_t *at, size_t len,
			bool on)
{
	struct uffdio_writeprotect wp = {
		.range = { (uintptr_t)at, len },
		.mode = on ? UFFDIO_WRITEPROTECT_MODE_WP : 0,
	};

	return ioctl(w->uffd, UFFDIO_WRITEPROTECT, &wp) ? -1 : 0;
}

static void uffd_close(struct emu_watch *w)
{
	for (unsigned i = 0; w->uffd >= 0 && i < w->nr_regions; i++) {
		struct uffdio_range all = { (uintptr_t)w->region[i].host,
					    w->region[i].size };

		uffd_protect(w, w->region[i].host, w->region[i].size, false);
		ioctl(w->uffd, UFFDIO_UNREGISTER, &all);
	}
	if (w->uffd >= 0)
		close(w->uffd);
	if (w->pagemap >= 0)
		close(w->pagemap);
	w->uffd = w->pagemap = -1;
}

/* The written pages of r the kernel lists, added to r's list. */
static int uffd_scan(struct emu_watch *w, struct emu_watch_region *r)
{
	struct scan_run run[SCAN_RUNS];
	uint64_t at = (uintptr_t)r->host, end = at + r->size;

	while (at < end) {
		struct scan_arg a = {
			.size = sizeof(a), .start = at, .end = end,
			.vec = (uintptr_t)run, .vec_len = SCAN_RUNS,
			.category_mask = SCAN_IS_WRITTEN,
			.return_mask = SCAN_IS_WRITTEN,
		};
		long n = ioctl(w->pagemap, SCAN_PAGEMAP, &a);

		if (n < 0 || a.walk_end <= at)
			return -1;
		for (long k = 0; k < n; k++) {
			uint64_t pg = (run[k].start - (uintptr_t)r->host) /
				      EMU_WATCH_PAGE;
			uint64_t last = (run[k].end - (uintptr_t)r->host) /
					EMU_WATCH_PAGE;

			for (; pg < last; pg++)
				if (!r->written[pg])
					listed(r, pg);
		}
		at = a.walk_end;
	}
	return 0;
}

static int uffd_arm(struct emu_watch *w)
{
	struct uffdio_api api = {
		.api = UFFD_API,
		.features = UFFD_FEATURE_WP_ASYNC |
			    UFFD_FEATURE_WP_HUGETLBFS_SHMEM |
			    UFFD_FEATURE_WP_UNPOPULATED,
	};

	w->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK |
			       UFFD_USER_MODE_ONLY);
	w->pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (w->uffd < 0 || w->pagemap < 0 || ioctl(w->uffd, UFFDIO_API, &api))
		goto refused;
	for (unsigned i = 0; i < w->nr_regions; i++) {
		struct emu_watch_region *r = &w->region[i];
		struct uffdio_register reg = {
			.range = { (uintptr_t)r->host, r->size },
			.mode = UFFDIO_REGISTER_MODE_WP,
		};

		/* The first scan proves PAGEMAP_SCAN (Linux 6.7) is there. */
		if (ioctl(w->uffd, UFFDIO_REGISTER, &reg) ||
		    uffd_protect(w, r->host, r->size, true) ||
		    uffd_scan(w, r) || r->nr)
			goto refused;
	}
	return 0;
refused:
	uffd_close(w);
	return -1;
}

/* ---- mprotect ---- */

/* The fault's page, given write access and listed; false when the fault
 * is not the watch's. */
SIM_UC_HOT static bool took_write(struct emu_watch *w, uintptr_t at)
{
	for (unsigned i = 0; w && i < w->nr_regions; i++) {
		struct emu_watch_region *r = &w->region[i];
		uintptr_t off = at - (uintptr_t)r->host;
		size_t pg = off / EMU_WATCH_PAGE;

		if (off >= r->size)
			continue;
		if (r->written[pg] ||
		    mprotect(r->host + pg * EMU_WATCH_PAGE, EMU_WATCH_PAGE,
			     PROT_READ | PROT_WRITE))
			return false;     /* writable already: a real fault */
		listed(r, pg);
		return true;
	}
	return false;
}

SIM_UC_HOT static void on_fault(int sig, siginfo_t *si, void *uctx)
{
	int saved = errno;

	/* Any code: valgrind, for one, does not say SEGV_ACCERR. */
	if (took_write(watching, (uintptr_t)si->si_addr)) {
		errno = saved;
		return;               /* the store runs again, and succeeds */
	}
	errno = saved;
	if (before.sa_flags & SA_SIGINFO) {
		before.sa_sigaction(sig, si, uctx);
	} else if (before.sa_handler != SIG_DFL &&
		   before.sa_handler != SIG_IGN) {
		before.sa_handler(sig);
	} else {
		/* The fault comes again with the default action. */
		signal(SIGSEGV, SIG_DFL);
	}
}

static int protect_all(struct emu_watch *w, int prot)
{
	int rc = 0;

	for (unsigned i = 0; i < w->nr_regions; i++)
		if (mprotect(w->region[i].host, w->region[i].size, prot))
			rc = -1;
	return rc;
}

static int mprotect_arm(struct emu_watch *w)
{
	struct sigaction sa;

	if (sysconf(_SC_PAGESIZE) != EMU_WATCH_PAGE)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	watching = w;
	if (sigaction(SIGSEGV, &sa, &before)) {
		watching = NULL;
		return -1;
	}
	if (protect_all(w, PROT_READ)) {
		protect_all(w, PROT_READ | PROT_WRITE);
		sigaction(SIGSEGV, &before, NULL);
		watching = NULL;
		return -1;
	}
	return 0;
}

/* ---- either ---- */

int emu_watch_arm(struct emu_watch *w)
{
	const char *way = getenv("XENSIM_EMU_WATCH");

	if (w->way != EMU_WATCH_OFF || watching)
		return -1;
	w->uffd = w->pagemap = -1;
	if ((!way || strcmp(way, "mprotect")) && uffd_arm(w) == 0)
		w->way = EMU_WATCH_UFFD;
	else if (mprotect_arm(w) == 0)
		w->way = EMU_WATCH_MPROTECT;
	else
		return -1;
	return 0;
}

int emu_watch_collect(struct emu_watch *w)
{
	if (w->way != EMU_WATCH_UFFD)
		return 0;             /* the fault handler listed them */
	for (unsigned i = 0; i < w->nr_regions; i++)
		if (uffd_scan(w, &w->region[i]))
			return -1;
	return 0;
}

int emu_watch_note(struct emu_watch *w, struct emu_watch_region *r,
		   size_t pg)
{
	if (r->written[pg])
		return 0;
	if (w->way == EMU_WATCH_MPROTECT &&
	    mprotect(r->host + pg * EMU_WATCH_PAGE, EMU_WATCH_PAGE,
		     PROT_READ | PROT_WRITE))
		return -1;
	listed(r, pg);
	return 0;
}

static int list_order(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

int emu_watch_rearm(struct emu_watch *w, struct emu_watch_region *r)
{
	int rc = 0;

	/* Every page written is listed, so those between two listed pages
	 * are protected still: protecting them again costs the kernel a
	 * look at each, far less than a call more (bench_emu_watch). */
	qsort(r->list, r->nr, sizeof(*r->list), list_order);
	for (size_t k = 0; k < r->nr;) {
		uint32_t first = r->list[k], last = first;
		uint8_t *at = r->host + (size_t)first * EMU_WATCH_PAGE;
		size_t len;

		for (; k < r->nr && r->list[k] - last <= EMU_WATCH_GAP; k++) {
			last = r->list[k];
			r->written[last] = 0;
		}
		len = (size_t)(last - first + 1) * EMU_WATCH_PAGE;
		if (w->way == EMU_WATCH_UFFD ? uffd_protect(w, at, len, true) :
		    mprotect(at, len, PROT_READ))
			rc = -1;
	}
	r->nr = 0;
	return rc;
}

void emu_watch_stop(struct emu_watch *w)
{
	if (w->way == EMU_WATCH_UFFD)
		uffd_close(w);
	if (w->way == EMU_WATCH_MPROTECT) {
		protect_all(w, PROT_READ | PROT_WRITE);
		sigaction(SIGSEGV, &before, NULL);
		watching = NULL;
	}
	for (unsigned i = 0; i < w->nr_regions; i++) {
		free(w->region[i].written);
		free(w->region[i].list);
	}
	memset(w, 0, sizeof(*w));
}
