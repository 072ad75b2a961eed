/* The boot flow every target shares: console, device tree, memory, the
 * hypervisor's shared page, the self-check battery, then a clean poweroff
 * (a crash when a check failed, so the runner sees it). */
#include <xen/sched.h>
#include <xen/version.h>

#include "gxen/dt.h"
#include "gxen/hypercall.h"
#include "gxen/shared.h"
#include "kern/boot.h"
#include "kern/page.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "selftest.h"

struct dt_info boot_dt;

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

static void memory_init(void *dtb)
{
	paddr_t img_start, img_end, dtb_pa;
	paddr_t base = boot_dt.mem[0].base;

	if (page_alloc_init(base, base + boot_dt.mem[0].size))
		panic("RAM bank at %#llx is too small", (unsigned long long)base);
	arch_image_range(&img_start, &img_end);
	page_reserve(img_start, img_end);
	dtb_pa = arch_virt_to_phys(dtb);
	page_reserve(dtb_pa, dtb_pa + dt_total_size(dtb));
}

static void report(void)
{
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

_Noreturn void kern_main(void *dtb)
{
	const char *why = "";
	unsigned failed;
	int rc;

	banner();
	if (dt_discover(dtb, &boot_dt, &why))
		panic("device tree: %s", why);
	memory_init(dtb);
	rc = shared_info_map();
	if (rc)
		panic("cannot map shared_info: error %d", rc);
	report();
	failed = selftest_run();
	if (failed)
		panic("%u self-check(s) failed", failed);
	kprintf("xensim guest: powering off\n");
	kern_shutdown(SHUTDOWN_poweroff);
}
