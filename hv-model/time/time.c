/* SPDX-License-Identifier: BSD-2-Clause */
/* Virtual time: the machine's clock, its sorted list of model timers and
 * the vCPUs' virtual architectural timers. Time moves only in
 * hv_time_advance_to, so a run is a function of its inputs. Timer values
 * come from the guest (cval, tval): any 64-bit value must be safe here. */
#include <stddef.h>

#include <xen/errno.h>

#include "hv/machine.h"
#include "hv/time.h"
#include "hv/vcpu.h"

uint64_t hv_time_now(const struct hv_machine *m)
{
	return m->now_ns;
}

uint64_t hv_time_ticks(const struct hv_machine *m)
{
	return m->now_ns / HV_NS_PER_TICK;
}

uint64_t hv_time_observe(struct hv_machine *m)
{
	uint64_t now = m->now_ns;

	hv_time_advance_to(m, now + HV_NS_PER_TICK);
	return now;
}

void hv_timer_init(struct hv_timer *t, hv_timer_fn *fn, void *ctx)
{
	t->fn = fn;
	t->ctx = ctx;
	t->deadline_ns = 0;
	t->seq = 0;
	t->armed = false;
	t->name = NULL;
	t->next = NULL;
}

void hv_timer_cancel(struct hv_machine *m, struct hv_timer *t)
{
	struct hv_timer **pp;

	if (!t->armed)
		return;
	for (pp = &m->timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->armed = false;
	t->next = NULL;
}

/* Whether a fires before b: earlier deadline, then armed earlier. */
static bool fires_before(const struct hv_timer *a, const struct hv_timer *b)
{
	if (a->deadline_ns != b->deadline_ns)
		return a->deadline_ns < b->deadline_ns;
	return a->seq < b->seq;
}

void hv_timer_arm(struct hv_machine *m, struct hv_timer *t,
		  uint64_t deadline_ns)
{
	struct hv_timer **pp;

	hv_timer_cancel(m, t);
	t->deadline_ns = deadline_ns;
	t->seq = m->timer_seq++;
	for (pp = &m->timers; *pp && !fires_before(t, *pp); pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	t->armed = true;
}

/* When v's virtual timer will raise its line, if it is enabled, unmasked
 * and not yet due; false otherwise. */
static bool vtimer_deadline(const struct hv_machine *m, struct hv_vcpu *v,
			    uint64_t *ns)
{
	const struct hv_vtimer *t;

	if (!v->state)
		return false;
	t = &v->state->vtimer;
	if ((t->ctl & (HV_CNT_CTL_ENABLE | HV_CNT_CTL_IMASK)) !=
	    HV_CNT_CTL_ENABLE || t->cval <= hv_time_ticks(m))
		return false;
	/* A compare value beyond 64-bit nanoseconds never fires. */
	if (t->cval > UINT64_MAX / HV_NS_PER_TICK)
		return false;
	*ns = t->cval * HV_NS_PER_TICK;
	return true;
}

bool hv_time_next_deadline(const struct hv_machine *m, uint64_t *ns)
{
	bool found = false;
	uint64_t best = UINT64_MAX, t;

	if (m->timers) {
		best = m->timers->deadline_ns;
		found = true;
	}
	for (unsigned i = 0; i < HV_MAX_DOMAINS; i++) {
		struct hv_domain *d = m->domain[i];

		if (!d || !hv_domain_running(d))
			continue;
		for (unsigned c = 0; c < d->nr_vcpus; c++) {
			if (vtimer_deadline(m, &d->vcpu[c], &t) && t < best) {
				best = t;
				found = true;
			}
		}
	}
	if (found)
		*ns = best < m->now_ns ? m->now_ns : best;
	return found;
}

void hv_time_advance_to(struct hv_machine *m, uint64_t ns)
{
	struct hv_timer *t;

	while ((t = m->timers) && t->deadline_ns <= ns) {
		m->timers = t->next;
		t->next = NULL;
		t->armed = false;
		if (t->deadline_ns > m->now_ns)
			m->now_ns = t->deadline_ns;
		t->fn(t, t->ctx);
	}
	if (ns > m->now_ns)
		m->now_ns = ns;
}

void hv_vtimer_write_ctl(struct hv_vcpu *v, uint32_t ctl)
{
	v->state->vtimer.ctl = ctl & (HV_CNT_CTL_ENABLE | HV_CNT_CTL_IMASK);
}

void hv_vtimer_write_cval(struct hv_vcpu *v, uint64_t cval_ticks)
{
	v->state->vtimer.cval = cval_ticks;
}

void hv_vtimer_write_tval(struct hv_vcpu *v, uint32_t tval)
{
	int64_t delta = (int32_t)tval;

	v->state->vtimer.cval = hv_time_ticks(v->domain->machine) +
				(uint64_t)delta;
}

/* The condition ISTATUS reports: the counter has reached cval. */
static bool vtimer_met(struct hv_vcpu *v)
{
	return (v->state->vtimer.ctl & HV_CNT_CTL_ENABLE) &&
	       hv_time_ticks(v->domain->machine) >= v->state->vtimer.cval;
}

uint32_t hv_vtimer_read_ctl(struct hv_vcpu *v)
{
	return v->state->vtimer.ctl | (vtimer_met(v) ? HV_CNT_CTL_ISTATUS : 0);
}

uint64_t hv_vtimer_read_cval(struct hv_vcpu *v)
{
	return v->state->vtimer.cval;
}

uint32_t hv_vtimer_read_tval(struct hv_vcpu *v)
{
	return (uint32_t)(v->state->vtimer.cval -
			  hv_time_ticks(v->domain->machine));
}

bool hv_vtimer_irq_level(struct hv_vcpu *v)
{
	return vtimer_met(v) && !(v->state->vtimer.ctl & HV_CNT_CTL_IMASK);
}

void hv_vtimer_set_deadline(struct hv_vcpu *v, uint64_t deadline_ns)
{
	if (deadline_ns == 0) {
		hv_vtimer_write_ctl(v, 0);
		return;
	}
	hv_vtimer_write_cval(v, deadline_ns / HV_NS_PER_TICK +
				(deadline_ns % HV_NS_PER_TICK != 0));
	hv_vtimer_write_ctl(v, HV_CNT_CTL_ENABLE);
}

/* One line of Xen's timer dump: expiry from now in microseconds. */
/* timer and data are identifiers, not host addresses, so that the same
 * run prints the same dump: a vCPU's timer is domid << 16 | vCPU, a
 * model timer its place in the queue (from 0x100). */
static void dump_timer(struct hv_machine *m, uint64_t deadline_ns,
		       uint64_t timer, const char *cb, uint64_t data)
{
	int64_t us = ((int64_t)deadline_ns - (int64_t)m->now_ns) / 1000;

	hv_printk(m, "  ex=%12lldus timer=%016llx cb=%s(%016llx)",
		  (long long)us, (unsigned long long)timer, cb, (unsigned long long)data);
}

void hv_timer_dump_xen(struct hv_machine *m)
{
	uint64_t nr = 0x100;

	hv_printk(m, "Dumping timer queues:");
	/* The model is one physical CPU: every timer is on CPU 0's queue,
	 * the vCPUs' virtual timers as Xen arms them while a vCPU sleeps. */
	hv_printk(m, "CPU00:");
	for (unsigned i = 0; i < HV_MAX_DOMAINS; i++) {
		struct hv_domain *d = m->domain[i];
		uint64_t ns;

		if (!d || !hv_domain_running(d))
			continue;
		for (unsigned c = 0; c < d->nr_vcpus; c++)
			if (vtimer_deadline(m, &d->vcpu[c], &ns))
				dump_timer(m, ns, (uint64_t)d->domid << 16 | c,
					   "vtimer.c#virt_timer_expired",
					   (uint64_t)d->domid << 16 | c);
	}
	/* Timers of the model alone (dom0's work, backend latencies) are
	 * not Xen's: only the named ones are shown. */
	for (const struct hv_timer *t = m->timers; t; t = t->next, nr++)
		if (t->name)
			dump_timer(m, t->deadline_ns, nr, t->name, nr);
}

/* Whether any vCPU's virtual timer is enabled: its level depends on the
 * time, fired or not. */
static bool vtimer_enabled(const struct hv_machine *m)
{
	for (unsigned i = 0; i < HV_MAX_DOMAINS; i++) {
		const struct hv_domain *d = m->domain[i];

		for (unsigned c = 0; d && c < d->nr_vcpus; c++)
			if (d->vcpu[c].state->vtimer.ctl & HV_CNT_CTL_ENABLE)
				return true;
	}
	return false;
}

int hv_time_rewind(struct hv_machine *m)
{
	if (m->timers || vtimer_enabled(m))
		return -XEN_EBUSY;
	m->now_ns = 0;
	m->timer_seq = 0;
	return 0;
}
