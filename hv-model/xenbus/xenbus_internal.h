/* SPDX-License-Identifier: BSD-2-Clause */
/* The two halves of hv_xenbus_backend_create(), so the device layer can
 * let a class write its nodes between them. */
#ifndef HV_XENBUS_INTERNAL_H
#define HV_XENBUS_INTERNAL_H

#include "hv/xenbus_backend.h"

/* Both directories, backend InitWait, frontend Initialising. */
int hv_xenbus_backend_init_dirs(struct hv_xenbus_backend *be,
				struct hv_xs *xs, uint16_t frontend_id,
				const char *type, unsigned devid);
/* dom0's connection and the watch on <frontend>/state. */
int hv_xenbus_backend_watch(struct hv_xenbus_backend *be,
			    hv_xenbus_frontend_fn fn, void *arg);

#endif
