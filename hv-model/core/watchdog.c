/* SPDX-License-Identifier: BSD-2-Clause */
/* SCHEDOP_watchdog as Xen 4.17 keeps it (common/sched/core.c): two timers
 * per domain on virtual time. Id 0 takes the first free slot, arms it for
 * timeout seconds (0: at once) and answers its id; a slot's id re-arms it,
 * or with timeout 0 stops and frees it. A timer that fires shuts the
 * domain down with SHUTDOWN_watchdog, unless it is already stopping. The
 * id and timeout come from the guest. */
#include <xen/errno.h>
#include <xen/sched.h>

#include "hv/domain.h"
#include "hv/machine.h"
#include "hv/time.h"

#define NS_PER_SEC 1000000000ull

static void fired(struct hv_timer *t, void *ctx)
{
	struct hv_domain *d = ctx;

	(void)t;
	if (d->state != HV_DOMAIN_RUNNING)
		return;
	hv_printk(d->machine, "Watchdog timer fired for domain %u", d->domid);
	/* As every shutdown: a shutdown_code given before wins. */
	hv_domain_shutdown(d, d->shutdown_code >= 0 ?
			      (unsigned)d->shutdown_code : SHUTDOWN_watchdog);
}

void hv_watchdog_init(struct hv_domain *d)
{
	for (unsigned i = 0; i < HV_NR_WATCHDOGS; i++) {
		hv_timer_init(&d->watchdog[i], fired, d);
		d->watchdog[i].name = "core.c#domain_watchdog_timeout";
	}
}

void hv_watchdog_destroy(struct hv_domain *d)
{
	for (unsigned i = 0; i < HV_NR_WATCHDOGS; i++)
		hv_timer_cancel(d->machine, &d->watchdog[i]);
	d->watchdog_inuse = 0;
}

static void arm(struct hv_domain *d, unsigned slot, uint32_t timeout)
{
	hv_timer_arm(d->machine, &d->watchdog[slot],
		     hv_time_now(d->machine) + timeout * NS_PER_SEC);
}

long hv_watchdog_op(struct hv_domain *d, uint32_t id, uint32_t timeout)
{
	unsigned slot;

	if (id > HV_NR_WATCHDOGS)
		return -XEN_EINVAL;
	if (id == 0) {
		for (slot = 0; slot < HV_NR_WATCHDOGS; slot++) {
			if (d->watchdog_inuse & 1u << slot)
				continue;
			d->watchdog_inuse |= (uint8_t)(1u << slot);
			arm(d, slot, timeout);
			return slot + 1;
		}
		/* Xen 4.17 hands this one error back as a 32-bit unsigned
		 * value: a 64-bit guest reads 0xffffffe4, not -28. */
		return (long)(uint32_t)-XEN_ENOSPC;
	}
	slot = id - 1;
	if (!(d->watchdog_inuse & 1u << slot))
		return -XEN_EINVAL;
	if (timeout == 0) {
		hv_timer_cancel(d->machine, &d->watchdog[slot]);
		d->watchdog_inuse &= (uint8_t)~(1u << slot);
	} else {
		arm(d, slot, timeout);
	}
	return 0;
}
