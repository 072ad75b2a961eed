/* SPDX-License-Identifier: BSD-2-Clause */
/* Domain config files from an untrusted source: any bytes either parse
 * into a config whose strings are all terminated and within bounds, or
 * are refused with a message that names the file. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domcfg.h"
#include "xlcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sim_domcfg cfg;
	struct xlcfg x;
	char err[512];

	if (xlcfg_parse("f.cfg", (const char *)data, size, &x, err,
			sizeof(err))) {
		if (strncmp(err, "f.cfg:", 6) != 0)
			abort();
		return 0;
	}
	if (sim_domcfg_from_xlcfg(&x, &cfg, err, sizeof(err)) == 0) {
		if (cfg.n_disks > SIM_MAX_DISKS || cfg.n_vifs > SIM_MAX_VIFS ||
		    !memchr(cfg.name, '\0', sizeof(cfg.name)) ||
		    !memchr(cfg.cmdline, '\0', sizeof(cfg.cmdline)))
			abort();
		for (unsigned i = 0; i < cfg.n_disks; i++)
			if (!cfg.disks[i].vdev[0] ||
			    (!cfg.disks[i].target[0] && !cfg.disks[i].cdrom))
				abort();
	} else if (strncmp(err, "f.cfg", 5) != 0) {
		abort();
	}
	xlcfg_free(&x);
	return 0;
}
