/* SPDX-License-Identifier: BSD-2-Clause */
/* The domain config's disks: each one a vbd that dom0's block backend
 * serves from its image file, with the features --blkback leaves on. The
 * image is checked here, so a bad one stops the run before it starts,
 * with the disk's name in the message. */
#include <stdio.h>

#include <xen/errno.h>

#include "sim_internal.h"

int sim_disks_setup(struct sim *s)
{
	const struct sim_config *cfg = s->cfg;
	struct hv_blkback_features f;
	char err[SIM_PATH_MAX + 200];
	uint64_t bytes;
	int rc;

	if (!cfg->n_disks)
		return 0;
	hv_blkback_features_default(&f);
	if (cfg->blkback_opts &&
	    hv_blkback_features_parse(cfg->blkback_opts, &f, err,
				      sizeof(err))) {
		sim_fail(s, SIM_SETUP_ERROR, "%s", err);
		return -XEN_EINVAL;
	}
	for (unsigned i = 0; i < cfg->n_disks && i < SIM_MAX_DISKS; i++) {
		const struct sim_disk *d = &cfg->disks[i];
		struct hv_blkback_config bc = {
			.target = d->target, .vdev = d->vdev,
			.virtual_device = d->virtual_device,
			.readonly = d->readonly || d->cdrom, .cdrom = d->cdrom,
			.features = f, .seed = cfg->seed,
			.audit = i == 0 ? cfg->audit : NULL,
		};

		bc.features.discard = f.discard && d->discard;
		rc = hv_blkback_check_image(d->target, bc.readonly,
					    f.sector_size, &bytes, err,
					    sizeof(err));
		if (!rc)
			rc = hv_blkback_create(s->machine, s->xs, s->dom0,
					       s->domain, &bc, &s->disk[i], err,
					       sizeof(err));
		if (rc) {
			sim_fail(s, SIM_SETUP_ERROR, "disk %s: %s", d->vdev, err);
			return rc;
		}
		s->n_disks = i + 1;
	}
	return 0;
}

void sim_disks_teardown(struct sim *s)
{
	for (unsigned i = 0; i < s->n_disks; i++) {
		hv_blkback_destroy(s->disk[i]);
		s->disk[i] = NULL;
	}
	s->n_disks = 0;
}

bool sim_disks_work(struct sim *s)
{
	bool did = false;

	for (unsigned i = 0; i < s->n_disks; i++)
		did |= hv_blkback_run(s->disk[i]);
	return did;
}
