/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-vCPU state beyond registers: where Xen writes the vCPU's vcpu_info
 * (the legacy slot in shared_info for vCPU 0 on ARM, a page the guest
 * registered, or a private dummy before that), its runstate area and its
 * virtual timer. HYPERVISOR_vcpu_op as Xen on ARM implements it. The guest
 * owns the pages these point into and may scribble on them at any time. */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/vcpu.h>
#include <xen/xen.h>

#include "hv/hypercall.h"
#include "hv/time.h"

struct hv_vcpu;

struct hv_vcpu_state {
	uint64_t vcpu_info_gfn;        /* UINT64_MAX until registered */
	uint32_t vcpu_info_offset;
	struct vcpu_info *vcpu_info;   /* registered copy, or NULL */
	struct vcpu_info dummy;        /* Xen's dummy_vcpu_info, per vCPU */

	uint64_t runstate_gva;         /* 0: no area registered */
	struct vcpu_runstate_info runstate;

	struct hv_vtimer vtimer;
};

/* Called by domain creation and teardown. */
int hv_vcpu_state_init(struct hv_vcpu *v);
void hv_vcpu_state_free(struct hv_vcpu *v);

/* Where events for v are flagged: never NULL. */
struct vcpu_info *hv_vcpu_info(struct hv_vcpu *v);
bool hv_vcpu_info_registered(const struct hv_vcpu *v);

/* A runtime reports that v now runs, blocks (wfi) or goes offline
 * (RUNSTATE_*); the time spent in the old state is accounted at virtual
 * time and the registered runstate area is rewritten. */
void hv_vcpu_runstate_set(struct hv_vcpu *v, int state);
/* The runstate as Xen would report it now (time includes the current
 * state's duration so far). */
void hv_vcpu_runstate_get(struct hv_vcpu *v, struct vcpu_runstate_info *out);

hv_hypercall_fn hv_do_vcpu_op;

#endif
