/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The unix-socket transport: a libuv pipe server whose clients are dom0
 * tools. Bytes from a client go through the shared framer; a header that
 * announces more than XENSTORE_PAYLOAD_MAX closes that client. A client is
 * never freed while the daemon may be using it: closing only marks it and
 * hands the handle to uv_close, whose callback (always a later loop turn)
 * frees the connection. The host's errors (errno, libuv's codes) become
 * Xen's in one place, hv_xs_errno_from_host(); nothing else in the model
 * sees a host errno.
 *
 * Replies and events are gathered per client while a read is served and
 * written once at its end: every request that arrived in one read, and the
 * watch events it fired on other clients, leave in one write per client.
 * Only what the socket does not take at once goes through a queued
 * uv_write.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <hv/xs_uv.h>
#include <xen/errno.h>

#include "xs_internal.h"

#define CLIENT_READ_BUF 65536

struct uv_client {
	uv_pipe_t pipe;               /* first: handle pointers cast back */
	struct hv_xs_uv *srv;
	struct uv_client *next;
	struct uv_client *next_pending; /* on srv->pending while out holds bytes */
	struct hv_xs_conn *conn;
	struct hv_xs_framer in;
	bool closing;
	bool on_pending;              /* on srv->pending: output waits for the read's end */
	bool writing;                 /* wreq in flight over the queue's first write_len bytes */
	size_t write_len;
	uv_write_t wreq;
	struct hv_xs_outq out;        /* replies and events not yet taken by the socket */
	char rbuf[CLIENT_READ_BUF];
};

struct hv_xs_uv {
	uv_pipe_t listener;           /* first: handle pointers cast back */
	struct hv_xs *xs;
	struct uv_client *clients;
	struct uv_client *pending;    /* clients with gathered output */
	bool gathering;               /* serving a read: output waits for its end */
	unsigned nclients;
	unsigned open_handles;
	bool closing;
	char *path;
};

/* Host errors the socket calls can return, and Xen's number for each. */
static const struct {
	int host, xen;
} host_errors[] = {
	{ EPERM, XEN_EPERM },           { ENOENT, XEN_ENOENT },
	{ EIO, XEN_EIO },               { ENOMEM, XEN_ENOMEM },
	{ EACCES, XEN_EACCES },         { EBUSY, XEN_EBUSY },
	{ EEXIST, XEN_EEXIST },         { ENOTDIR, XEN_ENOTDIR },
	{ EISDIR, XEN_EISDIR },         { EINVAL, XEN_EINVAL },
	{ ENFILE, XEN_ENFILE },         { EMFILE, XEN_EMFILE },
	{ ENOSPC, XEN_ENOSPC },         { EROFS, XEN_EROFS },
	{ EAGAIN, XEN_EAGAIN },         { ENAMETOOLONG, XEN_ENAMETOOLONG },
	{ ENOTSOCK, XEN_ENOTSOCK },     { EADDRINUSE, XEN_EADDRINUSE },
	{ EADDRNOTAVAIL, XEN_EADDRNOTAVAIL }, { ENOBUFS, XEN_ENOBUFS },
	{ ECONNREFUSED, XEN_ECONNREFUSED },
};

/*
 * The boundary between the host and the model: a negative host error (an
 * errno negated, or a libuv code, which is the same on the unix hosts
 * libuv runs on) in, Xen's negative errno out; -XEN_EIO for what has no
 * Xen name.
 */
static int hv_xs_errno_from_host(int neg_host_err)
{
	for (size_t i = 0; i < sizeof(host_errors) / sizeof(host_errors[0]); i++)
		if (host_errors[i].host == -neg_host_err)
			return -host_errors[i].xen;
	return -XEN_EIO;
}

static void srv_handle_closed(struct hv_xs_uv *srv)
{
	if (--srv->open_handles == 0 && srv->closing) {
		free(srv->path);
		free(srv);
	}
}

static void on_client_closed(uv_handle_t *h)
{
	struct uv_client *c = (struct uv_client *)h;
	struct hv_xs_uv *srv = c->srv;

	hv_xs_conn_free(c->conn);
	free(c);
	srv_handle_closed(srv);
}

static void client_close(struct uv_client *c)
{
	struct uv_client **pp;

	if (c->closing)
		return;
	c->closing = true;
	for (pp = &c->srv->clients; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			c->srv->nclients--;
			break;
		}
	}
	uv_read_stop((uv_stream_t *)&c->pipe);
	/*
	 * uv_close closes the socket now and cancels the write in flight,
	 * whose callback no longer looks at the queue: its memory can go
	 * now, while the daemon it is counted in surely lives.
	 */
	uv_close((uv_handle_t *)&c->pipe, on_client_closed);
	hv_xs_outq_clear(&c->out);
}

static void client_flush(struct uv_client *c);

static void on_write(uv_write_t *req, int status)
{
	struct uv_client *c = req->data;

	c->writing = false;
	if (c->closing)
		return;
	if (status < 0) {
		client_close(c);
		return;
	}
	hv_xs_outq_consume(&c->out, c->write_len);
	client_flush(c); /* what queued meanwhile */
}

#define FLUSH_SPANS 16

static unsigned client_spans(const struct uv_client *c, uv_buf_t *bufs, size_t *total)
{
	struct hv_xs_span v[FLUSH_SPANS];
	unsigned n = hv_xs_outq_spans(&c->out, v, FLUSH_SPANS);

	*total = 0;
	for (unsigned i = 0; i < n; i++) {
		bufs[i] = uv_buf_init((char *)v[i].data, (unsigned)v[i].len);
		*total += v[i].len;
	}
	return n;
}

/*
 * Writes what is queued: directly as far as the socket takes it, the rest
 * through one uv_write at a time, straight from the queue's chunks (which
 * stay put until consumed).
 */
static void client_flush(struct uv_client *c)
{
	uv_buf_t bufs[FLUSH_SPANS];
	unsigned n;
	size_t total;
	int rc;

	if (c->closing || c->writing)
		return;
	n = client_spans(c, bufs, &total);
	if (!n)
		return;
	rc = uv_try_write((uv_stream_t *)&c->pipe, bufs, n);
	if (rc == UV_EAGAIN || rc == UV_ENOSYS)
		rc = 0; /* the socket is full */
	if (rc < 0) {
		client_close(c);
		return;
	}
	hv_xs_outq_consume(&c->out, (size_t)rc);
	n = client_spans(c, bufs, &total);
	if (!n)
		return;
	c->wreq.data = c;
	c->write_len = total;
	if (uv_write(&c->wreq, (uv_stream_t *)&c->pipe, bufs, n, on_write) < 0)
		client_close(c);
	else
		c->writing = true;
}

static void srv_flush_pending(struct hv_xs_uv *srv)
{
	while (srv->pending) {
		struct uv_client *c = srv->pending;

		srv->pending = c->next_pending;
		c->next_pending = NULL;
		c->on_pending = false;
		client_flush(c);
	}
}

/* The socket client whose queued output holds the most memory. */
static struct uv_client *largest_client(struct hv_xs_uv *srv)
{
	struct uv_client *big = NULL;

	for (struct uv_client *c = srv->clients; c; c = c->next)
		if (!c->closing && (!big || c->out.mem > big->out.mem))
			big = c;
	return big;
}

static void client_drop(struct uv_client *c, const char *why)
{
	hv_xs_log(c->srv->xs, HV_XS_LOG_WARN, 0,
		  "socket client not reading: %zu bytes of output queued, %s; disconnected",
		  c->out.mem, why);
	client_close(c);
}

static int client_send(void *opaque, const void *msg, size_t len, enum hv_xs_msg_kind kind)
{
	struct uv_client *c = opaque;
	int rc;

	if (c->closing)
		return 0;
	rc = hv_xs_outq_push(&c->out, msg, len, kind, true);
	if (rc == -XEN_ENOBUFS) {
		/* The daemon's total is reached: the biggest queue goes first. */
		struct uv_client *big = largest_client(c->srv);

		if (big && big != c) {
			client_drop(big, "the most of all clients");
			rc = hv_xs_outq_push(&c->out, msg, len, kind, true);
		}
	}
	if (rc == -XEN_ENOSPC || rc == -XEN_ENOBUFS) {
		client_drop(c, rc == -XEN_ENOSPC ? "its own bound" : "the most of all clients");
		return rc;
	}
	if (rc < 0)
		return rc;
	if (!c->on_pending) {
		c->on_pending = true;
		c->next_pending = c->srv->pending;
		c->srv->pending = c;
	}
	if (!c->srv->gathering)
		srv_flush_pending(c->srv); /* sent from outside a read: now */
	return 0;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct uv_client *c = (struct uv_client *)h;

	(void)suggested;
	*buf = uv_buf_init(c->rbuf, sizeof(c->rbuf));
}

/* Feeds bytes to the framer and serves each whole request. */
static void client_consume(struct uv_client *c, const char *p, size_t n)
{
	while (n && !c->closing) {
		size_t take = hv_xs_framer_want(&c->in);
		int rc;

		if (take > n)
			take = n;
		rc = hv_xs_framer_put(&c->in, p, take);
		p += take;
		n -= take;
		if (rc < 0) {
			hv_xs_log(c->srv->xs, HV_XS_LOG_WARN, 0,
			       "socket client sent a payload over %d bytes; disconnected",
			       XENSTORE_PAYLOAD_MAX);
			client_close(c);
		} else if (rc == 1) {
			struct xsd_sockmsg hdr;

			hv_xs_framer_hdr(&c->in, &hdr);
			hv_xs_conn_request(c->conn, &hdr, hv_xs_framer_payload(&c->in));
			hv_xs_framer_reset(&c->in);
		}
	}
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct uv_client *c = (struct uv_client *)s;

	if (nread < 0) {
		client_close(c); /* EOF or error */
		return;
	}
	c->srv->gathering = true;
	client_consume(c, buf->base, (size_t)nread);
	c->srv->gathering = false;
	srv_flush_pending(c->srv);
}

static void on_connection(uv_stream_t *listener, int status)
{
	struct hv_xs_uv *srv = (struct hv_xs_uv *)listener;
	struct uv_client *c;

	if (status < 0 || srv->closing)
		return;
	c = calloc(1, sizeof(*c));
	if (!c)
		return;
	c->srv = srv;
	hv_xs_outq_init(&c->out, srv->xs, srv->xs->cfg.max_dom0_out_bytes);
	uv_pipe_init(listener->loop, &c->pipe, 0);
	srv->open_handles++;
	c->conn = hv_xs_conn_new(srv->xs, 0, client_send, c);
	if (uv_accept(listener, (uv_stream_t *)&c->pipe) < 0 || !c->conn ||
	    uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read) < 0) {
		c->closing = true;
		uv_close((uv_handle_t *)&c->pipe, on_client_closed);
		return;
	}
	c->next = srv->clients;
	srv->clients = c;
	srv->nclients++;
}

static void on_listener_closed(uv_handle_t *h)
{
	srv_handle_closed((struct hv_xs_uv *)h);
}

/* Whether a server answers on the socket at path: only a socket nobody
 * listens on (connection refused) is stale. Non-blocking, so a server
 * whose backlog is full counts as live instead of stalling us. */
static int socket_in_use(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int rc;

	if (fd < 0)
		return -errno;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ||
	    errno == EAGAIN || errno == EINPROGRESS)
		rc = -EADDRINUSE;
	else
		rc = errno == ECONNREFUSED ? 0 : -errno;
	close(fd);
	return rc;
}

static int remove_stale_socket(const char *path)
{
	struct stat st;
	int rc;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : hv_xs_errno_from_host(-errno);
	if (!S_ISSOCK(st.st_mode))
		return -XEN_EEXIST;
	rc = socket_in_use(path);
	if (rc)
		return hv_xs_errno_from_host(rc);
	return unlink(path) < 0 ? hv_xs_errno_from_host(-errno) : 0;
}

int hv_xs_uv_listen(struct hv_xs *xs, uv_loop_t *loop, const char *path,
		    struct hv_xs_uv **out)
{
	struct hv_xs_uv *srv;
	int rc;

	*out = NULL;
	if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return -XEN_ENAMETOOLONG;
	rc = remove_stale_socket(path);
	if (rc)
		return rc;
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return -XEN_ENOMEM;
	srv->xs = xs;
	srv->path = strdup(path);
	if (!srv->path) {
		free(srv);
		return -XEN_ENOMEM;
	}
	uv_pipe_init(loop, &srv->listener, 0);
	srv->open_handles = 1;
	rc = uv_pipe_bind(&srv->listener, path);
	if (!rc)
		rc = uv_listen((uv_stream_t *)&srv->listener, 64, on_connection);
	if (rc) {
		srv->closing = true;
		uv_close((uv_handle_t *)&srv->listener, on_listener_closed);
		return hv_xs_errno_from_host(rc);
	}
	*out = srv;
	return 0;
}

void hv_xs_uv_close(struct hv_xs_uv *srv)
{
	if (!srv || srv->closing)
		return;
	srv->closing = true;
	while (srv->clients) {
		struct uv_client *c = srv->clients;

		/* Free the daemon side now: the caller may free the daemon next. */
		hv_xs_conn_free(c->conn);
		c->conn = NULL;
		client_close(c);
	}
	unlink(srv->path);
	uv_close((uv_handle_t *)&srv->listener, on_listener_closed);
}

unsigned hv_xs_uv_clients(const struct hv_xs_uv *srv)
{
	return srv->nclients;
}
