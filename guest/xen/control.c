/* SPDX-License-Identifier: BSD-2-Clause */
/* control/shutdown: the value is whatever the toolstack (or anyone with
 * dom0's rights) wrote; only the known words are acted on. */
#include <xen/errno.h>
#include <xen/sched.h>

#include "gxen/control.h"
#include "gxen/xs.h"
#include "kern/printf.h"
#include "kern/string.h"

static const struct {
	const char *word;
	unsigned reason;
} requests[] = {
	{ "poweroff", SHUTDOWN_poweroff },
	{ "halt", SHUTDOWN_poweroff },
	{ "reboot", SHUTDOWN_reboot },
	{ "suspend", SHUTDOWN_suspend },
	{ "crash", SHUTDOWN_crash },
};

int control_advertise(void)
{
	int rc = xs_write(XBT_NIL, "control/feature-poweroff", "1");

	if (!rc)
		rc = xs_write(XBT_NIL, "control/feature-reboot", "1");
	return rc ? rc : xs_write(XBT_NIL, "control/feature-suspend", "1");
}

static void changed(const char *path, const char *token, void *arg)
{
	(void)path;
	(void)token;
	*(int *)arg = 1;
}

int control_watch(int *fired)
{
	return xs_watch("control/shutdown", "control", changed, fired);
}

void control_unwatch(void)
{
	xs_unwatch("control/shutdown", "control");
}

/* Read and act on the node once; 1 with *reason set, 0 to keep waiting. */
int control_take_request(unsigned *reason)
{
	char value[32];
	int rc = xs_read(XBT_NIL, "control/shutdown", value, sizeof(value));

	if (rc == -XEN_ENOENT || rc == 0)
		return 0;
	if (rc == -XEN_E2BIG)
		value[0] = '\0';
	else if (rc < 0)
		return rc;
	/* Acknowledge, as the toolstack waits for the node to empty. */
	rc = xs_write(XBT_NIL, "control/shutdown", "");
	if (rc)
		return rc;
	for (unsigned i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		if (strcmp(value, requests[i].word) == 0) {
			*reason = requests[i].reason;
			return 1;
		}
	}
	kprintf("control: ignoring shutdown request \"%s\"\n", value);
	return 0;
}

int control_wait_shutdown(unsigned *reason)
{
	int fired = 0, rc;

	rc = control_watch(&fired);
	if (rc)
		return rc;
	for (;;) {
		xs_poll();
		if (fired) {
			fired = 0;
			rc = control_take_request(reason);
			if (rc)
				break;
		}
		if (!xs_connected()) {
			rc = -XEN_EIO;
			break;
		}
		/* A watch event comes on the store's event channel. */
		xs_wait_until(0);
	}
	control_unwatch();
	return rc < 0 ? rc : 0;
}
