/* SPDX-License-Identifier: BSD-2-Clause */
/* The boot flow every target shares: console, device tree, memory, the
 * hypervisor's shared page, event channels, grant table and timer, the
 * self-check battery, then a clean poweroff
 * (a crash when a check failed, so the runner sees it). */
#include <xen/sched.h>
#include <xen/version.h>

#include <xen/errno.h>

#include "dev/xencons.h"
#include "gxen/control.h"
#include "gxen/dt.h"
#include "gxen/evtchn.h"
#include "gxen/gnttab.h"
#include "gxen/hypercall.h"
#include "gxen/shared.h"
#include "gxen/time.h"
#include "gxen/xenstore.h"
#include "gxen/xs.h"
#include "kern/boot.h"
#include "kern/page.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "selftest.h"

struct dt_info boot_dt;

/* Why bring-up stopped, for kern_main's panic. */
static char failure[128];

void boot_dt_reset(void)
{
	memset(&boot_dt, 0, sizeof(boot_dt));
}

static const char *failure_msg(const char *fmt, long long v)
{
	ksnprintf(failure, sizeof(failure), fmt, v);
	return failure;
}

int bootarg_present(const char *word)
{
	size_t n = strlen(word);

	for (const char *p = boot_dt.bootargs; *p;) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, word, n) == 0)
			return 1;
		p += len + (end ? 1 : 0);
	}
	return 0;
}

unsigned bootarg_uint(const char *key, unsigned dflt, unsigned max)
{
	size_t n = strlen(key);

	for (const char *p = boot_dt.bootargs; *p;) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > n + 1 && strncmp(p, key, n) == 0 && p[n] == '=') {
			unsigned long long v = 0;

			for (size_t i = n + 1; i < len; i++) {
				if (p[i] < '0' || p[i] > '9')
					return dflt;
				v = v * 10 + (unsigned)(p[i] - '0');
				if (v > max)
					return dflt;
			}
			return (unsigned)v;
		}
		p += len + (end ? 1 : 0);
	}
	return dflt;
}

static void banner(void)
{
	xen_extraversion_t extra;
	long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

	memset(extra, 0, sizeof(extra));
	if (HYPERVISOR_xen_version(XENVER_extraversion, extra) < 0)
		extra[0] = '\0';
	extra[sizeof(extra) - 1] = '\0';
	kprintf("xensim guest: running on Xen %ld.%ld%s\n", ver >> 16,
		ver & 0xffff, extra);
}

/* The first RAM bank the tree claims, cut to what this guest can map:
 * the tree may claim anything, RAM that is not there must never be
 * touched. NULL, or why no usable RAM is left. */
static const char *usable_ram(paddr_t *base, paddr_t *top)
{
	paddr_t claimed_base = boot_dt.mem[0].base;
	paddr_t claimed_top = claimed_base + boot_dt.mem[0].size;

	if (claimed_top < claimed_base)
		claimed_top = ~(paddr_t)0;
	*base = claimed_base;
	*top = claimed_top;
	if (!arch_ram_clip(base, top)) {
		ksnprintf(failure, sizeof(failure), "RAM bank [%#llx, %#llx) "
			  "from the device tree lies outside the RAM this guest "
			  "can map", (unsigned long long)claimed_base,
			  (unsigned long long)claimed_top);
		return failure;
	}
	if (*base == claimed_base && *top == claimed_top)
		return NULL;
	/* From here on the bank is what the guest uses. */
	boot_dt.mem[0].base = *base;
	boot_dt.mem[0].size = *top - *base;
	kprintf("xensim guest: RAM bank [%#llx, %#llx) from the device tree "
		"reaches beyond the RAM this guest can map; using [%#llx, "
		"%#llx)\n", (unsigned long long)claimed_base,
		(unsigned long long)claimed_top, (unsigned long long)*base,
		(unsigned long long)*top);
	return NULL;
}

static const char *memory_init(void *dtb)
{
	paddr_t img_start, img_end, dtb_pa;
	paddr_t base, top;
	const char *why = usable_ram(&base, &top);

	if (why)
		return why;

	/* The allocator keeps its bitmap in the first pages it manages: when
	 * the image is in the bank, manage only the larger side of it. */
	arch_image_range(&img_start, &img_end);
	if (img_end > base && img_start < top) {
		paddr_t below = img_start > base ? img_start - base : 0;
		paddr_t above = img_end < top ? top - img_end : 0;

		if (below >= above)
			top = base + below;
		else
			base = top - above;
	}
	if (page_alloc_init(base, top))
		return failure_msg("RAM bank at %#llx is too small",
				   (long long)base);
	page_reserve(img_start, img_end);
	dtb_pa = arch_virt_to_phys(dtb);
	page_reserve(dtb_pa, dtb_pa + dt_total_size(dtb));
	return NULL;
}

static void report(void)
{
	if (boot_dt.bootargs_cut)
		kprintf("xensim guest: bootargs longer than %zu bytes: the "
			"rest is ignored\n", sizeof(boot_dt.bootargs) - 1);
	kprintf("xensim guest: RAM %llu MiB at %#llx, %zu pages free\n",
		(unsigned long long)(boot_dt.mem[0].size >> 20),
		(unsigned long long)boot_dt.mem[0].base, page_free_count());
	kprintf("xensim guest: /hypervisor xen,xen-%s grant table %#llx+%#llx "
		"event channel INTID %u\n",
		boot_dt.xen_version, (unsigned long long)boot_dt.gnttab_base,
		(unsigned long long)boot_dt.gnttab_size, boot_dt.evtchn_intid);
	kprintf("xensim guest: shared_info mapped, wc_version %u\n",
		shared_info_page()->wc_version);
}

/* Event channels, the grant table and the timer, then interrupts on.
 * Bootarg "evtchn-fifo" asks for the FIFO event ABI. */
static const char *xen_services_init(void)
{
	enum evtchn_abi want = bootarg_present("evtchn-fifo") ?
		EVTCHN_ABI_FIFO : EVTCHN_ABI_2L;
	int rc;

	rc = evtchn_init(want);
	if (rc)
		return failure_msg("cannot set up event channels: error %lld", rc);
	if (boot_dt.gnttab_size) {
		rc = gnttab_init(boot_dt.gnttab_base, boot_dt.gnttab_size);
		if (rc)
			return failure_msg("cannot set up the grant table: "
					   "error %lld", rc);
	}
	time_init();
	arch_irq_enable();
	kprintf("xensim guest: event channels %s ABI, grant table %u of %u "
		"frames\n", evtchn_abi_name(), gnttab_nr_frames(),
		gnttab_max_frames());
	return NULL;
}

/* Bootarg "console-echo": read one line typed on the console and say it
 * back, so a test (or a person) can check input end to end. */
static void console_echo(void)
{
	char line[128];
	int n;

	if (!bootarg_present("console-echo"))
		return;
	if (!xencons_active()) {
		kprintf("console: no console ring: no input\n");
		return;
	}
	kprintf("console: type a line\n");
	n = console_read_line(line, sizeof(line));
	if (n < 0)
		kprintf("console: no input: error %d\n", n);
	else
		kprintf("console: echo %s\n", line);
}

/* xenstore, when the toolstack gave this domain one. */
static void xenstore_bringup(void)
{
	int rc = xenstore_init();

	if (rc == -XEN_ENODEV) {
		kprintf("xensim guest: no xenstore for this domain\n");
		return;
	}
	if (rc) {
		kprintf("xensim guest: xenstore unusable: error %d (%s)\n", rc,
			xs_last_error());
		return;
	}
	rc = control_advertise();
	kprintf("xensim guest: xenstore connected%s\n",
		rc ? ", cannot advertise shutdown support" : "");
}

/* Bootarg "wait-shutdown": stay up until the toolstack asks, as a real
 * guest does (xenstore-write /local/domain/N/control/shutdown poweroff). */
static unsigned wait_for_toolstack(void)
{
	static const char *const names[] = { "poweroff", "reboot", "suspend",
					     "crash" };
	unsigned reason = SHUTDOWN_poweroff;
	int rc;

	if (!bootarg_present("wait-shutdown"))
		return SHUTDOWN_poweroff;
	kprintf("xensim guest: waiting for control/shutdown\n");
	rc = control_wait_shutdown(&reason);
	if (rc)
		panic("waiting for control/shutdown: error %d", rc);
	kprintf("xensim guest: %s requested\n",
		reason < 4 ? names[reason] : "shutdown");
	return reason;
}

static _Noreturn void shut_down_for(unsigned reason)
{
	if (reason == SHUTDOWN_poweroff)
		kprintf("xensim guest: powering off\n");
	kern_shutdown(reason);
}

const char *kern_bringup(void *dtb, const struct dt_info *dt)
{
	const char *why = "";
	int rc;

	kern_reset();
	banner();
	/* The same tree gives the same answer: walk it only once. */
	if (dt)
		boot_dt = *dt;
	else if (dt_discover(dtb, &boot_dt, &why)) {
		ksnprintf(failure, sizeof(failure), "device tree: %s", why);
		return failure;
	}
	if ((why = memory_init(dtb)))
		return why;
	rc = shared_info_map();
	if (rc)
		return failure_msg("cannot map shared_info: error %lld", rc);
	report();
	if ((why = xen_services_init()))
		return why;
	/* From here on output goes to the console ring, when there is one. */
	xencons_init();
	xenstore_bringup();
	return NULL;
}

_Noreturn void kern_main(void *dtb, const struct dt_info *dt)
{
	const char *why = kern_bringup(dtb, dt);
	unsigned failed, reason;

	if (why)
		panic("%s", why);
	/* A fault run's workload (xensim sim) replaces the battery: its
	 * faults would only make the battery's exact answers differ. */
	if (bootarg_uint("blk-fuzz", 0, 0xffffffffu)) {
		failed = blk_fuzz_run();
		if (failed)
			panic("%u block fault-run step(s) failed", failed);
		kern_shutdown(SHUTDOWN_poweroff);
	}
	/* The emulated fuzz targets' workloads replace the battery too. */
	if (bootarg_present("blk-peer"))
		blk_peer_run();
	if (bootarg_present("vif-peer"))
		vif_peer_run();
	if (bootarg_present("xs-peer"))
		xs_peer_run();
	if (bootarg_present("cons-peer"))
		cons_peer_run();
	/* Bootarg "keep-going": a battery judged from outside (under a
	 * toolstack whose answers it does not know yet) still leads to the
	 * device checks. */
	failed = selftest_run();
	if (failed && !bootarg_present("keep-going"))
		panic("%u self-check(s) failed", failed);
	if (failed)
		kprintf("xensim guest: %u self-check(s) failed, going on "
			"(keep-going)\n", failed);
	if (bootarg_present("blk-selftest")) {
		failed = blk_selftest_run();
		if (failed)
			panic("%u block self-check step(s) failed", failed);
	}
	if (bootarg_present("blk-reattach") && blk_reattach_run())
		panic("the block reattach check failed");
	if (bootarg_present("net-test") && net_test_run())
		panic("the network test failed");
	if (bootarg_uint("net-offload", 0, 2) && net_offload_run())
		panic("the network offload test failed");
	if (bootarg_present("blk-bench") && blk_bench_run())
		panic("the block benchmark saw errors");
	console_echo();
	if (bootarg_present("channel-echo") && channel_echo_run())
		panic("a secondary console failed its echo");
	crash_test_run();
	/* Bootarg "blk-suspend": the toolstack's suspends are taken with
	 * block I/O in flight, and its last request ends the run. */
	if (bootarg_present("blk-suspend")) {
		if (blk_suspend_run(&reason))
			panic("the block suspend check failed");
		shut_down_for(reason);
	}
	/* Bootarg "channel-suspend": with the channels connected. */
	if (bootarg_present("channel-suspend")) {
		if (channel_suspend_run(&reason))
			panic("the channel suspend check failed");
		shut_down_for(reason);
	}
	/* Bootarg "xs-suspend": they come with a transaction open. */
	if (bootarg_present("xs-suspend")) {
		if (xs_suspend_run(&reason))
			panic("the xenstore suspend check failed");
		shut_down_for(reason);
	}
	/* Bootarg "smp-suspend": with the secondary CPUs online and busy. */
	if (bootarg_present("smp-suspend")) {
		if (smp_suspend_run(&reason))
			panic("the SMP suspend check failed");
		shut_down_for(reason);
	}
	/* A suspend comes back when Xen refused or cancelled it, or in a new
	 * domain (restored): then the block self-check, if asked for, runs
	 * again on the disk's new backend. Either way, wait on. */
	while ((reason = wait_for_toolstack()) == SHUTDOWN_suspend) {
		if (kern_suspend() == 0 && bootarg_present("blk-selftest") &&
		    (failed = blk_selftest_run()))
			panic("%u block self-check step(s) failed after resume",
			      failed);
	}
	shut_down_for(reason);
}
