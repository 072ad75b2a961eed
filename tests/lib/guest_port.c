/* SPDX-License-Identifier: BSD-2-Clause */
/* See guest_port.h. */
#include <stdio.h>

#include <xen/errno.h>
#include <xen/xen.h>

#include "guest_port.h"
#include "host_port.h"

static long hypercall(void *ctx, unsigned long op, const unsigned long a[5])
{
	(void)ctx;
	if (op == __HYPERVISOR_console_io && a[0] == CONSOLEIO_write) {
		printf("guest: %.*s", (int)a[1], (const char *)a[2]);
		return 0;
	}
	return -XEN_ENOSYS;
}

/* A release Xen: every immediate but 0 and 0xEA1 is undefined. */
static bool hvc(void *ctx, uint16_t imm, const unsigned long reg[16],
		uintptr_t pc)
{
	(void)ctx, (void)imm, (void)reg, (void)pc;
	return true;
}

static void idle(void *ctx)
{
	(void)ctx;
}

static uint64_t time_ns(void *ctx)
{
	(void)ctx;
	return 0;
}

static bool never(void *ctx)
{
	(void)ctx;
	return false;
}

/* No firmware or hypervisor service answers: every id is unknown. */
static void smccc(void *ctx, const unsigned long a[4], unsigned long res[4])
{
	(void)ctx;
	res[0] = (unsigned long)-1l;
	res[1] = a[1];
	res[2] = a[2];
	res[3] = a[3];
}

/* One CPU: nothing else to run. */
static void relax(void *ctx)
{
	(void)ctx;
}

static const struct host_port_ops ops = {
	hypercall, hvc, idle, time_ns, never, never, smccc, never, relax,
};

static const struct host_port port = { .ops = &ops };

void test_guest_port_attach(void)
{
	host_port_attach(&port);
}
