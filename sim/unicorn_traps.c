/* SPDX-License-Identifier: BSD-2-Clause */
/* The Unicorn engine's traps: hvc into the model (hypercalls, SMCCC/PSCI,
 * other immediates), the synchronous exceptions the engine reports by
 * number, arm32's invalid-instruction halts, and the errors it returns.
 * Every instruction word is the guest's: decoded, never trusted. */
#include <stdio.h>

#include "hv/hypercall.h"
#include "hv/machine.h"
#include "unicorn_internal.h"

/* `hvc #0`: an SMCCC call; x0-x3 in, x0-x3 out. */
static void smccc(struct sim_vcpu *vc)
{
	uint64_t a[4], r[4];

	for (unsigned i = 0; i < 4; i++)
		a[i] = vc->arch->reg(vc, i);
	hv_smccc_call(vc->v, a, r, vc->arch->aarch32);
	for (unsigned i = 0; i < 4; i++)
		vc->arch->set_reg(vc, i, r[i]);
	vc->nr_hypercalls++;
	sim_uc_charge_exit(vc);
}

static void on_hvc(struct sim_vcpu *vc)
{
	uint64_t pc = vc->arch->pc(vc), op, arg[5];
	int imm = vc->arch->hvc_imm(vc, pc);
	char insn[32];

	if (imm < 0) {
		vc->arch->insn_text(vc, pc, insn, sizeof(insn));
		sim_vcpu_fault(vc, "hypervisor trap at PC 0x%llx without an "
			       "hvc before it (%s)", (unsigned long long)pc, insn);
		return;
	}
	if (imm == HV_HYPERCALL_TAG) {
		vc->arch->hypercall_args(vc, &op, arg);
		vc->arch->hypercall_ret(vc, sim_hypercall(vc->sim, vc->v, op,
							 arg));
		vc->nr_hypercalls++;
		sim_uc_charge_exit(vc);
		if (sim_uc_regions_changed(vc) && sim_uc_sync_regions(vc))
			sim_uc_stop(vc, SIM_STOP_FAULT);
	} else if (imm == 0) {
		smccc(vc);
	} else {
		if (hv_hvc_other(vc->v, (uint16_t)imm) == HV_HVC_UNDEFINED)
			vc->arch->inject_undef(vc);
		sim_uc_charge_exit(vc);
	}
	/* The model may have raised the upcall (or anything else): the CPU
	 * takes it right after the hvc, or once the guest unmasks. Another
	 * domain's turn starts at the next instruction; a wait the call
	 * started, and pages it gave or took away, are dealt with outside
	 * the engine (run_slice). */
	if (!hv_domain_running(vc->v->domain) || vc->sim->yield_wanted ||
	    !vc->v->online ||
	    vc->dbg.interrupt || vc->v->wait ||
	    vc->v->domain->mem.access_gen != vc->access_gen)
		sim_uc_stop(vc, SIM_STOP_CHECK);
	else
		sim_vcpu_sync_line(vc);
}

static const char *exception_name(uint32_t intno)
{
	switch (intno) {
	case SIM_EXCP_UDEF:
		return "undefined instruction";
	case SIM_EXCP_SWI:
		return "supervisor call (svc), no OS above the guest";
	case SIM_EXCP_PREFETCH_ABORT:
		return "prefetch abort";
	case SIM_EXCP_DATA_ABORT:
		return "data abort";
	case SIM_EXCP_BKPT:
		return "breakpoint";
	case SIM_EXCP_SMC:
		return "secure monitor call (smc), no firmware here";
	default:
		return "unexpected exception";
	}
}

void sim_uc_on_intr(uc_engine *uc, uint32_t intno, void *ctx)
{
	struct sim_vcpu *vc = ctx;
	uint64_t pc;
	char insn[32];

	(void)uc;
	if (vc->locating) {
		uc_emu_stop(vc->uc);
		return;
	}
	if (intno == SIM_EXCP_HVC) {
		on_hvc(vc);
		return;
	}
	/* A guest looping on its own exceptions never calls out: a signal
	 * ends the run here, the exception untaken (delivering it writes the
	 * PC, which leaves this hook for good). */
	if (sim_signal_caught()) {
		sim_uc_stop(vc, SIM_STOP_CHECK);
		return;
	}
	pc = vc->arch->pc(vc);
	if (intno == SIM_EXCP_UDEF && vc->udef_echo && pc == vc->udef_echo) {
		vc->udef_echo = 0;      /* see sim_uc_on_invalid */
		return;
	}
	if (intno == SIM_EXCP_UDEF && vc->arch->emulate_undef(vc, pc) == 0) {
		sim_uc_charge_exit(vc);
		sim_vcpu_sync_line(vc);
		return;
	}
	if (vc->arch->take_exception &&
	    vc->arch->take_exception(vc, intno, pc)) {
		sim_uc_charge_exit(vc);
		sim_vcpu_sync_line(vc);
		return;
	}
	if (intno == SIM_EXCP_SWI || intno == SIM_EXCP_SMC)
		pc -= vc->arch->call_len(vc, intno);
	vc->arch->insn_text(vc, pc, insn, sizeof(insn));
	sim_vcpu_fault(vc, "%s (exception %u) at PC 0x%llx: %s",
		       exception_name(intno), intno, (unsigned long long)pc,
		       insn);
}

/* arm32 only: undefined instructions (and `yield`, `wfe`) arrive here
 * instead of at the interrupt hook, and the engine halts after it
 * whatever we return: the run loop resumes (at the guest's undefined
 * vector, when the instruction is neither emulated nor a hint). */
bool sim_uc_on_invalid(uc_engine *uc, void *ctx)
{
	struct sim_vcpu *vc = ctx;
	uint64_t pc = vc->arch->pc(vc);
	char insn[32];

	(void)uc;
	if (vc->locating)
		return true;
	if (vc->arch->emulate_undef(vc, pc) == 0) {
		sim_uc_charge_exit(vc);
		sim_vcpu_sync_line(vc);
		vc->have_resume = true;
		vc->resume = vc->arch->pc(vc);
		sim_uc_stop(vc, SIM_STOP_CHECK);
		return true;
	}
	if (vc->arch->take_exception &&
	    vc->arch->take_exception(vc, SIM_EXCP_UDEF, pc)) {
		sim_uc_charge_exit(vc);
		vc->have_resume = true;
		vc->resume = vc->arch->pc(vc);
		/* The engine keeps the undefined-instruction exception it
		 * halted on and, once restarted there, reports it again at
		 * the vector through the interrupt hook: ignored once. */
		vc->udef_echo = vc->resume;
		sim_uc_stop(vc, SIM_STOP_CHECK);
		return true;
	}
	vc->arch->insn_text(vc, pc, insn, sizeof(insn));
	sim_vcpu_fault(vc, "%s (exception %u) at PC 0x%llx: %s",
		       exception_name(SIM_EXCP_UDEF), SIM_EXCP_UDEF,
		       (unsigned long long)pc, insn);
	return true;
}

/* The engine returned an error: a memory access nothing backs, mostly. */
void sim_uc_engine_error(struct sim_vcpu *vc, uc_err err)
{
	uint64_t pc = vc->arch->pc(vc);
	bool data = err == UC_ERR_READ_UNMAPPED || err == UC_ERR_WRITE_UNMAPPED;
	char insn[32];

	if (data) {
		uint64_t found = sim_vcpu_locate_fault(vc);

		if (found == UINT64_MAX) {
			sim_vcpu_fault(vc, "data abort: %s of unmapped address "
				       "0x%llx in code run from PC 0x%llx",
				       vc->bad.write ? "write" : "read",
				       (unsigned long long)vc->bad.addr,
				       (unsigned long long)pc);
			return;
		}
		/* The engine's PC is where it last left translated code; the
		 * register dump must name the instruction too. */
		pc = found;
		sim_uc_set(vc, vc->arch->pc_reg, vc->arch->resume_at(vc, pc));
	}
	vc->arch->insn_text(vc, pc, insn, sizeof(insn));
	if (data || err == UC_ERR_FETCH_UNMAPPED)
		sim_vcpu_fault(vc, "%s: %s of unmapped address 0x%llx at PC "
			       "0x%llx: %s", vc->bad.fetch ? "prefetch abort" :
			       "data abort", vc->bad.fetch ? "fetch" :
			       vc->bad.write ? "write" : "read",
			       (unsigned long long)vc->bad.addr,
			       (unsigned long long)pc, insn);
	else
		sim_vcpu_fault(vc, "emulator stopped at PC 0x%llx (%s): %s",
			       (unsigned long long)pc, insn, uc_strerror(err));
}
