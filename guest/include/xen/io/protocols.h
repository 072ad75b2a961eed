/* SPDX-License-Identifier: BSD-2-Clause */
/* Values of a frontend's xenstore "protocol" node: the ABI its ring
 * structures follow. Every xensim build speaks the ARM one, including the
 * x86-64 model, so the native protocol is always "arm-abi". */
#ifndef XENSIM_XEN_IO_PROTOCOLS_H
#define XENSIM_XEN_IO_PROTOCOLS_H

#define XEN_IO_PROTO_ABI_X86_32 "x86_32-abi"
#define XEN_IO_PROTO_ABI_X86_64 "x86_64-abi"
#define XEN_IO_PROTO_ABI_ARM    "arm-abi"

#define XEN_IO_PROTO_ABI_NATIVE XEN_IO_PROTO_ABI_ARM

#endif /* XENSIM_XEN_IO_PROTOCOLS_H */
