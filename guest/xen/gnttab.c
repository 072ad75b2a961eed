/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's grant table: frames mapped one by one into the grant window,
 * a free list threaded through an array indexed by reference, and the v1
 * protocol for granting and ending access. The entry's flags are shared
 * with Xen (which sets GTF_reading/GTF_writing while a peer uses the
 * grant): ending a grant is one compare-and-exchange that fails while
 * either flag is set. */
#include <xen/errno.h>
#include <xen/memory.h>

#include "gxen/gnttab.h"
#include "gxen/hypercall.h"
#include "kern/page.h"
#include "kern/string.h"
#include "port.h"

#define ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(struct grant_entry_v1))
#define MAX_ENTRIES       (GNTTAB_GUEST_MAX_FRAMES * ENTRIES_PER_FRAME)

/* Free-list links: the next free reference, or one of these. */
#define REF_END    0xffffffffu   /* end of a list */
#define REF_IN_USE 0xfffffffeu   /* granted (or claimed in a batch) */

static struct grant_entry_v1 *table;
static paddr_t window_base;
static unsigned nr_frames, max_frames;
static uint64_t frame_gfn[GNTTAB_GUEST_MAX_FRAMES];
static grant_ref_t *next_ref;      /* MAX_ENTRIES links */
static grant_ref_t free_head = REF_END;
static unsigned nr_free;

static unsigned nr_entries(void)
{
	return nr_frames * ENTRIES_PER_FRAME;
}

static void push_free(grant_ref_t ref)
{
	next_ref[ref] = free_head;
	free_head = ref;
	nr_free++;
}

/* References [first, end) onto the free list. */
static void push_range_free(grant_ref_t first, grant_ref_t end)
{
	/* Pushed high to low, so references are handed out in order. */
	for (grant_ref_t ref = end; ref-- > first;)
		push_free(ref);
}

/* Map the next frame of the table and add its references. */
static int map_next_frame(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_grant_table,
		.idx = nr_frames,
		.gpfn = (window_base >> PAGE_SHIFT) + nr_frames,
	};
	long rc;

	if (nr_frames == max_frames)
		return -XEN_ENOSPC;
	rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
	if (rc)
		return (int)rc;
	frame_gfn[nr_frames] = xatp.gpfn;
	push_range_free(nr_frames ? nr_entries() : GNTTAB_NR_RESERVED_ENTRIES,
			nr_entries() + ENTRIES_PER_FRAME);
	nr_frames++;
	return 0;
}

void gnttab_reset(void)
{
	table = NULL;
	window_base = 0;
	nr_frames = max_frames = 0;
	memset(frame_gfn, 0, sizeof(frame_gfn));
	next_ref = NULL;
	free_head = REF_END;
	nr_free = 0;
}

int gnttab_init(paddr_t window, uint64_t window_size)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	size_t link_pages = (MAX_ENTRIES * sizeof(grant_ref_t) + PAGE_SIZE - 1) /
			    PAGE_SIZE;
	long rc;

	rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);
	if (rc)
		return (int)rc;
	if (q.status != GNTST_okay || q.nr_frames == 0)
		return -XEN_EIO;
	max_frames = q.max_nr_frames;
	if (max_frames > GNTTAB_GUEST_MAX_FRAMES)
		max_frames = GNTTAB_GUEST_MAX_FRAMES;
	if (max_frames > window_size / PAGE_SIZE)
		max_frames = (unsigned)(window_size / PAGE_SIZE);
	if (max_frames == 0)
		return -XEN_EINVAL;
	table = arch_phys_to_virt(window);
	next_ref = page_alloc(link_pages);
	if (!table || !next_ref)
		return -XEN_ENOMEM;
	window_base = window;
	/* Map what Xen already has, at least one frame. */
	while (nr_frames < q.nr_frames && nr_frames < max_frames) {
		rc = map_next_frame();
		if (rc)
			return (int)rc;
	}
	return 0;
}

int gnttab_resume(void)
{
	/* The new domain's table starts empty: the frames go back where
	 * they were; the references still held are their owners' to end. */
	for (unsigned i = 0; i < nr_frames; i++) {
		struct xen_add_to_physmap xatp = {
			.domid = DOMID_SELF,
			.space = XENMAPSPACE_grant_table,
			.idx = i,
			.gpfn = frame_gfn[i],
		};
		long rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);

		if (rc)
			return (int)rc;
	}
	return 0;
}

int gnttab_rewind(unsigned frames, grant_ref_t from)
{
	unsigned long flags;
	int rc = 0;

	if (!table || frames == 0 || frames > nr_frames ||
	    from < GNTTAB_NR_RESERVED_ENTRIES ||
	    from > frames * ENTRIES_PER_FRAME)
		return -XEN_EINVAL;
	flags = arch_irq_save();
	/* A free reference's grant was ended, which Xen's flags allow only
	 * while the peer does not use it: with all free, none is in use. */
	if (nr_free != nr_entries() - from)
		for (grant_ref_t ref = from; !rc && ref < nr_entries(); ref++)
			if (__atomic_load_n(&table[ref].flags,
					    __ATOMIC_SEQ_CST) &
			    (GTF_reading | GTF_writing))
				rc = -XEN_EBUSY;
	if (rc) {
		arch_irq_restore(flags);
		return rc;
	}
	memset(&table[from], 0, (nr_entries() - from) * sizeof(*table));
	while (nr_frames > frames) {
		struct xen_remove_from_physmap xrfp = {
			.domid = DOMID_SELF,
			.gpfn = frame_gfn[nr_frames - 1],
		};

		rc = (int)HYPERVISOR_memory_op(XENMEM_remove_from_physmap,
					       &xrfp);
		if (rc)
			break;
		frame_gfn[--nr_frames] = 0;
	}
	free_head = REF_END;
	nr_free = 0;
	push_range_free(from, nr_entries());
	arch_irq_restore(flags);
	return rc;
}

static int take_ref(grant_ref_t *ref)
{
	int rc;

	if (free_head == REF_END) {
		rc = map_next_frame();
		if (rc)
			return rc;
	}
	*ref = free_head;
	free_head = next_ref[*ref];
	next_ref[*ref] = REF_IN_USE;
	nr_free--;
	return 0;
}

/* Fill the entry: frame and grantee first, then flags (which make it
 * live), with a barrier between. */
static void publish(grant_ref_t ref, domid_t domid, uint64_t frame,
		    bool readonly)
{
	struct grant_entry_v1 *e = &table[ref];

	e->frame = (uint32_t)frame;
	e->domid = domid;
	arch_wmb();
	__atomic_store_n(&e->flags, (uint16_t)(GTF_permit_access |
					       (readonly ? GTF_readonly : 0)),
			 __ATOMIC_SEQ_CST);
}

int gnttab_grant_access(domid_t domid, uint64_t frame, bool readonly,
			grant_ref_t *ref)
{
	unsigned long flags;
	int rc;

	if (!table || frame > UINT32_MAX)
		return -XEN_EINVAL;
	flags = arch_irq_save();
	rc = take_ref(ref);
	arch_irq_restore(flags);
	if (rc == 0)
		publish(*ref, domid, frame, readonly);
	return rc;
}

static bool granted(grant_ref_t ref)
{
	return table && ref >= GNTTAB_NR_RESERVED_ENTRIES && ref < nr_entries() &&
	       next_ref[ref] == REF_IN_USE;
}

bool gnttab_in_use(grant_ref_t ref)
{
	return granted(ref) &&
	       (__atomic_load_n(&table[ref].flags, __ATOMIC_SEQ_CST) &
		(GTF_reading | GTF_writing));
}

int gnttab_end_access(grant_ref_t ref)
{
	uint16_t seen;
	unsigned long flags;

	if (!granted(ref))
		return -XEN_EINVAL;
	seen = __atomic_load_n(&table[ref].flags, __ATOMIC_SEQ_CST);
	do {
		/* Xen keeps these set while the peer maps or copies. */
		if (seen & (GTF_reading | GTF_writing))
			return -XEN_EBUSY;
	} while (!__atomic_compare_exchange_n(&table[ref].flags, &seen, 0,
					      false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	flags = arch_irq_save();
	push_free(ref);
	arch_irq_restore(flags);
	return 0;
}

int gnttab_batch_claim(unsigned n, struct gnttab_batch *b)
{
	unsigned long flags = arch_irq_save();
	grant_ref_t ref;
	int rc = 0;

	b->head = REF_END;
	b->count = 0;
	/* Grow until n fit, or give nothing. */
	while (rc == 0 && nr_free < n)
		rc = map_next_frame();
	for (unsigned i = 0; rc == 0 && i < n; i++) {
		take_ref(&ref);
		next_ref[ref] = b->head;
		b->head = ref;
		b->count++;
	}
	arch_irq_restore(flags);
	return rc;
}

int gnttab_batch_grant(struct gnttab_batch *b, domid_t domid, uint64_t frame,
		       bool readonly, grant_ref_t *ref)
{
	if (b->count == 0)
		return -XEN_ENOSPC;
	if (frame > UINT32_MAX)
		return -XEN_EINVAL;
	*ref = b->head;
	b->head = next_ref[*ref];
	b->count--;
	next_ref[*ref] = REF_IN_USE;
	publish(*ref, domid, frame, readonly);
	return 0;
}

void gnttab_batch_release(struct gnttab_batch *b)
{
	unsigned long flags = arch_irq_save();

	while (b->count) {
		grant_ref_t ref = b->head;

		b->head = next_ref[ref];
		b->count--;
		push_free(ref);
	}
	arch_irq_restore(flags);
}

unsigned gnttab_free_count(void)
{
	return nr_free;
}

unsigned gnttab_nr_frames(void)
{
	return nr_frames;
}

unsigned gnttab_max_frames(void)
{
	return max_frames;
}

uint64_t gnttab_frame_gfn(unsigned i)
{
	return i < nr_frames ? frame_gfn[i] : ~(uint64_t)0;
}

const struct grant_entry_v1 *gnttab_entry(grant_ref_t ref)
{
	return table && ref < nr_entries() ? &table[ref] : NULL;
}
