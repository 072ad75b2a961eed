/* SPDX-License-Identifier: BSD-2-Clause */
/* The domain config's disks: each one a vbd that dom0's block backend
 * serves from its image file, with the features --blkback leaves on. The
 * image is checked here, so a bad one stops the run before it starts,
 * with the disk's name in the message. A running domain's disks come and
 * go as xl block-detach and block-attach make them (the control socket's
 * commands, sim/control.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

#include "hv/log.h"

#include "sim_internal.h"

/* The features --blkback leaves on; -1 with the reason in err. */
static int features(const struct sim *s, struct hv_blkback_features *f,
		    char *err, size_t errlen)
{
	hv_blkback_features_default(f);
	if (s->cfg->blkback_opts &&
	    hv_blkback_features_parse(s->cfg->blkback_opts, f, err, errlen))
		return -1;
	return 0;
}

/* Serve disk d as the next vbd of the run. 0, or a negative errno with
 * the reason in err. */
static int add_disk(struct sim *s, const struct sim_disk *d,
		    const struct hv_blkback_features *f,
		    struct hv_blk_audit *audit, char *err, size_t errlen)
{
	struct hv_blkback_config bc = {
		.target = d->target, .vdev = d->vdev,
		.virtual_device = d->virtual_device,
		.backend_type = d->backend_type[0] ? d->backend_type : NULL,
		.readonly = d->readonly || d->cdrom, .cdrom = d->cdrom,
		.features = *f, .seed = s->cfg->seed, .audit = audit,
	};
	uint64_t bytes;
	int rc;

	if (s->n_disks == SIM_MAX_DISKS) {
		snprintf(err, errlen, "already %u disks", SIM_MAX_DISKS);
		return -XEN_ENOSPC;
	}
	bc.features.discard = f->discard && d->discard;
	rc = hv_blkback_check_image(d->target, bc.readonly, f->sector_size,
				    &bytes, err, errlen);
	if (!rc)
		rc = hv_blkback_create(s->machine, s->xs, s->dom0, s->domain,
				       &bc, &s->disk[s->n_disks], err, errlen);
	if (!rc)
		s->n_disks++;
	return rc;
}

int sim_disks_setup(struct sim *s)
{
	const struct sim_config *cfg = s->cfg;
	struct hv_blkback_features f;
	char err[SIM_PATH_MAX + 200];
	int rc;

	if (!cfg->n_disks)
		return 0;
	if (features(s, &f, err, sizeof(err))) {
		sim_fail(s, SIM_SETUP_ERROR, "%s", err);
		return -XEN_EINVAL;
	}
	for (unsigned i = 0; i < cfg->n_disks && i < SIM_MAX_DISKS; i++) {
		rc = add_disk(s, &cfg->disks[i], &f,
			      i == 0 ? cfg->audit : NULL, err, sizeof(err));
		if (rc) {
			sim_fail(s, SIM_SETUP_ERROR, "disk %s: %s",
				 cfg->disks[i].vdev, err);
			return rc;
		}
	}
	return 0;
}

/* The run's vbd named vdev (xvda, 51712): its index, or -1. */
static int find_disk(const struct sim *s, const char *vdev)
{
	uint32_t number;
	char *end;
	unsigned long n = strtoul(vdev, &end, 10);

	if (*vdev >= '0' && *vdev <= '9' && !*end)
		number = (uint32_t)n;
	else if (sim_vdev_number(vdev, &number))
		return -1;
	for (unsigned i = 0; i < s->n_disks; i++)
		if (hv_blkback_devid(s->disk[i]) == number)
			return (int)i;
	return -1;
}

int sim_disk_detach(struct sim *s, const char *vdev, char *msg,
		    size_t msglen)
{
	int i = find_disk(s, vdev);
	unsigned in_flight;

	if (i < 0) {
		snprintf(msg, msglen, "no disk %s on d%u", vdev,
			 s->domain->domid);
		return -XEN_ENOENT;
	}
	in_flight = hv_blkback_detach(s->disk[i]);
	snprintf(msg, msglen, "d%u: detaching vbd %u (%s) with %u request(s) "
		 "in flight", s->domain->domid, hv_blkback_devid(s->disk[i]),
		 hv_blkback_vdev(s->disk[i]), in_flight);
	s->disks_detached++;
	sim_disks_work(s);
	return 0;
}

int sim_disk_attach(struct sim *s, const char *spec, char *msg,
		    size_t msglen)
{
	struct hv_blkback_features f;
	struct sim_disk d;
	char err[SIM_PATH_MAX + 200];
	int rc;

	if (sim_disk_parse(spec, &d, err, sizeof(err))) {
		snprintf(msg, msglen, "%s", err);
		return -XEN_EINVAL;
	}
	if (find_disk(s, d.vdev) >= 0) {
		snprintf(msg, msglen, "d%u already has a disk %s",
			 s->domain->domid, d.vdev);
		return -XEN_EEXIST;
	}
	if (features(s, &f, err, sizeof(err))) {
		snprintf(msg, msglen, "%s", err);
		return -XEN_EINVAL;
	}
	rc = add_disk(s, &d, &f, NULL, err, sizeof(err));
	if (rc)
		snprintf(msg, msglen, "disk %s: %s", d.vdev, err);
	else
		snprintf(msg, msglen, "d%u: attached vbd %u (%s) from %s",
			 s->domain->domid, d.virtual_device, d.vdev, d.target);
	return rc;
}

void sim_disks_teardown(struct sim *s)
{
	for (unsigned i = 0; i < s->n_disks; i++) {
		hv_blkback_destroy(s->disk[i]);
		s->disk[i] = NULL;
	}
	s->n_disks = 0;
}

/* The toolstack's last step of a detach: remove what reached Closed. */
static bool remove_detached(struct sim *s)
{
	bool did = false;

	for (unsigned i = 0; i < s->n_disks;) {
		if (!hv_blkback_removed(s->disk[i])) {
			i++;
			continue;
		}
		hv_log(s->machine, HV_LOG_INFO, "(d%u) vbd %u removed",
		       s->domain->domid, hv_blkback_devid(s->disk[i]));
		hv_blkback_destroy(s->disk[i]);
		s->n_disks--;
		memmove(&s->disk[i], &s->disk[i + 1],
			(s->n_disks - i) * sizeof(s->disk[0]));
		s->disk[s->n_disks] = NULL;
		did = true;
	}
	return did;
}

bool sim_disks_work(struct sim *s)
{
	bool did = false;

	for (unsigned i = 0; i < s->n_disks; i++)
		did |= hv_blkback_run(s->disk[i]);
	if (s->disks_detached)
		did |= remove_detached(s);
	return did;
}
