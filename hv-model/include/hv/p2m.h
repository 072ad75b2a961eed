/* SPDX-License-Identifier: BSD-2-Clause */
/* What Xen's p2m knows of a domain beyond its memory regions: how many
 * pages it owns against its maximum (the balloon), the highest gfn ever
 * mapped (XENMEM_maximum_gpfn), and the gfns that show a page of another
 * mapping (a grant the guest mapped, a foreign page dom0 mapped). */
#ifndef HV_P2M_H
#define HV_P2M_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/domain.h"

/* Model "machine" addresses: a page of domain D at gfn G is machine frame
 * (D + 1) << HV_MFN_DOMID_SHIFT | G, so every frame names its owner. Xen's
 * are host addresses; guests only hand them back (dev_bus_addr). */
#define HV_MFN_DOMID_SHIFT 36

/* The host the model stands for: the interop runs' QEMU, RAM at 0x40000000,
 * 1 GiB, or for a domain that needs more its RAM and 256 MiB for Xen in
 * whole GiB (as the interop runs size -m), so that
 * XENMEM_maximum_ram_page answers what Xen answers there. */
#define HV_HOST_RAM_BASE 0x40000000ull
#define HV_HOST_RAM_MIN  0x40000000ull
#define HV_HOST_XEN_ROOM 0x10000000ull

/* The host's last RAM frame + 1, for the domains m holds. */
uint64_t hv_p2m_host_max_page(const struct hv_machine *m);

enum hv_p2m_alias_kind {
	HV_P2M_GRANT,      /* a guest's map_grant_ref */
	HV_P2M_FOREIGN,    /* add_to_physmap_batch, gmfn_foreign */
};

struct hv_p2m_alias {
	uint64_t gfn;                 /* where this domain sees the page */
	uint16_t owner;               /* domid owning the page */
	uint64_t owner_gfn;
	enum hv_p2m_alias_kind kind;
};

/* Start the counts of a domain whose RAM is all populated. */
void hv_p2m_init(struct hv_domain *d, uint64_t ram_pages, uint64_t last_gfn);
void hv_p2m_destroy(struct hv_domain *d);

/* Record that gfn is mapped (it never lowers max_mapped_gfn, as Xen). */
void hv_p2m_note_mapped(struct hv_domain *d, uint64_t gfn);

/* Show owner's page owner_gfn at d's gfn; a previous alias there ends.
 * 0, -XEN_EINVAL (either page outside the model's memory), -XEN_ENOMEM. */
int hv_p2m_alias_add(struct hv_domain *d, uint64_t gfn, struct hv_domain *owner,
		     uint64_t owner_gfn, enum hv_p2m_alias_kind kind);
/* The alias at gfn, or NULL. */
const struct hv_p2m_alias *hv_p2m_alias_at(const struct hv_domain *d,
					   uint64_t gfn);
/* End the alias at gfn: the gfn is left empty. 0 or -XEN_ENOENT. */
int hv_p2m_alias_remove(struct hv_domain *d, uint64_t gfn);

/* Machine frame of d's page gfn, and back: the owner and its gfn, if the
 * owner exists and the page is populated in its memory. */
uint64_t hv_p2m_mfn(const struct hv_domain *d, uint64_t gfn);
struct hv_domain *hv_p2m_mfn_owner(struct hv_machine *m, uint64_t mfn,
				   uint64_t *gfn);

#endif
