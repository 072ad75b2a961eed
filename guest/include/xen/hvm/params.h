/* SPDX-License-Identifier: BSD-2-Clause */
/* HVM_PARAM_* indexes for HVMOP_{set,get}_param. An ARM guest reads
 * STORE_* and CONSOLE_* to find its rings. The values come from the
 * toolstack: check the frame and the port are sane before using them. */
#ifndef XENSIM_XEN_HVM_PARAMS_H
#define XENSIM_XEN_HVM_PARAMS_H

#include "hvm_op.h"

/*
 * How vCPU 0's event upcall is delivered: 0 = not at all, otherwise the
 * type in bits 63:56. For TYPE_PPI (ARM): bits 7:0 the PPI, bits 15:8 its
 * flags (bit 8 edge(1)/level(0), bit 9 active low(1)/high(0)), rest zero.
 */
#define HVM_PARAM_CALLBACK_IRQ                     0
#define HVM_PARAM_CALLBACK_IRQ_TYPE_MASK           xen_mk_ullong(0xFF00000000000000)
#define HVM_PARAM_CALLBACK_TYPE_GSI                0
#define HVM_PARAM_CALLBACK_TYPE_PCI_INTX           1
#define HVM_PARAM_CALLBACK_TYPE_PPI                2
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_MASK      0xFF00
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_LOW_LEVEL 2

/* xenstore ring: guest frame number and event channel. */
#define HVM_PARAM_STORE_PFN          1
#define HVM_PARAM_STORE_EVTCHN       2

#define HVM_PARAM_PAE_ENABLED        4
#define HVM_PARAM_IOREQ_PFN          5
#define HVM_PARAM_BUFIOREQ_PFN       6
#define HVM_PARAM_TIMER_MODE        10
#define HVM_PARAM_HPET_ENABLED      11
#define HVM_PARAM_IDENT_PT          12
#define HVM_PARAM_DM_DOMAIN         13
#define HVM_PARAM_ACPI_S_STATE      14
#define HVM_PARAM_VM86_TSS          15
#define HVM_PARAM_VPT_ALIGN         16

/* PV console ring: guest frame number and event channel. */
#define HVM_PARAM_CONSOLE_PFN       17
#define HVM_PARAM_CONSOLE_EVTCHN    18

#define HVM_PARAM_ACPI_IOPORTS_LOCATION 19
#define HVM_PARAM_NESTEDHVM         24
#define HVM_PARAM_BUFIOREQ_EVTCHN   26
#define HVM_PARAM_PAGING_RING_PFN   27
#define HVM_PARAM_MONITOR_RING_PFN  28
#define HVM_PARAM_SHARING_RING_PFN  29
#define HVM_PARAM_TRIPLE_FAULT_REASON 31
#define HVM_PARAM_IOREQ_SERVER_PFN  32
#define HVM_PARAM_NR_IOREQ_SERVER_PAGES 33
#define HVM_PARAM_VM_GENERATION_ID_ADDR 34
#define HVM_PARAM_ALTP2M            35
#define HVM_PARAM_X87_FIP_WIDTH     36
#define HVM_PARAM_VM86_TSS_SIZED    37
#define HVM_PARAM_MCA_CAP           38

/* Number of parameter slots (valid indexes are below it). */
#define HVM_NR_PARAMS               39

#endif /* XENSIM_XEN_HVM_PARAMS_H */
