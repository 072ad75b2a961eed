/* SPDX-License-Identifier: BSD-2-Clause */
/* The conformance battery's areas, in the order they run. Each line names
 * one area: CONF_AREA(x) is the battery check "conf_x", the function
 * check_conf_x in conf_x.c. Adding an area is adding its file and its
 * line here (tests/results/battery.sh reads this list too). No include
 * guard: the runner includes this twice with its own CONF_AREA. */
CONF_AREA(xen_version)
CONF_AREA(memory_op)
CONF_AREA(grant_table_op)
CONF_AREA(guest_va)
CONF_AREA(hvm_op)
CONF_AREA(sched_op)
CONF_AREA(multicall)
CONF_AREA(vm_assist)
CONF_AREA(toolstack_ops)
CONF_AREA(evtchn_pirq)
CONF_AREA(psci)
CONF_AREA(hvc_imm)
