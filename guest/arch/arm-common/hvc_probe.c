/* SPDX-License-Identifier: BSD-2-Clause */
/* `hvc` with an immediate Xen may answer with an undefined-instruction
 * exception (a release Xen does for every immediate but 0 and 0xEA1).
 * The probe notes where its hvc is and where to go on; each port's trap
 * handler hands a synchronous exception to arm_undef_caught(), which
 * resumes there only if a probe is waiting for one. What the exception
 * reported is recorded and judged by the probe, never trusted to point
 * anywhere. */
#include "arm.h"
#include "cpu.h"
#include "port.h"

static volatile struct {
	uintptr_t at;          /* the probe's hvc */
	uintptr_t resume;      /* the instruction after it */
	unsigned long psr;     /* the PSR it runs with (flags aside) */
	bool armed;
	bool taken;
	uintptr_t insn;        /* the exception's return address less the
				* instruction set's offset */
	bool as_xen;           /* its syndrome and saved state as Xen sets them */
} expect;

bool arm_undef_expected(unsigned long *psr)
{
	*psr = expect.psr;
	return expect.armed;
}

uintptr_t arm_undef_caught(uintptr_t insn, bool syndrome_as_xen,
			   const unsigned long *spsr, unsigned long *psr)
{
	/* The hvc itself (an undefined instruction as hardware reports it)
	 * or the one after (as Xen does): anything else is not the probe's. */
	if (!expect.armed || (insn != expect.at && insn != expect.resume))
		return 0;
	expect.armed = false;
	expect.taken = true;
	expect.insn = insn;
	expect.as_xen = syndrome_as_xen &&
		(!spsr || (*spsr & ~ARM_PSR_FLAGS) ==
			  (expect.psr & ~ARM_PSR_FLAGS));
	*psr = expect.psr;
	return expect.resume;
}

/* Notes the hvc's address and the one after it, then runs it. The labels
 * are local to the asm: 0 the hvc, 1 what follows. The flags are declared
 * clobbered: the handler's return restores them from psr, taken before. */
#define HVC_PROBE(imm)                                                      \
	case imm: {                                                         \
		uintptr_t tmp;                                              \
		__asm__ volatile("adr %[t], 1f\n\t"                         \
				 "str %[t], [%[resume]]\n\t"                \
				 "adr %[t], 0f\n\t"                         \
				 "str %[t], [%[at]]\n"                      \
				 "0:\thvc #" #imm "\n"                      \
				 "1:\n"                                     \
				 : [t] "=&r"(tmp)                           \
				 : [resume] "r"(&expect.resume),            \
				   [at] "r"(&expect.at)                     \
				 : "cc", "memory");                         \
		break;                                              \
	}

enum arch_hvc_outcome arch_hvc_probe(unsigned imm)
{
	expect.taken = false;
	expect.psr = cpu_psr();
	expect.armed = true;
	switch (imm) {
	ARCH_HVC_PROBE_IMMS(HVC_PROBE)
	default:
		expect.armed = false;
		return ARCH_HVC_NOT_PROBED;
	}
	expect.armed = false;
	if (!expect.taken)
		return ARCH_HVC_RETURNED;
	return expect.as_xen && expect.insn == expect.resume ?
		       ARCH_HVC_UNDEFINED : ARCH_HVC_OTHER_EXCEPTION;
}
