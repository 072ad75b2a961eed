/* SPDX-License-Identifier: BSD-2-Clause */
/* The state machine every model backend shares (see hv/xenbus_backend.h):
 * it follows the frontend's state, calls the class's hooks and moves the
 * backend's state. The frontend's state is the guest's word: any value,
 * in any order, at any time; the machine only ever acts on the last one. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <xen/errno.h>

#include "hv/events.h"
#include "hv/log.h"
#include "hv/xenbus_backend.h"
#include "xenbus_internal.h"

/* Tell the machine's event sinks an end of the device moved. */
static void trace_state(const struct hv_xenbus_device *dev, unsigned end,
			enum xenbus_state state)
{
	HV_EVENT(dev->machine, .kind = HV_EV_XENBUS_STATE,
		 .domid = dev->xb.frontend_id, .vcpu = HV_EV_NO_VCPU,
		 .dev = dev->xb.type, .devid = dev->xb.devid,
		 .arg = { end, (uint64_t)state });
}

static void record_change(struct hv_xenbus_backend *xb,
			  enum xenbus_state state, void *arg)
{
	struct hv_xenbus_device *dev = arg;

	(void)xb;
	trace_state(dev, HV_EV_END_FRONTEND, state);
	/* dom0 acts later, in its own turn, outside the daemon. */
	dev->seen = state;
	dev->pending = true;
}

static void disconnect(struct hv_xenbus_device *dev)
{
	if (dev->ops->disconnect)
		dev->ops->disconnect(dev);
}

static void switch_state(struct hv_xenbus_device *dev, enum xenbus_state st)
{
	if (dev->xb.be_state != st) {
		hv_xenbus_backend_switch_state(&dev->xb, st);
		trace_state(dev, HV_EV_END_BACKEND, dev->xb.be_state);
	}
}

static void connect(struct hv_xenbus_device *dev)
{
	int rc = dev->ops->connect ? dev->ops->connect(dev) : 0;

	if (rc) {
		/* The class wrote why; leave nothing half-connected. */
		disconnect(dev);
		switch_state(dev, XenbusStateClosing);
		return;
	}
	switch_state(dev, XenbusStateConnected);
	dev->connects++;
}

bool hv_xenbus_device_run(struct hv_xenbus_device *dev)
{
	enum xenbus_state be_state = dev->xb.be_state;

	if (!dev->pending)
		return false;
	dev->pending = false;
	switch (dev->seen) {
	case XenbusStateInitialising:
		/* A frontend starting over after a close: offer it again,
		 * unless the toolstack is taking the device away. */
		if (!dev->removing && (be_state == XenbusStateClosing ||
				       be_state == XenbusStateClosed)) {
			disconnect(dev);
			switch_state(dev, XenbusStateInitWait);
		}
		break;
	case XenbusStateInitialised:
		if (be_state == XenbusStateInitWait &&
		    !dev->ops->connect_on_connected)
			connect(dev);
		break;
	case XenbusStateConnected:
		if (be_state == XenbusStateInitWait)
			connect(dev);
		break;
	case XenbusStateClosing:
		switch_state(dev, XenbusStateClosing);
		break;
	case XenbusStateClosed:
	case XenbusStateUnknown:
		disconnect(dev);
		switch_state(dev, XenbusStateClosed);
		break;
	default:
		/* InitWait, Reconfiguring, Reconfigured: not a frontend's. */
		break;
	}
	if (dev->ops->frontend_changed)
		dev->ops->frontend_changed(dev, dev->seen);
	return true;
}

void hv_xenbus_device_error(struct hv_xenbus_device *dev, int err,
			    const char *fmt, ...)
{
	char why[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (dev->machine)
		hv_log(dev->machine, HV_LOG_WARN, "%s: %s (%d)", dev->xb.be_path,
		       why, err);
	hv_xenbus_backend_printf(&dev->xb, "error", "%d %s", -err, why);
	switch_state(dev, XenbusStateClosing);
}

int hv_xenbus_device_create(struct hv_xenbus_device *dev, struct hv_xs *xs,
			    struct hv_machine *machine, uint16_t frontend_id,
			    const char *type, unsigned devid,
			    const struct hv_xenbus_device_ops *ops, void *priv)
{
	int rc;

	memset(dev, 0, sizeof(*dev));
	dev->ops = ops;
	dev->priv = priv;
	dev->machine = machine;
	rc = hv_xenbus_backend_init_dirs(&dev->xb, xs, frontend_id, type,
					 devid);
	if (!rc) {
		trace_state(dev, HV_EV_END_FRONTEND, dev->xb.fe_state);
		trace_state(dev, HV_EV_END_BACKEND, dev->xb.be_state);
	}
	if (!rc && ops->probe)
		rc = ops->probe(dev);
	if (!rc)
		rc = hv_xenbus_backend_watch(&dev->xb, record_change, dev);
	if (rc) {
		hv_xenbus_backend_destroy(&dev->xb);
		dev->ops = NULL;
	}
	return rc;
}

void hv_xenbus_device_destroy(struct hv_xenbus_device *dev)
{
	if (!dev->ops)
		return;
	disconnect(dev);
	hv_xenbus_backend_destroy(&dev->xb);
	dev->ops = NULL;
}
