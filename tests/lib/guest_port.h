/* SPDX-License-Identifier: BSD-2-Clause */
/* For unit tests of guest code outside a booted guest: a workstation port
 * whose only working hypercall is console_io write (printed with a
 * "guest: " prefix); every other hypercall is -ENOSYS. */
#ifndef TESTS_GUEST_PORT_H
#define TESTS_GUEST_PORT_H

void test_guest_port_attach(void);

#endif
