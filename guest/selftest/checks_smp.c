/* SPDX-License-Identifier: BSD-2-Clause */
/* Checks of a second CPU, run when the device tree lists more than one:
 * PSCI CPU_ON starts CPU 1 on its own stack; it registers its own
 * vcpu_info; an IPI goes from CPU 0 to CPU 1 and back through event
 * channels; an event rebound to CPU 1 (EVTCHNOP_bind_vcpu) flags CPU 1's
 * vcpu_info, not CPU 0's; both CPUs hammer one counter with atomics
 * (LDXR/STXR on arm64) to the exact total; CPU 1 goes down with CPU_OFF
 * and comes back with a second CPU_ON; then both CPUs produce into one
 * ring under a lock while CPU 1 consumes it (smp_shared_ring). Both CPUs
 * wait with SCHEDOP_poll, interrupts masked, so no upcall handler runs
 * during the checks; every wait is bounded. */
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#include "gxen/evtchn.h"
#include "gxen/hypercall.h"
#include "kern/boot.h"
#include "kern/page.h"
#include "kern/string.h"
#include "port.h"
#include "selftest_checks.h"

/* CPU_ON in the caller's own convention: SMC64 on arm64, SMC32 on arm32. */
#define PSCI_CPU_ON          (sizeof(long) == 8 ? 0xc4000003ul : 0x84000003ul)
#define PSCI_AFFINITY_INFO   0x84000004ul
#define PSCI_ALREADY_ON      (-4l)
#define PSCI_NOT_SUPPORTED   (-1l)
#define AFFINITY_OFF         1

#define HAMMER_ROUNDS   2000u
#define POLL_TRIES      4096u            /* each up to POLL_SLICE_NS */
#define POLL_SLICE_NS   (1000ull * 1000)
#define OFF_TRIES       100000u
#define CPU1_STACK      (16u * 1024)

/* What the CPUs share: ports set by CPU 0 before CPU 1 starts, results
 * CPU 1 leaves for CPU 0 to check. */
struct smp_shared {
	evtchn_port_t to_cpu0, to_cpu1, bound, bound_peer;
	unsigned long counter;
	long register_rc;
	bool ipi_seen, ipi_upcall;
	bool bound_seen, bound_upcall;
	unsigned marker;
};

static struct smp_shared shared;
static struct arch_cpu_boot cpu1_boot;
static unsigned char cpu1_stack[CPU1_STACK] __attribute__((aligned(16)));
/* CPU 1's vcpu_info, in a page of guest RAM (a port's image need not be
 * in it: the workstation's is not). Registered for good: never freed. */
static struct vcpu_info *cpu1_info;

static long smccc(unsigned long fid, unsigned long a1, unsigned long a2)
{
	unsigned long res[4];

	return (long)arch_smccc_call(fid, a1, a2, 0, res);
}

/* Wait, bounded, until port is pending; true if it came. */
static bool wait_port(evtchn_port_t port)
{
	evtchn_port_t ports[1] = { port };

	for (unsigned i = 0; i < POLL_TRIES; i++) {
		struct sched_poll p = { .nr_ports = 1 };

		if (evtchn_is_pending(port))
			return true;
		set_xen_guest_handle(p.ports, ports);
		p.timeout = arch_time_ns() + POLL_SLICE_NS;
		HYPERVISOR_sched_op(SCHEDOP_poll, &p);
	}
	return evtchn_is_pending(port);
}

static void hammer(void)
{
	for (unsigned i = 0; i < HAMMER_ROUNDS; i++)
		__atomic_fetch_add(&shared.counter, 1, __ATOMIC_RELAXED);
}

/* CPU 1's first life: its vcpu_info, the IPI, the counter, the bound
 * event; each step answered with an IPI to CPU 0. */
static void cpu1_main(void *arg)
{
	struct smp_shared *sh = arg;
	struct vcpu_register_vcpu_info reg = {
		.mfn = virt_to_pfn(cpu1_info),
		.offset = (uint32_t)(arch_virt_to_phys(cpu1_info) &
				     (PAGE_SIZE - 1)),
	};

	sh->register_rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 1,
					     &reg);
	sh->ipi_seen = wait_port(sh->to_cpu1);
	sh->ipi_upcall = evtchn_cpu_take(1, cpu1_info, sh->to_cpu1);
	hammer();
	evtchn_notify(sh->to_cpu0);
	sh->bound_seen = wait_port(sh->bound);
	sh->bound_upcall = evtchn_cpu_take(1, cpu1_info, sh->bound);
	evtchn_notify(sh->to_cpu0);
}

/* CPU 1's second life: proves it ran, then goes down again. */
static void cpu1_again(void *arg)
{
	struct smp_shared *sh = arg;

	sh->marker = 0x5a5a;
	evtchn_notify(sh->to_cpu0);
}

static void ignore(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
}

static long start_cpu1(void (*fn)(void *), void *arg)
{
	cpu1_boot.stack_top = (unsigned long)(cpu1_stack + CPU1_STACK);
	cpu1_boot.fn = fn;
	cpu1_boot.arg = arg;
	arch_mb();
	return arch_cpu_start(boot_dt.cpu_mpidr[1], &cpu1_boot);
}

/* Bounded wait until AFFINITY_INFO says CPU 1 is off. Xen 4.17 says so
 * before it deschedules the vCPU; a CPU_ON right after is safe because
 * the ports never take a CPU's boot block from the context id (the
 * mailbox, arch/arm-common/arm.h). */
static bool cpu1_goes_off(void)
{
	for (unsigned i = 0; i < OFF_TRIES; i++) {
		if (smccc(PSCI_AFFINITY_INFO, boot_dt.cpu_mpidr[1], 0) ==
		    AFFINITY_OFF)
			return true;
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	return false;
}

static int bind_ports(struct smp_shared *sh)
{
	int rc;

	rc = evtchn_bind_ipi(0, ignore, NULL, &sh->to_cpu0);
	/* Masked: CPU 0 polls it with interrupts masked, and an upcall it
	 * flagged would end every poll at once under a runtime that ends
	 * polls on any pending upcall. */
	if (!rc)
		evtchn_mask(sh->to_cpu0);
	if (!rc)
		rc = evtchn_bind_ipi(1, ignore, NULL, &sh->to_cpu1);
	if (!rc)
		rc = evtchn_alloc_unbound(DOMID_SELF, ignore, NULL, &sh->bound);
	if (!rc)
		rc = evtchn_bind_interdomain(DOMID_SELF, sh->bound, ignore,
					     NULL, &sh->bound_peer);
	return rc ? rc : evtchn_bind_vcpu(sh->bound, 1);
}

static void unbind_ports(struct smp_shared *sh)
{
	evtchn_port_t *ports[] = { &sh->to_cpu0, &sh->to_cpu1, &sh->bound,
				   &sh->bound_peer };

	for (unsigned i = 0; i < 4; i++)
		if (*ports[i])
			evtchn_unbind(*ports[i]);
}

/* CPU 0's side, interrupts masked throughout. */
static void two_cpus(struct selftest_ctx *ctx)
{
	int rc;

	/* Nothing of an earlier boot stays: all of it is this check's. */
	memset(&shared, 0, sizeof(shared));
	cpu1_info = page_alloc(1);
	if (!check_that(ctx, cpu1_info != NULL, "no page for CPU 1's "
			"vcpu_info"))
		return;
	memset(cpu1_info, 0, sizeof(*cpu1_info));
	rc = evtchn_cpu_init(1);
	if (!check_that(ctx, rc == 0, "event delivery to CPU 1: %d", rc))
		return;
	rc = bind_ports(&shared);

	if (!check_that(ctx, rc == 0, "binding the ports: %d", rc))
		return;
	rc = (int)start_cpu1(cpu1_main, &shared);
	if (rc == PSCI_NOT_SUPPORTED) {
		selftest_skip(ctx, "this port starts no secondary CPUs");
		return;
	}
	if (!check_that(ctx, rc == 0, "CPU_ON of CPU 1: %d", rc))
		return;
	check(ctx, smccc(PSCI_AFFINITY_INFO, boot_dt.cpu_mpidr[1], 0) == 0);
	/* An even entry point, so only ALREADY_ON can answer (natively the
	 * block lies outside guest RAM: its physical address is all ones). */
	check(ctx, smccc(PSCI_CPU_ON, boot_dt.cpu_mpidr[1],
			 arch_virt_to_phys(&cpu1_boot) & ~1ul) ==
		   PSCI_ALREADY_ON);
	check(ctx, evtchn_notify(shared.to_cpu1) == 0);
	hammer();
	check_that(ctx, wait_port(shared.to_cpu0), "no IPI back from CPU 1");
	evtchn_clear(shared.to_cpu0);
	check_that(ctx, shared.register_rc == 0, "CPU 1 register_vcpu_info: "
		   "%ld", shared.register_rc);
	check_that(ctx, shared.ipi_seen && shared.ipi_upcall,
		   "IPI to CPU 1: seen %d, flagged in its vcpu_info %d",
		   shared.ipi_seen, shared.ipi_upcall);
	check_that(ctx, shared.counter == 2 * HAMMER_ROUNDS,
		   "shared counter %lu, expected %u", shared.counter,
		   2 * HAMMER_ROUNDS);
	check(ctx, evtchn_notify(shared.bound_peer) == 0);
	check_that(ctx, wait_port(shared.to_cpu0), "no IPI after the bound "
		   "event");
	evtchn_clear(shared.to_cpu0);
	check_that(ctx, shared.bound_seen && shared.bound_upcall,
		   "event bound to CPU 1: seen %d, flagged in its vcpu_info "
		   "%d", shared.bound_seen, shared.bound_upcall);
	check_that(ctx, cpu1_goes_off(), "CPU 1 never went off");
	rc = (int)start_cpu1(cpu1_again, &shared);
	if (!check_that(ctx, rc == 0, "second CPU_ON: %d", rc))
		return;
	check_that(ctx, wait_port(shared.to_cpu0), "no IPI from CPU 1's "
		   "second life");
	evtchn_clear(shared.to_cpu0);
	check(ctx, shared.marker == 0x5a5a);
	check_that(ctx, cpu1_goes_off(), "CPU 1 never went off again");
}

static void check_smp_two_cpus(struct selftest_ctx *ctx)
{
	unsigned long flags;

	flags = arch_irq_save();
	two_cpus(ctx);
	unbind_ports(&shared);
	arch_irq_restore(flags);
}

/* Both CPUs produce into one small ring under a lock, and CPU 1 also
 * consumes it: CPU 0 tells CPU 1 (an event bound to CPU 1) when it makes
 * the empty ring non-empty, and waits for room when it is full. Every
 * item must reach the consumer once, in its producer's order. */
#define RING_SLOTS   8u          /* small: the ring fills often */
#define RING_ITEMS   200u        /* each CPU's */
#define LOCK_SPINS   (1u << 20)
#define ROOM_TRIES   100000u

struct smp_ring {
	unsigned lock;
	unsigned prod, cons;         /* free-running, masked at use */
	uint32_t slot[RING_SLOTS];   /* producer's CPU << 16 | its count */
	evtchn_port_t to_cpu0, to_cpu1;
	/* The consumer's: next count expected of each producer, items
	 * taken, items out of place (and the first), a wait that ran out. */
	unsigned next[2], taken, bad, stuck;
	uint32_t first_bad;
};

static struct smp_ring ring;

static bool ring_lock(struct smp_ring *r)
{
	for (unsigned i = 0; i < LOCK_SPINS; i++) {
		if (!__atomic_exchange_n(&r->lock, 1u, __ATOMIC_ACQUIRE))
			return true;
		arch_rmb();   /* natively a switch point: the holder runs */
	}
	return false;
}

static void ring_unlock(struct smp_ring *r)
{
	__atomic_store_n(&r->lock, 0u, __ATOMIC_RELEASE);
}

/* Push item if there is room: 1 pushed, 0 full, -1 the lock never came.
 * A pusher that may have found the consumer idle tells it (notify). */
static int ring_push(struct smp_ring *r, uint32_t item, bool notify)
{
	unsigned prod, cons;
	bool pushed = false;

	if (!ring_lock(r))
		return -1;
	prod = r->prod;
	cons = __atomic_load_n(&r->cons, __ATOMIC_ACQUIRE);
	/* Don't overrun the slot the consumer has yet to read. */
	if (prod - cons < RING_SLOTS) {
		r->slot[prod % RING_SLOTS] = item;
		/* The slot is written before the index publishes it. */
		arch_wmb();
		__atomic_store_n(&r->prod, prod + 1, __ATOMIC_RELAXED);
		pushed = true;
	}
	ring_unlock(r);
	if (!pushed)
		return 0;
	/* The index published before cons is read again: either the
	 * consumer sees our item or we see it had taken all before it. */
	arch_mb();
	if (notify && __atomic_load_n(&r->cons, __ATOMIC_ACQUIRE) == prod)
		evtchn_notify(r->to_cpu1);
	return 1;
}

/* The consumer (CPU 1): take every published item. An index more than
 * a ring ahead means the producers raced: stop (stuck). */
static void ring_drain(struct smp_ring *r)
{
	unsigned prod = __atomic_load_n(&r->prod, __ATOMIC_ACQUIRE);

	if (prod - r->cons > RING_SLOTS) {
		r->stuck++;
		return;
	}
	while (r->cons != prod) {
		uint32_t item = r->slot[r->cons % RING_SLOTS];
		unsigned cpu = item >> 16, count = item & 0xffff;

		if (cpu < 2 && count == r->next[cpu])
			r->next[cpu]++;
		else if (!r->bad++)
			r->first_bad = item;
		r->taken++;
		/* The slot is read before a producer may reuse it. */
		arch_mb();
		__atomic_store_n(&r->cons, r->cons + 1, __ATOMIC_RELAXED);
	}
}

/* Until all items came: drain, or wait for CPU 0's event when the ring
 * is empty (the port cleared before the last look, so an item pushed
 * after that look leaves it pending). */
static void ring_drain_rest(struct smp_ring *r)
{
	while (r->taken < 2 * RING_ITEMS) {
		ring_drain(r);
		if (r->taken == 2 * RING_ITEMS || r->stuck)
			return;
		evtchn_clear(r->to_cpu1);
		arch_mb();
		if (__atomic_load_n(&r->prod, __ATOMIC_ACQUIRE) != r->cons)
			continue;
		if (!wait_port(r->to_cpu1)) {
			r->stuck++;
			return;
		}
	}
}

static void ring_cpu1(void *arg)
{
	struct smp_ring *r = arg;

	for (unsigned count = 0; count < RING_ITEMS;) {
		int pushed = ring_push(r, 1u << 16 | count, false);

		if (pushed < 0) {
			r->stuck++;
			break;
		}
		count += (unsigned)pushed;
		ring_drain(r);
		if (r->stuck)
			break;
	}
	if (!r->stuck)
		ring_drain_rest(r);
	evtchn_notify(r->to_cpu0);
}

/* CPU 0's items; false if the lock or room never came. */
static bool ring_cpu0(struct smp_ring *r)
{
	unsigned count = 0, waits = 0;

	while (count < RING_ITEMS) {
		int pushed = ring_push(r, count, true);

		if (pushed < 0 || waits > ROOM_TRIES)
			return false;
		if (pushed) {
			count++;
			continue;
		}
		waits++;
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	return true;
}

static int bind_ring_ports(struct smp_ring *r)
{
	int rc = evtchn_bind_ipi(0, ignore, NULL, &r->to_cpu0);

	if (!rc)
		rc = evtchn_bind_ipi(1, ignore, NULL, &r->to_cpu1);
	/* Both CPUs poll, interrupts masked: no upcall wanted. */
	if (!rc) {
		evtchn_mask(r->to_cpu0);
		evtchn_mask(r->to_cpu1);
	}
	return rc;
}

static void shared_ring(struct selftest_ctx *ctx, smp_cpu1_start_fn *start)
{
	int rc = bind_ring_ports(&ring);
	bool produced;

	if (!check_that(ctx, rc == 0, "binding the ports: %d", rc))
		return;
	rc = (int)start(ring_cpu1, &ring);
	if (rc == PSCI_NOT_SUPPORTED) {
		selftest_skip(ctx, "this port starts no secondary CPUs");
		return;
	}
	if (!check_that(ctx, rc == 0, "CPU_ON of CPU 1: %d", rc))
		return;
	produced = ring_cpu0(&ring);
	check_that(ctx, produced, "CPU 0 found no room or no lock");
	check_that(ctx, wait_port(ring.to_cpu0), "CPU 1 never finished");
	evtchn_clear(ring.to_cpu0);
	check_that(ctx, !ring.stuck, "CPU 1 waited in vain");
	check_that(ctx, ring.bad == 0, "%u items out of place, the first "
		   "0x%x", ring.bad, ring.first_bad);
	check_that(ctx, ring.taken == 2 * RING_ITEMS && ring.next[0] ==
		   RING_ITEMS && ring.next[1] == RING_ITEMS, "took %u items: "
		   "%u of CPU 0's, %u of CPU 1's, expected %u each",
		   ring.taken, ring.next[0], ring.next[1], RING_ITEMS);
	if (start == start_cpu1)
		check_that(ctx, cpu1_goes_off(), "CPU 1 never went off");
}

void smp_shared_ring_run(struct selftest_ctx *ctx, smp_cpu1_start_fn *start)
{
	unsigned long flags;

	memset(&ring, 0, sizeof(ring));
	flags = arch_irq_save();
	shared_ring(ctx, start);
	if (ring.to_cpu0)
		evtchn_unbind(ring.to_cpu0);
	if (ring.to_cpu1)
		evtchn_unbind(ring.to_cpu1);
	arch_irq_restore(flags);
}

static void check_smp_shared_ring(struct selftest_ctx *ctx)
{
	smp_shared_ring_run(ctx, start_cpu1);
}

const struct selftest smp_checks[] = {
	{ .name = "smp_two_cpus", .run = check_smp_two_cpus },
	{ .name = "smp_shared_ring", .run = check_smp_shared_ring },
};
const unsigned nr_smp_checks = sizeof(smp_checks) / sizeof(smp_checks[0]);

struct vcpu_info *smp_cpu1_vcpu_info(void)
{
	return shared.register_rc == 0 ? cpu1_info : NULL;
}
