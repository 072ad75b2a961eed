/* SPDX-License-Identifier: BSD-2-Clause */
/* Layout probe: compiled to assembly (-S) once per target for our headers
 * and, with -DABI_XEN, for Debian's libxen-dev. Each layout.def entry
 * becomes one "@@abi ABI_ROW(...)" line; mk/abi.mk turns them into a table.
 * Nothing here is ever assembled or run, so cross targets work. */
#include <stddef.h>                   /* first: Xen's headers use both */
#include <stdint.h>                   /* without including them */

#ifdef ABI_XEN
#define ABI_PICK(ours, xen) xen
#define ABI_HAVE_XS_WIRE 1
#else
#define ABI_PICK(ours, xen) ours
#if __has_include(<xen/io/xs_wire.h>)
#define ABI_HAVE_XS_WIRE 1
#else
#define ABI_HAVE_XS_WIRE 0
#endif
#endif

#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/features.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/io/ring.h>
#include <xen/io/console.h>
#include <xen/io/blkif.h>
#include <xen/io/netif.h>
#include <xen/io/xenbus.h>
#include <xen/io/fbif.h>
#include <xen/io/kbdif.h>
#include <xen/io/protocols.h>
#if ABI_HAVE_XS_WIRE
#include <xen/io/xs_wire.h>
#endif

/* Pass 1: a typedef for every type, so FIELD() needs only its name. */
#define STRUCT(tag)            typedef struct tag abi_t_##tag;
#define UNION(tag)             typedef union tag abi_t_##tag;
#define SRING(tag)             typedef struct tag abi_t_##tag;
#define STRUCT_A64(tag)        typedef struct tag abi_t_##tag;
#define TYPE(name)             typedef name abi_t_##name;
#define FIELD(tag, member)
#define FLEX(tag, member)
#define CONST(name)
#define STRING(name)
#define VALUE(key, ours, xen)
#include "layout.def"
#undef STRUCT
#undef UNION
#undef SRING
#undef STRUCT_A64
#undef TYPE
#undef FIELD
#undef FLEX
#undef CONST
#undef STRING
#undef VALUE

/* One marker line: kind, name, member, two numbers, a string. */
#define ABI_EMIT(kind, name, member, a, b)                                   \
	__asm__ volatile("\n@@abi ABI_ROW(" kind ", \"" name "\", \""        \
			 member "\", %c0, %c1, \"\")"                        \
			 : : "i"(a), "i"(b))
/* A 64-bit constant goes out as two 32-bit halves ("i" on arm32 is 32-bit). */
#define ABI_EMIT64(name, v)                                                  \
	ABI_EMIT("ABI_CONST", name, "", (uint32_t)((uint64_t)(v) >> 32),     \
		 (uint32_t)(uint64_t)(v))

/* Pass 2: the records, in layout.def order. */
void abi_probe(void);
void abi_probe(void)
{
#define ABI_TYPE_ROW(name, t) ABI_EMIT("ABI_TYPE", name, "", sizeof(t), _Alignof(t));
#define STRUCT(tag)     ABI_TYPE_ROW(#tag, abi_t_##tag)
#define UNION(tag)      ABI_TYPE_ROW(#tag, abi_t_##tag)
#define STRUCT_A64(tag) ABI_TYPE_ROW(#tag, abi_t_##tag)
#define TYPE(name)      ABI_TYPE_ROW(#name, abi_t_##name)
#define SRING(tag)      ABI_EMIT("ABI_TYPE", #tag, "", 0, _Alignof(abi_t_##tag));
#define FIELD(tag, member)                                                   \
	ABI_EMIT("ABI_FIELD", #tag, #member, offsetof(abi_t_##tag, member),  \
		 sizeof(((abi_t_##tag *)0)->member));
#define FLEX(tag, member)                                                    \
	ABI_EMIT("ABI_FIELD", #tag, #member, offsetof(abi_t_##tag, member), 0);
#define CONST(name)     ABI_EMIT64(#name, name);
#define VALUE(key, ours, xen) ABI_EMIT64(#key, ABI_PICK(ours, xen));
#define STRING(name)                                                         \
	__asm__ volatile("\n@@abi ABI_ROW(ABI_STRING, \"" #name              \
			 "\", \"\", 0, 0, \"" name "\")");
#include "layout.def"
}
