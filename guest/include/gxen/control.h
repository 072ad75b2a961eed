/* SPDX-License-Identifier: BSD-2-Clause */
/* The toolstack's requests to the domain through xenstore: what `xl
 * shutdown`, `xl reboot` and a suspend write to control/shutdown. */
#ifndef GXEN_CONTROL_H
#define GXEN_CONTROL_H

/* Say which requests this guest honours (control/feature-*). */
int control_advertise(void);

/* Wait, for as long as it takes, until control/shutdown names a request;
 * acknowledge it by clearing the node, and return the SHUTDOWN_* reason.
 * Requests this guest does not know are logged, cleared and ignored.
 * A negative Xen errno when xenstore fails. */
int control_wait_shutdown(unsigned *reason);

/* For a guest that waits on something else at the same time: watch
 * control/shutdown (*fired is set to 1 at each change, from xs_poll) ... */
int control_watch(int *fired);
void control_unwatch(void);
/* ... and read it once: 1 with *reason set when it names a request
 * (acknowledged by clearing the node), 0 when it names none, or a
 * negative Xen errno. */
int control_take_request(unsigned *reason);

#endif
