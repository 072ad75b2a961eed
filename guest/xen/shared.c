/* SPDX-License-Identifier: BSD-2-Clause */
/* Map the shared_info page: the guest gives a page of its own RAM and Xen
 * puts shared_info there. */
#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/xen.h>

#include "gxen/hypercall.h"
#include "gxen/shared.h"
#include "kern/page.h"

static struct shared_info *shared;

int shared_info_map(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
	};
	void *page = page_alloc(1);
	long rc;

	if (!page)
		return -XEN_ENOMEM;
	xatp.gpfn = virt_to_pfn(page);
	rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
	if (rc < 0) {
		page_free(page, 1);
		return (int)rc;
	}
	shared = page;
	return 0;
}

int shared_info_remap(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
	};

	if (!shared)
		return -XEN_EINVAL;
	xatp.gpfn = virt_to_pfn(shared);
	return (int)HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
}

void shared_info_reset(void)
{
	shared = NULL;
}

struct shared_info *shared_info_page(void)
{
	return shared;
}
