/* SPDX-License-Identifier: BSD-2-Clause */
/* Where the guest's first console goes (--console): the Xen console on
 * stdout as "(dN) " lines (stdio, the default), or the raw byte stream, as
 * `xl console` shows it, on a pty, a unix socket or a loopback TCP port.
 * A channel's end (sim/channels.c) is one of the same: a pty or a unix
 * socket.
 * Input from the outside is buffered here and put on the guest's ring only
 * when the guest idles, so when it arrives in wall-clock time never decides
 * what the guest sees between two of its own steps. */
#ifndef SIM_CONSOLE_H
#define SIM_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

struct sim;
struct sim_console;

/* Takes input for the guest: up to len bytes onto its ring; how many fit. */
typedef size_t sim_console_put_fn(void *ctx, const char *buf, size_t len);

/* Check a --console spec without opening anything: 0, or -1 with a
 * message in err. */
int sim_console_check_spec(const char *spec, char *err, size_t errlen);

/* Open the console the config asks for on s->loop (created if need be)
 * and point the ring's output at it. 0, or -1 with s->res filled. */
int sim_console_start(struct sim *s);
/* Open an end other than stdio ("pty", "unix:PATH", "tcp:...") on
 * s->loop (created if need be) whose input goes to put(put_ctx); the
 * place to tell users in where. NULL, with the reason in err, on failure. */
struct sim_console *sim_console_open(struct sim *s, const char *spec,
				     sim_console_put_fn *put, void *put_ctx,
				     char *where, size_t wlen, char *err,
				     size_t errlen);
/* A ring's output into an end (an hv_consback_write_fn; ctx: the end):
 * sent, or kept (bounded) until a client comes. */
size_t sim_console_output(void *ctx, const char *buf, size_t len);
/* Hand an end's last output to its client (bounded), close it and
 * remove its unix socket (NULL: nothing). */
void sim_console_close(struct sim_console *c);

/* Move input that arrived, for console 0 and every channel, into the
 * guest's rings; whether any moved. */
bool sim_console_deliver(struct sim *s);
/* Whether input may still come from outside, for console 0 or a channel
 * (a listener, a client, an open pty or stdin). */
bool sim_console_may_get_input(const struct sim *s);
/* Console 0's end: as sim_console_close. */
void sim_console_stop(struct sim *s);

#endif
