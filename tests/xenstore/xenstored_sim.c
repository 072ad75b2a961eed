/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xenstored-sim: the model's xenstored alone, serving one unix socket, so
 * real dom0 tools (Debian's xenstore-utils, Xen's test-xenstore) can talk
 * to it through XENSTORED_PATH. Runs until SIGTERM or SIGINT.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/errno_name.h>
#include <hv/xs.h>
#include <hv/xs_uv.h>

struct daemon {
	struct hv_xs *xs;
	struct hv_xs_uv *srv;
	uv_signal_t sigterm, sigint;
};

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"usage: %s --socket PATH [--verbose]\n"
		"\n"
		"Serves the xensim model's xenstore on the unix socket PATH until\n"
		"SIGTERM or SIGINT. Every connection is dom0. Point the tools at it with\n"
		"  XENSTORED_PATH=PATH xenstore-ls\n"
		"The store starts with /local/domain/0/{name,domid}, as after boot.\n"
		"\n"
		"  -s, --socket PATH  socket to create (a stale socket there is replaced)\n"
		"  -v, --verbose      log requests that fail and connection events to stderr\n"
		"  -h, --help         this text\n",
		prog);
}

static void log_stderr(void *opaque, enum hv_xs_log_level level, const char *msg)
{
	(void)opaque;
	(void)level;
	fprintf(stderr, "%s\n", msg);
}

static void on_signal(uv_signal_t *sig, int signum)
{
	struct daemon *d = sig->data;

	(void)signum;
	hv_xs_uv_close(d->srv);
	uv_close((uv_handle_t *)&d->sigterm, NULL);
	uv_close((uv_handle_t *)&d->sigint, NULL);
}

static int init_dom0(struct hv_xs *xs)
{
	int rc = hv_xs_write_str(xs, "/local/domain/0/name", "Domain-0");

	return rc ? rc : hv_xs_write_str(xs, "/local/domain/0/domid", "0");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hv_xs_config cfg;
	struct daemon d = { 0 };
	const char *path = NULL;
	uv_loop_t *loop = uv_default_loop();
	int opt, rc;

	hv_xs_config_default(&cfg);
	while ((opt = getopt_long(argc, argv, "s:vh", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 'v':
			cfg.log = log_stderr;
			cfg.log_level = HV_XS_LOG_DEBUG;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (!path || optind != argc) {
		usage(stderr, argv[0]);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	d.xs = hv_xs_new(&cfg);
	if (!d.xs || init_dom0(d.xs)) {
		fprintf(stderr, "%s: out of memory\n", argv[0]);
		return 1;
	}
	rc = hv_xs_uv_listen(d.xs, loop, path, &d.srv);
	if (rc) {
		fprintf(stderr, "%s: cannot listen on %s: %s\n", argv[0], path, hv_errno_name(rc));
		uv_run(loop, UV_RUN_DEFAULT);
		hv_xs_free(d.xs);
		return 1;
	}
	uv_signal_init(loop, &d.sigterm);
	uv_signal_init(loop, &d.sigint);
	d.sigterm.data = d.sigint.data = &d;
	uv_signal_start(&d.sigterm, on_signal, SIGTERM);
	uv_signal_start(&d.sigint, on_signal, SIGINT);
	if (cfg.log)
		fprintf(stderr, "xenstored-sim: listening on %s\n", path);
	uv_run(loop, UV_RUN_DEFAULT);
	uv_loop_close(loop);
	hv_xs_free(d.xs);
	return 0;
}
