/* SPDX-License-Identifier: BSD-2-Clause */
/* Hypercall buffers: a guest pointer is a virtual address of the calling
 * vCPU, translated page by page through its tables as Xen's guest copies
 * do (read or write permission, the domain's RAM behind it), and the
 * model's warnings about memory Xen cannot share coherently: a hypercall
 * made with the MMU off, a shared page mapped other than Normal cacheable.
 * The registers and tables are the guest's: any values only lead to a
 * translation, an -EFAULT or a warning. */
#include <string.h>

#include <xen/errno.h>

#include "hv/domain.h"
#include "hv/guest_va.h"
#include "hv/hypercall.h"
#include "hv/log.h"
#include "hv/p2m.h"

/* The vCPU's translation registers (read once per hypercall); NULL for a
 * vCPU without tables. */
static const struct hv_mmu_regs *mmu_regs(struct hv_vcpu *v)
{
	if (!v->ops || !v->ops->mmu_regs)
		return NULL;
	if (!v->in_hypercall || !v->mmu_read) {
		memset(&v->mmu, 0, sizeof(v->mmu));
		v->ops->mmu_regs(v, &v->mmu);
		v->mmu_read = v->in_hypercall;
	}
	return &v->mmu;
}

static bool attr_warned(struct hv_domain *d, uint64_t gpfn)
{
	for (unsigned i = 0; i < d->nr_attr_warned && i < HV_ATTR_WARNINGS; i++)
		if (d->attr_warned[i] == gpfn)
			return true;
	return false;
}

static void warn_attr(struct hv_vcpu *v, uint64_t gpfn, uint64_t va,
		      const struct hv_memattr *attr, const char *what)
{
	struct hv_domain *d = v->domain;
	char name[96];

	if (hv_memattr_shareable(attr) || attr_warned(d, gpfn) ||
	    d->nr_attr_warned > HV_ATTR_WARNINGS)
		return;
	if (d->nr_attr_warned == HV_ATTR_WARNINGS) {
		d->nr_attr_warned++;
		hv_log(d->machine, HV_LOG_WARN, "d%uv%u: more pages shared "
		       "with Xen with a bad memory attribute; not reported",
		       d->domid, v->id);
		return;
	}
	d->attr_warned[d->nr_attr_warned++] = gpfn;
	hv_memattr_name(attr, name, sizeof(name));
	hv_log(d->machine, HV_LOG_WARN, "d%uv%u: %s, guest page 0x%llx at "
	       "VA 0x%llx, is mapped %s: Xen supports only Normal write-back "
	       "(or write-through) memory for what it shares with a guest; "
	       "on hardware it would read and write it through its cache "
	       "and the guest would see stale data", d->domid, v->id, what,
	       (unsigned long long)gpfn, (unsigned long long)va, name);
}

void hv_check_hypercall_mmu(struct hv_vcpu *v, uint64_t op)
{
	struct hv_domain *d = v->domain;
	const struct hv_mmu_regs *r;

	if (d->mmu_off_warned || !(r = mmu_regs(v)) || r->sctlr & HV_SCTLR_M)
		return;
	d->mmu_off_warned = true;
	hv_log(d->machine, HV_LOG_WARN, "d%uv%u: hypercall %s made with the "
	       "MMU off (SCTLR.M = 0): the guest's memory accesses are then "
	       "Device-nGnRnE, Xen's go through its cache; Xen does not "
	       "support this and on hardware buffers and shared pages are "
	       "silently stale", d->domid, v->id, hv_hypercall_name(op));
}

void hv_check_shared_gpfn(struct hv_vcpu *v, uint64_t gpfn, const char *what)
{
	const struct hv_mmu_regs *r = mmu_regs(v);
	struct hv_memattr attr;
	uint64_t va;

	if (r && gpfn <= UINT64_MAX >> HV_PAGE_SHIFT &&
	    hv_stage1_find(&v->domain->mem, r, gpfn << HV_PAGE_SHIFT, &va,
			   &attr))
		warn_attr(v, gpfn, va, &attr, what);
}

int hv_gva_translate(struct hv_vcpu *v, uint64_t gva, bool write,
		     struct hv_gva_xlate *out)
{
	const struct hv_mmu_regs *r = mmu_regs(v);

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
		warn_attr(v, x.gpa >> HV_PAGE_SHIFT, gva, &x.attr,
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

	if (!mmu_regs(v)) {
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
