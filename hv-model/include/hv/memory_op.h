/* SPDX-License-Identifier: BSD-2-Clause */
/* The parts of HYPERVISOR_memory_op that live in their own files. */
#ifndef HV_MEMORY_OP_H
#define HV_MEMORY_OP_H

#include <stdint.h>

#include "hv/domain.h"

/* The command's low bits are the op, the rest the extent to start from
 * (a continuation, or a guest's own choice). */
#define HV_MEMOP_EXTENT_SHIFT 6
#define HV_MEMOP_CMD_MASK     ((1u << HV_MEMOP_EXTENT_SHIFT) - 1)

/* The balloon (memory_reservation.c): extents done, counted from start. */
long hv_memory_increase_reservation(struct hv_vcpu *v, uint64_t start,
				    uint64_t gva);
long hv_memory_decrease_reservation(struct hv_vcpu *v, uint64_t start,
				    uint64_t gva);
long hv_memory_populate_physmap(struct hv_vcpu *v, uint64_t start,
				uint64_t gva);

/* Take shared_info out of d's physmap into a page of the model's. */
long hv_memory_unmap_shared_info(struct hv_domain *d);

#endif
