/* SPDX-License-Identifier: BSD-2-Clause */
/* xensim run's command line: the help text, the options table and their
 * parsing into a sim_config. Every value is checked where it is read;
 * a bad one ends the program with a message and exit status 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "hv/blkback.h"
#include "hv/keyhandler.h"
#include "run_opts.h"

const char sim_run_usage[] =
"usage: xensim run [OPTIONS] [KERNEL | CONFIG.cfg]\n"
"       xensim run [OPTIONS] KERNEL|CONFIG.cfg KERNEL|CONFIG.cfg...\n"
"       xensim sim [OPTIONS] [KERNEL]   (seeded fault runs: sim --help)\n"
"       xensim debug-keys --control PATH KEYS   (Xen's debug keys)\n"
"       xensim block-detach|block-attach --control PATH VDEV|DISKSPEC\n"
"       xensim trace-report TRACE.json [-o OUT.html]\n"
"       xensim --help\n"
"\n"
"Boot a Xen-on-ARM guest against xensim's model of Xen 4.17 and its dom0,\n"
"show the guest's console on stdout and exit with its shutdown reason.\n"
"\n"
"KERNEL is recognised by its header and loaded as Xen's toolstack loads a\n"
"domU's kernel:\n"
"  arm64 Image   at RAM base + text_offset, run by an emulated Cortex-A57\n"
"  arm32 zImage  at RAM base + 0x8000, run by an emulated Cortex-A15\n"
"                (ARM or Thumb-2 code)\n"
"  xensim itself the guest built into xensim, run natively (as --native)\n"
"The device tree goes below 128 MiB, 2 MiB aligned; its address is in x0\n"
"(arm64) or r2 (arm32). Without KERNEL the built-in guest runs natively.\n"
"\n"
"CONFIG.cfg (a file whose name ends in .cfg) is a domain config in xl.cfg\n"
"syntax, as `xl create` reads it: name, type, memory, vcpus, kernel,\n"
"ramdisk, cmdline or root/extra, gic_version, disk, vif, channel,\n"
"on_poweroff, on_reboot, on_crash, on_watchdog\n"
"(fixtures/domains/README.md). Options given here override it;\n"
"--channel adds channels after the file's.\n"
"\n"
"Several KERNELs or CONFIGs run as domains 1, 2, ... of one machine,\n"
"sharing dom0, xenstored and virtual time: arm64, arm32 and native ones\n"
"(xensim's own path, or a config without kernel, is the native guest,\n"
"each domain with its own copy of its globals). One vCPU runs at a time,\n"
"switched when it waits or after a quantum of hypercalls the seed\n"
"decides; a domain that stops leaves the others running, and its\n"
"config's on_poweroff, on_reboot, on_crash (a fault too) or on_watchdog\n"
"is done: destroy, restart (under the next free domid, as xl does) or\n"
"preserve (kept, xenstore entries too, until the run ends). A domain\n"
"without a name in its config is guest-N (N its domid). The options that\n"
"describe one domain (-m, --vcpus, --name, --domid, --gic, --bootargs,\n"
"--dtb, --dump-dtb, --ramdisk, --console, --channel, --native) are\n"
"refused: give them in each config.\n"
"The last lines (stderr) give each domain's outcome, \"xensim: dN NAME:\n"
"OUTCOME: ...\"; the exit status is 0 when every domain powered off,\n"
"else that of the first one given that did not.\n"
"\n"
"options:\n"
"  --native            run the built-in native guest\n"
"  -m, --memory MIB    guest RAM in MiB, 16..16384 within what the layout\n"
"                      gives (4.5: bank 0 holds 3072, more goes on into\n"
"                      bank 1 at 8 GiB; 4.4: 768) (default 128)\n"
"      --vcpus N       vCPUs, 1..8 (default 1)\n"
"      --name NAME     domain name (default \"guest\")\n"
"      --domid N       domain id, 1..7 (default 1)\n"
"      --gic 2|3       GIC version advertised in the device tree (default 2)\n"
"      --layout 4.4|4.5\n"
"                      the guest memory map of that Xen version: where RAM,\n"
"                      the grant window, the GIC and the console and\n"
"                      xenstore pages are (default 4.5, as Xen 4.17;\n"
"                      4.4 has no GICv3)\n"
"      --bootargs STR  /chosen/bootargs for the guest, at most 2047 bytes\n"
"      --dtb FILE      give the guest FILE instead of the generated tree;\n"
"                      -m, --vcpus and --gic still size the machine (RAM,\n"
"                      vCPUs, GIC model) and FILE must describe it; with\n"
"                      --bootargs (or a config's cmdline) it is refused:\n"
"                      FILE's /chosen/bootargs is the guest's\n"
"      --dump-dtb FILE write the device tree the guest gets to FILE\n"
"      --ramdisk FILE  an initial ramdisk (initramfs) for the kernel, as\n"
"                      xl.cfg's ramdisk: loaded below the device tree, its\n"
"                      place in /chosen linux,initrd-start and -end\n"
"      --seed N        seed for every interleaving: 0 (the default) runs\n"
"                      dom0 right after each hypercall, others postpone it\n"
"                      at points the seed decides; same seed, same run\n"
"      --seeds A-B     one run per seed from A to B, in this process (the\n"
"                      emulator and the code it translated are kept from\n"
"                      one run to the next): a line per seed with its\n"
"                      outcome and a digest of its console (not shown),\n"
"                      then a summary with the rate; exit status 0 when\n"
"                      every run's is, else the first other one. Not with\n"
"                      --seed, --console, --channel, --xenstore-socket\n"
"      --transcripts DIR  with --seeds: write each run's console, as\n"
"                      `xensim run --seed N` prints it, to DIR/N.log\n"
"      --faults LIST   inject faults the seed decides: all, or a comma-\n"
"                      separated list of timing, events, restart, grants,\n"
"                      ring, xs-eagain, cpu-off, reclose (default none); the\n"
"                      run then ends\n"
"                      printing \"trace-hash: H\" on stderr (the same seed\n"
"                      gives the same H)\n"
"      --trace FILE.json  write what the machine did as a Chrome/Perfetto\n"
"                      trace on virtual time: hypercalls, event sends and\n"
"                      upcalls, ring traffic, xenbus states and block I/O\n"
"                      per device, xenstore requests (not with --seeds);\n"
"                      `xensim trace-report FILE.json` draws it as HTML\n"
"      --no-xenstore   give the guest no xenstore (like a dom0less domU)\n"
"      --xl            build the domain as xl 4.17 builds a domU, not as Xen\n"
"                      builds a dom0less one: libxl's device tree (root\n"
"                      compatible \"xen,xenvm\"), a UUID as its handle, no\n"
"                      console_io (-EPERM), a maximum 1 MiB above its RAM\n"
"                      and 4 magic pages populated beyond it\n"
"      --xen-debug     act as a debug build of Xen (debug=y): the debug\n"
"                      hypercalls hvc #0xFFxx print registers, the PC,\n"
"                      characters and the vCPU state; by default, as a\n"
"                      release build (Debian's), they and every hvc\n"
"                      immediate but 0 and 0xEA1 are undefined: the guest\n"
"                      takes an undefined-instruction exception\n"
"      --xenstore-socket PATH\n"
"                      also serve xenstore on a unix socket at PATH for\n"
"                      dom0 tools: XENSTORED_PATH=PATH xenstore-ls\n"
"      --console MODE  the guest's PV console: stdio (its lines on stdout\n"
"                      as \"(dN) ...\", input from stdin), pty, unix:PATH\n"
"                      or tcp:127.0.0.1:PORT (the raw stream, as `xl\n"
"                      console` shows it; the place is printed on stderr;\n"
"                      port 0 picks a free one). Default: stdout, no input\n"
"      --channel SPEC  a channel: a secondary PV console with a name, in\n"
"                      xl.cfg's syntax: name=NAME,connection=pty or\n"
"                      name=NAME,connection=socket,path=PATH (dom0 listens\n"
"                      on a unix socket there); repeat for more (at most\n"
"                      8). The guest finds channel N at device/console/N;\n"
"                      where its end is (the pty) is printed on stderr\n"
"      --timeout TIME  end the run (exit 6) when virtual time reaches TIME:\n"
"                      a whole number with ns, us, ms, s (the default\n"
"                      unit) or min; 0 for no limit (default 10s)\n"
"      --max-insns N   end the run (exit 6) once the guest has executed N\n"
"                      instructions, each trap into the model counting\n"
"                      1000 (natively only those are counted); 0 for no\n"
"                      limit (default: none, as with QEMU and xl; tests\n"
"                      give one so that a guest stuck in a loop ends)\n"
"      --max-restarts N\n"
"                      restarts a domain may take when its config says\n"
"                      restart (on_poweroff, on_reboot, on_crash,\n"
"                      on_watchdog), 0..100 (default 3); then it stays\n"
"                      down\n"
"      --blkback OPTS  features dom0's block backend offers every disk,\n"
"                      comma-separated: no-flush, no-barrier, no-discard,\n"
"                      no-discard-secure, no-persistent, no-indirect,\n"
"                      sector-size=512|4096, physical-sector-size=512|4096,\n"
"                      max-ring-page-order=0..4, max-queues=1..4,\n"
"                      max-indirect-segments=0|12..256 (default: all on,\n"
"                      512-byte sectors, order 4, 4 queues, 256 segments)\n"
"      --gdb tcp:127.0.0.1:PORT | unix:PATH\n"
"                      serve gdb's remote protocol for the guest's vCPUs,\n"
"                      one thread each (PORT 0: a free one; the place is\n"
"                      printed on stderr); emulated guests only\n"
"      --gdb-wait      with --gdb: hold the guest at its first instruction\n"
"                      until gdb attaches and lets it go\n"
"      --control PATH  listen on a unix socket at PATH for Xen's debug keys:\n"
"                      xensim debug-keys --control PATH KEYS prints their\n"
"                      dumps (on the console, Ctrl-a three times switches\n"
"                      the input to Xen and back)\n"
"      --dump-on-exit[=KEYS]\n"
"                      when the run ends, print the dumps of KEYS (default\n"
"                      qeg: domains, event channels, grant tables)\n"
"      --crash-report FILE\n"
"                      when the guest crashes or faults, write the crash\n"
"                      report (also on stderr) to FILE too\n"
"      --symbols ELF   the guest ELF that symbolizes crash backtraces\n"
"                      (default: KERNEL.elf when it exists)\n"
"      --pcap [WHERE=]FILE\n"
"                      write the frames of the switch xensim0 (WHERE\n"
"                      absent or xensim0: every frame it took in) or of\n"
"                      one vif (WHERE vifD.N: domain D's vif N, both\n"
"                      ways) to FILE in pcap format, stamped with virtual\n"
"                      time (same run, same file); repeat for more\n"
"      --suspend-resume[=new-host|cancel]\n"
"                      resume a domain that suspends (SCHEDOP_shutdown,\n"
"                      SHUTDOWN_suspend) as Xen's toolstack does for x86\n"
"                      guests, instead of keeping it suspended as Xen 4.17\n"
"                      on ARM does (exit 7). new-host (the default): as\n"
"                      restored on another host, the call returns 0 with\n"
"                      event channels, grant table, shared_info, xenstore\n"
"                      entries and every backend built anew; cancel: the\n"
"                      call returns 1, all still connected\n"
"      --suspend-cycles N\n"
"                      dom0's toolstack writes control/shutdown = suspend\n"
"                      N times (1..1000), each at a virtual time the seed\n"
"                      picks once the guest advertises\n"
"                      control/feature-suspend, then poweroff (without\n"
"                      --suspend-resume the first suspend is the last);\n"
"                      with several domains both apply to each, whose\n"
"                      toolstack asks at times of its own\n"
"      --net-socket udp:HOST:PORT[,local=HOST:PORT]\n"
"                      one more switch port: each frame a UDP datagram\n"
"                      to and from a host program at HOST:PORT (IPv4),\n"
"                      from local= (default 127.0.0.1, a free port);\n"
"                      what it sends is taken in when the guests idle\n"
"  -v, --verbose       show the model's messages (twice: every hypercall)\n"
"  -q, --quiet         show only errors from the model\n"
"  -h, --help          this text\n"
"\n"
"exit status: 0 poweroff, 1 usage or setup error, 2 guest crash or fault,\n"
"3 reboot, 4 other shutdown reason, 5 guest halted or deadlocked,\n"
"6 timeout or instruction budget used up (the message names the PC),\n"
"7 suspended (Xen 4.17 on ARM cannot resume it: it stays as it stopped;\n"
"see --suspend-resume),\n"
"130 interrupted by SIGINT, 143 by SIGTERM (the run stops the guest, says\n"
"so and removes its socket; a second signal ends xensim at once).\n";

enum { OPT_NATIVE = 256, OPT_VCPUS, OPT_NAME, OPT_DOMID, OPT_GIC,
       OPT_BOOTARGS, OPT_DTB, OPT_DUMP_DTB, OPT_RAMDISK, OPT_SEED, OPT_NO_XENSTORE,
       OPT_XL,
       OPT_XENSTORE_SOCKET, OPT_CONSOLE, OPT_TIMEOUT, OPT_MAX_INSNS,
       OPT_BLKBACK, OPT_CHANNEL, OPT_SEEDS, OPT_TRANSCRIPTS,
       OPT_XEN_DEBUG, OPT_FAULTS, OPT_LAYOUT, OPT_GDB, OPT_GDB_WAIT,
       OPT_CONTROL, OPT_DUMP_ON_EXIT, OPT_CRASH_REPORT, OPT_SYMBOLS,
       OPT_TRACE, OPT_PCAP, OPT_NET_SOCKET, OPT_MAX_RESTARTS,
       OPT_SUSPEND_RESUME, OPT_SUSPEND_CYCLES };

static const struct option options[] = {
	{ "native", no_argument, NULL, OPT_NATIVE },
	{ "memory", required_argument, NULL, 'm' },
	{ "vcpus", required_argument, NULL, OPT_VCPUS },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "domid", required_argument, NULL, OPT_DOMID },
	{ "gic", required_argument, NULL, OPT_GIC },
	{ "layout", required_argument, NULL, OPT_LAYOUT },
	{ "bootargs", required_argument, NULL, OPT_BOOTARGS },
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "dump-dtb", required_argument, NULL, OPT_DUMP_DTB },
	{ "ramdisk", required_argument, NULL, OPT_RAMDISK },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "seeds", required_argument, NULL, OPT_SEEDS },
	{ "transcripts", required_argument, NULL, OPT_TRANSCRIPTS },
	{ "no-xenstore", no_argument, NULL, OPT_NO_XENSTORE },
	{ "xl", no_argument, NULL, OPT_XL },
	{ "xen-debug", no_argument, NULL, OPT_XEN_DEBUG },
	{ "xenstore-socket", required_argument, NULL, OPT_XENSTORE_SOCKET },
	{ "console", required_argument, NULL, OPT_CONSOLE },
	{ "channel", required_argument, NULL, OPT_CHANNEL },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "max-insns", required_argument, NULL, OPT_MAX_INSNS },
	{ "max-restarts", required_argument, NULL, OPT_MAX_RESTARTS },
	{ "blkback", required_argument, NULL, OPT_BLKBACK },
	{ "faults", required_argument, NULL, OPT_FAULTS },
	{ "gdb", required_argument, NULL, OPT_GDB },
	{ "gdb-wait", no_argument, NULL, OPT_GDB_WAIT },
	{ "control", required_argument, NULL, OPT_CONTROL },
	{ "dump-on-exit", optional_argument, NULL, OPT_DUMP_ON_EXIT },
	{ "crash-report", required_argument, NULL, OPT_CRASH_REPORT },
	{ "symbols", required_argument, NULL, OPT_SYMBOLS },
	{ "trace", required_argument, NULL, OPT_TRACE },
	{ "pcap", required_argument, NULL, OPT_PCAP },
	{ "net-socket", required_argument, NULL, OPT_NET_SOCKET },
	{ "suspend-resume", optional_argument, NULL, OPT_SUSPEND_RESUME },
	{ "suspend-cycles", required_argument, NULL, OPT_SUSPEND_CYCLES },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* A whole decimal (or 0x hex) number within [min, max], else exit 1. */
static uint64_t number(const char *opt, const char *s, uint64_t min,
		       uint64_t max)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max) {
		fprintf(stderr, "xensim: %s wants a number from %" PRIu64
			" to %" PRIu64 ", not \"%s\"\n", opt, min, max, s);
		exit(1);
	}
	return v;
}

/* --console MODE, checked before anything runs; exit 1 on a bad one. */
static void console_mode(struct sim_config *cfg, const char *mode)
{
	char err[300];

	if (sim_console_check_spec(mode, err, sizeof(err))) {
		fprintf(stderr, "xensim: %s\n", err);
		exit(1);
	}
	cfg->console = mode;
}

/* --blkback: checked here, so a bad list is a usage error at once. */
static void blkback_opts(const char *opts)
{
	struct hv_blkback_features f;
	char err[300];

	hv_blkback_features_default(&f);
	if (hv_blkback_features_parse(opts, &f, err, sizeof(err))) {
		fprintf(stderr, "xensim: %s\n", err);
		exit(1);
	}
}

/* --dump-on-exit[=KEYS]: every key must be one Xen has (hv/keyhandler.h). */
static const char *dump_keys_opt(const char *keys)
{
	if (!keys)
		return "qeg";
	if (!keys[0]) {
		fprintf(stderr, "xensim: --dump-on-exit= wants keys\n");
		exit(1);
	}
	for (const char *k = keys; *k; k++)
		if (!hv_debug_key_known((unsigned char)*k)) {
			fprintf(stderr, "xensim: --dump-on-exit: no debug key "
				"'%c' (xensim debug-keys --help lists them)\n",
				*k);
			exit(1);
		}
	return keys;
}

/* --faults: checked here, a bad list is a usage error at once. */
static void faults_opt(struct sim_config *cfg, const char *list)
{
	char err[300];

	if (hv_faults_parse(list, &cfg->faults, err, sizeof(err))) {
		fprintf(stderr, "xensim: --faults: %s\n", err);
		exit(1);
	}
}

/* --channel, repeatable: appended to opts->channels. */
static void channel_opt(struct sim_run_opts *opts, const char *spec)
{
	char err[300];

	if (opts->n_channels == SIM_MAX_CHANNELS) {
		fprintf(stderr, "xensim: --channel: more than %u channels\n",
			SIM_MAX_CHANNELS);
		exit(1);
	}
	if (sim_channel_parse(spec, &opts->channels[opts->n_channels], err,
			      sizeof(err))) {
		fprintf(stderr, "xensim: --channel '%s': %s\n", spec, err);
		exit(1);
	}
	opts->n_channels++;
}

/* --pcap, repeatable; --net-socket: checked at once (exit 1). */
static void pcap_opt(struct sim_config *cfg, struct sim_run_opts *opts,
		     const char *arg)
{
	char err[200];

	if (opts->n_pcaps == SIM_MAX_PCAPS) {
		fprintf(stderr, "xensim: --pcap: more than %u captures\n",
			SIM_MAX_PCAPS);
		exit(1);
	}
	if (sim_pcap_parse(arg, &opts->pcaps[opts->n_pcaps], err, sizeof(err))) {
		fprintf(stderr, "xensim: --pcap '%s': %s\n", arg, err);
		exit(1);
	}
	cfg->pcaps = opts->pcaps;
	cfg->n_pcaps = ++opts->n_pcaps;
}

static void net_socket_opt(struct sim_config *cfg, const char *spec)
{
	char err[200];

	if (sim_tunnel_check(spec, err, sizeof(err))) {
		fprintf(stderr, "xensim: --net-socket '%s': %s\n", spec, err);
		exit(1);
	}
	cfg->net_socket = spec;
}

static void suspend_resume_opt(struct sim_config *cfg, const char *mode)
{
	if (!mode || strcmp(mode, "new-host") == 0) {
		cfg->suspend_resume = SIM_RESUME_NEW_HOST;
	} else if (strcmp(mode, "cancel") == 0) {
		cfg->suspend_resume = SIM_RESUME_CANCEL;
	} else {
		fprintf(stderr, "xensim: --suspend-resume wants new-host or "
			"cancel, not \"%s\"\n", mode);
		exit(1);
	}
}

/* The toolstack asks through xenstore. */
static void suspend_resume_check(const struct sim_config *cfg)
{
	if (cfg->suspend_cycles && cfg->no_xenstore) {
		fprintf(stderr, "xensim: --suspend-cycles asks through "
			"xenstore (drop --no-xenstore)\n");
		exit(1);
	}
}

/* Note the first option given that describes one domain: a run of
 * several domains refuses it. */
static void note_domain_opt(struct sim_run_opts *opts, int c)
{
	static const struct { int c; const char *name; } per_domain[] = {
		{ OPT_NATIVE, "--native" }, { 'm', "--memory" },
		{ OPT_VCPUS, "--vcpus" }, { OPT_NAME, "--name" },
		{ OPT_DOMID, "--domid" }, { OPT_GIC, "--gic" },
		{ OPT_BOOTARGS, "--bootargs" }, { OPT_DTB, "--dtb" },
		{ OPT_DUMP_DTB, "--dump-dtb" }, { OPT_CONSOLE, "--console" },
		{ OPT_CHANNEL, "--channel" }, { OPT_RAMDISK, "--ramdisk" },
	};

	for (size_t i = 0; i < sizeof(per_domain) / sizeof(per_domain[0]); i++)
		if (per_domain[i].c == c && !opts->one_domain_opt)
			opts->one_domain_opt = per_domain[i].name;
}

bool sim_run_parse(int argc, char **argv, struct sim_config *cfg,
		   struct sim_run_opts *opts)
{
	int verbose = 0, c;
	bool native = false;

	opts->n_channels = 0;
	opts->n_pcaps = 0;

	while ((c = getopt_long(argc, argv, "m:vqh", options, NULL)) != -1) {
		note_domain_opt(opts, c);
		switch (c) {
		case OPT_NATIVE:
			cfg->runtime = SIM_NATIVE;
			native = true;
			break;
		case 'm':
			cfg->memory_mib = number("--memory", optarg, 16,
						 SIM_MEMORY_MAX_MIB);
			break;
		case OPT_VCPUS:
			cfg->vcpus = (unsigned)number("--vcpus", optarg, 1, HV_MAX_VCPUS);
			break;
		case OPT_NAME:
			cfg->name = optarg;
			break;
		case OPT_DOMID:
			cfg->domid = (uint16_t)number("--domid", optarg, 1, 7);
			break;
		case OPT_GIC:
			cfg->gic = (enum hv_gic_version)number("--gic", optarg, 2, 3);
			break;
		case OPT_LAYOUT:
			cfg->layout = hv_layout_find(optarg);
			if (!cfg->layout) {
				fprintf(stderr, "xensim: --layout wants %s, not "
					"\"%s\"\n", hv_layout_names(), optarg);
				exit(1);
			}
			break;
		case OPT_BOOTARGS:
			cfg->bootargs = optarg;
			break;
		case OPT_DTB:
			cfg->dtb_file = optarg;
			break;
		case OPT_DUMP_DTB:
			cfg->dump_dtb = optarg;
			break;
		case OPT_RAMDISK:
			cfg->ramdisk = optarg;
			break;
		case OPT_SEED:
			cfg->seed = number("--seed", optarg, 0, UINT64_MAX);
			opts->seed_given = true;
			break;
		case OPT_SEEDS:
			if (sim_sweep_parse(optarg, &opts->sweep.first, &opts->sweep.last)) {
				fprintf(stderr, "xensim: --seeds wants A-B, two "
					"decimal numbers with A <= B, not "
					"\"%s\"\n", optarg);
				exit(1);
			}
			opts->sweeping = true;
			break;
		case OPT_TRANSCRIPTS:
			opts->sweep.transcripts = optarg;
			break;
		case OPT_FAULTS:
			faults_opt(cfg, optarg);
			break;
		case OPT_GDB:
			opts->gdb_spec = optarg;
			break;
		case OPT_GDB_WAIT:
			opts->gdb_wait = true;
			break;
		case OPT_CONTROL:
			cfg->control_path = optarg;
			break;
		case OPT_DUMP_ON_EXIT:
			cfg->dump_keys = dump_keys_opt(optarg);
			break;
		case OPT_CRASH_REPORT:
			cfg->crash_report = optarg;
			break;
		case OPT_SYMBOLS:
			cfg->symbols = optarg;
			break;
		case OPT_TRACE:
			opts->trace_path = optarg;
			break;
		case OPT_NO_XENSTORE:
			cfg->no_xenstore = true;
			break;
		case OPT_XL:
			cfg->xl_domain = true;
			break;
		case OPT_XEN_DEBUG:
			cfg->xen_debug = true;
			break;
		case OPT_XENSTORE_SOCKET:
			cfg->xenstore_socket = optarg;
			break;
		case OPT_CONSOLE:
			console_mode(cfg, optarg);
			break;
		case OPT_CHANNEL:
			channel_opt(opts, optarg);
			break;
		case OPT_TIMEOUT:
			if (sim_parse_duration(optarg, &cfg->timeout_ns)) {
				fprintf(stderr, "xensim: --timeout wants a whole "
					"number with ns, us, ms, s or min (e.g. "
					"500ms), not \"%s\"\n", optarg);
				exit(1);
			}
			break;
		case OPT_MAX_INSNS:
			cfg->max_insns = number("--max-insns", optarg, 0,
						SIM_MAX_INSNS_LIMIT);
			break;
		case OPT_MAX_RESTARTS:
			cfg->max_restarts = (unsigned)number("--max-restarts",
							     optarg, 0, 100);
			break;
		case OPT_PCAP:
			pcap_opt(cfg, opts, optarg);
			break;
		case OPT_NET_SOCKET:
			net_socket_opt(cfg, optarg);
			break;
		case OPT_SUSPEND_RESUME:
			suspend_resume_opt(cfg, optarg);
			break;
		case OPT_SUSPEND_CYCLES:
			cfg->suspend_cycles = (unsigned)number("--suspend-cycles",
							       optarg, 1, 1000);
			break;
		case OPT_BLKBACK:
			blkback_opts(optarg);
			cfg->blkback_opts = optarg;
			break;
		case 'v':
			verbose++;
			break;
		case 'q':
			cfg->log_level = HV_LOG_ERR;
			break;
		case 'h':
			fputs(sim_run_usage, stdout);
			exit(0);
		default:
			fputs(sim_run_usage, stderr);
			exit(1);
		}
	}
	if (verbose)
		cfg->log_level = verbose > 1 ? HV_LOG_DEBUG : HV_LOG_INFO;
	suspend_resume_check(cfg);
	return native;
}

