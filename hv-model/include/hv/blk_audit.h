/* SPDX-License-Identifier: BSD-2-Clause */
/* The log of acknowledged writes a block backend keeps for a fault run:
 * what each write carried when the backend took it (a hash per 512-byte
 * sector), which of them it acknowledged (status OKAY on the ring), and at
 * the end a check of the image file against it: every sector must hold
 * the last acknowledged write to it, or, where a write was taken and
 * never acknowledged (a restart dropped its response, or it failed), that
 * one; discarded sectors may hold anything. */
#ifndef HV_BLK_AUDIT_H
#define HV_BLK_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

struct hv_blk_audit;

/* A log for an image whose current content is the file at path. NULL,
 * with the reason in err, when it cannot be read. */
struct hv_blk_audit *hv_blk_audit_new(const char *path, char *err,
				      size_t errlen);
void hv_blk_audit_free(struct hv_blk_audit *a);

/* A write taken: seq orders it among the backend's requests, its bytes
 * [offset, offset + len) are the iovecs' (offset and len 512-aligned). */
void hv_blk_audit_taken(struct hv_blk_audit *a, uint64_t seq,
			uint64_t offset, const struct iovec *iov,
			unsigned nr_iov);
/* The write seq was answered OKAY. */
void hv_blk_audit_acked(struct hv_blk_audit *a, uint64_t seq);
/* The write seq will never be answered OKAY (dropped or failed): its
 * data may or may not be on the disk. */
void hv_blk_audit_dropped(struct hv_blk_audit *a, uint64_t seq);
/* A discard of [offset, offset + len) was answered OKAY. */
void hv_blk_audit_discarded(struct hv_blk_audit *a, uint64_t offset,
			    uint64_t len);

/* Writes acknowledged so far. */
uint64_t hv_blk_audit_acked_count(const struct hv_blk_audit *a);

/* Check the image file now: 0, or -1 with what is wrong in msg (the
 * first sector that holds neither what was acknowledged nor what a
 * dropped write carried). */
int hv_blk_audit_check(struct hv_blk_audit *a, const char *path, char *msg,
		       size_t len);

#endif
