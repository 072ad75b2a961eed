/* SPDX-License-Identifier: BSD-2-Clause */
/* What the arm32 vCPU's files share (vcpu_arm32.c, a32_sites.c,
 * a32_undef.c): CPSR fields, the instruction encodings they decode, and
 * register and instruction-fetch helpers. Instruction words come from
 * guest memory: each helper says when it could not read one. */
#ifndef SIM_VCPU_ARM32_H
#define SIM_VCPU_ARM32_H

#include "vcpu.h"

#define CPSR_T       (1u << 5)
#define CPSR_F       (1u << 6)
#define CPSR_I       (1u << 7)
#define CPSR_A       (1u << 8)
#define CPSR_IT      0x0600fc00u
#define CPSR_E       (1u << 9)
#define CPSR_J       (1u << 24)
#define CPSR_MODE    0x1fu
#define MODE_FIQ     0x11u
#define MODE_IRQ     0x12u
#define MODE_SVC     0x13u
#define MODE_ABT     0x17u
#define MODE_SYS     0x1fu
#define MODE_UND     0x1bu
/* Xen's initial CPSR for an arm32 guest: SVC, A, I and F masked, ARM. */
#define CPSR_BOOT    (MODE_SVC | CPSR_A | CPSR_I | CPSR_F)

#define SCR_HCE      (1u << 8)
#define HCR_IMO      (1u << 4)    /* virtual IRQs on, for PL1 */
#define HCR_VI       (1u << 7)    /* the virtual IRQ input */

#define INSN_WFI_A     0x0320f003u   /* without the condition */
#define INSN_WFI_T16   0xbf30u
#define INSN_WFI_T32   0xf3af8003u
#define INSN_YIELD_A   0x0320f001u
#define INSN_YIELD_T16 0xbf10u
#define INSN_YIELD_T32 0xf3af8001u
#define INSN_WFE_A     0x0320f002u
#define INSN_WFE_T16   0xbf20u
#define INSN_WFE_T32   0xf3af8002u
#define INSN_HVC_MASK  0x0ff000f0u
#define INSN_HVC       0x01400070u
/* MRC/MCR: cond 1110 opc1 L CRn Rt coproc opc2 1 CRm. MRRC/MCRR: cond
 * 1100 010 L Rt2 Rt coproc opc1 CRm. A Thumb-2 pair (hw0 << 16 | hw1) has
 * the same layout with cond 1110. */
#define INSN_CP_MASK   0x0f000010u
#define INSN_CP        0x0e000010u
#define INSN_CP64_MASK 0x0fe00000u
#define INSN_CP64      0x0c400000u
#define COND_AL        0xeu

/* The engine's id of r0..r15, and r0..r15's value (0 past r15). */
int sim_a32_reg_id(unsigned n);
uint64_t sim_a32_reg(struct sim_vcpu *vc, unsigned n);
uint32_t sim_a32_cpsr(struct sim_vcpu *vc);
/* The halfword at a (false if unaligned or unbacked). */
bool sim_a32_half_at(struct sim_vcpu *vc, uint64_t a, uint16_t *hw);
/* The instruction at pc in the given state as one 32-bit value: an ARM
 * word, or a Thumb-2 pair hw0 << 16 | hw1 (*len 4), or a 16-bit Thumb
 * instruction (*len 2). false if it cannot be read. */
bool sim_a32_insn_at(struct sim_vcpu *vc, uint64_t pc, bool thumb,
		     uint32_t *insn, unsigned *len);
/* Whether the instruction ending at pc is the hint given in its ARM
 * (condition masked off), 16-bit and 32-bit Thumb encodings. */
bool sim_a32_after_hint(struct sim_vcpu *vc, uint64_t pc, uint32_t arm,
			uint16_t t16, uint32_t t32);

/* Hook every generic-timer access and wfi in the loaded image (a32_sites.c);
 * 0, or -1 if the engine refused a hook. */
int sim_a32_hook_sites(struct sim_vcpu *vc, const struct sim_boot *boot);
/* An undefined instruction at pc the model handles: a GICv3 CP15 register,
 * or the halt of a yield or wfe (a32_undef.c); 0 handled, -1 not. */
int sim_a32_emulate_undef(struct sim_vcpu *vc, uint64_t pc);

#endif
