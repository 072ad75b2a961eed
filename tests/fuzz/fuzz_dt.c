/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the guest's device-tree discovery on arbitrary bytes, laid
 * in a zeroed region as large as the largest tree the guest accepts, the
 * way a tree sits in guest RAM. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gxen/dt.h"

static _Alignas(8) unsigned char region[DT_MAX_SIZE];
static size_t dirty;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dt_info info;
	const char *why;

	if (size > sizeof(region))
		return 0;
	memset(region, 0, dirty);
	memcpy(region, data, size);
	dirty = size;
	dt_discover(region, &info, &why);
	return 0;
}
