/* SPDX-License-Identifier: BSD-2-Clause */
/* A domain config as `xl create` takes it (xl.cfg(5)), checked key by key:
 * an unknown key, a bad value or a key xensim cannot honour is an error
 * naming the file, the line and the key. Disk specs follow
 * xl-disk-configuration(5). */
#ifndef SIM_DOMCFG_H
#define SIM_DOMCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xlcfg.h"

#define SIM_MAX_DISKS   8u
#define SIM_MAX_VIFS    8u
#define SIM_PATH_MAX    4096u
#define SIM_NAME_MAX    64u
#define SIM_CMDLINE_MAX 1024u
/* Channels are consoles 1..8: Linux's frontend reads a console's number
 * from the last character of its node name, so 9 is the most it can
 * take; we stop at 8. */
#define SIM_MAX_CHANNELS 8u
#define SIM_CHANNEL_NAME_MAX 128u
#define SIM_SOCKET_PATH_MAX 108u    /* sun_path, with its NUL */

enum sim_action {
	SIM_ACTION_DESTROY,    /* the domain goes, with its outcome */
	SIM_ACTION_RESTART,    /* built again with a new domid and booted */
	SIM_ACTION_PRESERVE,   /* kept as it stopped (memory, xenstore) */
};

struct sim_disk {
	char target[SIM_PATH_MAX];  /* the image file ("" only for a cdrom) */
	char vdev[16];              /* as written: xvda, hdc, sdb2 ... */
	uint32_t virtual_device;    /* the vbd number the frontend sees */
	bool readonly;
	bool cdrom;
	bool discard;               /* offer feature-discard (default on) */
	bool direct_io_safe;
	char backend_type[8];       /* backendtype=: phy, qdisk, tap ("": phy) */
};

/* A channel (xl.cfg's `channel`, xen-pv-channel(7)): a secondary PV
 * console with a name, whose dom0 end is a pty or a listening unix
 * socket. */
enum sim_channel_connection {
	SIM_CHANNEL_PTY,
	SIM_CHANNEL_SOCKET,
};

struct sim_channel {
	char name[SIM_CHANNEL_NAME_MAX];
	enum sim_channel_connection connection;
	char path[SIM_SOCKET_PATH_MAX];     /* SOCKET: where it listens */
};

/* Which settings the file gave (so command-line options can override). */
enum {
	SIM_DOMCFG_NAME    = 1u << 0,
	SIM_DOMCFG_MEMORY  = 1u << 1,
	SIM_DOMCFG_VCPUS   = 1u << 2,
	SIM_DOMCFG_KERNEL  = 1u << 3,
	SIM_DOMCFG_CMDLINE = 1u << 4,
	SIM_DOMCFG_GIC     = 1u << 5,
	SIM_DOMCFG_RAMDISK = 1u << 6,
};

struct sim_domcfg {
	unsigned set;                      /* SIM_DOMCFG_* given in the file */
	char name[SIM_NAME_MAX];
	uint64_t memory_mib;
	unsigned vcpus;
	char kernel[SIM_PATH_MAX];
	char ramdisk[SIM_PATH_MAX];
	char cmdline[SIM_CMDLINE_MAX];
	unsigned gic;                      /* 2 or 3 */
	struct sim_disk disks[SIM_MAX_DISKS];
	unsigned n_disks;
	char vifs[SIM_MAX_VIFS][256];      /* checked, kept as written */
	unsigned n_vifs;
	struct sim_channel channels[SIM_MAX_CHANNELS];
	unsigned n_channels;
	enum sim_action on_poweroff, on_reboot, on_crash, on_watchdog;
};

/* The domain config an xl.cfg file describes. 0, or -1 with
 * "FILE:LINE: KEY: what" in err. */
int sim_domcfg_from_xlcfg(const struct xlcfg *x, struct sim_domcfg *out,
			  char *err, size_t errlen);

/* Read, parse and check a config file. */
int sim_domcfg_load(const char *path, struct sim_domcfg *out, char *err,
		    size_t errlen);

/* One DISKSPEC string; 0, or -1 with the reason in err. */
int sim_disk_parse(const char *spec, struct sim_disk *out, char *err,
		   size_t errlen);

/* The vbd number of a vdev name (xvda, xvdq3, xvdaa, hdc, sdb1), as
 * Xen's VBD interface numbers them; 0, or -1 for a name it lacks. */
int sim_vdev_number(const char *vdev, uint32_t *number);

/* One CHANNEL_SPEC_STRING, "name=NAME, connection=pty|socket[,
 * path=PATH][, backend=0]" as xl reads it; 0, or -1 with the reason. */
int sim_channel_parse(const char *spec, struct sim_channel *out, char *err,
		      size_t errlen);
/* A domain's channels together: no name and no socket path twice. 0, or
 * -1 with the reason. */
int sim_channels_check(const struct sim_channel *ch, unsigned n, char *err,
		       size_t errlen);

/* A network spec (xl-network-configuration(5)): checks its keys. */
int sim_vif_check(const char *spec, char *err, size_t errlen);

#endif
