/* SPDX-License-Identifier: BSD-2-Clause */
/* Building the machine for a run and turning how the domain ended into an
 * outcome. The runtimes only execute; this file owns setup and verdicts. */
#include <libfdt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/sched.h>

#include "file.h"
#include "gxen/dt_walk.h"
#include "hv/evtchn.h"
#include "hv/gnttab.h"
#include "hv/time.h"
#include "hv/vcpu.h"
#include "console.h"
#include "crash.h"
#include "keys.h"
#include "sim_internal.h"
#include "trace.h"
#include "vcpu.h"

#define DTB_MAX (64 * 1024)
/* A ramdisk larger than any guest RAM below 128 MiB is refused unread. */
#define INITRD_MAX (128u << 20)

void sim_config_init(struct sim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->runtime = SIM_NATIVE;
	cfg->name = "guest";
	cfg->domid = 1;
	cfg->memory_mib = 128;
	cfg->vcpus = 1;
	cfg->gic = HV_GIC_V2;
	cfg->timeout_ns = SIM_DEFAULT_TIMEOUT_NS;
	cfg->max_insns = SIM_DEFAULT_MAX_INSNS;
	cfg->log_level = HV_LOG_WARN;
	cfg->max_restarts = SIM_DEFAULT_MAX_RESTARTS;
}

int sim_parse_duration(const char *text, uint64_t *ns)
{
	static const struct { const char *unit; uint64_t ns; } units[] = {
		{ "", 1000000000ull }, { "ns", 1 }, { "us", 1000 },
		{ "ms", 1000000 }, { "s", 1000000000ull },
		{ "min", 60000000000ull },
	};
	uint64_t v = 0;
	const char *p = text;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].unit) != 0)
			continue;
		if (v > UINT64_MAX / units[i].ns)
			return -1;
		*ns = v * units[i].ns;
		return 0;
	}
	return -1;
}

const char *sim_outcome_name(enum sim_outcome o)
{
	static const char *const names[] = {
		[SIM_POWEROFF] = "poweroff",
		[SIM_REBOOT] = "reboot",
		[SIM_CRASH] = "crash",
		[SIM_FAULT] = "fault",
		[SIM_SUSPEND] = "suspend",
		[SIM_OTHER_SHUTDOWN] = "shutdown",
		[SIM_HALTED] = "halted",
		[SIM_DEADLOCK] = "deadlock",
		[SIM_SETUP_ERROR] = "setup error",
		[SIM_LIMIT] = "limit reached",
		[SIM_INTERRUPTED] = "interrupted",
	};

	return o <= SIM_INTERRUPTED ? names[o] : "unknown";
}

int sim_exit_code(const struct sim_result *res)
{
	switch (res->outcome) {
	case SIM_POWEROFF:
		return 0;
	case SIM_SETUP_ERROR:
		return 1;
	case SIM_CRASH:
	case SIM_FAULT:
		return 2;
	case SIM_REBOOT:
		return 3;
	case SIM_OTHER_SHUTDOWN:
		return 4;
	case SIM_LIMIT:
		return 6;
	case SIM_SUSPEND:
		return 7;
	case SIM_INTERRUPTED:
		return 128 + (res->signal ? res->signal : SIGINT);
	default:
		return 5;
	}
}

enum sim_action sim_action_for(const struct sim_config *cfg,
			       const struct sim_result *res)
{
	switch (res->outcome) {
	case SIM_POWEROFF:
		return cfg->on_poweroff;
	case SIM_REBOOT:
		return cfg->on_reboot;
	case SIM_CRASH:
	case SIM_FAULT:
		return cfg->on_crash;
	case SIM_OTHER_SHUTDOWN:
		return res->shutdown_reason == SHUTDOWN_watchdog ?
		       cfg->on_watchdog : SIM_ACTION_DESTROY;
	case SIM_SUSPEND:
		/* xl 4.17 says "Domain has suspended." and leaves it. */
		return SIM_ACTION_PRESERVE;
	default:
		return SIM_ACTION_DESTROY;
	}
}

const char *sim_action_key(const struct sim_result *res)
{
	switch (res->outcome) {
	case SIM_POWEROFF:
		return "on_poweroff";
	case SIM_REBOOT:
		return "on_reboot";
	case SIM_CRASH:
	case SIM_FAULT:
		return "on_crash";
	case SIM_OTHER_SHUTDOWN:
		return res->shutdown_reason == SHUTDOWN_watchdog ?
		       "on_watchdog" : NULL;
	default:
		return NULL;
	}
}

const char *sim_action_name(enum sim_action a)
{
	return a == SIM_ACTION_RESTART ? "restart" :
	       a == SIM_ACTION_PRESERVE ? "preserve" : "destroy";
}

uint16_t sim_next_domid(uint16_t rover, bool (*taken)(void *ctx, uint16_t),
			void *ctx)
{
	uint16_t d = rover;

	for (unsigned tries = 0; tries < HV_MAX_DOMAINS - 1; tries++) {
		d = d + 1 < HV_MAX_DOMAINS ? d + 1 : 1;
		if (!taken || !taken(ctx, d))
			return d;
	}
	return 0;
}

void sim_fail(struct sim *s, enum sim_outcome o, const char *fmt, ...)
{
	va_list ap;

	s->res->outcome = o;
	va_start(ap, fmt);
	vsnprintf(s->res->message, sizeof(s->res->message), fmt, ap);
	va_end(ap);
}

bool sim_time_up(struct sim *s)
{
	if (s->limit)
		return true;
	if (sim_watchdog_fired(s))
		return true;
	if (!s->cfg->timeout_ns || hv_time_now(s->machine) < s->cfg->timeout_ns)
		return false;
	s->limit = SIM_LIMIT_TIME;
	return true;
}

bool sim_native_charge(struct sim *s)
{
	if (s->limit)
		return true;
	s->insns += SIM_EXIT_COST;
	if (!s->cfg->max_insns || s->insns < s->cfg->max_insns)
		return false;
	s->limit = SIM_LIMIT_INSNS;
	return true;
}

/* A duration in the largest unit that shows it whole. */
static void duration_text(uint64_t ns, char *buf, size_t len)
{
	static const struct { const char *unit; uint64_t ns; } units[] = {
		{ "min", 60000000000ull }, { "s", 1000000000ull },
		{ "ms", 1000000 }, { "us", 1000 }, { "ns", 1 },
	};
	size_t i = 0;

	while (ns % units[i].ns)
		i++;
	snprintf(buf, len, "%llu %s", (unsigned long long)(ns / units[i].ns),
		 units[i].unit);
}

void sim_limit_message(struct sim *s, const char *where)
{
	char limit[48];

	if (s->limit == SIM_LIMIT_WATCHDOG) {
		sim_watchdog_message(s);
	} else if (s->limit == SIM_LIMIT_TIME) {
		duration_text(s->cfg->timeout_ns, limit, sizeof(limit));
		sim_fail(s, SIM_LIMIT, "d%u: virtual time limit of %s reached "
			 "(--timeout) at %s", s->domain->domid, limit, where);
	} else {
		sim_fail(s, SIM_LIMIT, "d%u: instruction budget of %llu used "
			 "up (--max-insns) at %s", s->domain->domid,
			 (unsigned long long)s->cfg->max_insns, where);
	}
}

bool sim_vcpu0_woken(struct sim *s)
{
	struct hv_vcpu *v = &s->domain->vcpu[0];

	/* A runtime with an interrupt controller knows better: a line the
	 * guest has disabled in its GIC wakes nothing. */
	if (s->woken)
		return s->woken(s->woken_ctx);
	return hv_evtchn_upcall_pending(v) || hv_vtimer_irq_level(v);
}

bool sim_idle_woke_at_once(struct sim *s)
{
	/* Woken at once, again and again, with no hypercall and no time
	 * passing: the line is up but the guest never takes it. */
	if (++s->idle_wakes < SIM_MAX_IDLE_WAKES)
		return true;
	s->deadlocked = true;
	s->spinning = true;
	return false;
}

bool sim_idle_step(struct sim *s)
{
	struct hv_vcpu *v = &s->domain->vcpu[0];
	uint64_t deadline;

	s->idles++;
	if (sim_signals_check(s))
		return true;
	/* An idle guest lets dom0 run whatever it still owes. */
	sim_dom0_work(s);
	/* What the host tunnel brought, now and only now: see nettunnel.c. */
	if (sim_tunnel_poll(s))
		sim_dom0_work(s);
	/* Console input that arrived is handed over only here, when the
	 * guest waits, never between two of its steps. */
	sim_console_deliver(s);
	hv_gnttab_audit(s->domain);
	if (sim_vcpu0_woken(s))
		return sim_idle_woke_at_once(s);
	s->idle_wakes = 0;
	/* Jump virtual time to the next thing that can happen; when nothing
	 * ever can, only the outside world may still wake the guest; without
	 * one, an idle guest would sleep forever: the run says so. */
	if (!hv_time_next_deadline(s->machine, &deadline)) {
		if (sim_dom0_wait_external(s))
			return true;
		s->deadlocked = true;
		return false;
	}
	/* A wait that would outlast the run ends it at its timeout, or at
	 * the watchdog's deadline when nothing moves before. */
	if (s->cfg->timeout_ns && deadline > s->cfg->timeout_ns)
		deadline = s->cfg->timeout_ns;
	if (s->cfg->watchdog_ns &&
	    deadline > s->progress_ns + s->cfg->watchdog_ns)
		deadline = s->progress_ns + s->cfg->watchdog_ns;
	hv_vcpu_runstate_set(v, RUNSTATE_blocked);
	hv_time_advance_to(s->machine, deadline);
	hv_vcpu_runstate_set(v, RUNSTATE_running);
	return !sim_time_up(s);
}

/* A user's tree, checked whole before anything reads a field of it: its
 * header, its declared size against the file, and its structure. */
static int check_user_dt(struct sim *s, const void *dtb, size_t len)
{
	const char *path = s->cfg->dtb_file;
	int rc;

	if (len < sizeof(struct fdt_header) || fdt_check_header(dtb) != 0) {
		sim_fail(s, SIM_SETUP_ERROR, "device tree %s is not a valid "
			 "flattened device tree (%s)", path, len <
			 sizeof(struct fdt_header) ? "shorter than its header" :
			 fdt_strerror(fdt_check_header(dtb)));
		return -1;
	}
	if (fdt_totalsize(dtb) > len) {
		sim_fail(s, SIM_SETUP_ERROR, "device tree %s is not a valid "
			 "flattened device tree: its header says %u bytes, the "
			 "file has %zu", path, fdt_totalsize(dtb), len);
		return -1;
	}
	rc = dt_walk_bounded(dtb, fdt_totalsize(dtb)) ?
	     fdt_check_full(dtb, fdt_totalsize(dtb)) : -FDT_ERR_BADSTRUCTURE;
	if (rc) {
		sim_fail(s, SIM_SETUP_ERROR, "device tree %s is not a valid "
			 "flattened device tree: %s", path, fdt_strerror(rc));
		return -1;
	}
	return 0;
}

static void *read_user_dt(struct sim *s, size_t *len)
{
	char err[200];
	void *dtb = sim_file_read(s->cfg->dtb_file, DTB_MAX, len, err,
				  sizeof(err));

	if (!dtb) {
		sim_fail(s, SIM_SETUP_ERROR, "cannot read device tree %s: %s",
			 s->cfg->dtb_file, err);
		return NULL;
	}
	if (check_user_dt(s, dtb, *len)) {
		free(dtb);
		return NULL;
	}
	*len = fdt_totalsize(dtb);
	return dtb;
}

static void *build_dt(struct sim *s, size_t *len)
{
	const struct sim_config *cfg = s->cfg;
	struct hv_dt_config dtc = {
		.layout = s->machine->layout,
		.ram_bytes = cfg->memory_mib << 20,
		.nr_cpus = cfg->vcpus,
		.gic = cfg->gic,
		.bootargs = cfg->bootargs,
		.initrd_start = s->initrd_gpa,
		.initrd_end = s->initrd_gpa + s->initrd_len,
		.xl_built = cfg->xl_domain,
	};
	void *dtb;
	int rc;

	if (cfg->bootargs && strlen(cfg->bootargs) >= SIM_BOOTARGS_MAX) {
		sim_fail(s, SIM_SETUP_ERROR, "bootargs too long: %zu bytes, "
			 "the limit is %d", strlen(cfg->bootargs),
			 SIM_BOOTARGS_MAX - 1);
		return NULL;
	}
	dtb = malloc(DTB_MAX);
	rc = dtb ? hv_toolstack_build_dt(&dtc, dtb, DTB_MAX) : -XEN_ENOMEM;
	if (rc < 0) {
		free(dtb);
		sim_fail(s, SIM_SETUP_ERROR, "cannot build the device tree: "
			 "%s", rc == -XEN_ENOSPC ? "over 64 KiB" :
			 rc == -XEN_ENOMEM ? "out of memory" : "bad config");
		return NULL;
	}
	*len = (size_t)rc;
	return dtb;
}

/* The initial ramdisk, below where the device tree goes, as xl places
 * it. */
static int setup_initrd(struct sim *s)
{
	const struct sim_config *cfg = s->cfg;
	size_t len = 0;
	char err[600];
	void *data;
	int rc;

	s->initrd_gpa = s->initrd_len = 0;
	if (!cfg->ramdisk)
		return 0;
	if (cfg->dtb_file) {
		sim_fail(s, SIM_SETUP_ERROR, "a ramdisk and --dtb: the tree "
			 "from --dtb has its own /chosen; choose one");
		return -1;
	}
	data = sim_file_read(cfg->ramdisk, INITRD_MAX, &len, err, sizeof(err));
	if (!data) {
		sim_fail(s, SIM_SETUP_ERROR, "cannot read ramdisk %s: %s",
			 cfg->ramdisk, err);
		return -1;
	}
	rc = hv_toolstack_place_initrd(s->domain, data, len, &s->initrd_gpa);
	free(data);
	if (rc == -XEN_EINVAL) {
		sim_fail(s, SIM_SETUP_ERROR, "ramdisk %s is empty", cfg->ramdisk);
		return -1;
	}
	if (rc) {
		sim_fail(s, SIM_SETUP_ERROR, "ramdisk %s (%zu bytes) does not "
			 "fit below the device tree in %llu MiB of RAM",
			 cfg->ramdisk, len,
			 (unsigned long long)(s->domain->mem.region[0].size >> 20));
		return -1;
	}
	s->initrd_len = len;
	return 0;
}

/* The device tree: generated as the toolstack would, or the user's. */
static int setup_dt(struct sim *s)
{
	const struct sim_config *cfg = s->cfg;
	size_t len = 0;
	char err[600];
	void *dtb;
	int rc;

	if (cfg->dtb_file && cfg->bootargs) {
		sim_fail(s, SIM_SETUP_ERROR, "--bootargs and --dtb: the tree "
			 "from --dtb has its own /chosen/bootargs; choose one");
		return -1;
	}
	if (setup_initrd(s))
		return -1;
	dtb = cfg->dtb_file ? read_user_dt(s, &len) : build_dt(s, &len);
	if (!dtb)
		return -1;
	if (cfg->dump_dtb && sim_file_write(cfg->dump_dtb, dtb, len, err,
					    sizeof(err))) {
		free(dtb);
		sim_fail(s, SIM_SETUP_ERROR, "cannot write %s: %s",
			 cfg->dump_dtb, err);
		return -1;
	}
	rc = hv_toolstack_place_dt(s->domain, dtb, len, &s->dtb_gpa);
	free(dtb);
	if (rc == -XEN_EINVAL) {
		sim_fail(s, SIM_SETUP_ERROR, "device tree %s is not a valid "
			 "flattened device tree",
			 cfg->dtb_file ? cfg->dtb_file : "(generated)");
		return -1;
	}
	if (rc) {
		sim_fail(s, SIM_SETUP_ERROR, "device tree %s (%zu bytes) does "
			 "not fit below %llu MiB of RAM",
			 cfg->dtb_file ? cfg->dtb_file : "(generated)", len,
			 (unsigned long long)(s->domain->mem.region[0].size >> 20));
		return -1;
	}
	return 0;
}

/* The kernel for an emulated runtime: a file of the kind the runtime runs,
 * placed in RAM clear of the device tree. */
static int setup_kernel(struct sim *s)
{
	const struct sim_config *cfg = s->cfg;
	enum sim_kernel_kind want = cfg->runtime == SIM_ARM64 ?
		SIM_KERNEL_ARM64 : SIM_KERNEL_ARM32;
	const uint8_t *hdr = hv_gpa_ptr(&s->domain->mem, s->dtb_gpa, 8);
	uint64_t dtb_size = hdr ? (uint64_t)hdr[4] << 24 | hdr[5] << 16 |
				  hdr[6] << 8 | hdr[7] : 0;
	char err[200];

	if (!cfg->kernel) {
		sim_fail(s, SIM_SETUP_ERROR, "no kernel given for the %s "
			 "runtime", want == SIM_KERNEL_ARM64 ? "arm64" : "arm32");
		return -1;
	}
	if (sim_kernel_read(&s->kernel, cfg->kernel, err, sizeof(err))) {
		sim_fail(s, SIM_SETUP_ERROR, "%s: %s", cfg->kernel, err);
		return -1;
	}
	if (s->kernel.trailing)
		hv_log(s->machine, HV_LOG_WARN, "%s: loading the %zu bytes "
		       "its zImage header declares; the file's last %zu bytes "
		       "are not loaded", cfg->kernel, s->kernel.len,
		       s->kernel.trailing);
	if (s->kernel.kind != want) {
		sim_fail(s, SIM_SETUP_ERROR, "%s: %s given to the %s runtime",
			 cfg->kernel, sim_kernel_kind_name(s->kernel.kind),
			 want == SIM_KERNEL_ARM64 ? "arm64" : "arm32");
		return -1;
	}
	if (sim_kernel_place(&s->kernel, s->domain, s->dtb_gpa, dtb_size,
			     &s->boot, err, sizeof(err))) {
		sim_fail(s, SIM_SETUP_ERROR, "%s: %s", cfg->kernel, err);
		return -1;
	}
	if (s->initrd_len && s->boot.image_start < s->initrd_gpa + s->initrd_len &&
	    s->initrd_gpa < s->boot.image_end) {
		sim_fail(s, SIM_SETUP_ERROR, "%s: kernel at [0x%llx, 0x%llx) "
			 "would overlap the ramdisk at [0x%llx, 0x%llx): give "
			 "the domain more memory", cfg->kernel,
			 (unsigned long long)s->boot.image_start,
			 (unsigned long long)s->boot.image_end,
			 (unsigned long long)s->initrd_gpa,
			 (unsigned long long)(s->initrd_gpa + s->initrd_len));
		return -1;
	}
	return 0;
}

/* RAM an arm32 guest can have in the emulator: its banks below 4 GiB. */
static uint64_t arm32_ram_max(const struct hv_layout *l)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < l->nr_ram; i++) {
		if (l->ram[i].base >= 1ull << 32)
			break;
		total += l->ram[i].size;
	}
	return total;
}

static bool arm32_reaches_ram(const struct hv_layout *l, uint64_t ram_bytes)
{
	return ram_bytes <= arm32_ram_max(l);
}

int sim_setup(struct sim *s)
{
	const struct sim_config *cfg = s->cfg;
	struct hv_domain_config dc = {
		.name = cfg->name,
		.domid = cfg->domid,
		.ram_bytes = cfg->memory_mib << 20,
		.nr_vcpus = cfg->vcpus,
		.is_console = !cfg->xl_domain,
		.xl_built = cfg->xl_domain,
	};
	const struct hv_layout *layout = cfg->layout ? cfg->layout :
					 hv_layout_default();
	uint64_t ram_max_mib = hv_layout_ram_max(layout) >> 20;
	int rc;

	if (cfg->vcpus < 1 || cfg->vcpus > HV_MAX_VCPUS || cfg->domid == 0 ||
	    cfg->domid >= HV_MAX_DOMAINS) {
		sim_fail(s, SIM_SETUP_ERROR, "bad config: vcpus 1..%d, domid "
			 "1..%d", HV_MAX_VCPUS, HV_MAX_DOMAINS - 1);
		return -1;
	}
	if (cfg->memory_mib < 16 || cfg->memory_mib > ram_max_mib ||
	    cfg->memory_mib > SIM_MEMORY_MAX_MIB) {
		sim_fail(s, SIM_SETUP_ERROR, "memory %llu MiB: the layout of "
			 "%s gives a guest 16..%llu MiB",
			 (unsigned long long)cfg->memory_mib, layout->xen,
			 (unsigned long long)(ram_max_mib < SIM_MEMORY_MAX_MIB ?
					      ram_max_mib : SIM_MEMORY_MAX_MIB));
		return -1;
	}
	if (cfg->runtime == SIM_ARM32 &&
	    !arm32_reaches_ram(layout, cfg->memory_mib << 20)) {
		sim_fail(s, SIM_SETUP_ERROR, "memory %llu MiB: RAM would reach "
			 "above 4 GiB, where the arm32 emulator cannot go (its "
			 "engine drops the upper bits of an LPAE output address); "
			 "at most %llu MiB for an arm32 guest here",
			 (unsigned long long)cfg->memory_mib,
			 (unsigned long long)(arm32_ram_max(layout) >> 20));
		return -1;
	}
	if (cfg->gic == HV_GIC_V3 && !layout->has_gicv3) {
		sim_fail(s, SIM_SETUP_ERROR, "GICv3: the layout of %s has no "
			 "GICv3 for guests (--gic 2)", layout->xen);
		return -1;
	}
	if (!s->borrowed) {
		s->machine = hv_machine_new(cfg->console_sink, cfg->console_ctx);
		if (!s->machine) {
			sim_fail(s, SIM_SETUP_ERROR, "out of memory");
			return -1;
		}
		s->machine->layout = layout;
		s->machine->log_level = cfg->log_level;
		s->machine->seed = cfg->seed;
		s->machine->xen_debug = cfg->xen_debug;
		if (cfg->crash_reports)
			s->history = sim_history_start(s->machine);
		if (cfg->trace)
			sim_trace_attach(cfg->trace, s->machine);
	}
	rc = hv_domain_create(s->machine, &dc, &s->domain);
	if (rc) {
		sim_fail(s, SIM_SETUP_ERROR, "cannot create domain: %d", rc);
		return -1;
	}
	sim_faults_setup(s);
	if (sim_dom0_setup(s) || setup_dt(s))
		return -1;
	if (cfg->control_path && sim_control_open(s, cfg->control_path))
		return -1;
	return cfg->runtime == SIM_NATIVE ? 0 : setup_kernel(s);
}

/* The wait Xen put the vCPU in, if any, as the deadlock message says. */
static const char *wait_name(const struct hv_vcpu *v)
{
	switch (v->wait) {
	case HV_WAIT_BLOCK:
		return "blocked in SCHEDOP_block or PSCI CPU_SUSPEND; ";
	case HV_WAIT_POLL:
		return "in SCHEDOP_poll without a timeout, no polled port "
		       "pending; ";
	default:
		return "";
	}
}

/* What vCPU 0 was waiting on when the run called it a deadlock, from what
 * the model holds: its event upcall, its virtual timer, and whose device
 * tree told it where things are. */
static void describe_wait(struct sim *s, char *buf, size_t len)
{
	struct hv_vcpu *v = &s->domain->vcpu[0];
	const struct vcpu_info *vi = hv_vcpu_info(v);
	uint32_t ctl = hv_vtimer_read_ctl(v);
	const char *timer;

	if (!(ctl & HV_CNT_CTL_ENABLE))
		timer = "no timer armed";
	else if (ctl & HV_CNT_CTL_IMASK)
		timer = "the timer armed but its interrupt masked (CNTV_CTL.IMASK)";
	else if (ctl & HV_CNT_CTL_ISTATUS)
		timer = "the timer fired, its line (PPI 27) up";
	else
		timer = "the timer armed";
	snprintf(buf, len, "%s%s; %s%s%s", wait_name(v),
		 vi->evtchn_upcall_pending ? "an event upcall pending" :
		 "no event pending",
		 timer, s->cfg->dtb_file ? "; device tree from --dtb " : "",
		 s->cfg->dtb_file ? s->cfg->dtb_file : "");
}

void sim_verdict(struct sim *s)
{
	const struct hv_domain *d = s->domain;

	s->res->domid = d->domid;
	s->res->hypercalls = s->hypercalls;
	s->res->idles = s->idles;
	s->res->virtual_ns = hv_time_now(s->machine);
	s->res->debug = d->debug_record;
	s->res->trace_hash = hv_trace_hash(s->machine);
	memcpy(s->res->faults_injected, s->machine->faults.injected,
	       sizeof(s->res->faults_injected));
	for (unsigned i = 0; i < s->n_disks; i++) {
		struct hv_blkback_stats st;

		hv_blkback_get_stats(s->disk[i], &st);
		s->res->backend_restarts += st.restarts;
	}
	if (s->interrupted) {
		s->res->signal = s->interrupted;
		sim_fail(s, SIM_INTERRUPTED, "d%u stopped: interrupted by %s",
			 d->domid, sim_signal_name(s->interrupted));
		return;
	}
	if (s->limit && d->state == HV_DOMAIN_RUNNING) {
		if (s->res->outcome != SIM_LIMIT)
			sim_limit_message(s, "an unknown point");
		return;
	}
	if (d->state == HV_DOMAIN_CRASHED_BY_MODEL) {
		if (s->res->outcome != SIM_FAULT)
			sim_fail(s, SIM_FAULT, "d%u stopped by the model",
				 d->domid);
		return;
	}
	if (d->state == HV_DOMAIN_RUNNING) {
		char wait[200];

		describe_wait(s, wait, sizeof(wait));
		if (s->spinning)
			sim_fail(s, SIM_DEADLOCK, "d%u waits with an interrupt "
				 "pending that it never takes (masked?): %s",
				 d->domid, wait);
		else if (s->deadlocked)
			sim_fail(s, SIM_DEADLOCK, "d%u idle with nothing to wake "
				 "it: %s", d->domid, wait);
		else if (s->halted)
			sim_fail(s, SIM_HALTED, "d%u halted its CPU without "
				 "shutting down", d->domid);
		else if (s->res->outcome == SIM_POWEROFF)
			sim_fail(s, SIM_FAULT, "d%u: runtime ended while the "
				 "domain ran", d->domid);
		return;
	}
	s->res->shutdown_reason = d->shutdown_reason;
	switch (d->shutdown_reason) {
	case SHUTDOWN_poweroff:
		s->res->outcome = SIM_POWEROFF;
		break;
	case SHUTDOWN_reboot:
		s->res->outcome = SIM_REBOOT;
		break;
	case SHUTDOWN_crash:
		s->res->outcome = SIM_CRASH;
		break;
	case SHUTDOWN_suspend:
		s->res->outcome = SIM_SUSPEND;
		break;
	default:
		s->res->outcome = SIM_OTHER_SHUTDOWN;
		break;
	}
	snprintf(s->res->message, sizeof(s->res->message),
		 "d%u shut down: %s", d->domid,
		 hv_shutdown_reason_name(d->shutdown_reason));
}

int sim_run(const struct sim_config *cfg, struct sim_result *res)
{
	struct sim s = { .cfg = cfg, .res = res };

	memset(res, 0, sizeof(*res));
	res->outcome = SIM_POWEROFF;
	sim_signals_catch(&s);
	if (sim_setup(&s) == 0) {
		sim_signals_wake_loop(&s);
		switch (cfg->runtime) {
		case SIM_NATIVE:
			sim_native_run(&s);
			break;
		case SIM_ARM64:
			sim_unicorn_run(&s, &sim_vcpu_arm64, &s.boot);
			break;
		case SIM_ARM32:
			sim_unicorn_run(&s, &sim_vcpu_arm32, &s.boot);
			break;
		default:
			sim_fail(&s, SIM_SETUP_ERROR, "runtime not built in");
			break;
		}
		if (res->outcome != SIM_SETUP_ERROR)
			sim_verdict(&s);
		/* --dump-on-exit: the machine as the run left it. */
		if (cfg->dump_keys)
			sim_keys_run(&s, cfg->dump_keys,
				     strlen(cfg->dump_keys), NULL);
	}
	sim_signals_release(&s);
	sim_teardown(&s);
	return sim_exit_code(res);
}

void sim_teardown(struct sim *s)
{
	sim_control_close(s);
	sim_dom0_teardown(s);
	if (!s->borrowed) {
		sim_history_stop(s->history);
		if (s->machine && s->cfg && s->cfg->trace)
			sim_trace_detach(s->cfg->trace, s->machine);
		hv_machine_free(s->machine);
	}
	s->history = NULL;
	s->machine = NULL;
	s->domain = s->dom0 = NULL;
	sim_kernel_free(&s->kernel);
}
