/* SPDX-License-Identifier: BSD-2-Clause */
/* The PV console page (HVM_PARAM_CONSOLE_PFN): two byte rings with
 * free-running 32-bit indexes. The peer owns its producer index: mask it
 * on every use and never trust prod - cons to be within the ring size. */
#ifndef XENSIM_XEN_IO_CONSOLE_H
#define XENSIM_XEN_IO_CONSOLE_H

#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

/* Byte offset in ring (an array whose size is a power of two) of idx. */
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
	char in[1024];                /* backend -> guest (keyboard) */
	char out[2048];               /* guest -> backend (screen) */
	XENCONS_RING_IDX in_cons, in_prod;
	XENCONS_RING_IDX out_cons, out_prod;
};
_Static_assert(sizeof(struct xencons_interface) == 3088, "xencons_interface");

#endif /* XENSIM_XEN_IO_CONSOLE_H */
