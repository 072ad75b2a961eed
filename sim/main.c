/* SPDX-License-Identifier: BSD-2-Clause */
/* xensim: run a Xen-on-ARM guest against the hypervisor model and show its
 * console. The exit code says how the guest ended. */
#define _GNU_SOURCE
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "console.h"
#include "domcfg.h"
#include "gdb.h"
#include "keys.h"
#include "loader.h"
#include "run_opts.h"
#include "sim.h"
#include "simcmd.h"
#include "sweep.h"
#include "trace.h"
#include "trace_report.h"

/* The options given, filled by sim_run_parse (sim/run_opts.c). */
static struct sim_run_opts opts;

/* The vif captures name vifs of the run; else exit 1. */
static void check_pcaps(const struct sim_config *cfgs, unsigned n)
{
	char err[400];

	if (sim_pcaps_check(cfgs, n, err, sizeof(err))) {
		fprintf(stderr, "xensim: %s\n", err);
		exit(1);
	}
}

/* Whether path names this very program (whose native guest is built in). */
static bool is_this_program(const char *path)
{
	struct stat a, b;

	return stat(path, &a) == 0 && stat("/proc/self/exe", &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* The runtime a kernel file needs, from its header; exits 1 on a file no
 * runtime can take. */
static void pick_runtime(struct sim_config *cfg, const char *path)
{
	enum sim_kernel_kind kind;
	char err[200];

	if (sim_kernel_probe(path, &kind, err, sizeof(err))) {
		fprintf(stderr, "xensim: %s: %s\n", path, err);
		exit(1);
	}
	switch (kind) {
	case SIM_KERNEL_ARM64:
		cfg->runtime = SIM_ARM64;
		break;
	case SIM_KERNEL_ARM32:
		cfg->runtime = SIM_ARM32;
		break;
	default:
		if (!is_this_program(path)) {
			fprintf(stderr, "xensim: %s: a native program; a native "
				"guest runs only built into xensim (xensim run "
				"--native)\n", path);
			exit(1);
		}
		cfg->runtime = SIM_NATIVE;
		return;
	}
	cfg->kernel = path;
}

/* The config file's domain; its strings back cfg's for the whole run. */
static struct sim_domcfg domcfg;
static bool have_domcfg;

static bool is_config_name(const char *path)
{
	size_t n = strlen(path);

	return n > 4 && strcmp(path + n - 4, ".cfg") == 0;
}

/* Fill cfg from a domain config file; exits 1 on a bad one. */
static void apply_config_file(struct sim_config *cfg, const char *path)
{
	char err[600];

	if (sim_domcfg_load(path, &domcfg, err, sizeof(err))) {
		fprintf(stderr, "xensim: %s\n", err);
		exit(1);
	}
	have_domcfg = true;
	if (domcfg.set & SIM_DOMCFG_NAME)
		cfg->name = domcfg.name;
	if (domcfg.set & SIM_DOMCFG_MEMORY)
		cfg->memory_mib = domcfg.memory_mib;
	if (domcfg.set & SIM_DOMCFG_VCPUS)
		cfg->vcpus = domcfg.vcpus;
	if (domcfg.set & SIM_DOMCFG_CMDLINE)
		cfg->bootargs = domcfg.cmdline;
	if (domcfg.set & SIM_DOMCFG_RAMDISK)
		cfg->ramdisk = domcfg.ramdisk;
	if (domcfg.set & SIM_DOMCFG_GIC)
		cfg->gic = (enum hv_gic_version)domcfg.gic;
	cfg->disks = domcfg.disks;
	cfg->n_disks = domcfg.n_disks;
	cfg->vifs = (const char (*)[256])domcfg.vifs;
	cfg->n_vifs = domcfg.n_vifs;
	cfg->on_poweroff = domcfg.on_poweroff;
	cfg->on_reboot = domcfg.on_reboot;
	cfg->on_crash = domcfg.on_crash;
	cfg->on_watchdog = domcfg.on_watchdog;
}

/* The run's channels: the config file's, then --channel's; exits 1 when
 * they are too many or clash. */
static struct sim_channel channels[SIM_MAX_CHANNELS];

static void gather_channels(struct sim_config *cfg)
{
	unsigned from_file = have_domcfg ? domcfg.n_channels : 0;
	char err[300];

	if (from_file + opts.n_channels > SIM_MAX_CHANNELS) {
		fprintf(stderr, "xensim: more than %u channels (config file and "
			"--channel together)\n", SIM_MAX_CHANNELS);
		exit(1);
	}
	memcpy(channels, domcfg.channels, from_file * sizeof(channels[0]));
	memcpy(channels + from_file, opts.channels,
	       opts.n_channels * sizeof(channels[0]));
	cfg->n_channels = from_file + opts.n_channels;
	cfg->channels = channels;
	if (sim_channels_check(channels, cfg->n_channels, err, sizeof(err))) {
		fprintf(stderr, "xensim: %s\n", err);
		exit(1);
	}
}

/* --seeds: refused with what needs one run at a time (a console or a
 * socket someone outside talks to); exits 1. */
static void check_sweep(const struct sim_config *cfg)
{
	const char *clash = opts.seed_given ? "--seed" :
		cfg->console ? "--console" :
		cfg->n_channels ? "a channel" :
		cfg->xenstore_socket ? "--xenstore-socket" :
		opts.trace_path ? "--trace" :
		cfg->n_pcaps ? "--pcap" :
		cfg->net_socket ? "--net-socket" : NULL;

	if (!opts.sweeping) {
		if (opts.sweep.transcripts) {
			fprintf(stderr, "xensim: --transcripts goes with "
				"--seeds\n");
			exit(1);
		}
		return;
	}
	if (clash) {
		fprintf(stderr, "xensim: --seeds runs many guests, one after "
			"another: not with %s\n", clash);
		exit(1);
	}
}

/* The stub for --gdb: 0, or 1 with a message (a bad address, a native
 * guest, --seeds). */
static int gdb_start(struct sim_config *cfg)
{
	char err[300];

	if (!opts.gdb_spec && !opts.gdb_wait)
		return 0;
	cfg->gdb = sim_gdb_start(opts.gdb_spec, opts.gdb_wait, cfg->runtime,
				 opts.sweeping, err, sizeof(err));
	if (cfg->gdb)
		return 0;
	fprintf(stderr, "xensim: %s\n", err);
	return 1;
}

/* What the on_* actions did to a domain, for its last line: "" or
 * "; restarted 2 times", "; preserved (on_crash = \"preserve\")", ... */
static void action_note(const struct sim_config *cfg,
			const struct sim_result *res, char *buf, size_t len)
{
	int n = 0;

	buf[0] = '\0';
	if (res->restarts)
		n = snprintf(buf, len, "; restarted %u time%s", res->restarts,
			     res->restarts == 1 ? "" : "s");
	if (n < 0 || (size_t)n >= len)
		return;
	if (res->restart_limit)
		snprintf(buf + n, len - (size_t)n, "; not restarted again: "
			 "--max-restarts %u reached", cfg->max_restarts);
	else if (res->preserved && res->outcome == SIM_SUSPEND)
		snprintf(buf + n, len - (size_t)n, "; kept suspended (Xen 4.17 "
			 "on ARM cannot resume it)");
	else if (res->preserved)
		snprintf(buf + n, len - (size_t)n, "; preserved (%s = "
			 "\"preserve\")", sim_action_key(res));
}

/* Run, acting as on_poweroff/on_reboot/on_crash/on_watchdog say: a
 * restart boots the domain again under the next domid, as xl does, at
 * most cfg->max_restarts times. */
static int run_with_actions(const struct sim_config *base,
			    struct sim_result *res)
{
	struct sim_config cfg = *base;
	unsigned restarts = 0;
	enum sim_action act;
	char note[160];
	int code;

	for (;;) {
		code = sim_run(&cfg, res);
		act = sim_action_for(&cfg, res);
		if (act != SIM_ACTION_RESTART)
			break;
		if (restarts == cfg.max_restarts) {
			res->restart_limit = true;
			break;
		}
		restarts++;
		fprintf(stderr, "xensim: d%u %s: %s: restarting (%s = "
			"\"restart\", restart %u of at most %u)\n", cfg.domid,
			cfg.name, sim_outcome_name(res->outcome),
			sim_action_key(res), restarts, cfg.max_restarts);
		cfg.domid = sim_next_domid(cfg.domid, NULL, NULL);
	}
	res->restarts = restarts;
	res->preserved = act == SIM_ACTION_PRESERVE;
	action_note(&cfg, res, note, sizeof(note));
	if (code || note[0])
		fprintf(stderr, "xensim: %s: %s%s\n",
			sim_outcome_name(res->outcome), res->message, note);
	if (cfg.faults)
		fprintf(stderr, "trace-hash: %016" PRIx64 "\n",
			res->trace_hash);
	return code;
}

/* --trace: the file is created before anything runs; exits 1 when it
 * cannot be. */
static void open_trace(struct sim_config *cfg)
{
	char err[400];

	if (!opts.trace_path)
		return;
	cfg->trace = sim_trace_open(opts.trace_path, err, sizeof(err));
	if (!cfg->trace) {
		fprintf(stderr, "xensim: --trace: %s\n", err);
		exit(1);
	}
}

/* The run's exit status, or 1 when its trace could not be finished. */
static int close_trace(struct sim_config *cfg, int code)
{
	char err[400];

	if (sim_trace_close(cfg->trace, err, sizeof(err))) {
		fprintf(stderr, "xensim: --trace: %s\n", err);
		return code ? code : 1;
	}
	return code;
}

/* xensim trace-report TRACE.json [-o OUT.html] (default: TRACE.html). */
static int trace_report_main(int argc, char **argv)
{
	char out[4096], err[600];
	const char *html = NULL;
	size_t n;

	if (argc == 4 && strcmp(argv[2], "-o") == 0)
		html = argv[3];
	else if (argc != 2) {
		fprintf(stderr, "usage: xensim trace-report TRACE.json "
			"[-o OUT.html]\n");
		return 1;
	}
	if (!html) {
		n = strlen(argv[1]);
		if (n > 5 && strcmp(argv[1] + n - 5, ".json") == 0)
			n -= 5;
		if (n + 6 > sizeof(out)) {
			fprintf(stderr, "xensim: trace-report: name too long\n");
			return 1;
		}
		snprintf(out, sizeof(out), "%.*s.html", (int)n, argv[1]);
		html = out;
	}
	if (sim_trace_report(argv[1], html, err, sizeof(err))) {
		fprintf(stderr, "xensim: trace-report: %s\n", err);
		return 1;
	}
	printf("%s\n", html);
	return 0;
}

/* ---- several domains ---- */

static struct sim_domcfg many_domcfg[SIM_WORLD_MAX];
static char many_names[SIM_WORLD_MAX][SIM_NAME_MAX];

/* Domain i of a run of several from arg (a kernel or a config), with the
 * run-wide options in base. Exits 1 on a bad one. */
static void many_domain(struct sim_config *cfg, const struct sim_config *base,
			unsigned i, const char *arg)
{
	struct sim_domcfg *dc = &many_domcfg[i];
	char err[600];

	*cfg = *base;
	cfg->domid = (uint16_t)(i + 1);
	cfg->channels = NULL;
	cfg->n_channels = 0;
	snprintf(many_names[i], sizeof(many_names[i]), "guest-%u", i + 1);
	cfg->name = many_names[i];
	if (!is_config_name(arg)) {
		pick_runtime(cfg, arg);
		return;
	}
	if (sim_domcfg_load(arg, dc, err, sizeof(err))) {
		fprintf(stderr, "xensim: %s\n", err);
		exit(1);
	}
	if (dc->set & SIM_DOMCFG_NAME)
		cfg->name = dc->name;
	if (dc->set & SIM_DOMCFG_MEMORY)
		cfg->memory_mib = dc->memory_mib;
	if (dc->set & SIM_DOMCFG_VCPUS)
		cfg->vcpus = dc->vcpus;
	if (dc->set & SIM_DOMCFG_CMDLINE)
		cfg->bootargs = dc->cmdline;
	if (dc->set & SIM_DOMCFG_RAMDISK)
		cfg->ramdisk = dc->ramdisk;
	if (dc->set & SIM_DOMCFG_GIC)
		cfg->gic = (enum hv_gic_version)dc->gic;
	cfg->disks = dc->disks;
	cfg->n_disks = dc->n_disks;
	cfg->channels = dc->channels;
	cfg->n_channels = dc->n_channels;
	if (sim_channels_check(dc->channels, dc->n_channels, err, sizeof(err))) {
		fprintf(stderr, "xensim: %s: %s\n", arg, err);
		exit(1);
	}
	cfg->vifs = (const char (*)[256])dc->vifs;
	cfg->n_vifs = dc->n_vifs;
	cfg->on_poweroff = dc->on_poweroff;
	cfg->on_reboot = dc->on_reboot;
	cfg->on_crash = dc->on_crash;
	cfg->on_watchdog = dc->on_watchdog;
	/* No kernel: the guest built into xensim, as for one domain. */
	cfg->runtime = SIM_NATIVE;
	cfg->kernel = NULL;
	if (dc->kernel[0])
		pick_runtime(cfg, dc->kernel);
}

/* Two domains of a run must not share a name, as xl refuses it. */
static void check_names(const struct sim_config *cfgs, char **args,
			unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < i; j++)
			if (strcmp(cfgs[i].name, cfgs[j].name) == 0) {
				fprintf(stderr, "xensim: %s and %s both name "
					"their domain \"%s\"; names must "
					"differ\n", args[j], args[i],
					cfgs[i].name);
				exit(1);
			}
}

static int run_many(const struct sim_config *base, char **args, unsigned n)
{
	static struct sim_config cfgs[SIM_WORLD_MAX];
	static struct sim_result res[SIM_WORLD_MAX];
	int code;

	if (base->control_path || base->dump_keys) {
		fprintf(stderr, "xensim: --control and --dump-on-exit take one "
			"domain's run; give one KERNEL or CONFIG\n");
		return 1;
	}
	if (opts.one_domain_opt) {
		fprintf(stderr, "xensim: %s describes one domain; with several "
			"domains give it in each domain's config\n",
			opts.one_domain_opt);
		return 1;
	}
	if (opts.sweeping || opts.sweep.transcripts) {
		fprintf(stderr, "xensim: --seeds and --transcripts sweep one "
			"domain; give one KERNEL or CONFIG\n");
		return 1;
	}
	if (n > SIM_WORLD_MAX) {
		fprintf(stderr, "xensim: %u domains given; a run takes at most "
			"%u\n", n, SIM_WORLD_MAX);
		return 1;
	}
	for (unsigned i = 0; i < n; i++)
		many_domain(&cfgs[i], base, i, args[i]);
	check_names(cfgs, args, n);
	check_pcaps(cfgs, n);
	if (gdb_start(&cfgs[0]))
		return 1;
	for (unsigned i = 1; i < n; i++)
		cfgs[i].gdb = cfgs[0].gdb;
	setvbuf(stdout, NULL, _IOLBF, 0);
	code = sim_run_world(cfgs, n, res);
	sim_gdb_close(cfgs[0].gdb, code);
	for (unsigned i = 0; i < n; i++) {
		char note[160];

		action_note(&cfgs[i], &res[i], note, sizeof(note));
		fprintf(stderr, "xensim: d%u %s: %s: %s%s\n",
			res[i].domid ? res[i].domid : cfgs[i].domid,
			cfgs[i].name, sim_outcome_name(res[i].outcome),
			res[i].message[0] ? res[i].message : "not started",
			note);
	}
	return code;
}

/* The command line that runs this again, quoted for a POSIX shell: what
 * a crash report tells its reader to type. */
static const char *replay_line(int argc, char **argv)
{
	static char line[4096];
	size_t n = 0;

	for (int i = 0; i < argc; i++) {
		bool plain = argv[i][0] != '\0';

		for (const char *p = argv[i]; *p; p++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789-_=.,/:+@%", *p))
				plain = false;
		n += (size_t)snprintf(line + n, sizeof(line) - n,
				      plain ? "%s%s" : "%s'%s'",
				      i ? " " : "", argv[i]);
		if (n >= sizeof(line))
			return NULL;     /* too long to quote whole */
	}
	return line;
}

int main(int argc, char **argv)
{
	struct sim_config cfg;
	struct sim_result res;
	bool native;
	int code;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(sim_run_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 1 : 0;
	}
	if (strcmp(argv[1], "sim") == 0)
		return sim_cmd_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "debug-keys") == 0)
		return sim_debug_keys_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "block-detach") == 0 ||
	    strcmp(argv[1], "block-attach") == 0)
		return sim_block_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "trace-report") == 0)
		return trace_report_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "run") != 0) {
		fprintf(stderr, "xensim: unknown command \"%s\" (try --help)\n",
			argv[1]);
		return 1;
	}
	sim_config_init(&cfg);
	/* A user's run has no instruction budget, as QEMU and xl have none:
	 * a guest doing real work must not stop at a count it cannot know.
	 * The virtual-time --timeout stays; a guest stuck in a loop that
	 * never traps runs until interrupted (Ctrl-C ends it cleanly). */
	cfg.max_insns = 0;
	cfg.catch_signals = true;
	cfg.replay = replay_line(argc, argv);
	cfg.crash_reports = true;
	native = sim_run_parse(argc - 1, argv + 1, &cfg, &opts);
	if (optind + 1 < argc - 1) {
		if (!opts.sweeping && !opts.sweep.transcripts)
			open_trace(&cfg);
		return close_trace(&cfg, run_many(&cfg, argv + optind + 1,
					(unsigned)(argc - 1 - optind)));
	}
	if (optind < argc - 1 && is_config_name(argv[optind + 1])) {
		/* The file first, then the options again: they override it. */
		apply_config_file(&cfg, argv[optind + 1]);
		optind = 0;
		native = sim_run_parse(argc - 1, argv + 1, &cfg, &opts) || !domcfg.kernel[0];
		if (domcfg.kernel[0]) {
			if (native) {
				fprintf(stderr, "xensim: --native and a config "
					"with a kernel: choose one\n");
				return 1;
			}
			pick_runtime(&cfg, domcfg.kernel);
		}
	} else if (optind < argc - 1) {
		if (native) {
			fprintf(stderr, "xensim: --native and a KERNEL: choose "
				"one\n");
			return 1;
		}
		pick_runtime(&cfg, argv[optind + 1]);
	}
	gather_channels(&cfg);
	check_sweep(&cfg);
	check_pcaps(&cfg, 1);
	if (gdb_start(&cfg))
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A sweep's seeds end on their own lines, not in reports. */
	cfg.crash_reports = !opts.sweeping;
	if (opts.sweeping)
		return sim_sweep_run(&cfg, &opts.sweep);
	open_trace(&cfg);
	code = close_trace(&cfg, run_with_actions(&cfg, &res));
	sim_gdb_close(cfg.gdb, code);
	return code;
}
