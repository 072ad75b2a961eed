/* SPDX-License-Identifier: BSD-2-Clause */
/* Xen 4.17's debug keys (common/keyhandler.c and the handlers other files
 * register) for the model: one table from key to handler, description and
 * whether '*' includes it, and the handlers that are not one subsystem's.
 * The model is one physical CPU, CPU 0; the vCPU of a domain that is not
 * executing guest code when the key is read (keys arrive while the guest
 * waits) is blocked, as Xen would show it. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <xen/sched.h>
#include <xen/xen.h>

#include "hv/evtchn.h"
#include "hv/gnttab.h"
#include "hv/debug_dump.h"
#include "hv/keyhandler.h"
#include "hv/machine.h"
#include "hv/vcpu.h"

#define PSTATE_I (1u << 7)         /* IRQs masked, in PSTATE and CPSR */
#define VPF_BLOCKED 1ul            /* Xen's pause_flags bits */
#define VPF_DOWN    2ul

typedef void key_fn(struct hv_machine *m, unsigned char key);

struct key_handler {
	unsigned char key;
	key_fn *fn;
	const char *desc;
	bool irq;                  /* Xen runs it in IRQ context */
	bool diagnostic;           /* '*' runs it */
};

static const struct key_handler *handler_of(unsigned char key);

/* v's registers, from the runtime running it; false natively. */
static bool vcpu_regs(struct hv_vcpu *v, struct hv_guest_regs *out)
{
	memset(out, 0, sizeof(*out));
	if (!v->ops || !v->ops->guest_regs)
		return false;
	v->ops->guest_regs(v, out);
	return true;
}

/* ---- 'q' ---- */

static void dump_vcpu(struct hv_vcpu *v)
{
	struct hv_machine *m = v->domain->machine;
	bool running = hv_domain_running(v->domain);
	struct hv_guest_regs regs;
	unsigned long flags = 0;
	int masked = 1;

	/* Keys run while the guest waits (or has ended): no vCPU is on the
	 * CPU; a live domain's vCPU is blocked in its wfi, an ended one's
	 * paused, as Xen pauses a domain that shut down. */
	if (!v->online)
		flags |= VPF_DOWN;
	else if (running)
		flags |= VPF_BLOCKED;
	/* On ARM a vCPU takes events when its IRQs are unmasked. */
	if (vcpu_regs(v, &regs))
		masked = (regs.cpsr & PSTATE_I) ? 1 : 0;
	hv_printk(m, "  UNIT%u affinities: hard={0} soft={0}", v->id);
	hv_printk(m, "    VCPU%u: CPU0 [has=F] poll=0 upcall_pend=%02x "
		  "upcall_mask=%02x ", v->id,
		  hv_vcpu_info(v)->evtchn_upcall_pending, masked);
	hv_printk(m, "    pause_count=%d pause_flags=%lx", running ? 0 : 1,
		  flags);
	hv_printk(m, "No periodic timer");
}

static void dump_domain(struct hv_domain *d)
{
	struct hv_machine *m = d->machine;
	unsigned xenheap = 1 + hv_gnttab_nr_frames(d);  /* shared_info too */

	hv_printk(m, "General information for domain %u:", d->domid);
	hv_printk(m, "    refcnt=1 dying=0 pause_count=0");
	hv_printk(m, "    nr_pages=%" PRIu64 " xenheap_pages=%u dirty_cpus={} "
		  "max_pages=%" PRIu64, d->tot_pages, xenheap, d->max_pages);
	hv_printk(m, "    handle=00000000-0000-0000-0000-000000000000 "
		  "vm_assist=%08" PRIx64, d->vm_assist);
	for (unsigned i = 0; i < HV_NR_WATCHDOGS; i++)
		if (d->watchdog_inuse & (1u << i))
			hv_printk(m, "    watchdog %u expires in %u seconds", i,
				  (unsigned)((d->watchdog[i].deadline_ns -
					      m->now_ns) >> 30));
	/* The model maps guest RAM page by page. */
	hv_printk(m, "p2m mappings for domain %u (vmid %u):", d->domid,
		  d->domid);
	hv_printk(m, "  1G mappings: 0 (shattered 0)");
	hv_printk(m, "  2M mappings: 0 (shattered 0)");
	hv_printk(m, "  4K mappings: %" PRIu64, d->tot_pages);
	hv_printk(m, "Rangesets belonging to domain %u:", d->domid);
	hv_printk(m, "    Interrupts { }");
	hv_printk(m, "    I/O Memory { }");
	hv_printk(m, "NODE affinity for domain %u: [0]", d->domid);
	hv_printk(m, "VCPU information and callbacks for domain %u:", d->domid);
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		dump_vcpu(&d->vcpu[i]);
}

static void dump_domains(struct hv_machine *m, unsigned char key)
{
	hv_printk(m, "'%c' pressed -> dumping domain info (now = %" PRIu64 ")",
		  key, m->now_ns);
	for (unsigned i = 0; i < HV_MAX_DOMAINS; i++)
		if (m->domain[i])
			dump_domain(m->domain[i]);
	/* Then every vCPU is sent VIRQ_DEBUG, bound or not. */
	for (unsigned i = 0; i < HV_MAX_DOMAINS; i++) {
		struct hv_domain *d = m->domain[i];

		for (unsigned c = 0; d && c < d->nr_vcpus; c++) {
			hv_printk(m, "Notifying guest %u:%u (virq %u, port %u)",
				  d->domid, c, VIRQ_DEBUG,
				  hv_evtchn_virq_port(&d->vcpu[c], VIRQ_DEBUG));
			if (hv_domain_running(d))
				hv_evtchn_send_virq(&d->vcpu[c], VIRQ_DEBUG);
		}
	}
}

/* ---- 'd' and '0' ---- */

static void show_vcpu_state(struct hv_vcpu *v)
{
	struct hv_machine *m = v->domain->machine;
	struct hv_guest_regs regs;

	if (!vcpu_regs(v, &regs)) {
		hv_printk(m, "No guest context (vCPU runs natively).");
		return;
	}
	hv_debug_dump(v, &regs);
}

static void dump_registers(struct hv_machine *m, unsigned char key)
{
	hv_printk(m, "'%c' pressed -> dumping registers", key);
	hv_printk(m, "%s", "");
	for (unsigned i = 0; i < HV_MAX_DOMAINS; i++) {
		struct hv_domain *d = m->domain[i];

		if (!d || !hv_domain_running(d))
			continue;
		for (unsigned c = 0; c < d->nr_vcpus; c++) {
			if (!d->vcpu[c].online || !d->vcpu[c].ops)
				continue;
			hv_printk(m, "*** Dumping CPU0 guest state (d%uv%u): ***",
				  d->domid, c);
			show_vcpu_state(&d->vcpu[c]);
			hv_printk(m, "%s", "");
		}
	}
}

static void dump_hwdom_registers(struct hv_machine *m, unsigned char key)
{
	struct hv_domain *d = m->domain[0];

	if (!d)
		return;
	hv_printk(m, "'%c' pressed -> dumping Dom0's registers", key);
	/* The model's dom0 runs no guest code: its vCPUs have no registers
	 * to show, only the header says the key was taken. */
	for (unsigned c = 0; c < d->nr_vcpus; c++) {
		if (!d->vcpu[c].ops)
			continue;
		hv_printk(m, "*** Dumping Dom0 vcpu#%u state: ***", c);
		show_vcpu_state(&d->vcpu[c]);
	}
}

/* ---- the others ---- */

static void dump_evtchn(struct hv_machine *m, unsigned char key)
{
	hv_printk(m, "'%c' pressed -> dumping event-channel info", key);
	for (unsigned i = 0; i < HV_MAX_DOMAINS; i++)
		if (m->domain[i])
			hv_evtchn_dump_xen(m->domain[i]);
}

static void dump_gnttab(struct hv_machine *m, unsigned char key)
{
	hv_printk(m, "gnttab_usage_print_all [ key '%c' pressed", key);
	for (unsigned i = 0; i < HV_MAX_DOMAINS; i++)
		if (m->domain[i])
			hv_gnttab_dump_xen(m->domain[i]);
	hv_printk(m, "gnttab_usage_print_all ] done");
}

static void dump_timers(struct hv_machine *m, unsigned char key)
{
	(void)key;
	hv_timer_dump_xen(m);
}

static void read_clocks(struct hv_machine *m, unsigned char key)
{
	(void)key;
	/* One physical CPU: no skew to measure, only the samples count. */
	m->clock_samples++;
	hv_printk(m, "Synced stime skew: max=0ns avg=0ns samples=%u current=0ns",
		  m->clock_samples);
	hv_printk(m, "Synced cycles skew: max=0 avg=0 samples=%u current=0",
		  m->clock_samples);
}

static void dump_console_ring(struct hv_machine *m, unsigned char key)
{
	hv_printk(m, "'%c' pressed -> dumping console ring buffer (dmesg)", key);
	hv_conring_dump(m);
}

static void reboot_machine(struct hv_machine *m, unsigned char key)
{
	hv_printk(m, "'%c' pressed -> rebooting machine", key);
	for (unsigned i = 1; i < HV_MAX_DOMAINS; i++)
		if (m->domain[i] && hv_domain_running(m->domain[i]))
			hv_domain_shutdown(m->domain[i], SHUTDOWN_reboot);
}

static void show_handlers(struct hv_machine *m, unsigned char key)
{
	hv_printk(m, "'%c' pressed -> showing installed handlers", key);
	for (unsigned k = 0; k < 128; k++) {
		const struct key_handler *h = handler_of((unsigned char)k);

		if (h)
			hv_printk(m, " key '%c' (ascii '%02x') => %s", k, k,
				  h->desc);
	}
}

static void run_all(struct hv_machine *m, unsigned char key)
{
	hv_printk(m, "'%c' pressed -> firing all diagnostic keyhandlers", key);
	/* Xen first runs the IRQ-context ones, then the others, each in
	 * key order. */
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned k = 0; k < 128; k++) {
			const struct key_handler *h =
				handler_of((unsigned char)k);

			if (!h || !h->diagnostic || h->irq != (pass == 0))
				continue;
			hv_printk(m, "[%c: %s]", k, h->desc);
			h->fn(m, (unsigned char)k);
		}
	}
}

/* In key order, as 'h' lists them; descriptions are Xen's. */
static const struct key_handler key_table[] = {
	{ '*', run_all, "print all diagnostics", true, false },
	{ '0', dump_hwdom_registers, "dump Dom0 registers", false, true },
	{ 'R', reboot_machine, "reboot machine", true, false },
	{ 'a', dump_timers, "dump timer queues", false, true },
	{ 'd', dump_registers, "dump registers", true, true },
	{ 'e', dump_evtchn, "dump evtchn info", false, true },
	{ 'g', dump_gnttab, "print grant table usage", false, true },
	{ 'h', show_handlers, "show this message", false, false },
	{ 'q', dump_domains, "dump domain (and guest debug) info", false, true },
	{ 't', read_clocks, "display multi-cpu clock info", false, true },
	{ 'w', dump_console_ring,
	  "synchronously dump console ring buffer (dmesg)", false, false },
};

static const struct key_handler *handler_of(unsigned char key)
{
	for (size_t i = 0; i < sizeof(key_table) / sizeof(key_table[0]); i++)
		if (key_table[i].key == key)
			return &key_table[i];
	return NULL;
}

bool hv_debug_key_known(unsigned char key)
{
	return handler_of(key) != NULL;
}

bool hv_debug_key(struct hv_machine *m, unsigned char key)
{
	const struct key_handler *h = handler_of(key);

	if (!h)
		return false;
	h->fn(m, key);
	return true;
}
