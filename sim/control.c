/* SPDX-License-Identifier: BSD-2-Clause */
/* The control socket of a run (--control PATH) and its clients,
 * `xensim debug-keys --control PATH KEYS`: the client sends its keys and a
 * newline, the run answers with the lines those keys printed and closes;
 * `xensim block-detach|block-attach --control PATH ARG` send ":" and the
 * command instead, answered with one line (xl's run-time disk commands).
 * Keys run where console input is handed over (the guest waits), so a
 * dump never cuts between two guest steps. The client is untrusted:
 * keys are read up to a bounded line, one client at a time. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "hv/log.h"
#include "keys.h"
#include "sim_internal.h"

#define KEYS_MAX 256               /* keys one request may carry */
#define LINE_MAX_LEN 4400          /* a command line: a DISKSPEC's path */
#define CLIENT_WAIT_S 30           /* the client's default patience */

struct sim_control {
	struct sim *s;
	int listen_fd, client_fd;
	uv_poll_t listen_poll, client_poll;
	bool client_polled;
	unsigned open_handles;
	bool closing;
	char keys[LINE_MAX_LEN + 1];
	size_t len;
	bool ready;                  /* a whole line of keys came */
	struct sockaddr_un addr;
};

static void handle_closed(uv_handle_t *h)
{
	struct sim_control *c = h->data;

	if (--c->open_handles == 0 && c->closing)
		free(c);
}

static void drop_client(struct sim_control *c)
{
	if (c->client_polled) {
		uv_poll_stop(&c->client_poll);
		uv_close((uv_handle_t *)&c->client_poll, handle_closed);
		c->client_polled = false;
	}
	if (c->client_fd >= 0)
		close(c->client_fd);
	c->client_fd = -1;
	c->len = 0;
	c->ready = false;
}

static void on_client(uv_poll_t *h, int status, int events)
{
	struct sim_control *c = h->data;
	ssize_t n;

	(void)events;
	if (status < 0) {
		drop_client(c);
		return;
	}
	while (!c->ready) {
		n = read(c->client_fd, c->keys + c->len,
			 LINE_MAX_LEN - c->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {            /* left before asking */
			drop_client(c);
			return;
		}
		c->len += (size_t)n;
		char *nl = memchr(c->keys, '\n', c->len);

		if (nl) {
			c->len = (size_t)(nl - c->keys);
			c->ready = true;
		} else if (c->len == LINE_MAX_LEN) {
			c->ready = true; /* as many as we take */
		}
	}
	/* Answered at the next hand-over point; stop reading meanwhile. */
	uv_poll_stop(&c->client_poll);
}

static void on_listen(uv_poll_t *h, int status, int events)
{
	struct sim_control *c = h->data;
	int fd;

	(void)events;
	if (status < 0)
		return;
	fd = accept4(c->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (c->client_fd >= 0) {         /* one at a time */
		static const char busy[] = "xensim: busy with another client\n";

		if (write(fd, busy, sizeof(busy) - 1) < 0) {
			/* nothing more to tell it */
		}
		close(fd);
		return;
	}
	if (uv_poll_init(c->s->loop, &c->client_poll, fd)) {
		close(fd);
		return;
	}
	c->client_fd = fd;
	c->client_poll.data = c;
	c->client_polled = true;
	c->open_handles++;
	uv_poll_start(&c->client_poll, UV_READABLE, on_client);
}

/* Refuse to replace a socket another process still answers on. */
static int clear_path(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) != 0)
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket", path);
		return -1;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	if (rc == 0) {
		snprintf(err, errlen, "%s is a live socket (another xensim?); "
			 "not replacing it", path);
		return -1;
	}
	unlink(path);
	return 0;
}

int sim_control_open(struct sim *s, const char *path)
{
	struct sim_control *c;
	char err[300] = "";
	uv_loop_t *loop = sim_dom0_loop(s);

	if (strlen(path) >= sizeof(c->addr.sun_path)) {
		sim_fail(s, SIM_SETUP_ERROR, "--control: path too long: %s", path);
		return -1;
	}
	if (clear_path(path, err, sizeof(err))) {
		sim_fail(s, SIM_SETUP_ERROR, "--control: %s", err);
		return -1;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !loop) {
		free(c);
		sim_fail(s, SIM_SETUP_ERROR, "--control: out of memory");
		return -1;
	}
	c->s = s;
	c->client_fd = -1;
	c->addr.sun_family = AF_UNIX;
	snprintf(c->addr.sun_path, sizeof(c->addr.sun_path), "%s", path);
	c->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
			      SOCK_CLOEXEC, 0);
	if (c->listen_fd < 0 ||
	    bind(c->listen_fd, (struct sockaddr *)&c->addr, sizeof(c->addr)) ||
	    listen(c->listen_fd, 4) ||
	    uv_poll_init(loop, &c->listen_poll, c->listen_fd)) {
		sim_fail(s, SIM_SETUP_ERROR, "--control: cannot listen on %s: "
			 "%s", path, strerror(errno));
		if (c->listen_fd >= 0)
			close(c->listen_fd);
		free(c);
		return -1;
	}
	c->listen_poll.data = c;
	c->open_handles = 1;
	uv_poll_start(&c->listen_poll, UV_READABLE, on_listen);
	s->control = c;
	return 0;
}

/* Send all of buf, waiting for the client as long as it reads. */
static void send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };

			if (poll(&p, 1, 5000) <= 0)
				return;  /* a client that stopped reading */
			continue;
		}
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* A ":" line: one of xl's run-time disk commands; one answer line,
 * starting "error: " when it was refused. */
static void run_command(struct sim *s, int fd, char *line)
{
	static const char detach[] = "block-detach ", attach[] = "block-attach ";
	char msg[SIM_PATH_MAX + 300], answer[sizeof(msg) + 16];
	int rc;

	if (strncmp(line, detach, sizeof(detach) - 1) == 0) {
		rc = sim_disk_detach(s, line + sizeof(detach) - 1, msg,
				     sizeof(msg));
	} else if (strncmp(line, attach, sizeof(attach) - 1) == 0) {
		rc = sim_disk_attach(s, line + sizeof(attach) - 1, msg,
				     sizeof(msg));
	} else {
		snprintf(msg, sizeof(msg), "unknown command \"%.40s\"", line);
		rc = -1;
	}
	snprintf(answer, sizeof(answer), "%s%s\n", rc ? "error: " : "", msg);
	hv_log(s->machine, HV_LOG_INFO, "control: %s", answer);
	send_all(fd, answer, strlen(answer));
}

void sim_control_serve(struct sim *s)
{
	struct sim_control *c = s->control;
	struct sim_keys_out out = { 0 };

	if (!c || !c->ready)
		return;
	c->keys[c->len] = '\0';
	if (c->keys[0] == ':') {
		run_command(s, c->client_fd, c->keys + 1);
		drop_client(c);
		return;
	}
	sim_keys_run(s, c->keys, c->len < KEYS_MAX ? c->len : KEYS_MAX, &out);
	if (out.len)
		send_all(c->client_fd, out.text, out.len);
	sim_keys_out_free(&out);
	drop_client(c);
}

void sim_control_close(struct sim *s)
{
	struct sim_control *c = s->control;

	if (!c)
		return;
	/* A client that asked before the end still gets its answer. */
	sim_control_serve(s);
	drop_client(c);
	uv_poll_stop(&c->listen_poll);
	close(c->listen_fd);
	unlink(c->addr.sun_path);
	c->closing = true;
	uv_close((uv_handle_t *)&c->listen_poll, handle_closed);
	s->control = NULL;
}

/* ---- the client ---- */

static const char client_usage[] =
"usage: xensim debug-keys --control PATH [--wait SECONDS] KEYS\n"
"\n"
"Send KEYS to the Xen console of the run listening on PATH (xensim run\n"
"--control PATH) and print the dumps they give. The run takes them the\n"
"next time its guest waits, or when it ends. Keys as Xen 4.17 names them:\n"
"h help, q domains and vCPUs, e event channels, g grant tables, d\n"
"registers, 0 dom0, a timers, t time, w console ring, R reboot, * all.\n"
"--wait: how long to wait for the answer (default 30 s).\n";

/* Send line to the run on path and copy its answer to stdout, as long
 * as wait_s allows between two pieces. 0, or 1 after a message on
 * stderr; *refused when the answer starts "error: ". */
static int ask(const char *cmd, const char *path, const char *line,
	       long wait_s, bool *refused)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[4096];
	bool first = true;
	int fd;

	*refused = false;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "xensim %s: path too long: %s\n", cmd, path);
		return 1;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "xensim %s: cannot connect to %s: %s\n", cmd,
			path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	send_all(fd, line, strlen(line));
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int rc = poll(&p, 1, (int)wait_s * 1000);

		if (rc == 0) {
			fprintf(stderr, "xensim %s: no answer from %s in %ld s "
				"(its guest never waited?)\n", cmd, path,
				wait_s);
			close(fd);
			return 1;
		}
		if (rc < 0 && errno == EINTR)
			continue;
		n = rc < 0 ? -1 : read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (first && n >= 7 && memcmp(buf, "error: ", 7) == 0)
			*refused = true;
		first = false;
		fwrite(buf, 1, (size_t)n, stdout);
	}
	close(fd);
	return 0;
}

/* --wait's argument: 1 to 3600 seconds, else -1. */
static long parse_wait(const char *cmd, const char *arg)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*end || v < 1 || v > 3600) {
		fprintf(stderr, "xensim %s: --wait wants 1 to 3600 seconds\n",
			cmd);
		return -1;
	}
	return v;
}

int sim_debug_keys_main(int argc, char **argv)
{
	const char *path = NULL, *keys = NULL;
	long wait_s = CLIENT_WAIT_S;
	char buf[KEYS_MAX + 2];
	bool refused;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--control") == 0 && i + 1 < argc) {
			path = argv[++i];
		} else if (strcmp(argv[i], "--wait") == 0 && i + 1 < argc) {
			wait_s = parse_wait("debug-keys", argv[++i]);
			if (wait_s < 0)
				return 1;
		} else if (strcmp(argv[i], "-h") == 0 ||
			   strcmp(argv[i], "--help") == 0) {
			fputs(client_usage, stdout);
			return 0;
		} else if (!keys && argv[i][0] != '-') {
			keys = argv[i];
		} else {
			fputs(client_usage, stderr);
			return 1;
		}
	}
	if (!path || !keys || !keys[0] || strlen(keys) > KEYS_MAX ||
	    strchr(keys, '\n')) {
		fputs(client_usage, stderr);
		return 1;
	}
	snprintf(buf, sizeof(buf), "%s\n", keys);
	return ask("debug-keys", path, buf, wait_s, &refused);
}

static const char block_usage[] =
"usage: xensim block-detach --control PATH [--wait SECONDS] VDEV\n"
"       xensim block-attach --control PATH [--wait SECONDS] DISKSPEC\n"
"\n"
"xl's block-detach and block-attach for the run listening on PATH\n"
"(xensim run --control PATH), done the next time its guest waits.\n"
"block-detach: the disk VDEV (xvda, or its number 51712) goes as libxl and\n"
"Linux's blkback take it away: online 0 and Closing, the frontend closes,\n"
"the backend follows to Closed, both directories are removed.\n"
"block-attach: DISKSPEC (xl-disk-configuration: \"target=IMG,vdev=xvda\")\n"
"becomes a new vbd, written to xenstore as at creation.\n"
"Prints what was done; exit status 1 when the run refused it.\n";

int sim_block_main(int argc, char **argv)
{
	const char *cmd = argv[0], *path = NULL, *arg = NULL;
	long wait_s = CLIENT_WAIT_S;
	char line[LINE_MAX_LEN + 2];
	bool refused;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--control") == 0 && i + 1 < argc) {
			path = argv[++i];
		} else if (strcmp(argv[i], "--wait") == 0 && i + 1 < argc) {
			wait_s = parse_wait(cmd, argv[++i]);
			if (wait_s < 0)
				return 1;
		} else if (strcmp(argv[i], "-h") == 0 ||
			   strcmp(argv[i], "--help") == 0) {
			fputs(block_usage, stdout);
			return 0;
		} else if (!arg && argv[i][0] != '-') {
			arg = argv[i];
		} else {
			fputs(block_usage, stderr);
			return 1;
		}
	}
	if (!path || !arg || !arg[0] || strchr(arg, '\n') ||
	    strlen(arg) + 16 > LINE_MAX_LEN) {
		fputs(block_usage, stderr);
		return 1;
	}
	snprintf(line, sizeof(line), ":%s %s\n", cmd, arg);
	rc = ask(cmd, path, line, wait_s, &refused);
	return rc || refused ? 1 : 0;
}
