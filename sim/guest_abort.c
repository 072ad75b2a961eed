/* SPDX-License-Identifier: BSD-2-Clause */
/* What Xen's stage-2 tables refuse a guest, enforced in the engine: pages
 * the p2m has no entry for (given back with decrease_reservation, a grant
 * window page with no frame) are neither readable nor writable, a grant
 * mapped GNTMAP_readonly is not writable. An access the engine stops is
 * then answered as Xen 4.17 answers it (traps.c,
 * do_trap_stage2_abort_guest): a translation fault becomes a data or
 * prefetch abort injected into the guest; a permission fault (a store to
 * a read-only grant) returns to the instruction, which faults again
 * forever: the run ends there and says so. */
#include <stdlib.h>

#include "hv/log.h"
#include "vcpu.h"

static int add_run(struct sim_prot_list *l, uint64_t gpa, uint32_t prot)
{
	struct sim_prot_run *last = l->nr ? &l->run[l->nr - 1] : NULL;

	if (last && last->prot == prot && last->gpa + last->size == gpa) {
		last->size += HV_PAGE_SIZE;
		return 0;
	}
	if (l->nr == l->cap) {
		unsigned cap = l->cap ? 2 * l->cap : 16;
		struct sim_prot_run *grown = realloc(l->run,
						     cap * sizeof(*grown));

		if (!grown)
			return -1;
		l->run = grown;
		l->cap = cap;
	}
	l->run[l->nr++] = (struct sim_prot_run){
		.gpa = gpa, .size = HV_PAGE_SIZE, .prot = prot };
	return 0;
}

/* The runs of pages region r refuses the guest, appended to l. */
static int collect_region(struct sim_prot_list *l,
			  const struct hv_mem_region *r)
{
	uint64_t pages = r->size >> HV_PAGE_SHIFT;
	enum hv_page_access a = HV_PAGE_RW;

	for (uint64_t pg = hv_mem_region_next_restricted(r, 0, &a);
	     pg < pages; pg = hv_mem_region_next_restricted(r, pg + 1, &a)) {
		if (add_run(l, r->gpa + (pg << HV_PAGE_SHIFT),
			    a == HV_PAGE_RO ? UC_PROT_READ : UC_PROT_NONE))
			return -1;
	}
	return 0;
}

/* Whether l holds a run exactly like *run; *at is where to look first
 * (both lists come in the same order, so the next match is usually
 * there) and moves past a match. */
static bool has_run(const struct sim_prot_list *l,
		    const struct sim_prot_run *run, unsigned *at)
{
	for (unsigned k = 0; k < l->nr; k++) {
		unsigned i = (*at + k) % l->nr;

		if (l->run[i].gpa == run->gpa && l->run[i].size == run->size &&
		    l->run[i].prot == run->prot) {
			*at = i + 1;
			return true;
		}
	}
	return false;
}

void sim_vcpu_access_forget(struct sim_vcpu *vc)
{
	for (unsigned i = 0; i < vc->applied.nr; i++)
		uc_mem_protect(vc->uc, vc->applied.run[i].gpa,
			       vc->applied.run[i].size, UC_PROT_ALL);
	vc->applied.nr = 0;
	vc->access_known = false;
}

int sim_vcpu_sync_access(struct sim_vcpu *vc)
{
	const struct hv_mem *mem = &vc->v->domain->mem;
	struct sim_prot_list *want = &vc->wanted, swap;
	unsigned at = 0;

	if (vc->access_known && vc->access_gen == mem->access_gen)
		return 0;
	want->nr = 0;
	for (unsigned i = 0; i < mem->nr_regions; i++) {
		if (collect_region(want, &mem->region[i])) {
			sim_fail(vc->sim, SIM_SETUP_ERROR, "out of memory");
			return -1;
		}
	}
	/* Each protection change rebuilds the engine's whole memory map:
	 * change only the runs that differ. Runs of one list never overlap,
	 * so a page of a run found in both lists is in no other run: first
	 * give back what is no longer refused as it was, then refuse anew. */
	for (unsigned i = 0; i < vc->applied.nr; i++)
		if (!has_run(want, &vc->applied.run[i], &at))
			uc_mem_protect(vc->uc, vc->applied.run[i].gpa,
				       vc->applied.run[i].size, UC_PROT_ALL);
	at = 0;
	for (unsigned i = 0; i < want->nr; i++) {
		const struct sim_prot_run *run = &want->run[i];
		uc_err err;

		if (has_run(&vc->applied, run, &at))
			continue;
		err = uc_mem_protect(vc->uc, run->gpa, run->size, run->prot);
		if (err != UC_ERR_OK) {
			sim_fail(vc->sim, SIM_SETUP_ERROR, "cannot protect "
				 "0x%llx-0x%llx in the emulator: %s",
				 (unsigned long long)run->gpa,
				 (unsigned long long)(run->gpa + run->size - 1),
				 uc_strerror(err));
			return -1;
		}
	}
	swap = vc->applied;
	vc->applied = *want;
	*want = swap;
	vc->access_gen = mem->access_gen;
	vc->access_known = true;
	return 0;
}

void sim_vcpu_access_free(struct sim_vcpu *vc)
{
	free(vc->applied.run);
	free(vc->wanted.run);
	vc->applied = vc->wanted = (struct sim_prot_list){ 0 };
	vc->access_known = false;
}

/* The guest-physical page behind va, through the vCPU's own tables. */
static bool gpa_of(struct sim_vcpu *vc, uint64_t va, uint64_t *gpa)
{
	struct hv_mmu_regs regs;
	struct hv_gva_xlate x;

	vc->arch->mmu_regs(vc, &regs);
	if (hv_stage1_walk(&vc->v->domain->mem, &regs, va, &x))
		return false;
	*gpa = x.gpa;
	return true;
}

bool sim_vcpu_guest_abort(struct sim_vcpu *vc, uc_err err)
{
	const struct sim_bad_access *bad = &vc->bad;
	struct hv_domain *d = vc->v->domain;
	uint64_t pc, gpa;
	enum hv_page_access a;
	char insn[32];

	if (err != UC_ERR_READ_PROT && err != UC_ERR_WRITE_PROT &&
	    err != UC_ERR_FETCH_PROT)
		return false;
	pc = bad->fetch ? bad->addr : sim_vcpu_locate_fault(vc);
	if (pc == UINT64_MAX || !gpa_of(vc, bad->addr, &gpa))
		return false;
	a = hv_mem_page_access(&d->mem, gpa >> HV_PAGE_SHIFT);
	if (a == HV_PAGE_RW)
		return false;
	sim_uc_set(vc, vc->arch->pc_reg, vc->arch->resume_at(vc, pc));
	if (a == HV_PAGE_RO && bad->write) {
		vc->arch->insn_text(vc, pc, insn, sizeof(insn));
		sim_vcpu_fault(vc, "write to gfn 0x%llx, a grant mapped "
			       "read-only (GNTMAP_readonly), at address 0x%llx "
			       "from PC 0x%llx: %s; Xen 4.17 neither performs "
			       "it nor injects an abort (a stage-2 permission "
			       "fault returns to the instruction), so the vCPU "
			       "would retry it forever",
			       (unsigned long long)(gpa >> HV_PAGE_SHIFT),
			       (unsigned long long)bad->addr,
			       (unsigned long long)pc, insn);
		return true;
	}
	hv_log(vc->sim->machine, HV_LOG_INFO, "d%uv0: %s abort injected: %s "
	       "of 0x%llx (gfn 0x%llx, no p2m entry) at PC 0x%llx",
	       d->domid, bad->fetch ? "prefetch" : "data",
	       bad->fetch ? "fetch" : bad->write ? "write" : "read",
	       (unsigned long long)bad->addr,
	       (unsigned long long)(gpa >> HV_PAGE_SHIFT),
	       (unsigned long long)pc);
	vc->arch->inject_abort(vc, pc, bad->addr, bad->fetch);
	vc->have_resume = true;
	vc->resume = vc->arch->pc(vc);
	vc->stop = SIM_STOP_CHECK;
	return true;
}
