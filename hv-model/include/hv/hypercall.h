/* SPDX-License-Identifier: BSD-2-Clause */
/* Hypercall entry of the model. A runtime traps the guest's `hvc #0xEA1`
 * (or calls straight in, natively) and hands over the number and the five
 * argument registers; the result is what the guest sees in x0/r0. Other
 * immediates (SMCCC's 0, the debug ones, undefined ones) arrive
 * separately. */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

struct hv_vcpu;

/* The immediate of a real hypercall on ARM. */
#define HV_HYPERCALL_TAG 0xEA1u

typedef long hv_hypercall_fn(struct hv_vcpu *v, const uint64_t arg[5]);

/* Dispatch op with arg[0..4]; unknown op -> -XEN_ENOSYS. */
long hv_hypercall(struct hv_vcpu *v, uint64_t op, const uint64_t arg[5]);
/* Name of a hypercall number, for traces; "unknown" when there is none. */
const char *hv_hypercall_name(uint64_t op);

/* How Xen answers an `hvc` with an immediate other than 0 and 0xEA1. */
enum hv_hvc_answer {
	HV_HVC_RETURN,       /* handled (a debug build's debug trap): the
			      * guest goes on after the hvc */
	HV_HVC_UNDEFINED,    /* the runtime injects an undefined-instruction
			      * exception, as Xen does (traps.c) */
};

/* `hvc #imm`, imm neither 0 nor HV_HYPERCALL_TAG. On a debug Xen
 * (machine->xen_debug) the immediates 0xFFxx are debug traps; anything
 * else is logged as Xen 4.17 logs it ("dNvM Invalid HVC imm 0x...") and
 * undefined. */
enum hv_hvc_answer hv_hvc_other(struct hv_vcpu *v, uint16_t imm);

/* A debug Xen's debug traps (imm 0xFFxx): 0xFFE0..0xFFEF print register
 * n, 0xFFFD the PC, 0xFFFE the character in x0/r0 and 0xFFFF the vCPU
 * state; any other prints "Unhandled debug trap", as Xen does. */
void hv_debug_trap(struct hv_vcpu *v, uint16_t imm);

/* `hvc #0`: an SMCCC call (PSCI, SMCCC, Xen's hypervisor service) with
 * x0-x3 (r0-r3) in a[]; r[] gets the four result registers (those the
 * call leaves alone keep their value). aarch32: the vCPU runs 32-bit code,
 * which may not use the 64-bit convention. */
void hv_smccc_call(struct hv_vcpu *v, const uint64_t a[4], uint64_t r[4],
		   bool aarch32);

/* Handlers, one per hypercall, registered in the dispatch table. */
hv_hypercall_fn hv_do_xen_version;
hv_hypercall_fn hv_do_console_io;
hv_hypercall_fn hv_do_memory_op;
hv_hypercall_fn hv_do_hvm_op;
hv_hypercall_fn hv_do_sched_op;
hv_hypercall_fn hv_do_multicall;
hv_hypercall_fn hv_do_vm_assist;
hv_hypercall_fn hv_do_platform_op;
hv_hypercall_fn hv_do_sysctl;
hv_hypercall_fn hv_do_domctl;
hv_hypercall_fn hv_do_hypfs_op;

#endif
