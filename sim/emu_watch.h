/* SPDX-License-Identifier: BSD-2-Clause */
/* Which pages of guest memory were written since the snapshot (sim/emu.c),
 * seen by the host's page protection: the regions are made read-only, the
 * first write to a page faults, the fault handler records the page and
 * gives it back its write access; a restore copies it back and protects
 * it again. The engine's stores stay on its fast path (a UC_HOOK_MEM_WRITE
 * hook would send every load and store through its slow path), and every
 * writer through these addresses is seen: the guest, the model, dom0.
 * A write through another mapping of the same memory (a grant alias) is
 * not, nor can a system call write into a protected page (EFAULT). One
 * watch per process. */
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
	uint32_t *list;               /* those pages, in the order written */
	size_t nr;
};

struct emu_watch {
	struct emu_watch_region region[HV_MAX_REGIONS];
	unsigned nr_regions;
	bool armed;
};

/* Allocate the maps of a region (before arming); 0 or -1. */
int emu_watch_add(struct emu_watch *w, uint8_t *host, size_t size);
/* Protect every region and take the fault signal: 0, or -1 (nothing
 * changed, another watch is armed, or the host refused). */
int emu_watch_arm(struct emu_watch *w);
/* Protect again the pages recorded in r (after they were copied back)
 * and forget them: 0, or -1 when the host refused. */
int emu_watch_rearm(struct emu_watch_region *r);
/* Everything writable again, the signal given back; frees the maps. */
void emu_watch_stop(struct emu_watch *w);

#endif
