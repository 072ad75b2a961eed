/* SPDX-License-Identifier: BSD-2-Clause */
/* Hypercall buffers: a guest pointer is a virtual address of the calling
 * vCPU, translated page by page through its tables as Xen's guest copies
 * do (read or write permission, the domain's RAM behind it); a buffer
 * mapped other than Normal cacheable is warned about (shared_attr.c).
 * The registers and tables are the guest's: any values only lead to a
 * translation, an -EFAULT or a warning. */
#include <string.h>

#include <xen/errno.h>

#include "hv/domain.h"
#include "hv/guest_va.h"
#include "hv/hypercall.h"
#include "hv/log.h"
#include "hv/p2m.h"

int hv_gva_translate(struct hv_vcpu *v, uint64_t gva, bool write,
		     struct hv_gva_xlate *out)
{
	const struct hv_mmu_regs *r = hv_vcpu_mmu(v);

	if (!r) {
		memset(out, 0, sizeof(*out));
		out->gpa = gva;
		out->writable = true;
		return v->domain->mem.va_mode == HV_VA_IDENTITY ? 0
								: -XEN_EFAULT;
	}
	if (hv_stage1_walk(&v->domain->mem, r, gva, out) ||
	    (write && !out->writable))
		return -XEN_EFAULT;
	return 0;
}

/* Host pointer of [gva, gva + len), within one page, for a vCPU with
 * tables; warns about the page's attribute. A page another domain owns
 * (a grant or foreign page mapped here) is not the domain's RAM to Xen's
 * copies: -EFAULT. */
static void *page_ptr(struct hv_vcpu *v, uint64_t gva, size_t len, bool write)
{
	struct hv_gva_xlate x;
	void *p;

	if (hv_gva_translate(v, gva, write, &x) ||
	    hv_p2m_alias_at(v->domain, x.gpa >> HV_PAGE_SHIFT))
		return NULL;
	p = hv_gpa_ptr(&v->domain->mem, x.gpa, len);
	if (p && x.attr_known)
		hv_warn_attr(v, x.gpa >> HV_PAGE_SHIFT, gva, &x.attr,
			  "a hypercall buffer");
	return p;
}

/* Copy len bytes at gva into to (a read) or from from (a write). */
static int copy_guest(struct hv_vcpu *v, uint64_t gva, size_t len, void *to,
		      const void *from)
{
	bool write = from != NULL;
	uint8_t *t = to;
	const uint8_t *f = from;

	if (!hv_vcpu_mmu(v)) {
		void *p = hv_gva_ptr(&v->domain->mem, gva, len);

		if (!p)
			return -XEN_EFAULT;
		memmove(write ? p : to, write ? from : p, len);
		return 0;
	}
	while (len) {
		size_t room = HV_PAGE_SIZE - (gva & (HV_PAGE_SIZE - 1));
		size_t n = len < room ? len : room;
		void *p = page_ptr(v, gva, n, write);

		if (!p)
			return -XEN_EFAULT;
		if (write) {
			memcpy(p, f, n);
			f += n;
		} else {
			memcpy(t, p, n);
			t += n;
		}
		gva += n;
		len -= n;
	}
	return 0;
}

int hv_copy_from_guest(struct hv_vcpu *v, void *dst, uint64_t gva, size_t len)
{
	return copy_guest(v, gva, len, dst, NULL);
}

int hv_copy_to_guest(struct hv_vcpu *v, uint64_t gva, const void *src,
		     size_t len)
{
	return copy_guest(v, gva, len, NULL, src);
}
