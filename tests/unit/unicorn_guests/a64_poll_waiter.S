/* SPDX-License-Identifier: BSD-2-Clause */
/* Domain 1 of a two-domain run (with a64_poll_sender): allocates a port
 * for domain 2 and polls it with no timeout. Only domain 2's send can end
 * the wait; it sends after 1 ms of virtual time, which passes only while
 * both domains wait. Prints the poll's result (x12 = 0) and whether the
 * counter had passed 1 ms (62500 ticks) when it returned (x13 = 1). */
#include "a64.h"
#define HC_event_channel_op 32
#define EVTCHNOP_alloc_unbound 6
#define SCHEDOP_poll 3
	image_header
	mrs	x20, cntvct_el0
	adr	x1, unbound
	mov	x0, #EVTCHNOP_alloc_unbound
	hc	HC_event_channel_op
	adr	x1, poll
	adr	x0, unbound + 4		/* the port */
	str	x0, [x1]		/* ports */
	mov	x0, #SCHEDOP_poll
	hc	HC_sched_op
	mov	x12, x0
	mrs	x13, cntvct_el0
	sub	x13, x13, x20
	ldr	x0, =62500
	cmp	x13, x0
	cset	x13, hs
	print	12
	print	13
	shutdown 0
	.balign	8
unbound:
	.hword	0x7ff0, 2		/* dom DOMID_SELF, remote_dom 2 */
	.word	0			/* port */
poll:
	.quad	0			/* ports */
	.word	1			/* nr_ports */
	.word	0
	.quad	0			/* timeout: none */
	image_end
