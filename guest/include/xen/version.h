/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_xen_version(cmd, arg): version number, build strings, feature
 * bits, page size. Strings come back in fixed-size char arrays: terminate
 * the copy before treating it as a C string. */
#ifndef XENSIM_XEN_VERSION_H
#define XENSIM_XEN_VERSION_H

#include "xen.h"
#include "features.h"

/* Returns (major << 16) | minor; arg is unused. */
#define XENVER_version              0

#define XENVER_extraversion         1
typedef char xen_extraversion_t[16];
#define XEN_EXTRAVERSION_LEN (sizeof(xen_extraversion_t))

#define XENVER_compile_info         2
struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;
_Static_assert(sizeof(struct xen_compile_info) == 144, "compile_info");

#define XENVER_capabilities         3
typedef char xen_capabilities_info_t[1024];
#define XEN_CAPABILITIES_INFO_LEN (sizeof(xen_capabilities_info_t))

#define XENVER_changeset            4
typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN (sizeof(xen_changeset_info_t))

/* Start of the hypervisor's reserved virtual range (0 on ARM). */
#define XENVER_platform_parameters  5
struct xen_platform_parameters {
	xen_ulong_t virt_start;
};
typedef struct xen_platform_parameters xen_platform_parameters_t;
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "platform_parameters");

/* One 32-bit submap of XENFEAT_* bits. */
#define XENVER_get_features         6
struct xen_feature_info {
	uint32_t submap_idx;          /* IN */
	uint32_t submap;              /* OUT */
};
typedef struct xen_feature_info xen_feature_info_t;
_Static_assert(sizeof(struct xen_feature_info) == 8, "feature_info");

/* Returns the page size; arg is unused. */
#define XENVER_pagesize             7

/* Fills a xen_domain_handle_t. */
#define XENVER_guest_handle         8

#define XENVER_commandline          9
typedef char xen_commandline_t[1024];

/* len is the buffer size going in, the id's size coming out. */
#define XENVER_build_id            10
struct xen_build_id {
	uint32_t len;
	unsigned char buf[];
};
typedef struct xen_build_id xen_build_id_t;

#endif /* XENSIM_XEN_VERSION_H */
