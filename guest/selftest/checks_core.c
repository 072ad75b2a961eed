/* SPDX-License-Identifier: BSD-2-Clause */
/* Checks of the hypervisor's basic interface: version, features, console,
 * shared_info, device tree, HVM parameters and the error paths. */
#include <xen/errno.h>
#include <xen/features.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/version.h>

#include "gxen/hypercall.h"
#include "gxen/shared.h"
#include "kern/boot.h"
#include "kern/page.h"
#include "kern/string.h"
#include "selftest_checks.h"

/* An address no target maps: below RAM, away from every device. */
#define UNMAPPED_VA 0x10ul

void check_xen_version(struct selftest_ctx *ctx)
{
	long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

	check_that(ctx, ver >> 16 == 4 && (ver & 0xffff) >= 17,
		   "XENVER_version = %#lx, want 4.17 or later", ver);
	check_that(ctx, HYPERVISOR_xen_version(XENVER_pagesize, NULL) == 4096,
		   "XENVER_pagesize is not 4096");
}

void check_xen_version_strings(struct selftest_ctx *ctx)
{
	xen_extraversion_t extra;
	xen_capabilities_info_t caps;
	xen_platform_parameters_t params;

	memset(extra, 0xff, sizeof(extra));
	check(ctx, HYPERVISOR_xen_version(XENVER_extraversion, extra) == 0);
	check(ctx, memchr(extra, '\0', sizeof(extra)) != NULL);
	memset(caps, 0, sizeof(caps));
	check(ctx, HYPERVISOR_xen_version(XENVER_capabilities, caps) == 0);
	caps[sizeof(caps) - 1] = '\0';
	check_that(ctx, strncmp(caps, "xen-3.0-aarch64", 15) == 0,
		   "capabilities \"%s\"", caps);
	check(ctx, HYPERVISOR_xen_version(XENVER_platform_parameters,
					  &params) == 0);
}

void check_xen_features(struct selftest_ctx *ctx)
{
	xen_feature_info_t fi = { .submap_idx = 0 };

	check(ctx, HYPERVISOR_xen_version(XENVER_get_features, &fi) == 0);
	check_that(ctx, fi.submap & (1u << XENFEAT_auto_translated_physmap),
		   "submap %#x lacks auto_translated_physmap", fi.submap);
	/* Xen knows only submap 0 and refuses the others. */
	fi.submap_idx = 7;
	check(ctx, HYPERVISOR_xen_version(XENVER_get_features, &fi) ==
			   -XEN_EINVAL);
	check(ctx, HYPERVISOR_xen_version(99, NULL) == -XEN_ENOSYS);
}

void check_console_io(struct selftest_ctx *ctx)
{
	static const char line[] = "selftest: console_io write\n";

	check(ctx, HYPERVISOR_console_io(CONSOLEIO_write, sizeof(line) - 1,
					 line) == selftest_console_io_want(0));
	check(ctx, HYPERVISOR_console_io(CONSOLEIO_write, 0, line) ==
		   selftest_console_io_want(0));
	check(ctx, HYPERVISOR_console_io(99, 1, line) ==
		   selftest_console_io_want(-XEN_ENOSYS));
}

void check_shared_info(struct selftest_ctx *ctx)
{
	struct shared_info *s = shared_info_page();

	if (!check(ctx, s != NULL))
		return;
	check_that(ctx, s->wc_version != 0 && s->wc_version % 2 == 0,
		   "wc_version %u", s->wc_version);
	check_that(ctx, s->evtchn_pending[0] == 0,
		   "events pending before any channel exists");
}

/* Xen 4.17 on ARM refuses to map shared_info again while it is mapped:
 * the guest must take it out of its physmap first. */
void check_shared_info_remap_busy(struct selftest_ctx *ctx)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .idx = 0,
	};
	void *page = page_alloc(1);
	long rc;

	if (!check(ctx, page != NULL))
		return;
	xatp.gpfn = virt_to_pfn(page);
	rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
	check_that(ctx, rc == -XEN_EBUSY, "second mapping returned %ld", rc);
	check(ctx, shared_info_page()->wc_version % 2 == 0);
	page_free(page, 1);
}

void check_device_tree(struct selftest_ctx *ctx)
{
	check_that(ctx, strcmp(boot_dt.xen_version, "4.17") == 0,
		   "/hypervisor version \"%s\"", boot_dt.xen_version);
	check(ctx, boot_dt.gnttab_size != 0);
	check(ctx, boot_dt.nr_mem >= 1 && boot_dt.mem[0].size >= (16u << 20));
	check_that(ctx, boot_dt.evtchn_intid >= 16 && boot_dt.evtchn_intid < 32,
		   "event-channel INTID %u is not a PPI", boot_dt.evtchn_intid);
}

void check_hvm_params(struct selftest_ctx *ctx)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF,
				   .index = HVM_PARAM_STORE_PFN };

	check(ctx, HYPERVISOR_hvm_op(HVMOP_get_param, &p) == 0);
	p.index = HVM_NR_PARAMS;
	check(ctx, HYPERVISOR_hvm_op(HVMOP_get_param, &p) == -XEN_EINVAL);
	check(ctx, HYPERVISOR_hvm_op(99, &p) == -XEN_ENOSYS);
}

void check_bad_pointer(struct selftest_ctx *ctx)
{
	void *bad = (void *)UNMAPPED_VA;

	check(ctx, HYPERVISOR_xen_version(XENVER_extraversion, bad) ==
			   -XEN_EFAULT);
	check(ctx, HYPERVISOR_console_io(CONSOLEIO_write, 8, bad) ==
		   selftest_console_io_want(-XEN_EFAULT));
	check(ctx, HYPERVISOR_memory_op(XENMEM_add_to_physmap, bad) ==
			   -XEN_EFAULT);
	check(ctx, HYPERVISOR_hvm_op(HVMOP_get_param, bad) == -XEN_EFAULT);
	check(ctx, HYPERVISOR_sched_op(SCHEDOP_shutdown, bad) == -XEN_EFAULT);
}

void check_unknown_hypercall(struct selftest_ctx *ctx)
{
	check(ctx, arch_hypercall(63, 0, 0, 0, 0, 0) == -XEN_ENOSYS);
	check(ctx, HYPERVISOR_sched_op(99, NULL) == -XEN_ENOSYS);
}

void check_debug_hypercalls(struct selftest_ctx *ctx)
{
	/* Release builds of Xen treat these as undefined: opt-in only. */
	if (!bootarg_present("debug-hvc")) {
		selftest_skip(ctx, "needs bootarg debug-hvc");
		return;
	}
	long version = HYPERVISOR_xen_version(XENVER_version, NULL);

	/* What the hypervisor printed is checked by whoever reads its
	 * console (test_three_runtimes asserts what the model recorded);
	 * here: each trap returns to the next instruction with the vCPU
	 * intact, so an ordinary hypercall still answers the same. */
	arch_debug_print_reg(1, 0x1234);
	arch_debug_print_pc();
	arch_debug_putc('o');
	arch_debug_putc('k');
	arch_debug_putc('\n');
	arch_debug_dump_state();
	check_that(ctx, HYPERVISOR_xen_version(XENVER_version, NULL) == version,
		   "XENVER_version changed across the debug traps");
}
