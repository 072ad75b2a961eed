/* SPDX-License-Identifier: BSD-2-Clause */
/* proc_time: how long a whole process takes, as a user waits for it.
 *   proc_time [-n RUNS] [-w WARMUPS] [-l LABEL] -- PROGRAM ARGS...
 * Runs PROGRAM RUNS times (after WARMUPS untimed runs), each from fork to
 * the parent's wait returning, its output thrown away, and prints
 *   LABEL: min X ms, median Y ms, max Z ms (N runs)
 * Exits non-zero when a run fails (exit status other than 0), naming it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 10000

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One run: its wall time in ms, or -1 when it did not exit 0. */
static double run_once(char **argv)
{
	double start = now_ms();
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return now_ms() - start;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int usage(void)
{
	fprintf(stderr, "usage: proc_time [-n RUNS] [-w WARMUPS] [-l LABEL] "
		"-- PROGRAM ARGS...\n");
	return 2;
}

int main(int argc, char **argv)
{
	static double times[MAX_RUNS];
	const char *label = NULL;
	long runs = 20, warmups = 2;
	int opt;

	while ((opt = getopt(argc, argv, "n:w:l:")) != -1) {
		switch (opt) {
		case 'n':
			runs = strtol(optarg, NULL, 10);
			break;
		case 'w':
			warmups = strtol(optarg, NULL, 10);
			break;
		case 'l':
			label = optarg;
			break;
		default:
			return usage();
		}
	}
	if (optind >= argc || runs < 1 || runs > MAX_RUNS || warmups < 0)
		return usage();
	argv += optind;
	if (!label)
		label = argv[0];
	for (long i = 0; i < warmups + runs; i++) {
		double t = run_once(argv);

		if (t < 0) {
			fprintf(stderr, "proc_time: %s: a run failed\n", argv[0]);
			return 1;
		}
		if (i >= warmups)
			times[i - warmups] = t;
	}
	qsort(times, (size_t)runs, sizeof(times[0]), by_value);
	printf("%s: min %.2f ms, median %.2f ms, max %.2f ms (%ld runs)\n",
	       label, times[0], times[runs / 2], times[runs - 1], runs);
	return 0;
}
