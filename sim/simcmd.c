/* SPDX-License-Identifier: BSD-2-Clause */
/* xensim sim: deterministic fault runs. Each seed builds a machine whose
 * every interleaving and fault the seed decides (hv/fault.h): backends
 * late and reordered, events held back, doubled and spurious, the block
 * backend restarting mid-I/O, a grant table that runs short, small rings,
 * xenstore EAGAIN storms. The guest runs its seeded block workload
 * (bootarg blk-fuzz) on a fresh image; the run must end in poweroff with
 * the workload's checks passed, the image must hold every acknowledged
 * write (the backend's log, hv/blk_audit.h), and no wait may outlast the
 * progress watchdog. One "ok seed-N" or "FAIL seed-N: why" line per seed,
 * the failing one with the command that replays it, then the counts. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domcfg.h"
#include "hv/blk_audit.h"
#include "hv/fault.h"
#include "loader.h"
#include "sim.h"
#include "simcmd.h"

#define WATCHDOG_NS   (1000ull * 1000 * 1000)  /* 1 s of virtual time */
#define TAIL_LINES    24u
#define LINE_MAX_LEN  200u

static const char usage[] =
"usage: xensim sim [OPTIONS] [KERNEL]\n"
"\n"
"Deterministic fault runs: for each seed, the guest's seeded block\n"
"workload (bootarg blk-fuzz) on a fresh disk image while the seed decides\n"
"every interleaving and injected fault. A run passes when the guest powers\n"
"off with its checks passed, the image holds every write the backend\n"
"acknowledged, and no wait outlasts the progress watchdog (1 s of virtual\n"
"time). KERNEL: an arm64 Image or arm32 zImage; none runs the built-in\n"
"guest natively. Prints \"ok seed-N\" or \"FAIL seed-N: why\" (with the\n"
"command that replays it) per seed, then \"N passed, N failed, N skipped\";\n"
"a single seed also prints its guest's console and \"trace-hash: H\".\n"
"\n"
"options:\n"
"      --seed N        one seed (default 1)\n"
"      --seeds A-B     seeds A to B\n"
"      --faults LIST   all (the default), none, or a comma-separated list\n"
"                      of timing, events, restart, grants, ring, xs-eagain,\n"
"                      cpu-off, reclose\n"
"      --progress      a progress line on stderr every 2 s (rate, time\n"
"                      left) and the failures' replay commands at the end;\n"
"                      only failing seeds get their line on stdout\n"
"      --max-insns N   instruction budget of each run (default: 100\n"
"                      million natively, 4000 million emulated)\n"
"      --watchdog TIME virtual time without a block response after which\n"
"                      a run fails, naming what it waited on (default 1s)\n"
"  -v, --verbose       show every run's guest console\n"
"  -h, --help          this text\n"
"\n"
"exit status: 0 when every seed passed, 1 on a usage error or a failure.\n";

enum { OPT_SEED = 256, OPT_SEEDS, OPT_FAULTS, OPT_PROGRESS, OPT_MAX_INSNS,
       OPT_WATCHDOG };

static const struct option options[] = {
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "seeds", required_argument, NULL, OPT_SEEDS },
	{ "faults", required_argument, NULL, OPT_FAULTS },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "max-insns", required_argument, NULL, OPT_MAX_INSNS },
	{ "watchdog", required_argument, NULL, OPT_WATCHDOG },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct sim_opts {
	uint64_t first, last;
	unsigned faults;
	const char *faults_arg;
	bool progress, verbose;
	uint64_t max_insns;
	const char *max_insns_arg, *watchdog_arg;
	uint64_t watchdog_ns;
	const char *kernel;
	enum sim_runtime runtime;
};

/* What one run's guest said: the last lines, and its workload summary. */
struct console_tail {
	bool verbose;
	char line[TAIL_LINES][LINE_MAX_LEN];
	unsigned n;
	bool summary;
	unsigned passed, failed;
};

static void console_line(void *ctx, const char *line)
{
	struct console_tail *t = ctx;
	const char *fz = strstr(line, "blk-fuzz: ");
	unsigned p, f, k;

	if (t->verbose)
		printf("%s\n", line);
	snprintf(t->line[t->n++ % TAIL_LINES], LINE_MAX_LEN, "%s", line);
	if (fz && sscanf(fz, "blk-fuzz: %u passed, %u failed, %u skipped", &p,
			 &f, &k) == 3) {
		t->summary = true;
		t->passed = p;
		t->failed = f;
	}
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || end == s || *end || s[0] == '-' ? -1 : 0;
}

static void bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "xensim sim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (try xensim sim --help)\n");
	exit(1);
}

static void parse_range(const char *arg, struct sim_opts *o)
{
	char first[32];
	const char *dash = strchr(arg, '-');

	if (!dash || (size_t)(dash - arg) >= sizeof(first))
		bad_usage("--seeds wants A-B, not \"%s\"", arg);
	memcpy(first, arg, (size_t)(dash - arg));
	first[dash - arg] = '\0';
	if (parse_u64(first, &o->first) || parse_u64(dash + 1, &o->last) ||
	    o->first > o->last || o->first == 0)
		bad_usage("--seeds wants A-B with 1 <= A <= B, not \"%s\"", arg);
}

static void parse(int argc, char **argv, struct sim_opts *o)
{
	char err[200];
	int c;

	while ((c = getopt_long(argc, argv, "vh", options, NULL)) != -1) {
		switch (c) {
		case OPT_SEED:
			if (parse_u64(optarg, &o->first) || o->first == 0)
				bad_usage("--seed wants a number from 1, not "
					  "\"%s\"", optarg);
			o->last = o->first;
			break;
		case OPT_SEEDS:
			parse_range(optarg, o);
			break;
		case OPT_FAULTS:
			if (hv_faults_parse(optarg, &o->faults, err,
					    sizeof(err)))
				bad_usage("--faults: %s", err);
			o->faults_arg = optarg;
			break;
		case OPT_PROGRESS:
			o->progress = true;
			break;
		case OPT_MAX_INSNS:
			if (parse_u64(optarg, &o->max_insns) ||
			    o->max_insns > SIM_MAX_INSNS_LIMIT)
				bad_usage("--max-insns wants a number, not "
					  "\"%s\"", optarg);
			o->max_insns_arg = optarg;
			break;
		case OPT_WATCHDOG:
			if (sim_parse_duration(optarg, &o->watchdog_ns) ||
			    !o->watchdog_ns)
				bad_usage("--watchdog wants a time above 0 "
					  "(500ms, 2s), not \"%s\"", optarg);
			o->watchdog_arg = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			exit(1);
		}
	}
	if (optind + 1 < argc)
		bad_usage("more than one KERNEL (\"%s\")", argv[optind + 1]);
	if (optind < argc) {
		enum sim_kernel_kind kind;

		o->kernel = argv[optind];
		if (sim_kernel_probe(o->kernel, &kind, err, sizeof(err)))
			bad_usage("%s", err);
		if (kind == SIM_KERNEL_ARM64)
			o->runtime = SIM_ARM64;
		else if (kind == SIM_KERNEL_ARM32)
			o->runtime = SIM_ARM32;
		else
			bad_usage("%s: not an arm64 Image or arm32 zImage "
				  "(the native guest needs no KERNEL)",
				  o->kernel);
	}
	if (!o->max_insns)
		o->max_insns = o->runtime == SIM_NATIVE ?
			       SIM_DEFAULT_MAX_INSNS : 4000ull * 1000 * 1000;
}

/* ---- one seed ---- */

/* The seed's choices of machine: its own generator, apart from the
 * model's, so the machine is the same whatever the run does. */
static uint64_t choice(uint64_t *state, uint64_t bound)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (z ^ (z >> 31)) % bound;
}

struct seed_setup {
	char dir[64];
	char image[96];
	char blkback[160];
	char bootargs[64];
	uint64_t bytes;
	struct sim_disk disk;
};

/* The backend's features: with small rings asked for, few pages and one
 * queue often, sometimes 4 KiB sectors, no indirect segments, no
 * persistent grants. */
static void pick_machine(uint64_t seed, unsigned faults, struct seed_setup *ss)
{
	uint64_t st = seed;
	size_t at = 0;

	ss->bytes = (128u << 10) << choice(&st, 2);
	snprintf(ss->bootargs, sizeof(ss->bootargs), "blk-fuzz=%u%s",
		 (unsigned)(1 + seed % 0xfffffffeu),
		 choice(&st, 2) ? " evtchn-fifo" : "");
	ss->blkback[0] = '\0';
	if (!(faults & 1u << HV_FAULT_RING))
		return;
	at += (size_t)snprintf(ss->blkback + at, sizeof(ss->blkback) - at,
			       "max-ring-page-order=%u,max-queues=%u",
			       (unsigned)choice(&st, 3),
			       (unsigned)(1 + choice(&st, 2)));
	if (!choice(&st, 4))
		at += (size_t)snprintf(ss->blkback + at,
				       sizeof(ss->blkback) - at,
				       ",sector-size=4096");
	if (!choice(&st, 3))
		at += (size_t)snprintf(ss->blkback + at,
				       sizeof(ss->blkback) - at, ",no-indirect");
	if (!choice(&st, 3))
		snprintf(ss->blkback + at, sizeof(ss->blkback) - at,
			 ",no-persistent");
}

static int make_image(const char *path, uint64_t bytes, char *why,
		      size_t len)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || ftruncate(fd, (off_t)bytes)) {
		snprintf(why, len, "cannot make %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static void replay_command(const struct sim_opts *o, uint64_t seed,
			   char *buf, size_t len)
{
	snprintf(buf, len, "build/xensim sim --seed %" PRIu64
		 "%s%s%s%s%s%s%s%s", seed,
		 o->faults_arg ? " --faults " : "",
		 o->faults_arg ? o->faults_arg : "",
		 o->max_insns_arg ? " --max-insns " : "",
		 o->max_insns_arg ? o->max_insns_arg : "",
		 o->watchdog_arg ? " --watchdog " : "",
		 o->watchdog_arg ? o->watchdog_arg : "",
		 o->kernel ? " " : "", o->kernel ? o->kernel : "");
}

static void faults_text(const struct sim_result *res, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < HV_FAULT_COUNT && at < len; k++)
		if (res->faults_injected[k])
			at += (size_t)snprintf(buf + at, len - at, "%s%s %" PRIu64,
					       at ? ", " : "",
					       hv_fault_name((enum hv_fault_kind)k),
					       res->faults_injected[k]);
	if (!at)
		snprintf(buf, len, "none");
}

/* Run seed; 0 when it passed. Prints its line (and, failing, the guest's
 * last lines and the replay command). */
static int run_seed(const struct sim_opts *o, const char *tmp, uint64_t seed,
		    bool single)
{
	struct seed_setup ss;
	struct console_tail tail = { .verbose = o->verbose || single };
	struct sim_config cfg;
	struct sim_result res;
	struct hv_blk_audit *audit;
	char why[800] = "", faults[200], replay[300];
	uint64_t acked = 0;
	int rc = 0;

	memset(&ss, 0, sizeof(ss));
	memset(&res, 0, sizeof(res));
	pick_machine(seed, o->faults, &ss);
	snprintf(ss.image, sizeof(ss.image), "%s/seed.img", tmp);
	if (make_image(ss.image, ss.bytes, why, sizeof(why)))
		goto report;
	audit = hv_blk_audit_new(ss.image, why, sizeof(why));
	if (!audit)
		goto report;
	snprintf(ss.disk.target, sizeof(ss.disk.target), "%s", ss.image);
	snprintf(ss.disk.vdev, sizeof(ss.disk.vdev), "xvda");
	ss.disk.virtual_device = 51712;
	ss.disk.discard = true;

	sim_config_init(&cfg);
	cfg.runtime = o->runtime;
	cfg.kernel = o->kernel;
	cfg.name = "fuzz";
	cfg.memory_mib = 64;
	cfg.seed = seed;
	cfg.bootargs = ss.bootargs;
	cfg.disks = &ss.disk;
	cfg.n_disks = 1;
	cfg.blkback_opts = ss.blkback[0] ? ss.blkback : NULL;
	cfg.faults = o->faults;
	cfg.watchdog_ns = o->watchdog_ns ? o->watchdog_ns : WATCHDOG_NS;
	cfg.audit = audit;
	cfg.max_insns = o->max_insns;
	cfg.log_level = single || o->verbose ? HV_LOG_INFO : HV_LOG_ERR;
	cfg.console_sink = console_line;
	cfg.console_ctx = &tail;
	sim_run(&cfg, &res);

	acked = hv_blk_audit_acked_count(audit);
	if (res.outcome != SIM_POWEROFF)
		snprintf(why, sizeof(why), "%s: %s",
			 sim_outcome_name(res.outcome), res.message);
	else if (!tail.summary)
		snprintf(why, sizeof(why), "the guest's workload printed no "
			 "summary");
	else if (tail.failed)
		snprintf(why, sizeof(why), "the guest's workload failed %u "
			 "step(s)", tail.failed);
	else if (hv_blk_audit_check(audit, ss.image, why, sizeof(why)) == 0)
		why[0] = '\0';
	hv_blk_audit_free(audit);
	faults_text(&res, faults, sizeof(faults));
report:
	unlink(ss.image);
	replay_command(o, seed, replay, sizeof(replay));
	if (why[0]) {
		rc = -1;
		printf("FAIL seed-%" PRIu64 ": %s; replay: %s\n", seed, why,
		       replay);
		if (!tail.verbose)
			for (unsigned i = tail.n > TAIL_LINES ?
				      tail.n - TAIL_LINES : 0; i < tail.n; i++)
				printf("    | %s\n", tail.line[i % TAIL_LINES]);
	} else if (!o->progress) {
		printf("ok seed-%" PRIu64 ": trace-hash %016" PRIx64 ", %" PRIu64
		       " write(s) acknowledged, %u backend restart(s), faults: "
		       "%s\n", seed, res.trace_hash, acked,
		       res.backend_restarts, faults);
	}
	if (single)
		printf("trace-hash: %016" PRIx64 "\n", res.trace_hash);
	fflush(stdout);
	return rc;
}

/* ---- many seeds ---- */

static double wall_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void show_progress(uint64_t done, uint64_t total, unsigned failed,
			  double start)
{
	double spent = wall_seconds() - start;
	double rate = spent > 0 ? (double)done / spent : 0;

	fprintf(stderr, "xensim sim: %" PRIu64 "/%" PRIu64 " seeds, %.1f/s, "
		"about %.0f s left, %u failed\n", done, total, rate,
		rate > 0 ? (double)(total - done) / rate : 0.0, failed);
}

int sim_cmd_main(int argc, char **argv)
{
	struct sim_opts o = { .first = 1, .last = 1, .faults = HV_FAULTS_ALL,
			      .runtime = SIM_NATIVE };
	char tmp[64], replay[300];
	uint64_t *failures = NULL;
	unsigned passed = 0, failed = 0;
	double start = wall_seconds(), shown = start;
	bool single;

	parse(argc, argv, &o);
	single = o.first == o.last;
	/* The images are thrown away: in memory when the machine has a
	 * tmpfs there, so that the workload's flushes cost no disk time. */
	snprintf(tmp, sizeof(tmp), "%s/xensim-sim-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(tmp)) {
		fprintf(stderr, "xensim sim: cannot make a directory for the "
			"images (%s): %s\n", tmp, strerror(errno));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (uint64_t seed = o.first;; seed++) {
		if (run_seed(&o, tmp, seed, single) == 0) {
			passed++;
		} else {
			uint64_t *more = realloc(failures, (failed + 1) *
						 sizeof(*failures));

			if (more) {
				failures = more;
				failures[failed] = seed;
			}
			failed++;
		}
		if (o.progress && wall_seconds() - shown >= 2.0) {
			shown = wall_seconds();
			show_progress(seed - o.first + 1,
				      o.last - o.first + 1, failed, start);
		}
		if (seed == o.last)
			break;
	}
	rmdir(tmp);
	if (o.progress) {
		show_progress(o.last - o.first + 1, o.last - o.first + 1,
			      failed, start);
		for (unsigned i = 0; i < failed && failures; i++) {
			replay_command(&o, failures[i], replay, sizeof(replay));
			fprintf(stderr, "xensim sim: failed: %s\n", replay);
		}
	}
	free(failures);
	printf("%u passed, %u failed, 0 skipped\n", passed, failed);
	return failed ? 1 : 0;
}
