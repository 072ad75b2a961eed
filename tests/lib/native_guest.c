/* See native_guest.h. The port here is a small copy of the native
 * runtime's (sim/native.c): hypercalls and idles go to the model, the
 * upcall is vCPU 0's evtchn_upcall_pending, the timer its virtual timer. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include <xen/arch-arm.h>
#include <xen/errno.h>

#include "gxen/gnttab.h"
#include "gxen/shared.h"
#include "gxen/time.h"
#include "host_port.h"
#include "hv/evtchn.h"
#include "hv/hypercall.h"
#include "hv/time.h"
#include "kern/page.h"
#include "native_guest.h"
#include "sim_internal.h"

#define RAM_MIB 64

static struct native_guest *cur;
static struct host_port port;

static struct hv_vcpu *vcpu0(void)
{
	return &cur->d->vcpu[0];
}

static long ng_hypercall(void *ctx, unsigned long op, const unsigned long a[5])
{
	const uint64_t arg[5] = { a[0], a[1], a[2], a[3], a[4] };

	(void)ctx;
	return hv_hypercall(vcpu0(), op, arg);
}

static void ng_debug(void *ctx, uint16_t imm, const unsigned long reg[16],
		     uintptr_t pc)
{
	(void)ctx, (void)reg, (void)pc;
	hv_debug_trap(vcpu0(), imm);
}

/* wfi: jump virtual time to the next deadline unless a line is up. */
static void ng_idle(void *ctx)
{
	uint64_t t;

	(void)ctx;
	cur->idles++;
	if (cur->dom0_work)
		cur->dom0_work(cur->dom0_ctx);
	if (hv_evtchn_upcall_pending(vcpu0()) || hv_vtimer_irq_level(vcpu0()))
		return;
	if (!hv_time_next_deadline(cur->m, &t)) {
		cur->deadlocked = true;
		return;
	}
	hv_time_advance_to(cur->m, t);
}

static uint64_t ng_time_ns(void *ctx)
{
	(void)ctx;
	return hv_time_now(cur->m);
}

static bool ng_irq_pending(void *ctx)
{
	(void)ctx;
	return hv_evtchn_upcall_pending(vcpu0());
}

static bool ng_stopped(void *ctx)
{
	(void)ctx;
	return false;
}

static void ng_timer_set(void *ctx, uint64_t deadline)
{
	(void)ctx;
	hv_vtimer_set_deadline(vcpu0(), deadline);
}

static bool ng_timer_pending(void *ctx)
{
	(void)ctx;
	return hv_vtimer_irq_level(vcpu0());
}

static const struct host_port_ops ng_ops = {
	.hypercall = ng_hypercall,
	.debug = ng_debug,
	.idle = ng_idle,
	.time_ns = ng_time_ns,
	.irq_pending = ng_irq_pending,
	.stopped = ng_stopped,
};

static const struct host_port_timer ng_timer = {
	.set = ng_timer_set,
	.pending = ng_timer_pending,
};

static int create_domains(struct native_guest *ng)
{
	struct hv_domain_config guest = {
		.name = "guest", .domid = 1, .ram_bytes = RAM_MIB << 20,
		.nr_vcpus = 1, .is_console = true,
	};
	struct hv_domain_config dom0 = {
		.name = "dom0", .domid = 0, .ram_bytes = 16 << 20,
		.nr_vcpus = 1, .privileged = true,
	};

	ng->m = hv_machine_new(NULL, NULL);
	if (!ng->m)
		return -1;
	ng->m->log_level = HV_LOG_WARN;
	if (hv_domain_create(ng->m, &guest, &ng->d) ||
	    hv_domain_create(ng->m, &dom0, &ng->dom0))
		return -1;
	ng->d->mem.va_mode = HV_VA_HOST;
	return sim_native_host_ranges(&ng->d->mem);
}

static void attach_port(struct native_guest *ng)
{
	memset(&port, 0, sizeof(port));
	port.ops = &ng_ops;
	port.timer = &ng_timer;
	port.ctx = ng;
	for (unsigned i = 0; i < ng->d->mem.nr_regions; i++) {
		port.region[i].gpa = ng->d->mem.region[i].gpa;
		port.region[i].size = ng->d->mem.region[i].size;
		port.region[i].host = ng->d->mem.region[i].host;
	}
	port.nr_regions = ng->d->mem.nr_regions;
	host_port_attach(&port);
}

int native_guest_start(struct native_guest *ng, enum evtchn_abi abi)
{
	int rc;

	memset(ng, 0, sizeof(*ng));
	cur = ng;
	if (create_domains(ng)) {
		printf("native_guest: cannot build the machine\n");
		return -1;
	}
	attach_port(ng);
	if (page_alloc_init(GUEST_RAM0_BASE, GUEST_RAM0_BASE +
			    ((uint64_t)RAM_MIB << 20))) {
		printf("native_guest: page allocator refused the RAM\n");
		return -1;
	}
	rc = shared_info_map();
	if (rc == 0)
		rc = evtchn_init(abi);
	if (rc == 0)
		rc = gnttab_init(GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE);
	if (rc) {
		printf("native_guest: guest layers failed: %d\n", rc);
		return -1;
	}
	time_init();
	arch_irq_enable();
	return 0;
}

void native_guest_stop(struct native_guest *ng)
{
	arch_irq_save();
	hv_machine_free(ng->m);
	ng->m = NULL;
	cur = NULL;
}
