/* SPDX-License-Identifier: BSD-2-Clause */
/* The vCPU dump that follows "DOMn: DEBUG" on hvc #0xFFFF, in the layout
 * of a debug Xen 4.17 for arm64 (traps.c: show_execution_state for a
 * guest): the build line, the CPU, the guest's registers (its AArch64 or
 * AArch32 set), its EL1 translation and fault registers, then its stack.
 * Xen's own EL2 registers, which follow the guest's there, are left out:
 * the model has none. The stack pointer is the guest's: it is translated
 * through its tables and read within its page only. */
#include <stdio.h>
#include <string.h>

#include "hv/debug_dump.h"
#include "hv/guest_va.h"
#include "hv/machine.h"

#define MODE_MASK        0x1fu
#define STACK_WORDS_LINE 4u     /* arm64 Xen's stack_words_per_line */
#define STACK_LINES      40u    /* and debug_stack_lines */

const char *hv_guest_mode_name(uint64_t cpsr)
{
	static const char *const name[MODE_MASK + 1] = {
		[0x10] = "32-bit Guest USR", [0x11] = "32-bit Guest FIQ",
		[0x12] = "32-bit Guest IRQ", [0x13] = "32-bit Guest SVC",
		[0x16] = "32-bit Monitor",   [0x17] = "32-bit Guest ABT",
		[0x1a] = "Hypervisor",       [0x1b] = "32-bit Guest UND",
		[0x1f] = "32-bit Guest SYS",
		[0x0d] = "64-bit EL3h (Monitor, handler)",
		[0x0c] = "64-bit EL3t (Monitor, thread)",
		[0x09] = "64-bit EL2h (Hypervisor, handler)",
		[0x08] = "64-bit EL2t (Hypervisor, thread)",
		[0x05] = "64-bit EL1h (Guest Kernel, handler)",
		[0x04] = "64-bit EL1t (Guest Kernel, thread)",
		[0x00] = "64-bit EL0t (Guest User)",
	};
	const char *s = name[cpsr & MODE_MASK];

	return s ? s : "Unknown";
}

static void dump_a64(struct hv_machine *m, const struct hv_guest_regs *r)
{
	static const char *const xname[30] = {
		"X0", "X1", "X2", "X3", "X4", "X5", "X6", "X7", "X8", "X9",
		"X10", "X11", "X12", "X13", "X14", "X15", "X16", "X17", "X18",
		"X19", "X20", "X21", "X22", "X23", "X24", "X25", "X26", "X27",
		"X28", "FP",
	};

	hv_printk(m, "PC:     %016llx", (unsigned long long)r->pc);
	hv_printk(m, "LR:     %016llx", (unsigned long long)r->x[30]);
	hv_printk(m, "SP_EL0: %016llx", (unsigned long long)r->sp_el0);
	hv_printk(m, "SP_EL1: %016llx", (unsigned long long)r->sp_el1);
	hv_printk(m, "CPSR:   %016llx MODE:%s", (unsigned long long)r->cpsr,
		  hv_guest_mode_name(r->cpsr));
	for (unsigned i = 0; i < 30; i += 3)
		hv_printk(m, "    %3s: %016llx %3s: %016llx %3s: %016llx",
			  xname[i], (unsigned long long)r->x[i], xname[i + 1],
			  (unsigned long long)r->x[i + 1], xname[i + 2],
			  (unsigned long long)r->x[i + 2]);
	hv_printk(m, "%s", "");
	hv_printk(m, "   ELR_EL1: %016llx", (unsigned long long)r->elr_el1);
	hv_printk(m, "   ESR_EL1: %08x", r->esr_el1);
	hv_printk(m, "   FAR_EL1: %016llx", (unsigned long long)r->far_el1);
	hv_printk(m, "%s", "");
	hv_printk(m, " SCTLR_EL1: %016llx", (unsigned long long)r->sctlr);
	hv_printk(m, "   TCR_EL1: %016llx", (unsigned long long)r->tcr);
	hv_printk(m, " TTBR0_EL1: %016llx", (unsigned long long)r->ttbr0);
	hv_printk(m, " TTBR1_EL1: %016llx", (unsigned long long)r->ttbr1);
	hv_printk(m, "%s", "");
}

static void dump_bank(struct hv_machine *m, const char *mode,
		      const struct hv_banked_regs *b)
{
	hv_printk(m, "%s: SP: %08x LR: %08x SPSR:%08x", mode, b->sp, b->lr,
		  b->spsr);
}

static void dump_a32(struct hv_machine *m, const struct hv_guest_regs *r)
{
	const uint64_t *x = r->x;

	hv_printk(m, "PC:     %08x", (uint32_t)r->pc);
	hv_printk(m, "CPSR:   %016llx MODE:%s", (unsigned long long)r->cpsr,
		  hv_guest_mode_name(r->cpsr));
	hv_printk(m, "     R0: %08x R1: %08x R2: %08x R3: %08x",
		  (uint32_t)x[0], (uint32_t)x[1], (uint32_t)x[2],
		  (uint32_t)x[3]);
	hv_printk(m, "     R4: %08x R5: %08x R6: %08x R7: %08x",
		  (uint32_t)x[4], (uint32_t)x[5], (uint32_t)x[6],
		  (uint32_t)x[7]);
	hv_printk(m, "     R8: %08x R9: %08x R10:%08x R11:%08x R12:%08x",
		  (uint32_t)x[8], (uint32_t)x[9], (uint32_t)x[10],
		  (uint32_t)x[11], (uint32_t)x[12]);
	hv_printk(m, "USR: SP: %08x LR: %016llx", r->usr.sp,
		  (unsigned long long)r->usr.lr);
	dump_bank(m, "SVC", &r->svc);
	dump_bank(m, "ABT", &r->abt);
	dump_bank(m, "UND", &r->und);
	dump_bank(m, "IRQ", &r->irq);
	dump_bank(m, "FIQ", &r->fiq);
	/* Xen 4.17 prints FIQ's r11 in the R12 column too. */
	hv_printk(m, "FIQ: R8: %08x R9: %08x R10:%08x R11:%08x R12:%08x",
		  r->fiq_r8[0], r->fiq_r8[1], r->fiq_r8[2], r->fiq_r8[3],
		  r->fiq_r8[3]);
	hv_printk(m, "%s", "");
	hv_printk(m, "     SCTLR: %016llx", (unsigned long long)r->sctlr);
	hv_printk(m, "       TCR: %016llx", (unsigned long long)r->tcr);
	hv_printk(m, "     TTBR0: %016llx", (unsigned long long)r->ttbr0);
	hv_printk(m, "     TTBR1: %016llx", (unsigned long long)r->ttbr1);
	hv_printk(m, "      IFAR: %08x, IFSR: %08x", r->ifar, r->ifsr);
	hv_printk(m, "      DFAR: %08x, DFSR: %08x", r->dfar, r->dfsr);
	hv_printk(m, "%s", "");
}

/* The stack pointer of the mode the vCPU is in; false for user mode
 * (said so) and for modes a guest cannot be in (nothing printed). */
static bool stack_pointer(struct hv_machine *m, const struct hv_guest_regs *r,
			  uint64_t *sp)
{
	switch (r->cpsr & MODE_MASK) {
	case 0x10: case 0x1f: case 0x00:
		hv_printk(m, "No stack trace for guest user-mode");
		return false;
	case 0x11: *sp = r->fiq.sp; return true;
	case 0x12: *sp = r->irq.sp; return true;
	case 0x13: *sp = r->svc.sp; return true;
	case 0x17: *sp = r->abt.sp; return true;
	case 0x1b: *sp = r->und.sp; return true;
	case 0x04: *sp = r->sp_el0; return true;
	case 0x05: *sp = r->sp_el1; return true;
	default: return false;
	}
}

/* Up to 160 64-bit words from sp to the end of its page, four a line;
 * like Xen, a word whose first byte starts a page ends the trace (so a
 * page-aligned sp shows "Stack empty."). */
static void dump_stack(struct hv_vcpu *v, const struct hv_guest_regs *r)
{
	struct hv_machine *m = v->domain->machine;
	struct hv_gva_xlate x;
	const uint8_t *page;
	char line[128];
	uint64_t sp, a;
	unsigned i;
	int at;

	if (!stack_pointer(m, r, &sp))
		return;
	hv_printk(m, "Guest stack trace from sp=%016llx:",
		  (unsigned long long)sp);
	if (sp & 7) {
		hv_printk(m, "  Stack is misaligned");
		return;
	}
	if (hv_gva_translate(v, sp, false, &x) ||
	    !(page = hv_gpa_ptr(&v->domain->mem, x.gpa & ~0xfffull, 0x1000))) {
		hv_printk(m, "  Failed to convert stack to physical address");
		return;
	}
	at = snprintf(line, sizeof(line), "  ");
	for (i = 0, a = sp; i < STACK_LINES * STACK_WORDS_LINE; i++, a += 8) {
		uint64_t word;

		if (((a - 1) ^ (a + 7)) & 0x1000)
			break;
		if (i && i % STACK_WORDS_LINE == 0) {
			hv_printk(m, "%s", line);
			at = snprintf(line, sizeof(line), "  ");
		}
		memcpy(&word, page + (a & 0xfff), sizeof(word));
		at += snprintf(line + at, sizeof(line) - (size_t)at,
			       " %016llx", (unsigned long long)word);
	}
	if (i == 0)
		snprintf(line + at, sizeof(line) - (size_t)at, "Stack empty.");
	hv_printk(m, "%s", line);
}

void hv_debug_dump(struct hv_vcpu *v, const struct hv_guest_regs *r)
{
	struct hv_machine *m = v->domain->machine;

	hv_printk(m, "----[ Xen-%d.%d%s  arm64  debug=%c  Not tainted ]----",
		  HV_XEN_MAJOR, HV_XEN_MINOR, HV_XEN_EXTRAVERSION,
		  m->xen_debug ? 'y' : 'n');
	hv_printk(m, "CPU:    %u", v->id);
	if (r->aarch32)
		dump_a32(m, r);
	else
		dump_a64(m, r);
	dump_stack(v, r);
}
