/* SPDX-License-Identifier: BSD-2-Clause */
/* SCHEDOP_poll on a port nothing signals, with an absolute timeout 1 ms
 * of system time (counter ticks of 16 ns) ahead: Xen sleeps the vCPU until
 * the timeout. Prints the poll's result (x12 = 0) and the ticks it took
 * (x13 >= 62500). */
#include "a64.h"
#define HC_event_channel_op 32
#define EVTCHNOP_alloc_unbound 6
#define SCHEDOP_poll 3
	image_header
	adr	x1, unbound
	mov	x0, #EVTCHNOP_alloc_unbound
	hc	HC_event_channel_op
	mrs	x20, cntvct_el0
	ldr	x0, =62500
	add	x0, x0, x20
	lsl	x0, x0, #4		/* ns */
	adr	x1, poll
	str	x0, [x1, #16]		/* timeout */
	adr	x0, unbound + 4		/* the port */
	str	x0, [x1]		/* ports */
	mov	x0, #SCHEDOP_poll
	hc	HC_sched_op
	mov	x12, x0
	mrs	x13, cntvct_el0
	sub	x13, x13, x20
	print	12
	print	13
	shutdown 0
	.balign	8
unbound:
	.hword	0x7ff0, 0x7ff0		/* dom, remote_dom: DOMID_SELF */
	.word	0			/* port */
poll:
	.quad	0			/* ports */
	.word	1			/* nr_ports */
	.word	0
	.quad	0			/* timeout */
	image_end
