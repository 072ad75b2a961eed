/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The benchmark's floor: a server that answers every request with a fixed
 * reply and does no xenstore work, to show what the client and the kernel
 * cost on this machine.
 */
#ifndef XS_FLOOR_H
#define XS_FLOOR_H

/* Listens on socket_path and serves until killed; never returns. */
void xs_floor_serve(const char *socket_path) __attribute__((noreturn));

#endif /* XS_FLOOR_H */
