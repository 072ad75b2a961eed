/* SPDX-License-Identifier: BSD-2-Clause */
/* `hvc #0` (and `smc #0`): the SMC Calling Convention calls Xen 4.17 on ARM
 * answers for its guests, PSCI 1.1 among them (vpsci.c and vsmc.c in Xen).
 * The function id is in x0/r0, arguments in x1-x3, results back in x0-x3.
 * Every value comes from the guest; an id no one handles answers -1
 * (NOT_SUPPORTED) and is logged as Xen logs it. Xen 4.17 as Debian builds
 * it answers none of the hypervisor-service calls (owner 6: call count,
 * UID, revision): those are unknown here too. */
#include <xen/errno.h>
#include <xen/sched.h>

#include "hv/hypercall.h"
#include "hv/machine.h"
#include "hv/vcpu.h"

/* SMCCC function ids: bit 31 fast call, bit 30 the 64-bit convention,
 * bits 29:24 the owner, bits 15:0 the function. */
#define SMCCC_CONV_64         (1u << 30)
#define SMCCC_OWNER(fid)      (((fid) >> 24) & 0x3f)
#define SMCCC_OWNER_ARCH      0
#define SMCCC_OWNER_STANDARD  4

#define SMCCC_VERSION_FID        0x80000000u
#define SMCCC_ARCH_FEATURES_FID  0x80000001u
#define SMCCC_VERSION_1_1        0x10001u

#define PSCI_VERSION_FID         0x84000000u
#define PSCI_CPU_SUSPEND_FID     0x84000001u
#define PSCI_CPU_OFF_FID         0x84000002u
#define PSCI_CPU_ON_FID          0x84000003u
#define PSCI_AFFINITY_INFO_FID   0x84000004u
#define PSCI_MIGRATE_INFO_TYPE_FID 0x84000006u
#define PSCI_SYSTEM_OFF_FID      0x84000008u
#define PSCI_SYSTEM_RESET_FID    0x84000009u
#define PSCI_FEATURES_FID        0x8400000au
#define PSCI_FN_MAX              0x1fu       /* PSCI's share of owner 4 */
#define PSCI_VERSION_1_1         0x10001u

#define PSCI_SUCCESS             0
#define PSCI_NOT_SUPPORTED       (-1)
#define PSCI_INVALID_PARAMETERS  (-2)
#define PSCI_DENIED              (-3)
#define PSCI_ALREADY_ON          (-4)
#define PSCI_INTERNAL_FAILURE    (-6)
#define PSCI_INVALID_ADDRESS     (-9)
#define PSCI_AFFINITY_ON         0
#define PSCI_AFFINITY_OFF        1
#define PSCI_MIGRATE_NOT_PRESENT 2           /* no Trusted OS to migrate */
#define MPIDR_HWID_MASK          0xff00ffffffull  /* Aff3, Aff2, Aff1, Aff0 */

/* A negative PSCI status as a register value: sign-extended. */
static uint64_t status(int32_t s)
{
	return (uint64_t)(int64_t)s;
}

/* vCPU id from an affinity value as Xen 4.17 reads it
 * (vaffinity_to_vcpuid): the whole of Aff0, Aff1 above its low 4 bits; so
 * Aff0 16 names vCPU 16, not vCPU 0 again. */
static uint64_t affinity_vcpu(uint64_t aff)
{
	aff &= MPIDR_HWID_MASK;
	return (aff & 0xff) | ((aff >> 8) & 0xff) << 4;
}

/* CPU_ON as do_common_cpu_on answers it: an absent vCPU is
 * INVALID_PARAMETERS, a Thumb entry point from a 64-bit domain
 * INVALID_ADDRESS, a vCPU not down ALREADY_ON (Xen starts the vCPU at
 * once, so ON_PENDING never comes back). A runtime that runs only vCPU 0
 * answers for the others as for an absent one. */
static int32_t cpu_on(struct hv_vcpu *v, uint64_t target, uint64_t entry,
		      uint64_t context_id, bool aarch32)
{
	struct hv_domain *d = v->domain;
	uint64_t id = affinity_vcpu(target);
	struct hv_vcpu *t;

	if (id >= d->nr_vcpus)
		return PSCI_INVALID_PARAMETERS;
	if (!aarch32 && (entry & 1))
		return PSCI_INVALID_ADDRESS;
	t = &d->vcpu[id];
	if (t->online)
		return PSCI_ALREADY_ON;
	if (!d->runs_secondaries)
		return PSCI_INVALID_PARAMETERS;
	t->start.entry = aarch32 ? entry & ~1ull : entry;
	t->start.thumb = aarch32 && (entry & 1);
	t->start.context_id = context_id;
	/* Xen 4.17's CPU_OFF marks the vCPU down before it is descheduled
	 * (vpsci.c, vcpu_sleep_nosync); a CPU_ON in between writes the new
	 * frame, which the CPU_OFF call then returns through, its
	 * PSCI_SUCCESS over x0 / r0 (and the live system registers are
	 * saved over those CPU_ON reset). The fault keeps the lost context
	 * id: a guest must not need it. */
	if (t->went_off && hv_fault_roll(d->machine, HV_FAULT_CPU_OFF, 2))
		t->start.context_id = 0;
	t->went_off = false;
	t->start_pending = true;
	t->online = true;
	hv_vcpu_runstate_set(t, RUNSTATE_runnable);
	return PSCI_SUCCESS;
}

/* CPU_OFF: the caller goes down for good (until a CPU_ON); the runtime
 * stops running it as the call returns. Where only vCPU 0 runs, it is
 * refused rather than stop the only one. */
static int32_t cpu_off(struct hv_vcpu *v)
{
	if (!v->domain->runs_secondaries)
		return PSCI_DENIED;
	v->online = false;
	v->went_off = true;
	v->start_pending = false;
	hv_vcpu_runstate_set(v, RUNSTATE_offline);
	return PSCI_SUCCESS;
}
static int32_t affinity_info(struct hv_vcpu *v, uint64_t target,
			     uint32_t level)
{
	struct hv_domain *d = v->domain;
	uint64_t mask;

	if (level > 3)
		return PSCI_INVALID_PARAMETERS;
	/* Compare the affinity levels from `level` up (Aff3 sits at 39:32). */
	mask = MPIDR_HWID_MASK & ~((1ull << (level == 3 ? 32 : 8 * level)) - 1);
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		if ((hv_vcpu_affinity(i) & mask) == (target & mask) &&
		    d->vcpu[i].online)
			return PSCI_AFFINITY_ON;
	return PSCI_AFFINITY_OFF;
}

static int32_t psci_features(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION_FID:
	case PSCI_CPU_SUSPEND_FID:
	case PSCI_CPU_SUSPEND_FID | SMCCC_CONV_64:
	case PSCI_CPU_OFF_FID:
	case PSCI_CPU_ON_FID:
	case PSCI_CPU_ON_FID | SMCCC_CONV_64:
	case PSCI_AFFINITY_INFO_FID:
	case PSCI_AFFINITY_INFO_FID | SMCCC_CONV_64:
	case PSCI_MIGRATE_INFO_TYPE_FID:
	case PSCI_SYSTEM_OFF_FID:
	case PSCI_SYSTEM_RESET_FID:
	case PSCI_FEATURES_FID:
	case SMCCC_VERSION_FID:
		return PSCI_SUCCESS;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

/* PSCI 0.2+ (owner 4, functions 0..0x1f). False: not a function Xen has. */
static bool psci_call(struct hv_vcpu *v, const uint64_t a[4], uint64_t r[4],
		      bool aarch32)
{
	uint32_t fid = (uint32_t)a[0];

	switch (fid) {
	case PSCI_VERSION_FID:
		r[0] = PSCI_VERSION_1_1;
		return true;
	case PSCI_MIGRATE_INFO_TYPE_FID:
		r[0] = PSCI_MIGRATE_NOT_PRESENT;
		return true;
	case PSCI_CPU_SUSPEND_FID:
	case PSCI_CPU_SUSPEND_FID | SMCCC_CONV_64:
		/* Xen treats every suspend as standby: IRQs unmasked and a
		 * wait for one, as SCHEDOP_block (vcpu_wait.c). */
		hv_vcpu_wait_block(v);
		r[0] = PSCI_SUCCESS;
		return true;
	case PSCI_CPU_OFF_FID:
		r[0] = status(cpu_off(v));
		return true;
	case PSCI_CPU_ON_FID:
	case PSCI_CPU_ON_FID | SMCCC_CONV_64:
		r[0] = status(cpu_on(v, a[1], a[2], a[3], aarch32));
		return true;
	case PSCI_AFFINITY_INFO_FID:
	case PSCI_AFFINITY_INFO_FID | SMCCC_CONV_64:
		r[0] = status(affinity_info(v, a[1], (uint32_t)a[2]));
		return true;
	case PSCI_FEATURES_FID:
		r[0] = status(psci_features((uint32_t)a[1]));
		return true;
	case PSCI_SYSTEM_OFF_FID:
		hv_domain_shutdown(v->domain, SHUTDOWN_poweroff);
		r[0] = status(PSCI_INTERNAL_FAILURE);
		return true;
	case PSCI_SYSTEM_RESET_FID:
		hv_domain_shutdown(v->domain, SHUTDOWN_reboot);
		r[0] = status(PSCI_INTERNAL_FAILURE);
		return true;
	default:
		return false;
	}
}

static bool arch_call(const uint64_t a[4], uint64_t r[4])
{
	switch ((uint32_t)a[0]) {
	case SMCCC_VERSION_FID:
		r[0] = SMCCC_VERSION_1_1;
		return true;
	case SMCCC_ARCH_FEATURES_FID:
		/* No workaround is offered: the model has no side channels
		 * to mitigate. */
		r[0] = status(PSCI_NOT_SUPPORTED);
		return true;
	default:
		return false;
	}
}

void hv_smccc_call(struct hv_vcpu *v, const uint64_t a[4], uint64_t r[4],
		   bool aarch32)
{
	uint32_t fid = (uint32_t)a[0];
	bool handled = false;

	for (unsigned i = 0; i < 4; i++)
		r[i] = a[i];
	if (aarch32 && (fid & SMCCC_CONV_64)) {
		r[0] = status(PSCI_NOT_SUPPORTED);   /* 64-bit ids: 64-bit only */
		return;
	}
	switch (SMCCC_OWNER(fid)) {
	case SMCCC_OWNER_ARCH:
		handled = arch_call(a, r);
		break;
	case SMCCC_OWNER_STANDARD:
		handled = (fid & 0xffff) <= PSCI_FN_MAX &&
			  psci_call(v, a, r, aarch32);
		break;
	}
	if (!handled) {
		hv_printk(v->domain->machine, "d%uv%u Unhandled SMC/HVC: %#x",
			  v->domain->domid, v->id, fid);
		r[0] = status(PSCI_NOT_SUPPORTED);
	}
}
