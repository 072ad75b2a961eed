/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xenstore wire ABI: message header, op numbers, error names and the shared
 * ring page, as documented in Xen's docs/misc/xenstore.txt and
 * xenstore-ring.txt. Shared by the guest client and the model's daemon.
 * Freestanding: only <stdint.h>. The ring page is written by the other side:
 * whoever reads it copies indexes once and validates them.
 */
#ifndef XEN_IO_XS_WIRE_H
#define XEN_IO_XS_WIRE_H

#include <stdint.h>

/* Message types. 0..22 are Xen 4.17's; 20 was XS_RESTRICT and is unused. */
enum xsd_sockmsg_type {
	XS_CONTROL              = 0,
	XS_DIRECTORY            = 1,
	XS_READ                 = 2,
	XS_GET_PERMS            = 3,
	XS_WATCH                = 4,
	XS_UNWATCH              = 5,
	XS_TRANSACTION_START    = 6,
	XS_TRANSACTION_END      = 7,
	XS_INTRODUCE            = 8,
	XS_RELEASE              = 9,
	XS_GET_DOMAIN_PATH      = 10,
	XS_WRITE                = 11,
	XS_MKDIR                = 12,
	XS_RM                   = 13,
	XS_SET_PERMS            = 14,
	XS_WATCH_EVENT          = 15,
	XS_ERROR                = 16,
	XS_IS_DOMAIN_INTRODUCED = 17,
	XS_RESUME               = 18,
	XS_SET_TARGET           = 19,
	/* 20: formerly XS_RESTRICT, unused */
	XS_RESET_WATCHES        = 21,
	XS_DIRECTORY_PART       = 22,
	/* Added by later Xen releases; a 4.17-level daemon answers ENOSYS. */
	XS_GET_FEATURE          = 23,
	XS_SET_FEATURE          = 24,
	XS_GET_QUOTA            = 25,
	XS_SET_QUOTA            = 26,

	XS_TYPE_COUNT,                 /* one past the highest known type */
	XS_INVALID              = 0xffff
};

/* The old name of XS_CONTROL. */
#define XS_DEBUG XS_CONTROL

/* Every message, either direction: this header, then len payload bytes. */
struct xsd_sockmsg {
	uint32_t type;   /* enum xsd_sockmsg_type */
	uint32_t req_id; /* echoed in the reply; 0 in a watch event */
	uint32_t tx_id;  /* transaction, 0 for none; echoed; 0 in a watch event */
	uint32_t len;    /* payload bytes that follow, at most XENSTORE_PAYLOAD_MAX */
};
_Static_assert(sizeof(struct xsd_sockmsg) == 16, "xsd_sockmsg is 16 bytes");

/* Indexes of the strings in a WATCH_EVENT payload. */
enum xs_watch_type {
	XS_WATCH_PATH  = 0,
	XS_WATCH_TOKEN = 1
};

/* Value strings some clients pass; kept for completeness. */
#define XS_WRITE_NONE        "NONE"
#define XS_WRITE_CREATE      "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

/*
 * Errors travel as the errno's name ("ENOENT\0"). The numbers are Xen's
 * errno values (xen/include/public/errno.h), which are the Linux ones.
 * The order is the documented one: new names are only ever appended.
 * XSD_ERROR_LIST(X) expands X(name, number) once per entry.
 */
#define XSD_ERROR_LIST(X) \
	X(EINVAL,    22)  \
	X(EACCES,    13)  \
	X(EEXIST,    17)  \
	X(EISDIR,    21)  \
	X(ENOENT,     2)  \
	X(ENOMEM,    12)  \
	X(ENOSPC,    28)  \
	X(EIO,        5)  \
	X(ENOTEMPTY, 39)  \
	X(ENOSYS,    38)  \
	X(EROFS,     30)  \
	X(EBUSY,     16)  \
	X(EAGAIN,    11)  \
	X(EISCONN,  106)  \
	X(E2BIG,      7)  \
	X(EPERM,      1)

struct xsd_errors {
	int errnum;
	const char *errstring;
};

#define XSD_ERROR_ENTRY_(name, num) { num, #name },
#if defined(__GNUC__)
__attribute__((unused))
#endif
static const struct xsd_errors xsd_errors[] = {
	XSD_ERROR_LIST(XSD_ERROR_ENTRY_)
};
#undef XSD_ERROR_ENTRY_

#define XSD_ERROR_COUNT (sizeof(xsd_errors) / sizeof(xsd_errors[0]))
_Static_assert(sizeof(xsd_errors) / sizeof(xsd_errors[0]) == 16,
	       "sixteen documented xenstore error names");

/*
 * The ring page shared by a domain and xenstored. Both rings use
 * free-running 32-bit indexes: the byte at stream offset x lives at
 * x & (XENSTORE_RING_SIZE - 1). Producers and consumers need not start at 0.
 */
#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
	char req[XENSTORE_RING_SIZE];  /* guest -> xenstored */
	char rsp[XENSTORE_RING_SIZE];  /* xenstored -> guest: replies, events */
	XENSTORE_RING_IDX req_cons;    /* written by xenstored */
	XENSTORE_RING_IDX req_prod;    /* written by the guest */
	XENSTORE_RING_IDX rsp_cons;    /* written by the guest */
	XENSTORE_RING_IDX rsp_prod;    /* written by xenstored */
	uint32_t server_features;      /* XENSTORE_SERVER_FEATURE_*, by xenstored */
	uint32_t connection;           /* XENSTORE_CONNECTED / _RECONNECT */
	uint32_t error;                /* XENSTORE_ERROR_*, by xenstored */
};
_Static_assert(XENSTORE_RING_SIZE && !(XENSTORE_RING_SIZE & (XENSTORE_RING_SIZE - 1)),
	       "ring size is a power of two");
_Static_assert(sizeof(struct xenstore_domain_interface) == 2076,
	       "xenstore ring page layout is 2076 bytes");
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface, req_cons) == 2048,
	       "req_cons at 2048");
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface, server_features) == 2064,
	       "server_features at 2064");
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface, connection) == 2068,
	       "connection at 2068");
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface, error) == 2072,
	       "error at 2072");

/* Payload limit, both directions; exceeding it is a connection error. */
#define XENSTORE_PAYLOAD_MAX 4096

/* Path limits; exceeding them earns an error reply. */
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

/* server_features bits. */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1 /* connection-reset handshake */
#define XENSTORE_SERVER_FEATURE_ERROR        2 /* the error field is in use */

/* connection field values. */
#define XENSTORE_CONNECTED 0 /* steady state */
#define XENSTORE_RECONNECT 1 /* set by the guest; cleared by xenstored */

/* error field values. */
#define XENSTORE_ERROR_NONE    0 /* no error */
#define XENSTORE_ERROR_COMM    1 /* communication problem */
#define XENSTORE_ERROR_RINGIDX 2 /* invalid ring index */
#define XENSTORE_ERROR_PROTO   3 /* protocol violation (payload too long) */

#endif /* XEN_IO_XS_WIRE_H */
