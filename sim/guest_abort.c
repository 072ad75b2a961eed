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

static int add_run(struct sim_vcpu *vc, uint64_t gpa, uint32_t prot)
{
	struct sim_prot_run *last = vc->nr_prot_run ?
		&vc->prot_run[vc->nr_prot_run - 1] : NULL;

	if (last && last->prot == prot && last->gpa + last->size == gpa) {
		last->size += HV_PAGE_SIZE;
		return 0;
	}
	if (vc->nr_prot_run == vc->cap_prot_run) {
		unsigned cap = vc->cap_prot_run ? 2 * vc->cap_prot_run : 16;
		struct sim_prot_run *grown = realloc(vc->prot_run,
						     cap * sizeof(*grown));

		if (!grown)
			return -1;
		vc->prot_run = grown;
		vc->cap_prot_run = cap;
	}
	vc->prot_run[vc->nr_prot_run++] = (struct sim_prot_run){
		.gpa = gpa, .size = HV_PAGE_SIZE, .prot = prot };
	return 0;
}

/* The runs of pages region r refuses the guest, appended. */
static int collect_region(struct sim_vcpu *vc, const struct hv_mem *mem,
			  const struct hv_mem_region *r)
{
	uint64_t pages = r->size >> HV_PAGE_SHIFT;

	if (!r->present && !r->readonly)
		return 0;
	for (uint64_t pg = 0; pg < pages; pg++) {
		uint64_t gpa = r->gpa + (pg << HV_PAGE_SHIFT);
		enum hv_page_access a = hv_mem_page_access(mem,
							   gpa >> HV_PAGE_SHIFT);

		if (a != HV_PAGE_RW &&
		    add_run(vc, gpa, a == HV_PAGE_RO ? UC_PROT_READ :
			    UC_PROT_NONE))
			return -1;
	}
	return 0;
}

int sim_vcpu_sync_access(struct sim_vcpu *vc)
{
	const struct hv_mem *mem = &vc->v->domain->mem;

	if (vc->access_known && vc->access_gen == mem->access_gen)
		return 0;
	/* What the last pass refused is the guest's again; a region gone
	 * since took its protections with it (the engine says so). */
	for (unsigned i = 0; i < vc->nr_prot_run; i++)
		uc_mem_protect(vc->uc, vc->prot_run[i].gpa,
			       vc->prot_run[i].size, UC_PROT_ALL);
	vc->nr_prot_run = 0;
	for (unsigned i = 0; i < mem->nr_regions; i++) {
		if (collect_region(vc, mem, &mem->region[i])) {
			sim_fail(vc->sim, SIM_SETUP_ERROR, "out of memory");
			return -1;
		}
	}
	for (unsigned i = 0; i < vc->nr_prot_run; i++) {
		const struct sim_prot_run *run = &vc->prot_run[i];
		uc_err err = uc_mem_protect(vc->uc, run->gpa, run->size,
					    run->prot);

		if (err != UC_ERR_OK) {
			sim_fail(vc->sim, SIM_SETUP_ERROR, "cannot protect "
				 "0x%llx-0x%llx in the emulator: %s",
				 (unsigned long long)run->gpa,
				 (unsigned long long)(run->gpa + run->size - 1),
				 uc_strerror(err));
			return -1;
		}
	}
	vc->access_gen = mem->access_gen;
	vc->access_known = true;
	return 0;
}

void sim_vcpu_access_free(struct sim_vcpu *vc)
{
	free(vc->prot_run);
	vc->prot_run = NULL;
	vc->nr_prot_run = vc->cap_prot_run = 0;
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
