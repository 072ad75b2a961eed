/* SPDX-License-Identifier: BSD-2-Clause */
/* Which pages of guest memory were written since the snapshot (sim/emu.c),
 * seen by the host's memory management, whoever writes through these
 * addresses (the guest, the model, dom0, a system call) with no cost on
 * the engine: a UC_HOOK_MEM_WRITE hook would send every guest load and
 * store through the engine's slow path. Two ways, the first the host
 * allows:
 *   uffd      userfaultfd's asynchronous write protection (Linux 6.7):
 *             the kernel notes the first write to a page by itself, and
 *             /proc/self/pagemap's PAGEMAP_SCAN lists the pages written
 *   mprotect  the regions read-only: the first write to a page faults,
 *             the fault handler records the page and makes it writable
 *             (a system call's write into a protected page fails, EFAULT)
 * A restore copies the pages back and protects them again. A write
 * through another mapping of the same memory (a grant alias) is not seen.
 * One watch per process. */
#ifndef SIM_EMU_WATCH_H
#define SIM_EMU_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/mem.h"

#define EMU_WATCH_PAGE 4096u

struct emu_watch_region {
	uint8_t *host;
	size_t size;
	uint8_t *written;             /* a byte a page */
	uint32_t *list;               /* those pages */
	size_t nr;
};

enum emu_watch_way {
	EMU_WATCH_OFF,
	EMU_WATCH_UFFD,
	EMU_WATCH_MPROTECT,
};

struct emu_watch {
	struct emu_watch_region region[HV_MAX_REGIONS];
	unsigned nr_regions;
	enum emu_watch_way way;
	int uffd, pagemap;            /* uffd's descriptors */
};

/* Allocate the maps of a region (before arming); 0 or -1. */
int emu_watch_add(struct emu_watch *w, uint8_t *host, size_t size);
/* Protect every region: 0, or -1 (nothing changed: another watch is
 * armed, or the host refused both ways). XENSIM_EMU_WATCH=mprotect
 * skips uffd. */
int emu_watch_arm(struct emu_watch *w);
/* Fill each region's list with the pages written since it was armed or
 * last rearmed: 0, or -1 when the host refused. */
int emu_watch_collect(struct emu_watch *w);
/* The caller is about to write page pg of r itself: listed (and, with
 * mprotect, made writable). 0, or -1 when the host refused. */
int emu_watch_note(struct emu_watch *w, struct emu_watch_region *r,
		   size_t pg);
/* Protect again the pages listed in r (copied back by then) and forget
 * them: 0, or -1 when the host refused. After a collect only: pages
 * between close listed ones are protected again in the same call, which
 * is right only while every page written is listed. */
int emu_watch_rearm(struct emu_watch *w, struct emu_watch_region *r);
/* Everything writable again, the fault signal given back; frees. */
void emu_watch_stop(struct emu_watch *w);

#endif
