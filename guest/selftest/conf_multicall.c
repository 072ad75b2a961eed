/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance of HYPERVISOR_multicall: a batch whose entries succeed and
 * fail independently, each result in its own slot; a nested multicall; an
 * empty batch; a list Xen cannot read. */
#include <xen/errno.h>
#include <xen/version.h>
#include <xen/xen.h>

#include "conf.h"
#include "gxen/hypercall.h"
#include "kern/string.h"

#define UNMAPPED_VA ((void *)0x10ul)
#define NO_SUCH_HYPERCALL 63

static void entry(struct multicall_entry *e, unsigned long op,
		  unsigned long a0, unsigned long a1, unsigned long a2)
{
	memset(e, 0, sizeof(*e));
	e->op = op;
	e->result = 0x5a5a;   /* overwritten by every call made */
	e->args[0] = a0;
	e->args[1] = a1;
	e->args[2] = a2;
}

void check_conf_multicall(struct selftest_ctx *ctx)
{
	static const char empty[] = "";
	struct multicall_entry calls[5];

	entry(&calls[0], __HYPERVISOR_xen_version, XENVER_version, 0, 0);
	entry(&calls[1], __HYPERVISOR_xen_version, 99, 0, 0);
	entry(&calls[2], NO_SUCH_HYPERCALL, 0, 0, 0);
	entry(&calls[3], __HYPERVISOR_console_io, CONSOLEIO_write, 0,
	      (unsigned long)empty);
	entry(&calls[4], __HYPERVISOR_multicall, (unsigned long)&calls[0], 1,
	      0);
	conf_expect(ctx, "multicall(5 entries)",
		    HYPERVISOR_multicall(calls, 5), 0);
	conf_expect_hex(ctx, "entry 0: xen_version(XENVER_version)",
			(unsigned long)calls[0].result, 0x40011);
	conf_expect(ctx, "entry 1: xen_version(99)",
		    (long)(int64_t)calls[1].result, -XEN_ENOSYS);
	conf_expect(ctx, "entry 2: hypercall 63",
		    (long)(int64_t)calls[2].result, -XEN_ENOSYS);
	conf_expect(ctx, "entry 3: console_io(write, 0 bytes)",
		    (long)(int64_t)calls[3].result,
		    selftest_console_io_want(0));
	conf_expect(ctx, "entry 4: multicall inside a multicall",
		    (long)(int64_t)calls[4].result, -XEN_EINVAL);
	conf_expect(ctx, "multicall(0 entries)", HYPERVISOR_multicall(calls, 0),
		    0);
	conf_expect(ctx, "multicall(bad list)",
		    HYPERVISOR_multicall(UNMAPPED_VA, 1), -XEN_EFAULT);
}
