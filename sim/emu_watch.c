/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest memory's written pages, seen by host page protection (emu_watch.h).
 * A fault outside the watched regions, or one the watch cannot give write
 * access for, goes to the handler that was there before (a sanitizer's,
 * libFuzzer's, or the default: the process dies as it would have). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "emu_watch.h"
#include "vcpu.h"         /* SIM_UC_HOT */

static struct emu_watch *volatile watching;
static struct sigaction before;

int emu_watch_add(struct emu_watch *w, uint8_t *host, size_t size)
{
	struct emu_watch_region *r;
	size_t pages = size / EMU_WATCH_PAGE;

	if (w->nr_regions == HV_MAX_REGIONS || w->armed ||
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

/* The fault's page, given write access and recorded; false when the fault
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
		r->written[pg] = 1;
		r->list[r->nr++] = (uint32_t)pg;
		return true;
	}
	return false;
}

SIM_UC_HOT static void on_fault(int sig, siginfo_t *si, void *uctx)
{
	int saved = errno;

	if (si->si_code == SEGV_ACCERR &&
	    took_write(watching, (uintptr_t)si->si_addr)) {
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

int emu_watch_arm(struct emu_watch *w)
{
	struct sigaction sa;

	if (w->armed || watching || sysconf(_SC_PAGESIZE) != EMU_WATCH_PAGE)
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
	w->armed = true;
	if (protect_all(w, PROT_READ)) {
		emu_watch_stop(w);
		return -1;
	}
	return 0;
}

int emu_watch_rearm(struct emu_watch_region *r)
{
	int rc = 0;

	for (size_t k = 0; k < r->nr;) {
		uint32_t first = r->list[k], n = 1;

		/* Pages written in a row, one call. */
		while (k + n < r->nr && r->list[k + n] == first + n)
			n++;
		if (mprotect(r->host + (size_t)first * EMU_WATCH_PAGE,
			     (size_t)n * EMU_WATCH_PAGE, PROT_READ))
			rc = -1;
		for (uint32_t j = 0; j < n; j++)
			r->written[first + j] = 0;
		k += n;
	}
	r->nr = 0;
	return rc;
}

void emu_watch_stop(struct emu_watch *w)
{
	if (w->armed) {
		protect_all(w, PROT_READ | PROT_WRITE);
		sigaction(SIGSEGV, &before, NULL);
		watching = NULL;
		w->armed = false;
	}
	for (unsigned i = 0; i < w->nr_regions; i++) {
		free(w->region[i].written);
		free(w->region[i].list);
	}
	memset(w, 0, sizeof(*w));
}
