/* SPDX-License-Identifier: BSD-2-Clause */
/* The parts of the port boundary both ARM ports share: identity-mapped
 * addresses, the image range, time and the virtual timer from the generic
 * timer, the boot hop from head.S into kern_main and the interrupt
 * dispatch. Trusts the device tree only through dt_discover's checks. */
#include "arm.h"
#include "cpu.h"
#include "gic.h"
#include "gxen/dt.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"

#define NSEC_PER_SEC 1000000000ull

/* Bootarg that makes the image take a data abort on purpose, so a test
 * can watch the exception report. */
#define FAULT_TEST_ARG "arm-fault-test"
#define FAULT_TEST_VA  0x10ul

/* The PPIs the GIC delivers to this CPU; 0 until the GIC is up. */
static unsigned evtchn_intid, timer_intid;

paddr_t arch_virt_to_phys(const void *va)
{
	return (paddr_t)(uintptr_t)va;
}

void *arch_phys_to_virt(paddr_t pa)
{
	uintptr_t va = (uintptr_t)pa;

	/* Identity-mapped; a page the tree did not describe (the toolstack's
	 * console and xenstore pages) is mapped when first asked for. */
	if ((paddr_t)va != pa || !arm_mmu_map_normal(pa))
		return NULL;
	return (void *)va;
}

void *arch_alias_page(void *va)
{
	return arm_mmu_alias(arch_virt_to_phys(va));
}

void *arch_phys_window(paddr_t pa)
{
	void *va = arch_phys_to_virt(pa);

	return va ? va : arm_mmu_far(pa);
}

bool arch_ram_clip(paddr_t *start, paddr_t *end)
{
	/* RAM is what the identity map can reach, and never the first block
	 * (kept empty so that a NULL pointer faults). */
	paddr_t reach = sizeof(uintptr_t) == 8 ? 1ull << 39 : 1ull << 32;

	if (*start < ARM_NULL_GUARD)
		*start = ARM_NULL_GUARD;
	if (*end > reach)
		*end = reach;
	return *start < *end;
}

void arch_image_range(paddr_t *start, paddr_t *end)
{
	*start = arch_virt_to_phys(_head);
	*end = arch_virt_to_phys(__image_end);
}

uint64_t arch_time_ns(void)
{
	uint64_t cnt = cpu_counter(), freq = cpu_counter_freq();

	if (freq == 0)
		return 0;
	/* Split so that cnt * 10^9 never overflows. */
	return cnt / freq * NSEC_PER_SEC + cnt % freq * NSEC_PER_SEC / freq;
}

void arch_timer_set(uint64_t deadline_ns)
{
	uint64_t freq = cpu_counter_freq();
	uint64_t q = deadline_ns / NSEC_PER_SEC, r = deadline_ns % NSEC_PER_SEC;

	if (deadline_ns == 0 || freq == 0) {
		cpu_vtimer_stop();
		return;
	}
	/* Round up: the interrupt must not come before arch_time_ns() has
	 * reached the deadline. */
	cpu_vtimer_start(q * freq + (r * freq + NSEC_PER_SEC - 1) / NSEC_PER_SEC);
}

bool arch_timer_fired(void)
{
	return cpu_vtimer_fired();
}

void arch_early_write(const char *s, size_t len)
{
	/* No console before console_io: the debug hypercalls are undefined
	 * on a release Xen, and the UART is not ours to drive. */
	(void)s;
	(void)len;
}

void arm_irq_entry(void)
{
	unsigned intid;
	uint32_t token = gic_ack(&intid);

	if (gic_spurious(intid))
		return;
	if (intid == evtchn_intid)
		kern_irq();
	else if (intid == timer_intid)
		kern_timer_irq();
	else
		kprintf("arm: unexpected interrupt %u\n", intid);
	gic_eoi(token);
}

static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; *p;) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, word, n) == 0)
			return 1;
		p += len + (end ? 1 : 0);
	}
	return 0;
}

static void interrupts_init(const struct dt_info *dt)
{
	const char *why = "";

	cpu_vtimer_stop();
	if (gic_init(dt, &why)) {
		kprintf("arm: interrupt controller: %s\n", why);
		return;
	}
	if (gic_enable_ppi(dt->evtchn_intid) == 0)
		evtchn_intid = dt->evtchn_intid;
	else
		kprintf("arm: event-channel interrupt %u is no PPI\n",
			dt->evtchn_intid);
	if (dt->timer_intid && gic_enable_ppi(dt->timer_intid) == 0)
		timer_intid = dt->timer_intid;
}

/* A store to an unmapped page (the first 2 MiB are never mapped). The
 * address travels through a volatile so that it is taken at run time. */
static void fault_on_purpose(void)
{
	volatile uintptr_t va = FAULT_TEST_VA;

	*(volatile unsigned *)va = 0;
}

volatile unsigned *arch_fault_address(void)
{
	volatile uintptr_t va = FAULT_TEST_VA;

	return (volatile unsigned *)va;
}

_Noreturn void arm_boot(void *dtb)
{
	static struct dt_info dt;
	const char *why = "";

	/* Here the tree decides the memory map and the GIC; kern_main
	 * reports a bad tree. */
	if (dt_discover(dtb, &dt, &why) == 0) {
		why = arm_mmu_map_tree(&dt);
		if (why)
			panic("device tree: %s", why);
		interrupts_init(&dt);
		if (has_word(dt.bootargs, FAULT_TEST_ARG))
			fault_on_purpose();
		kern_main(dtb, &dt);
	}
	kern_main(dtb, NULL);
}
