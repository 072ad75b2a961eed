/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xs-compare: the model's xenstored against Xen's own C xenstored, both as
 * separate processes on a unix socket, the same raw-protocol load on each.
 * Every repetition starts both daemons fresh, one after the other (the one
 * going first alternates), and runs every workload on each. Prints, per
 * workload, min / median / max ops/s of each daemon and the ratio of the
 * medians, the floor (what a server doing no work reaches: the client's and
 * the kernel's share, about the most any daemon can reach here), the
 * daemons' CPU time per unit of work (on-CPU time from
 * /proc/PID/schedstat, which a busy machine disturbs less than wall-clock
 * rates), then each daemon's resident memory after the watch workload.
 * Figures only: nothing here is asserted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xs_floor.h"
#include "xs_load.h"

#define MAX_REPS 32

enum daemon_kind { MODEL, C_XENSTORED, FLOOR, DAEMONS };

static const char *const daemon_label[DAEMONS] = { "model", "C xenstored", "floor server" };

struct options {
	const char *model;       /* the model's xenstored-sim */
	const char *c_xenstored; /* Xen's xenstored binary */
	const char *shim;        /* LD_PRELOAD shim that stands in for Xen */
	const char *socket;      /* load a daemon already listening here instead */
	int workload;            /* with socket: only this one, or -1 for all */
	int reps;
	double seconds;
};

struct results {
	double rate[DAEMONS][XS_LOAD_COUNT][MAX_REPS];
	double cpu_us[DAEMONS][XS_LOAD_COUNT][MAX_REPS]; /* daemon CPU per unit */
	double rss_kib[DAEMONS][MAX_REPS];
};

struct daemon {
	pid_t pid;
	char dir[64];
	char socket[96];
	char log[96];
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: xs-compare --model XENSTORED_SIM --c-xenstored XENSTORED --shim SHIM.so\n"
		"                  [--reps N] [--seconds S]\n"
		"       xs-compare --socket PATH [--workload NAME] [--seconds S]\n"
		"\n"
		"Runs the same xenstore workloads on fresh instances of both daemons,\n"
		"alternating, N times (default 5, at most %d), S seconds a workload\n"
		"(default 0.4), and prints ops/s (min/median/max) and the ratio of medians.\n"
		"With --socket, loads the empty daemon listening on PATH once (for a\n"
		"profiler attached to it) and prints its ops/s.\n",
		MAX_REPS);
}

static void die(const char *what)
{
	fprintf(stderr, "xs-compare: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void show_log(const struct daemon *d)
{
	char line[256];
	FILE *f = fopen(d->log, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		fprintf(stderr, "  | %s", line);
	fclose(f);
}

static int try_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), rc;

	if (fd < 0)
		die("socket");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return rc;
}

/* Execs the daemon in the child; never returns there. */
static void exec_daemon(const struct options *o, enum daemon_kind kind, const struct daemon *d)
{
	int log = open(d->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (log < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0)
		_exit(127);
	close(log);
	if (kind == FLOOR) {
		xs_floor_serve(d->socket);
	} else if (kind == MODEL) {
		execl(o->model, o->model, "--socket", d->socket, (char *)NULL);
	} else {
		/* Its socket is $XENSTORED_RUNDIR/socket; -N: stay in the foreground. */
		setenv("XENSTORED_RUNDIR", d->dir, 1);
		setenv("XENSTORED_ROOTDIR", d->dir, 1);
		setenv("LD_PRELOAD", o->shim, 1);
		execl(o->c_xenstored, o->c_xenstored, "-N", (char *)NULL);
	}
	fprintf(stderr, "exec: %s\n", strerror(errno));
	_exit(127);
}

static void start_daemon(const struct options *o, enum daemon_kind kind, struct daemon *d)
{
	struct timespec pause = { 0, 5 * 1000 * 1000 };

	snprintf(d->dir, sizeof(d->dir), "/tmp/xs-compare-XXXXXX");
	if (!mkdtemp(d->dir))
		die("mkdtemp");
	snprintf(d->socket, sizeof(d->socket), "%s/socket", d->dir);
	snprintf(d->log, sizeof(d->log), "%s/log", d->dir);
	d->pid = fork();
	if (d->pid < 0)
		die("fork");
	if (d->pid == 0)
		exec_daemon(o, kind, d);
	for (int tries = 0; tries < 1000; tries++) { /* up to 5 s */
		if (try_connect(d->socket) == 0)
			return;
		if (waitpid(d->pid, NULL, WNOHANG) == d->pid) {
			fprintf(stderr, "xs-compare: %s exited at start:\n", daemon_label[kind]);
			show_log(d);
			exit(1);
		}
		nanosleep(&pause, NULL);
	}
	fprintf(stderr, "xs-compare: %s never listened on %s\n", daemon_label[kind], d->socket);
	exit(1);
}

static void stop_daemon(struct daemon *d)
{
	char path[128];

	kill(d->pid, SIGTERM);
	waitpid(d->pid, NULL, 0);
	unlink(d->socket);
	unlink(d->log);
	/* What C xenstored leaves in its directories. */
	snprintf(path, sizeof(path), "%s/tdb", d->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/xenstored.pid", d->dir);
	unlink(path);
	if (rmdir(d->dir) != 0)
		fprintf(stderr, "xs-compare: %s left behind: %s\n", d->dir, strerror(errno));
}

static double rss_kib(pid_t pid)
{
	char path[64], line[128];
	double kib = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		die(path);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %lf kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* Nanoseconds the (single-threaded) daemon has spent on a CPU. */
static double cpu_ns(pid_t pid)
{
	char path[64];
	double ns = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%lf", &ns) != 1)
		die(path);
	fclose(f);
	return ns;
}

static void one_daemon_run(const struct options *o, enum daemon_kind kind, int rep,
			   struct results *res)
{
	struct daemon d;

	start_daemon(o, kind, &d);
	xs_load_prepare(d.socket);
	for (int w = 0; w < XS_LOAD_COUNT; w++) {
		double cpu0 = kind == FLOOR ? 0 : cpu_ns(d.pid);
		struct xs_load_result r;

		if (kind == FLOOR && w == XS_LOAD_WATCH)
			continue; /* the floor server keeps no watches */
		r = xs_load_run(d.socket, (enum xs_workload)w, o->seconds);

		res->rate[kind][w][rep] = r.units / r.seconds;
		if (kind != FLOOR) /* its work is spread over one process a connection */
			res->cpu_us[kind][w][rep] = (cpu_ns(d.pid) - cpu0) / 1e3 / r.units;
		if (w == XS_LOAD_WATCH)
			res->rss_kib[kind][rep] = rss_kib(d.pid);
	}
	stop_daemon(&d);
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v in place; min, median, max into out. */
static void spread(double *v, int n, double out[3])
{
	qsort(v, (size_t)n, sizeof(*v), compare_doubles);
	out[0] = v[0];
	out[1] = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	out[2] = v[n - 1];
}

static void print_results(const struct options *o, struct results *res)
{
	double m[3], c[3], f[3];

	printf("xenstored: model vs Xen 4.17 C xenstored, unix socket, %d fresh daemons each, "
	       "alternating, %.2f s a workload\n",
	       o->reps, o->seconds);
	printf("  %-19s %-26s %-26s %-6s %-7s %s\n", "workload", "model (min/median/max)",
	       "C xenstored (min/median/max)", "ratio", "floor", "floor/C");
	for (int w = 0; w < XS_LOAD_COUNT; w++) {
		char mbuf[64], cbuf[64], fbuf[16] = "-", fcbuf[16] = "-";

		spread(res->rate[MODEL][w], o->reps, m);
		spread(res->rate[C_XENSTORED][w], o->reps, c);
		snprintf(mbuf, sizeof(mbuf), "%.0f/%.0f/%.0f", m[0], m[1], m[2]);
		snprintf(cbuf, sizeof(cbuf), "%.0f/%.0f/%.0f", c[0], c[1], c[2]);
		if (w != XS_LOAD_WATCH) {
			spread(res->rate[FLOOR][w], o->reps, f);
			snprintf(fbuf, sizeof(fbuf), "%.0f", f[1]);
			snprintf(fcbuf, sizeof(fcbuf), "%.2fx", f[1] / c[1]);
		}
		printf("  %-19s %-26s %-26s %5.2fx %-7s %-7s %s/s\n", xs_load_name[w], mbuf, cbuf,
		       m[1] / c[1], fbuf, fcbuf, xs_load_unit[w]);
	}
	printf("  (ratio: model median / C median; floor: median of a server that does no work,\n"
	       "   fixed replies, one process a connection: what the client and the kernel\n"
	       "   cost; floor/C: about the most a ratio can be on this machine)\n");
	printf("  daemon CPU time per unit of work (median, microseconds):\n");
	for (int w = 0; w < XS_LOAD_COUNT; w++) {
		spread(res->cpu_us[MODEL][w], o->reps, m);
		spread(res->cpu_us[C_XENSTORED][w], o->reps, c);
		printf("  %-19s model %6.2f   C xenstored %6.2f   %5.2fx less\n", xs_load_name[w],
		       m[1], c[1], c[1] / m[1]);
	}
	spread(res->rss_kib[MODEL], o->reps, m);
	spread(res->rss_kib[C_XENSTORED], o->reps, c);
	printf("  RSS after the watch workload (median): model %.0f KiB, C xenstored %.0f KiB\n",
	       m[1], c[1]);
}

static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "c-xenstored", required_argument, NULL, 'c' },
		{ "shim", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "seconds", required_argument, NULL, 't' },
		{ "socket", required_argument, NULL, 'S' },
		{ "workload", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int opt;

	*o = (struct options){ .reps = 5, .seconds = 0.4, .workload = -1 };
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			o->model = optarg;
			break;
		case 'c':
			o->c_xenstored = optarg;
			break;
		case 's':
			o->shim = optarg;
			break;
		case 'r':
			o->reps = (int)strtol(optarg, &end, 10);
			if (*end || o->reps < 1 || o->reps > MAX_REPS)
				goto bad;
			break;
		case 't':
			o->seconds = strtod(optarg, &end);
			if (*end || !(o->seconds > 0 && o->seconds <= 60))
				goto bad;
			break;
		case 'S':
			o->socket = optarg;
			break;
		case 'w':
			for (o->workload = XS_LOAD_COUNT - 1; o->workload >= 0; o->workload--)
				if (strcmp(optarg, xs_load_name[o->workload]) == 0)
					break;
			if (o->workload < 0)
				goto bad;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			goto bad;
		}
	}
	if (optind == argc && (o->socket || (o->model && o->c_xenstored && o->shim)))
		return;
bad:
	usage(stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static struct results res;
	struct options o;

	parse_options(argc, argv, &o);
	signal(SIGPIPE, SIG_IGN);
	if (o.socket) {
		xs_load_prepare(o.socket);
		for (int w = 0; w < XS_LOAD_COUNT; w++) {
			struct xs_load_result r;

			if (o.workload >= 0 && o.workload != w)
				continue;
			r = xs_load_run(o.socket, (enum xs_workload)w, o.seconds);
			printf("  %-19s %8.0f %s/s\n", xs_load_name[w], r.units / r.seconds,
			       xs_load_unit[w]);
		}
		return 0;
	}
	for (int rep = 0; rep < o.reps; rep++) {
		enum daemon_kind first = rep % 2 ? MODEL : C_XENSTORED;

		one_daemon_run(&o, first, rep, &res);
		one_daemon_run(&o, first == MODEL ? C_XENSTORED : MODEL, rep, &res);
		one_daemon_run(&o, FLOOR, rep, &res);
	}
	print_results(&o, &res);
	return 0;
}
