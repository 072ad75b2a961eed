/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's first console on the outside (see console.h). Every fd is
 * non-blocking and watched by a uv_poll_t on the run's loop: a listening
 * socket (unix or loopback TCP), the one client it accepted, a pty master
 * (whose slave we keep open, so it never hangs up), or stdin. Output is
 * kept (up to CONSOLE_OUT_MAX) while nobody is connected and sent when a
 * client comes; beyond that the ring fills and the guest waits. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "console.h"
#include "keys.h"
#include "sim_internal.h"

#define CONSOLE_OUT_MAX (1u << 20)     /* output kept for a late client */
#define CONSOLE_IN_MAX  4096           /* input waiting for the guest */
#define CONSOLE_FLUSH_MS 2000          /* last output's wait at exit */

enum console_kind {
	CONSOLE_STDIO,     /* output as (dN) lines; input from stdin */
	CONSOLE_PTY,
	CONSOLE_UNIX,
	CONSOLE_TCP,
};

struct sim_console {
	struct sim *s;
	enum console_kind kind;
	sim_console_put_fn *put;       /* where input goes: the guest's ring */
	void *put_ctx;
	int listen_fd;                 /* -1: none */
	int conn_fd;                   /* client, pty master or stdin; -1 */
	int pty_slave_fd;              /* held open so the master never HUPs */
	bool conn_is_file;             /* stdin is a file: read, not polled */
	int stdin_flags;               /* to give back at exit; -1: untouched */
	bool input_closed;             /* stdin at EOF */
	uv_poll_t listen_poll;
	uv_poll_t *conn_poll;          /* one per connection: a closing one
					* may outlive its connection */
	bool listen_polled, conn_polled;
	int conn_events;               /* what conn_poll watches now */
	unsigned open_handles;
	char *out;
	size_t out_len;
	char in[CONSOLE_IN_MAX];
	size_t in_len;
	size_t in_seen;                /* of in, bytes the key filter took */
	struct sockaddr_un unix_addr;  /* removed at exit when bound */
	bool unix_bound;
};

/* ---- the spec ---- */

struct console_spec {
	enum console_kind kind;
	const char *path;              /* unix */
	uint16_t port;                 /* tcp */
};

static int parse_spec(const char *spec, struct console_spec *out, char *err,
		      size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (strcmp(spec, "stdio") == 0) {
		out->kind = CONSOLE_STDIO;
		return 0;
	}
	if (strcmp(spec, "pty") == 0) {
		out->kind = CONSOLE_PTY;
		return 0;
	}
	if (strncmp(spec, "unix:", 5) == 0) {
		out->kind = CONSOLE_UNIX;
		out->path = spec + 5;
		if (!*out->path || strlen(out->path) >=
		    sizeof(((struct sockaddr_un *)0)->sun_path)) {
			snprintf(err, errlen, "--console unix:PATH wants a "
				 "path of 1 to %zu bytes",
				 sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
			return -1;
		}
		return 0;
	}
	if (strncmp(spec, "tcp:", 4) == 0) {
		const char *host = spec + 4, *colon = strrchr(host, ':');
		char *end;
		unsigned long port;

		out->kind = CONSOLE_TCP;
		if (!colon) {
			snprintf(err, errlen, "--console tcp:127.0.0.1:PORT "
				 "wants a port");
			return -1;
		}
		/* Anyone who reaches the port owns the guest's console:
		 * only this machine may. */
		if (!((colon - host == 9 && strncmp(host, "127.0.0.1", 9) == 0) ||
		      (colon - host == 9 && strncmp(host, "localhost", 9) == 0))) {
			snprintf(err, errlen, "--console tcp: listens on the "
				 "loopback address only (127.0.0.1 or "
				 "localhost), not \"%.*s\"",
				 (int)(colon - host), host);
			return -1;
		}
		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (errno || end == colon + 1 || *end || colon[1] == '-' ||
		    port > 65535) {
			snprintf(err, errlen, "--console tcp: port \"%s\" is "
				 "not a number from 0 to 65535", colon + 1);
			return -1;
		}
		out->port = (uint16_t)port;
		return 0;
	}
	snprintf(err, errlen, "--console wants stdio, pty, unix:PATH or "
		 "tcp:127.0.0.1:PORT, not \"%s\"", spec);
	return -1;
}

int sim_console_check_spec(const char *spec, char *err, size_t errlen)
{
	struct console_spec cs;

	return parse_spec(spec, &cs, err, errlen);
}

/* ---- polling ---- */

static void on_conn(uv_poll_t *h, int status, int events);

static void handle_closed(uv_handle_t *h)
{
	struct sim_console *c = h->data;

	c->open_handles--;
	if (h != (uv_handle_t *)&c->listen_poll)
		free(h);
}

static void close_poll(uv_poll_t *h, bool *polled)
{
	if (!*polled)
		return;
	*polled = false;
	uv_poll_stop(h);
	uv_close((uv_handle_t *)h, handle_closed);
}

static void close_conn_poll(struct sim_console *c)
{
	close_poll(c->conn_poll, &c->conn_polled);
	c->conn_poll = NULL;
}

/* Watch the connection for what we can use now: input while there is
 * room for it, writability while output waits. */
static void update_conn_poll(struct sim_console *c)
{
	int want = 0;

	if (!c->conn_polled)
		return;
	if (c->in_len < sizeof(c->in))
		want |= UV_READABLE;
	if (c->out_len)
		want |= UV_WRITABLE;
	if (want == c->conn_events)
		return;
	c->conn_events = want;
	if (want)
		uv_poll_start(c->conn_poll, want, on_conn);
	else
		uv_poll_stop(c->conn_poll);
}

static int watch_conn(struct sim_console *c, int fd)
{
	c->conn_fd = fd;
	c->conn_poll = malloc(sizeof(*c->conn_poll));
	if (!c->conn_poll || uv_poll_init(c->s->loop, c->conn_poll, fd)) {
		free(c->conn_poll);
		c->conn_poll = NULL;
		return -1;
	}
	c->conn_poll->data = c;
	c->conn_polled = true;
	c->conn_events = 0;
	c->open_handles++;
	update_conn_poll(c);
	return 0;
}

static void drop_conn(struct sim_console *c)
{
	close_conn_poll(c);
	if (c->conn_fd > 0)
		close(c->conn_fd);
	c->conn_fd = -1;
}

static ssize_t send_some(struct sim_console *c, const char *buf, size_t len)
{
	/* A client that went away must not kill us with SIGPIPE. */
	if (c->kind == CONSOLE_UNIX || c->kind == CONSOLE_TCP)
		return send(c->conn_fd, buf, len, MSG_NOSIGNAL);
	return write(c->conn_fd, buf, len);
}

/* Send what output we hold, as much as the connection takes now. */
static void flush_out(struct sim_console *c)
{
	while (c->out_len && c->conn_fd >= 0) {
		ssize_t n = send_some(c, c->out, c->out_len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			drop_conn(c);
			break;
		}
		memmove(c->out, c->out + n, c->out_len - (size_t)n);
		c->out_len -= (size_t)n;
	}
	update_conn_poll(c);
}

static void read_in(struct sim_console *c)
{
	while (c->in_len < sizeof(c->in) && c->conn_fd >= 0) {
		ssize_t n = read(c->conn_fd, c->in + c->in_len,
				 sizeof(c->in) - c->in_len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			/* The client left (a new one may come) or stdin
			 * ended (nothing more will). */
			if (c->kind == CONSOLE_STDIO) {
				c->input_closed = true;
				close_conn_poll(c);
				c->conn_fd = -1;
			} else {
				drop_conn(c);
			}
			break;
		}
		c->in_len += (size_t)n;
	}
	update_conn_poll(c);
}

static void on_conn(uv_poll_t *h, int status, int events)
{
	struct sim_console *c = h->data;

	if (status < 0) {
		drop_conn(c);
		return;
	}
	if (events & UV_WRITABLE)
		flush_out(c);
	if (events & UV_READABLE)
		read_in(c);
}

/* Whether the client still has its end open. */
static bool conn_alive(struct sim_console *c)
{
	struct pollfd p = { .fd = c->conn_fd, .events = POLLRDHUP };

	return poll(&p, 1, 0) == 0;
}

static void on_listen(uv_poll_t *h, int status, int events)
{
	struct sim_console *c = h->data;
	int fd;

	(void)events;
	if (status < 0)
		return;
	fd = accept4(c->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	/* One client at a time: a newcomer is turned away while the
	 * current one is still there (what it sent is taken first, and a
	 * client that hung up is noticed now). */
	if (c->conn_fd >= 0)
		read_in(c);
	if (c->conn_fd >= 0 && conn_alive(c)) {
		close(fd);
		return;
	}
	if (c->conn_fd >= 0)
		drop_conn(c);
	if (watch_conn(c, fd)) {
		close(fd);
		c->conn_fd = -1;
		return;
	}
	flush_out(c);
}

/* ---- the ring's output ---- */

size_t sim_console_output(void *ctx, const char *buf, size_t len)
{
	struct sim_console *c = ctx;
	size_t room = CONSOLE_OUT_MAX - c->out_len;
	size_t n = len < room ? len : room;

	if (!c->out)
		c->out = malloc(CONSOLE_OUT_MAX);
	if (!c->out)
		return 0;
	memcpy(c->out + c->out_len, buf, n);
	c->out_len += n;
	flush_out(c);
	return n;
}

/* ---- opening ---- */

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int open_pty(struct sim_console *c, char *where, size_t wlen)
{
	struct termios t;
	const char *name;
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (master < 0 || grantpt(master) || unlockpt(master) ||
	    !(name = ptsname(master))) {
		if (master >= 0)
			close(master);
		return -1;
	}
	snprintf(where, wlen, "%s", name);
	c->pty_slave_fd = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (c->pty_slave_fd < 0 || set_nonblock(master)) {
		close(master);
		return -1;
	}
	/* A raw byte stream, as xenconsoled's pty: no echo, no line
	 * editing, no newline translation. */
	if (tcgetattr(c->pty_slave_fd, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(c->pty_slave_fd, TCSANOW, &t);
	}
	return watch_conn(c, master);
}

/* A socket file at path that a server still answers on is live: never
 * replace it. A dead one is removed; anything else is refused. */
static int clear_unix_path(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket", path);
		return -1;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	if (rc == 0) {
		snprintf(err, errlen, "%s is a live socket (another xensim?); "
			 "not replacing it", path);
		return -1;
	}
	return unlink(path);
}

static int listen_on(struct sim_console *c, const struct console_spec *cs,
		     char *where, size_t wlen, char *err, size_t errlen)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	socklen_t len = sizeof(in);
	int one = 1, fd;

	if (cs->kind == CONSOLE_UNIX) {
		if (clear_unix_path(cs->path, err, errlen))
			return -1;
		c->unix_addr.sun_family = AF_UNIX;
		snprintf(c->unix_addr.sun_path, sizeof(c->unix_addr.sun_path),
			 "%s", cs->path);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&c->unix_addr,
				   sizeof(c->unix_addr)))
			goto fail;
		c->unix_bound = true;
		snprintf(where, wlen, "unix:%s", cs->path);
	} else {
		in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		in.sin_port = htons(cs->port);
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    0);
		if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
					 sizeof(one)) ||
		    bind(fd, (struct sockaddr *)&in, sizeof(in)) ||
		    getsockname(fd, (struct sockaddr *)&in, &len))
			goto fail;
		snprintf(where, wlen, "tcp:127.0.0.1:%u", ntohs(in.sin_port));
	}
	if (listen(fd, 4))
		goto fail;
	c->listen_fd = fd;
	if (uv_poll_init(c->s->loop, &c->listen_poll, fd))
		return -1;
	c->listen_poll.data = c;
	c->listen_polled = true;
	c->open_handles++;
	return uv_poll_start(&c->listen_poll, UV_READABLE, on_listen);
fail:
	snprintf(err, errlen, "cannot listen on %s: %s", cs->kind ==
		 CONSOLE_UNIX ? cs->path : "127.0.0.1", strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

static int open_stdin(struct sim_console *c)
{
	struct stat st;

	if (fstat(0, &st))
		return -1;
	/* A file (or /dev/null) cannot be polled: it is read when the guest
	 * wants input, and never blocks. */
	if (S_ISREG(st.st_mode) || (S_ISCHR(st.st_mode) && !isatty(0))) {
		c->conn_fd = 0;
		c->conn_is_file = true;
		return 0;
	}
	/* The terminal's flags are shared with the shell: restored at exit. */
	c->stdin_flags = fcntl(0, F_GETFL);
	if (c->stdin_flags < 0 || set_nonblock(0))
		return -1;
	return watch_conn(c, 0);
}

/* An end of kind cs, its input going to put(put_ctx). NULL with err (or
 * errno) on failure; where: the place to tell users. */
static struct sim_console *open_end(struct sim *s,
				    const struct console_spec *cs,
				    sim_console_put_fn *put, void *put_ctx,
				    char *where, size_t wlen, char *err,
				    size_t errlen)
{
	struct sim_console *c;
	int rc;

	if (!sim_dom0_loop(s) || !(c = calloc(1, sizeof(*c)))) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->s = s;
	c->kind = cs->kind;
	c->put = put;
	c->put_ctx = put_ctx;
	c->listen_fd = c->conn_fd = c->pty_slave_fd = c->stdin_flags = -1;
	switch (cs->kind) {
	case CONSOLE_STDIO:
		rc = open_stdin(c);
		break;
	case CONSOLE_PTY:
		rc = open_pty(c, where, wlen);
		break;
	default:
		rc = listen_on(c, cs, where, wlen, err, errlen);
		break;
	}
	if (rc) {
		if (!err[0])
			snprintf(err, errlen, "cannot open the console: %s",
				 strerror(errno));
		sim_console_close(c);
		return NULL;
	}
	return c;
}

struct sim_console *sim_console_open(struct sim *s, const char *spec,
				     sim_console_put_fn *put, void *put_ctx,
				     char *where, size_t wlen, char *err,
				     size_t errlen)
{
	struct console_spec cs;

	err[0] = where[0] = '\0';
	if (parse_spec(spec, &cs, err, errlen))
		return NULL;
	if (cs.kind == CONSOLE_STDIO) {
		snprintf(err, errlen, "stdio is console 0's only");
		return NULL;
	}
	return open_end(s, &cs, put, put_ctx, where, wlen, err, errlen);
}

/* Console 0's input goes onto the first console's ring. */
static size_t console0_put(void *ctx, const char *buf, size_t len)
{
	struct sim *s = ctx;

	return hv_consback_input(&s->console_link.back, buf, len);
}

int sim_console_start(struct sim *s)
{
	struct console_spec cs;
	char err[300] = "", where[200] = "";

	if (!s->cfg->console)
		return 0;
	if (parse_spec(s->cfg->console, &cs, err, sizeof(err)))
		goto fail;
	s->console = open_end(s, &cs, console0_put, s, where, sizeof(where),
			      err, sizeof(err));
	if (!s->console)
		goto fail;
	if (cs.kind == CONSOLE_STDIO)
		return 0;
	hv_consback_set_sink(&s->console_link.back, sim_console_output,
			     s->console);
	if (cs.kind == CONSOLE_PTY)
		hv_console_link_set_tty(&s->console_link, where);
	/* Where to connect: the one line a user of these modes needs. */
	fprintf(stderr, "xensim: d%u console on %s\n", s->domain->domid, where);
	return 0;
fail:
	sim_fail(s, SIM_SETUP_ERROR, "%s", err);
	return -1;
}

/* Move input that arrived into the guest's ring; whether any moved. */
static bool deliver(struct sim_console *c)
{
	size_t n;

	if (!c)
		return false;
	if (c->conn_is_file && !c->input_closed && c->in_len == 0) {
		ssize_t got = read(0, c->in, sizeof(c->in));

		if (got <= 0)
			c->input_closed = true;
		else
			c->in_len = (size_t)got;
	}
	if (c == c->s->console && c->in_len > c->in_seen) {
		/* Ctrl-a switches and Xen's keys leave the guest's input. */
		c->in_len = c->in_seen + sim_keys_filter(c->s, c->in + c->in_seen,
							 c->in_len - c->in_seen);
		c->in_seen = c->in_len;
	}
	if (!c->in_len)
		return false;
	n = c->put(c->put_ctx, c->in, c->in_len);
	memmove(c->in, c->in + n, c->in_len - n);
	c->in_len -= n;
	c->in_seen -= n;
	update_conn_poll(c);
	return n > 0;
}

bool sim_console_deliver(struct sim *s)
{
	bool moved = deliver(s->console);

	sim_control_serve(s);

	for (unsigned i = 0; i < s->n_channels; i++)
		moved |= deliver(s->channel[i].end);
	return moved;
}

static bool may_get_input(const struct sim_console *c)
{
	if (!c || c->conn_is_file)
		return false;
	return c->listen_fd >= 0 || c->conn_fd >= 0;
}

bool sim_console_may_get_input(const struct sim *s)
{
	bool may = may_get_input(s->console);

	for (unsigned i = 0; i < s->n_channels; i++)
		may |= may_get_input(s->channel[i].end);
	return may;
}

/* The last output goes out before we close: wait for the client to take
 * it, a bounded time. */
static void final_flush(struct sim_console *c)
{
	struct pollfd p = { .fd = c->conn_fd, .events = POLLOUT };
	int waited = 0;

	while (c->out_len && c->conn_fd >= 0 && waited < CONSOLE_FLUSH_MS) {
		if (poll(&p, 1, 50) == 0)
			waited += 50;
		flush_out(c);
		p.fd = c->conn_fd;
	}
}

/* A pty drops what its reader has not read yet once the master closes:
 * give the reader a bounded time to take it. What we wrote reaches the
 * slave's queue a moment later, so the queue must stay empty a while. */
static void wait_pty_read(struct sim_console *c)
{
	int waited = 0, empty_for = 0, unread;

	while (waited < CONSOLE_FLUSH_MS && empty_for < 100 &&
	       ioctl(c->pty_slave_fd, FIONREAD, &unread) == 0) {
		empty_for = unread ? 0 : empty_for + 20;
		poll(NULL, 0, 20);
		waited += 20;
	}
}

void sim_console_close(struct sim_console *c)
{
	if (!c)
		return;
	if (c->kind != CONSOLE_STDIO)
		final_flush(c);
	if (c->kind == CONSOLE_PTY && c->pty_slave_fd >= 0)
		wait_pty_read(c);
	if (c->kind == CONSOLE_STDIO)
		close_conn_poll(c);
	else
		drop_conn(c);
	close_poll(&c->listen_poll, &c->listen_polled);
	if (c->listen_fd >= 0)
		close(c->listen_fd);
	if (c->pty_slave_fd >= 0)
		close(c->pty_slave_fd);
	if (c->unix_bound)
		unlink(c->unix_addr.sun_path);
	if (c->stdin_flags >= 0)
		fcntl(0, F_SETFL, c->stdin_flags);
	/* Let the closing poll handles finish before their memory goes. */
	while (c->open_handles)
		uv_run(c->s->loop, UV_RUN_NOWAIT);
	free(c->out);
	free(c);
}

void sim_console_stop(struct sim *s)
{
	sim_console_close(s->console);
	s->console = NULL;
}
