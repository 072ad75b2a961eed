/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance of the SMC Calling Convention calls over `hvc #0`: PSCI 1.1
 * (version, features, affinity, CPU_ON's errors, migration type), SMCCC's
 * version and features, Xen's hypervisor service (absent in 4.17), and ids
 * no one handles.
 * The calls that would stop this vCPU or the domain (CPU_OFF, CPU_SUSPEND,
 * SYSTEM_OFF, SYSTEM_RESET) are not made here. */
#include "conf.h"
#include "kern/boot.h"
#include "kern/printf.h"
#include "port.h"

#define PSCI_VERSION          0x84000000ul
#define PSCI_CPU_ON           0x84000003ul
#define PSCI_AFFINITY_INFO    0x84000004ul
#define PSCI_MIGRATE          0x84000005ul
#define PSCI_MIGRATE_INFO_TYPE 0x84000006ul
#define PSCI_SYSTEM_OFF       0x84000008ul
#define PSCI_FEATURES         0x8400000aul
#define PSCI_CPU_ON_64        0xc4000003ul
#define SMCCC_VERSION         0x80000000ul
#define SMCCC_ARCH_FEATURES   0x80000001ul
#define SIP_SERVICE_CALL      0x82000000ul
#define XEN_CALL_COUNT        0x8600ff00ul
#define XEN_REVISION          0x8600ff03ul

/* An entry point CPU_ON never reaches: the target is refused first. */
#define ENTRY_NEVER_TAKEN     0x40080000ul

static long smccc(unsigned long fid, unsigned long a1, unsigned long a2,
		  unsigned long a3)
{
	unsigned long res[4];

	return (long)arch_smccc_call(fid, a1, a2, a3, res);
}

static void psci(struct selftest_ctx *ctx)
{
	unsigned nr = boot_dt.nr_cpus;
	char absent[48];

	conf_expect_hex(ctx, "PSCI_VERSION",
			(unsigned long)smccc(PSCI_VERSION, 0, 0, 0), 0x10001);
	conf_expect(ctx, "MIGRATE_INFO_TYPE",
		    smccc(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
	conf_expect(ctx, "AFFINITY_INFO(vCPU 0, level 0)",
		    smccc(PSCI_AFFINITY_INFO, 0, 0, 0), 0);
	conf_expect(ctx, "AFFINITY_INFO(vCPU 1, level 0)",
		    smccc(PSCI_AFFINITY_INFO, 1, 0, 0), 1);
	conf_expect(ctx, "AFFINITY_INFO(vCPU 0, level 5)",
		    smccc(PSCI_AFFINITY_INFO, 0, 5, 0), -2);
	conf_expect(ctx, "CPU_ON(vCPU 0, running)",
		    smccc(PSCI_CPU_ON, 0, ENTRY_NEVER_TAKEN, 0), -4);
	/* The first vCPU the device tree does not list (vCPU 1 in a
	 * domain of one): its affinity as Xen numbers vCPUs. */
	ksnprintf(absent, sizeof(absent), "CPU_ON(vCPU %u, absent)", nr);
	conf_expect(ctx, absent, smccc(PSCI_CPU_ON, (nr & 0xf) | (nr >> 4) << 8,
				       ENTRY_NEVER_TAKEN, 0), -2);
	conf_expect(ctx, "PSCI_FEATURES(SYSTEM_OFF)",
		    smccc(PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0), 0);
	conf_expect(ctx, "PSCI_FEATURES(CPU_ON, 64-bit)",
		    smccc(PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0), 0);
	conf_expect(ctx, "PSCI_FEATURES(SMCCC_VERSION)",
		    smccc(PSCI_FEATURES, SMCCC_VERSION, 0, 0), 0);
	conf_expect(ctx, "PSCI_FEATURES(MIGRATE)",
		    smccc(PSCI_FEATURES, PSCI_MIGRATE, 0, 0), -1);
	conf_expect(ctx, "MIGRATE (not offered)",
		    smccc(PSCI_MIGRATE, 0, 0, 0), -1);
}

static void smccc_and_xen(struct selftest_ctx *ctx)
{
	conf_expect_hex(ctx, "SMCCC_VERSION",
			(unsigned long)smccc(SMCCC_VERSION, 0, 0, 0), 0x10001);
	conf_expect(ctx, "SMCCC_ARCH_FEATURES(SMCCC_VERSION)",
		    smccc(SMCCC_ARCH_FEATURES, SMCCC_VERSION, 0, 0), -1);
	conf_expect(ctx, "SIP service call 0", smccc(SIP_SERVICE_CALL, 0, 0, 0),
		    -1);
	/* Xen 4.17 offers no hypervisor-service calls over SMCCC. */
	conf_expect(ctx, "Xen service: call count",
		    smccc(XEN_CALL_COUNT, 0, 0, 0), -1);
	conf_expect(ctx, "Xen service: revision",
		    smccc(XEN_REVISION, 0, 0, 0), -1);
}

void check_conf_psci(struct selftest_ctx *ctx)
{
	psci(ctx);
	smccc_and_xen(ctx);
}
