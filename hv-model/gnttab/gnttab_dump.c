/* SPDX-License-Identifier: BSD-2-Clause */
/* The 'g' debug key: a domain's grant table as Xen 4.17's
 * gnttab_usage_print shows it: its version and frame counts, then every
 * entry someone holds a pin on (who, which frame, the pin counts) beside
 * what the guest's entry says now. Entries are guest memory: read once. */
#include <inttypes.h>

#include "gnttab_internal.h"
#include "hv/keyhandler.h"
#include "hv/machine.h"

/* Handles per maptrack frame (16-byte entries in a 4 KiB page), and the
 * frame limits of Xen's defaults (max_maptrack_frames=1024). */
#define MAPTRACK_PER_FRAME 256u
#define MAX_MAPTRACK_FRAMES 1024u

void hv_gnttab_dump_xen(struct hv_domain *d)
{
	struct hv_machine *m = d->machine;
	struct hv_gnttab *gt = d->gnttab;
	bool any = false;

	hv_printk(m, "      -------- active --------       -------- shared --------");
	hv_printk(m, "[ref] localdom mfn      pin          localdom gmfn     flags");
	if (!gt)
		return;
	hv_printk(m, "grant-table for remote d%u (v1)", d->domid);
	hv_printk(m, "  %u frames (%u max), %u maptrack frames (%u max)",
		  gt->nr_frames, gt->max_frames,
		  (gt->nr_maptrack + MAPTRACK_PER_FRAME - 1) / MAPTRACK_PER_FRAME,
		  MAX_MAPTRACK_FRAMES);
	for (grant_ref_t ref = 0; ref < gt_nr_entries(gt); ref++) {
		const struct gt_active *act = &gt->active[ref];
		struct grant_entry_v1 *e;
		uint32_t frame, pin;
		uint16_t flags, domid;

		if (!act->pin_r && !act->pin_w)
			continue;
		e = hv_gt_entry(gt, ref);
		flags = __atomic_load_n(&e->flags, __ATOMIC_RELAXED);
		domid = __atomic_load_n(&e->domid, __ATOMIC_RELAXED);
		frame = __atomic_load_n(&e->frame, __ATOMIC_RELAXED);
		/* Xen's pin word: writable host pins count in bits 0-7,
		 * read-only host pins in bits 8-15. */
		pin = (uint32_t)act->pin_w | (uint32_t)act->pin_r << 8;
		hv_printk(m, "[0x%03x]  %5u 0x%05" PRIx64 " 0x%08x      %5u 0x%06x 0x%02x",
			  ref, act->domid, act->gfn, pin, domid, frame, flags);
		any = true;
	}
	if (!any)
		hv_printk(m, "no active grant table entries");
}
