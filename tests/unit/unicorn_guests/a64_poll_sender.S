/* SPDX-License-Identifier: BSD-2-Clause */
/* Domain 2 of a two-domain run (with a64_poll_waiter): sleeps 1 ms of
 * virtual time in SCHEDOP_poll (a port of its own nothing signals, with a
 * timeout), then binds to domain 1's port for it (trying ports 1 to 63
 * until one binds, yielding between rounds) and sends on it. Prints the
 * port it bound (x12) and the send's result (x13 = 0). */
#include "a64.h"
#define HC_event_channel_op 32
#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_send 4
#define EVTCHNOP_alloc_unbound 6
#define SCHEDOP_poll 3
	image_header
	adr	x1, own
	mov	x0, #EVTCHNOP_alloc_unbound
	hc	HC_event_channel_op
	mrs	x20, cntvct_el0
	ldr	x0, =62500
	add	x0, x0, x20
	lsl	x0, x0, #4		/* ns of system time */
	adr	x1, poll
	str	x0, [x1, #16]		/* timeout */
	adr	x0, own + 4
	str	x0, [x1]		/* ports */
	mov	x0, #SCHEDOP_poll
	hc	HC_sched_op
round:
	mov	w19, #1
try:
	adr	x1, bind
	str	w19, [x1, #4]		/* remote_port */
	mov	x0, #EVTCHNOP_bind_interdomain
	hc	HC_event_channel_op
	cbz	x0, bound
	add	w19, w19, #1
	cmp	w19, #64
	b.lo	try
	mov	x0, #0			/* SCHEDOP_yield */
	mov	x1, #0
	hc	HC_sched_op
	b	round
bound:
	adr	x1, bind
	ldr	w0, [x1, #8]		/* local_port */
	adr	x1, send
	str	w0, [x1]
	mov	x0, #EVTCHNOP_send
	hc	HC_event_channel_op
	mov	x13, x0
	mov	x12, x19
	print	12
	print	13
	shutdown 0
	.balign	8
own:
	.hword	0x7ff0, 0x7ff0		/* dom, remote_dom: DOMID_SELF */
	.word	0
bind:
	.hword	1, 0			/* remote_dom 1 */
	.word	0			/* remote_port */
	.word	0			/* local_port */
send:
	.word	0
poll:
	.quad	0			/* ports */
	.word	1			/* nr_ports */
	.word	0
	.quad	0			/* timeout */
	image_end
