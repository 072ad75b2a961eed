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

/* A negative PSCI status as a register value: sign-extended. */
static uint64_t status(int32_t s)
{
	return (uint64_t)(int64_t)s;
}

/* MPIDR affinity of vCPU n as Xen gives it: Aff0 the low 4 bits. */
static uint64_t vcpu_affinity(unsigned n)
{
	return (uint64_t)(n & 0xf) | (uint64_t)(n >> 4) << 8;
}

/* vCPU id from an affinity value, the inverse of vcpu_affinity. */
static uint64_t affinity_vcpu(uint64_t aff)
{
	return (aff & 0xf) | ((aff >> 8) & 0xff) << 4;
}

/* CPU_ON: a vCPU that does not exist, or (until the model runs more than
 * one vCPU) any other than the caller, is INVALID_PARAMETERS; a running
 * one ALREADY_ON; Thumb entry points are for 32-bit domains. */
static int32_t cpu_on(struct hv_vcpu *v, uint64_t target, uint64_t entry,
		      bool aarch32)
{
	struct hv_domain *d = v->domain;
	uint64_t id = affinity_vcpu(target & 0xff00ffffffull);

	if (id >= d->nr_vcpus)
		return PSCI_INVALID_PARAMETERS;
	if (!aarch32 && (entry & 1))
		return PSCI_INVALID_ADDRESS;
	if (d->vcpu[id].online)
		return PSCI_ALREADY_ON;
	return PSCI_INVALID_PARAMETERS;   /* no secondary vCPUs run yet */
}

static int32_t affinity_info(struct hv_vcpu *v, uint64_t target,
			     uint32_t level)
{
	struct hv_domain *d = v->domain;
	uint64_t mask;

	if (level > 3)
		return PSCI_INVALID_PARAMETERS;
	/* Compare the affinity levels from `level` up (Aff3 sits at 39:32). */
	mask = 0xff00ffffffull & ~((1ull << (level == 3 ? 32 : 8 * level)) - 1);
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		if ((vcpu_affinity(i) & mask) == (target & mask) &&
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
		/* Xen takes the vCPU down for good; the model, which runs
		 * vCPU 0 alone, refuses rather than stop the only one. */
		r[0] = status(PSCI_DENIED);
		return true;
	case PSCI_CPU_ON_FID:
	case PSCI_CPU_ON_FID | SMCCC_CONV_64:
		r[0] = status(cpu_on(v, a[1], a[2], aarch32));
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
