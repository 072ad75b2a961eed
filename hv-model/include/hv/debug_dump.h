/* SPDX-License-Identifier: BSD-2-Clause */
/* A debug Xen's dump of a guest vCPU (hvc #0xFFFF), in Xen 4.17's layout. */
#ifndef HV_DEBUG_DUMP_H
#define HV_DEBUG_DUMP_H

#include "hv/domain.h"

/* The PSTATE/CPSR mode as Xen names it ("64-bit EL1h (Guest Kernel,
 * handler)", "32-bit Guest SVC", ...). */
const char *hv_guest_mode_name(uint64_t cpsr);

/* Print v's registers r and its stack on the Xen console. */
void hv_debug_dump(struct hv_vcpu *v, const struct hv_guest_regs *r);

#endif
