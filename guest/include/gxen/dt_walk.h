/* SPDX-License-Identifier: BSD-2-Clause */
/* A bounded walk over a flattened device tree's structure block, before
 * libfdt is trusted with it: Debian's libfdt 1.6.1 fdt_check_full() loops
 * for ever on a property whose length takes the offset back (-12 brings
 * it to the same tag again). Used by the guest's discovery, the model's
 * toolstack and the CLI's --dtb check. Header-only: freestanding. */
#ifndef GXEN_DT_WALK_H
#define GXEN_DT_WALK_H

#include <stdbool.h>
#include <stdint.h>

static inline uint32_t dt_walk_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Whether every tag of the structure block of the tree at fdt (of
 * totalsize bytes, at least a header's 40) lies inside the block, each
 * node name ends there and each property's value fits what is left, up
 * to an FDT_END. Offsets are 64-bit: nothing wraps. */
static inline bool dt_walk_bounded(const void *fdt, uint32_t totalsize)
{
	const unsigned char *tree = fdt;
	uint64_t off = dt_walk_be32(tree + 8);          /* off_dt_struct */
	uint64_t size = dt_walk_be32(tree + 20) >= 17 ? /* version */
			dt_walk_be32(tree + 36) :      /* size_dt_struct */
			(off <= totalsize ? totalsize - off : 0);
	const unsigned char *block = tree + off;
	uint64_t pos = 0;

	/* Before version 16 node names were whole paths: libfdt 1.6.1's
	 * fdt_check_full reads through a NULL name on such a tree. */
	if (totalsize < 40 || dt_walk_be32(tree + 20) < 16)
		return false;
	if (off > totalsize || size > totalsize - off)
		return false;
	while (pos + 4 <= size) {
		uint32_t tag = dt_walk_be32(block + pos);
		uint64_t len;

		pos += 4;
		switch (tag) {
		case 1:                                  /* FDT_BEGIN_NODE */
			len = 0;
			while (pos + len < size && block[pos + len])
				len++;
			if (pos + len >= size)
				return false;
			pos += (len + 1 + 3) & ~(uint64_t)3;
			break;
		case 2:                                  /* FDT_END_NODE */
		case 4:                                  /* FDT_NOP */
			break;
		case 3:                                  /* FDT_PROP */
			if (size - pos < 8)
				return false;
			len = dt_walk_be32(block + pos);
			pos += 8;
			if (len > size - pos)
				return false;
			pos += (len + 3) & ~(uint64_t)3;
			break;
		case 9:                                  /* FDT_END */
			return true;
		default:
			return false;
		}
	}
	return false;
}

#endif
