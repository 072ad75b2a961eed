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

/* Replies and events a silent client may have pending before we give up. */
#define CLIENT_MAX_QUEUED (4u << 20)
#define CLIENT_READ_BUF 65536

struct uv_client {
	uv_pipe_t pipe;               /* first: handle pointers cast back */
	struct hv_xs_uv *srv;
	struct uv_client *next;
	struct uv_client *next_pending; /* on srv->pending while out holds bytes */
	struct hv_xs_conn *conn;
	struct hv_xs_framer in;
	bool closing;
	char *out;                    /* gathered messages not yet written */
	size_t out_len, out_cap;
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

struct write_req {
	uv_write_t req;
	uv_buf_t buf;
	char data[];
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
	free(c->out);
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
	uv_close((uv_handle_t *)&c->pipe, on_client_closed);
}

static void on_write(uv_write_t *req, int status)
{
	struct write_req *w = (struct write_req *)req;
	struct uv_client *c = req->data;

	if (status < 0 && status != UV_ECANCELED && !c->closing)
		client_close(c);
	free(w);
}

/* Hands what the socket did not take to libuv's queue, which keeps order. */
static void client_queue_rest(struct uv_client *c, const char *data, size_t len)
{
	struct write_req *w = malloc(sizeof(*w) + len);

	if (!w) {
		client_close(c);
		return;
	}
	memcpy(w->data, data, len);
	w->buf = uv_buf_init(w->data, (unsigned)len);
	w->req.data = c;
	if (uv_write(&w->req, (uv_stream_t *)&c->pipe, &w->buf, 1, on_write) < 0) {
		free(w);
		client_close(c);
	}
}

/* Writes the gathered output: directly when nothing is queued before it. */
static void client_flush(struct uv_client *c)
{
	uv_buf_t buf = uv_buf_init(c->out, (unsigned)c->out_len);
	int n;

	if (c->closing || !c->out_len)
		return;
	n = uv_try_write((uv_stream_t *)&c->pipe, &buf, 1);
	if (n == UV_EAGAIN || n == UV_ENOSYS)
		n = 0; /* earlier output still queued, or the socket is full */
	if (n < 0)
		client_close(c);
	else if ((size_t)n < c->out_len)
		client_queue_rest(c, c->out + n, c->out_len - (size_t)n);
	c->out_len = 0;
}

static void srv_flush_pending(struct hv_xs_uv *srv)
{
	while (srv->pending) {
		struct uv_client *c = srv->pending;

		srv->pending = c->next_pending;
		c->next_pending = NULL;
		client_flush(c);
	}
}

static int client_send(void *opaque, const void *msg, size_t len, enum hv_xs_msg_kind kind)
{
	struct uv_client *c = opaque;
	size_t queued;

	(void)kind;
	if (c->closing)
		return 0;
	queued = uv_stream_get_write_queue_size((uv_stream_t *)&c->pipe) + c->out_len;
	if (queued > CLIENT_MAX_QUEUED) {
		hv_xs_log(c->srv->xs, HV_XS_LOG_WARN, 0, "socket client not reading; disconnected");
		client_close(c);
		return -XEN_ENOSPC;
	}
	if (c->out_cap - c->out_len < len) {
		size_t cap = c->out_cap ? c->out_cap : 4096;
		char *grown;

		while (cap - c->out_len < len)
			cap *= 2;
		grown = realloc(c->out, cap);
		if (!grown)
			return -XEN_ENOMEM;
		c->out = grown;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, msg, len);
	if (!c->out_len) {
		c->next_pending = c->srv->pending;
		c->srv->pending = c;
	}
	c->out_len += len;
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
