/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xenstored-sim: the model's xenstored alone, serving one unix socket, so
 * real dom0 tools (Debian's xenstore-utils, Xen's test-xenstore) can talk
 * to it through XENSTORED_PATH. Runs until SIGTERM or SIGINT.
 */
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hv/errno_name.h>
#include <hv/xs.h>
#include <hv/xs_ring.h>
#include <hv/xs_uv.h>

/*
 * --ring-dir: a test harness plays an unprivileged guest. INTRODUCE of
 * domain N maps DIR/domain-N (a file of at least one page the harness
 * made) as N's xenstore ring, in place of the grant or GFN a real
 * toolstack names; the GFN and port given are recorded only. The harness
 * has no event channel: rings are kicked every millisecond instead.
 * RELEASE unmaps it. The page is the harness's: hv_xs_ring treats it as
 * hostile, as a guest's.
 */
#define SHM_RINGS_MAX 64
#define SHM_POLL_MS   1

struct shm_ring {
	uint16_t domid;
	void *page;
	struct hv_xs_ring *ring;
};

struct shm_rings {
	struct hv_xs *xs;
	const char *dir;
	struct shm_ring v[SHM_RINGS_MAX];
	unsigned n;
	uv_timer_t poll;
};

static void shm_notify(void *opaque)
{
	(void)opaque; /* the harness polls its page */
}

static void shm_poll(uv_timer_t *t)
{
	struct shm_rings *s = t->data;

	for (unsigned i = 0; i < s->n; i++)
		hv_xs_ring_kick(s->v[i].ring);
}

static int shm_introduce(void *opaque, uint16_t domid, uint64_t gfn, uint32_t evtchn)
{
	struct shm_rings *s = opaque;
	char path[PATH_MAX];
	struct stat st;
	void *page;
	int fd;

	(void)gfn;
	(void)evtchn;
	if (s->n == SHM_RINGS_MAX)
		return -XEN_ENOSPC;
	snprintf(path, sizeof(path), "%s/domain-%u", s->dir, (unsigned)domid);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		hv_xs_logf(s->xs, HV_XS_LOG_WARN, domid, "no ring page at %s", path);
		return -XEN_ENOENT;
	}
	if (fstat(fd, &st) < 0 || st.st_size < 4096) {
		close(fd);
		hv_xs_logf(s->xs, HV_XS_LOG_WARN, domid, "%s is not a page long", path);
		return -XEN_EINVAL;
	}
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (page == MAP_FAILED)
		return -XEN_ENOMEM;
	s->v[s->n].ring = hv_xs_ring_new(s->xs, domid, page, shm_notify, s);
	if (!s->v[s->n].ring) {
		munmap(page, 4096);
		return -XEN_ENOMEM;
	}
	s->v[s->n].domid = domid;
	s->v[s->n].page = page;
	if (s->n++ == 0)
		uv_timer_start(&s->poll, shm_poll, SHM_POLL_MS, SHM_POLL_MS);
	return 0;
}

static void shm_unmap(struct shm_ring *r)
{
	hv_xs_ring_free(r->ring);
	munmap(r->page, 4096);
}

static void shm_release(void *opaque, uint16_t domid)
{
	struct shm_rings *s = opaque;

	for (unsigned i = 0; i < s->n; i++) {
		if (s->v[i].domid != domid)
			continue;
		shm_unmap(&s->v[i]);
		s->v[i] = s->v[--s->n];
		break;
	}
	if (!s->n)
		uv_timer_stop(&s->poll);
}

static void shm_close(struct shm_rings *s)
{
	while (s->n)
		shm_unmap(&s->v[--s->n]);
	uv_close((uv_handle_t *)&s->poll, NULL);
}

struct daemon {
	struct hv_xs *xs;
	struct hv_xs_uv *srv;
	struct shm_rings *shm; /* with --ring-dir */
	uv_signal_t sigterm, sigint;
};

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"usage: %s --socket PATH [--ring-dir DIR] [--verbose]\n"
		"\n"
		"Serves the xensim model's xenstore on the unix socket PATH until\n"
		"SIGTERM or SIGINT. Every connection is dom0. Point the tools at it with\n"
		"  XENSTORED_PATH=PATH xenstore-ls\n"
		"The store starts with /local/domain/0/{name,domid}, as after boot.\n"
		"\n"
		"  -s, --socket PATH  socket to create (a stale socket there is replaced)\n"
		"  -r, --ring-dir DIR INTRODUCE of domain N serves DIR/domain-N, a page-long\n"
		"                     file, as N's ring (for test harnesses playing a guest)\n"
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
	if (d->shm)
		shm_close(d->shm);
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
		{ "ring-dir", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hv_xs_config cfg;
	struct daemon d = { 0 };
	const char *path = NULL;
	const char *ring_dir = NULL;
	struct shm_rings shm = { 0 };
	uv_loop_t *loop = uv_default_loop();
	int opt, rc;

	hv_xs_config_default(&cfg);
	while ((opt = getopt_long(argc, argv, "s:r:vh", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 'r':
			ring_dir = optarg;
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
	if (ring_dir) {
		shm.dir = ring_dir;
		cfg.introduce = shm_introduce;
		cfg.release = shm_release;
		cfg.hook_opaque = &shm;
		d.shm = &shm;
	}
	signal(SIGPIPE, SIG_IGN);
	d.xs = hv_xs_new(&cfg);
	if (d.shm) {
		shm.xs = d.xs;
		uv_timer_init(loop, &shm.poll);
		shm.poll.data = &shm;
	}
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
