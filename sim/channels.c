/* SPDX-License-Identifier: BSD-2-Clause */
/* The domain's channels (xl.cfg `channel`, --channel): channel i is the
 * secondary console device/console/<i+1>, served by the model's console
 * device class, its dom0 end a pty or a listening unix socket (the same
 * ends as --console). xenstore gets what libxl writes for a channel: the
 * name in both directories, backend connection and path, frontend output
 * and, for a pty, its tty. Where each end is goes to stderr, as for
 * --console. */
#include <stdio.h>

#include <xen/errno.h>

#include "console.h"
#include "sim_internal.h"

/* Input for the guest: onto the channel's ring, once it is connected. */
static size_t channel_put(void *ctx, const char *buf, size_t len)
{
	struct sim_channel_dev *ch = ctx;

	return hv_consback_dev_input(&ch->dev, buf, len);
}

static int describe(struct sim_channel_dev *ch, const struct sim_channel *c,
		    unsigned devid, const char *where)
{
	char output[48];

	if (c->connection == SIM_CHANNEL_PTY) {
		int rc = hv_consback_dev_set_connection(&ch->dev, "pty", NULL,
							"pty");

		return rc ? rc : hv_consback_dev_set_tty(&ch->dev, where);
	}
	/* QEMU's character device for it, as libxl names them. */
	snprintf(output, sizeof(output), "chardev:libxl-channel%u", devid);
	return hv_consback_dev_set_connection(&ch->dev, "socket", c->path,
					      output);
}

/* The device of channel i, its end open: what libxl writes for it. */
static int create_dev(struct sim *s, unsigned i)
{
	const struct sim_channel *c = &s->cfg->channels[i];
	struct sim_channel_dev *ch = &s->channel[i];
	unsigned devid = i + 1;
	int rc;

	rc = hv_consback_dev_create(&ch->dev, s->xs, s->dom0, s->domain, devid,
				    c->name, sim_console_output, ch->end);
	if (!rc)
		rc = describe(ch, c, devid, ch->where);
	if (rc)
		sim_fail(s, SIM_SETUP_ERROR, "channel %s: cannot create "
			 "device/console/%u: %d", c->name, devid, rc);
	return rc;
}

static int open_one(struct sim *s, unsigned i)
{
	const struct sim_channel *c = &s->cfg->channels[i];
	struct sim_channel_dev *ch = &s->channel[i];
	char spec[SIM_SOCKET_PATH_MAX + 8], err[300];
	int rc;

	if (c->connection == SIM_CHANNEL_PTY)
		snprintf(spec, sizeof(spec), "pty");
	else
		snprintf(spec, sizeof(spec), "unix:%s", c->path);
	ch->end = sim_console_open(s, spec, channel_put, ch, ch->where,
				   sizeof(ch->where), err, sizeof(err));
	if (!ch->end) {
		sim_fail(s, SIM_SETUP_ERROR, "channel %s: %s", c->name, err);
		return -XEN_EINVAL;
	}
	s->n_channels = i + 1;
	if ((rc = create_dev(s, i)))
		return rc;
	fprintf(stderr, "xensim: d%u channel %s on %s\n", s->domain->domid,
		c->name, ch->where);
	return 0;
}

int sim_channels_setup(struct sim *s)
{
	const struct sim_config *cfg = s->cfg;
	char err[300];
	int rc;

	if (!cfg->n_channels)
		return 0;
	if (!s->xs) {
		sim_fail(s, SIM_SETUP_ERROR, "channel: PV channels need xenstore "
			 "(drop --no-xenstore)");
		return -XEN_EINVAL;
	}
	if (sim_channels_check(cfg->channels, cfg->n_channels, err,
			       sizeof(err))) {
		sim_fail(s, SIM_SETUP_ERROR, "channel: %s", err);
		return -XEN_EINVAL;
	}
	for (unsigned i = 0; i < cfg->n_channels; i++)
		if ((rc = open_one(s, i)))
			return rc;
	return 0;
}

void sim_channels_teardown(struct sim *s)
{
	/* The device first: its disconnect drains the ring into the end,
	 * which then hands the last output to its client. */
	for (unsigned i = 0; i < s->n_channels; i++) {
		hv_consback_dev_destroy(&s->channel[i].dev);
		sim_console_close(s->channel[i].end);
		s->channel[i].end = NULL;
	}
	s->n_channels = 0;
}

void sim_channels_drop(struct sim *s)
{
	/* Its disconnect drains the ring into the end first. */
	for (unsigned i = 0; i < s->n_channels; i++)
		hv_consback_dev_destroy(&s->channel[i].dev);
}

int sim_channels_rebuild(struct sim *s)
{
	int rc;

	for (unsigned i = 0; i < s->n_channels; i++)
		if ((rc = create_dev(s, i)))
			return rc;
	return 0;
}

bool sim_channels_work(struct sim *s)
{
	bool did = false;

	for (unsigned i = 0; i < s->n_channels; i++)
		did |= hv_consback_dev_run(&s->channel[i].dev);
	return did;
}
