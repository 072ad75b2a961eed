/* SPDX-License-Identifier: BSD-2-Clause */
/* The "console" device class on the xenbus layer (see
 * hv/consback_xenbus.h): reads the frontend's ring-ref and port once,
 * reaches the page only through a grant mapping, and hands the ring to
 * consback.c. Never trusts a value the frontend wrote before checking it. */
#include <string.h>

#include <xen/errno.h>

#include "hv/consback_xenbus.h"
#include "hv/domain.h"
#include "hv/evtchn.h"
#include "hv/machine.h"

static struct hv_consback_dev *of(struct hv_xenbus_device *dev)
{
	return dev->priv;
}

/* dom0's end: the guest sent on the channel. Only note it; dom0 runs
 * later. */
static void guest_kicked(void *ctx, struct hv_domain *d, evtchn_port_t port)
{
	struct hv_consback_dev *cd = ctx;

	(void)d;
	(void)port;
	cd->back.kicked = true;
}

static void disconnect(struct hv_xenbus_device *dev)
{
	struct hv_consback_dev *cd = of(dev);

	/* Drain what the guest left while the page is still mapped. */
	if (cd->connected)
		hv_consback_stop(&cd->back);
	cd->connected = false;
	if (cd->mapped)
		hv_gnttab_unmap(cd->dom0, cd->ring_map.handle);
	cd->mapped = false;
	if (cd->port)
		hv_evtchn_close_for(cd->dom0, cd->port);
	cd->port = 0;
}

static int fail(struct hv_consback_dev *cd, int err, const char *why)
{
	hv_xenbus_device_error(&cd->dev, err, "console %u: %s", cd->devid,
			       why);
	return err;
}

static int map_ring(struct hv_consback_dev *cd)
{
	unsigned long ref;
	int16_t st;

	if (hv_xenbus_frontend_read_ulong(&cd->dev.xb, "ring-ref", UINT32_MAX,
					  &ref))
		return fail(cd, -XEN_EINVAL, "missing or malformed ring-ref");
	st = hv_gnttab_map_ref(cd->dom0, cd->guest->domid, (grant_ref_t)ref,
			       false, &cd->ring_map);
	if (st != GNTST_okay) {
		hv_xenbus_backend_printf(&cd->dev.xb, "map-status", "%d", st);
		return fail(cd, -XEN_EINVAL, "cannot map ring-ref");
	}
	cd->mapped = true;
	return 0;
}

static int bind_port(struct hv_consback_dev *cd)
{
	unsigned long port;

	if (hv_xenbus_frontend_read_ulong(&cd->dev.xb, "port", UINT32_MAX,
					  &port) || port == 0)
		return fail(cd, -XEN_EINVAL, "missing or malformed port");
	if (hv_evtchn_bind_interdomain_for(cd->dom0, cd->guest->domid,
					   (evtchn_port_t)port, &cd->port)) {
		cd->port = 0;
		return fail(cd, -XEN_EINVAL, "cannot bind port");
	}
	if (hv_evtchn_set_consumer(cd->dom0, cd->port, guest_kicked, cd))
		return fail(cd, -XEN_EINVAL, "cannot consume port");
	return 0;
}

static int connect(struct hv_xenbus_device *dev)
{
	struct hv_consback_dev *cd = of(dev);
	int rc = map_ring(cd);

	if (!rc)
		rc = bind_port(cd);
	if (!rc)
		rc = hv_consback_start(&cd->back, cd->dom0, cd->guest,
				       cd->ring_map.page, cd->port, cd->write,
				       cd->write_ctx);
	if (rc)
		return rc;
	cd->connected = true;
	/* Output the guest put on the ring before we connected. */
	cd->back.kicked = true;
	cd->connects++;
	return 0;
}

/* The toolstack's frontend nodes for a console device, as libxl writes
 * them for QEMU: the daemon (type), its buffer limit, where the output
 * goes (a pty unless the device says otherwise) and the pty's name, empty
 * until there is one. */
static int probe(struct hv_xenbus_device *dev)
{
	int rc = hv_xenbus_frontend_write(&dev->xb, "type", "ioemu");

	if (!rc)
		rc = hv_xenbus_frontend_write(&dev->xb, "limit",
					      HV_CONSBACK_XENBUS_LIMIT);
	if (!rc)
		rc = hv_xenbus_frontend_write(&dev->xb, "output", "pty");
	if (!rc)
		rc = hv_xenbus_frontend_write(&dev->xb, "tty", "");
	return rc;
}

static const struct hv_xenbus_device_ops consback_dev_ops = {
	.probe = probe,
	.connect = connect,
	.disconnect = disconnect,
};

bool hv_consback_dev_run(struct hv_consback_dev *cd)
{
	bool did;

	if (!cd->dom0)
		return false;
	did = hv_xenbus_device_run(&cd->dev);
	if (!cd->connected)
		return did;
	did |= hv_consback_run(&cd->back);
	/* consback logged the indexes; tell the frontend once, and stop. */
	if (cd->back.broken && cd->dev.xb.be_state == XenbusStateConnected) {
		hv_xenbus_device_error(&cd->dev, -XEN_EIO, "console %u: broken "
				       "ring indexes", cd->devid);
		did = true;
	}
	return did;
}

size_t hv_consback_dev_input(struct hv_consback_dev *cd, const char *buf,
			     size_t len)
{
	if (!cd->connected || cd->dev.xb.be_state != XenbusStateConnected)
		return 0;
	return hv_consback_input(&cd->back, buf, len);
}

int hv_consback_dev_create(struct hv_consback_dev *cd, struct hv_xs *xs,
			   struct hv_domain *dom0, struct hv_domain *guest,
			   unsigned devid, const char *name,
			   hv_consback_write_fn *write, void *write_ctx)
{
	int rc;

	memset(cd, 0, sizeof(*cd));
	/* Console 0 is console_link's: no xenbus handshake. */
	if (devid == 0)
		return -XEN_EINVAL;
	cd->dom0 = dom0;
	cd->guest = guest;
	cd->devid = devid;
	cd->write = write;
	cd->write_ctx = write_ctx;
	rc = hv_xenbus_device_create(&cd->dev, xs, dom0->machine,
				     guest->domid, HV_CONSBACK_XENBUS_TYPE,
				     devid, &consback_dev_ops, cd);
	/* A channel's name is in both directories. */
	if (!rc && name)
		rc = hv_xenbus_frontend_write(&cd->dev.xb, "name", name);
	if (!rc && name)
		rc = hv_xenbus_backend_printf(&cd->dev.xb, "name", "%s", name);
	if (rc) {
		hv_xenbus_device_destroy(&cd->dev);
		cd->dom0 = NULL;
	}
	return rc;
}

int hv_consback_dev_set_connection(struct hv_consback_dev *cd,
				   const char *connection, const char *path,
				   const char *output)
{
	int rc;

	if (!cd->dom0)
		return -XEN_EINVAL;
	rc = hv_xenbus_backend_printf(&cd->dev.xb, "connection", "%s",
				      connection);
	if (!rc && path)
		rc = hv_xenbus_backend_printf(&cd->dev.xb, "path", "%s", path);
	if (!rc)
		rc = hv_xenbus_frontend_write(&cd->dev.xb, "output", output);
	return rc;
}

int hv_consback_dev_set_tty(struct hv_consback_dev *cd, const char *tty)
{
	if (!cd->dom0)
		return -XEN_EINVAL;
	return hv_xenbus_frontend_write(&cd->dev.xb, "tty", tty);
}

void hv_consback_dev_destroy(struct hv_consback_dev *cd)
{
	if (!cd->dom0)
		return;
	hv_xenbus_device_destroy(&cd->dev);
	cd->dom0 = NULL;
}
