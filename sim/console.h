/* SPDX-License-Identifier: BSD-2-Clause */
/* Where the guest's first console goes (--console): the Xen console on
 * stdout as "(dN) " lines (stdio, the default), or the raw byte stream, as
 * `xl console` shows it, on a pty, a unix socket or a loopback TCP port.
 * Input from the outside is buffered here and put on the guest's ring only
 * when the guest idles, so when it arrives in wall-clock time never decides
 * what the guest sees between two of its own steps. */
#ifndef SIM_CONSOLE_H
#define SIM_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

struct sim;
struct sim_console;

/* Check a --console spec without opening anything: 0, or -1 with a
 * message in err. */
int sim_console_check_spec(const char *spec, char *err, size_t errlen);

/* Open the console the config asks for on s->loop (created if need be)
 * and point the ring's output at it. 0, or -1 with s->res filled. */
int sim_console_start(struct sim *s);
/* Move input that arrived into the guest's ring; whether any moved. */
bool sim_console_deliver(struct sim *s);
/* Whether input may still come from outside (a listener, a client, an
 * open pty or stdin). */
bool sim_console_may_get_input(const struct sim *s);
/* Hand the last output to the client (bounded), close everything and
 * remove the unix socket. */
void sim_console_stop(struct sim *s);

#endif
