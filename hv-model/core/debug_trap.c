/* SPDX-License-Identifier: BSD-2-Clause */
/* The debug hypercalls of a debug Xen build on ARM, printed as Xen 4.17's
 * do_debug_trap does: `hvc #0xFFEx` register x and the PC, 0xFFFD
 * "Reached" and the PC, 0xFFFE the character in x0/r0, 0xFFFF "DEBUG" and
 * the vCPU's state, any other 0xFFxx that it is unhandled. Register values
 * come from the runtime that runs the vCPU; each trap is also recorded in
 * the domain's debug_record for tests. hvc_imm.c decides when they act (a
 * debug build only). */
#include <stdio.h>

#include "hv/debug_dump.h"
#include "hv/hypercall.h"
#include "hv/machine.h"

static uint64_t reg(struct hv_vcpu *v, unsigned n)
{
	return v->ops && v->ops->get_reg ? v->ops->get_reg(v, n) : 0;
}

static uint64_t pc(struct hv_vcpu *v)
{
	return v->ops && v->ops->get_pc ? v->ops->get_pc(v) : 0;
}

/* Characters gather into a line, as Xen's console does with printk("%c"). */
static void debug_putc(struct hv_domain *d, char c)
{
	bool full = d->debug_len == sizeof(d->debug_line) - 1;

	if (c != '\n' && !full) {
		d->debug_line[d->debug_len++] = c >= 0x20 && c < 0x7f ? c : '?';
		return;
	}
	hv_printk(d->machine, "%.*s", (int)d->debug_len, d->debug_line);
	d->debug_len = 0;
	if (c != '\n')
		debug_putc(d, c);
}

/* Xen's show_execution_state where the runtime has the registers; the
 * runtime's own dump where it has not (native). */
static void dump_state(struct hv_vcpu *v)
{
	struct hv_guest_regs regs;

	if (v->ops && v->ops->guest_regs) {
		v->ops->guest_regs(v, &regs);
		hv_debug_dump(v, &regs);
	} else if (v->ops && v->ops->dump) {
		v->ops->dump(v);
	}
}

static void record(struct hv_domain *d, uint16_t imm, uint64_t value)
{
	struct hv_debug_record *r = &d->debug_record;

	if (r->nr < HV_DEBUG_TRAPS) {
		r->trap[r->nr].imm = imm;
		r->trap[r->nr].value = value;
	}
	r->nr++;
}

void hv_debug_trap(struct hv_vcpu *v, uint16_t imm)
{
	struct hv_domain *d = v->domain;
	struct hv_machine *m = d->machine;

	if ((imm & 0xfff0) == 0xffe0) {
		record(d, imm, reg(v, imm & 0xf));
		hv_printk(m, "DOM%u: R%u = 0x%016llx at 0x%016llx",
		       d->domid, imm & 0xf, (unsigned long long)reg(v, imm & 0xf),
		       (unsigned long long)pc(v));
		return;
	}
	switch (imm) {
	case 0xfffd:
		record(d, imm, pc(v));
		hv_printk(m, "DOM%u: Reached %016llx", d->domid,
		       (unsigned long long)pc(v));
		return;
	case 0xfffe:
		record(d, imm, reg(v, 0) & 0xff);
		debug_putc(d, (char)reg(v, 0));
		return;
	case 0xffff:
		record(d, imm, 0);
		hv_printk(m, "DOM%u: DEBUG", d->domid);
		dump_state(v);
		return;
	default:
		record(d, imm, 0);
		hv_printk(m, "DOM%u: Unhandled debug trap %#x", d->domid,
			  imm & 0xff);
		return;
	}
}
