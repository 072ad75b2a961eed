/* SPDX-License-Identifier: BSD-2-Clause */
/* The acknowledged-write log (see hv/blk_audit.h). Hashes, not copies: a
 * sector is 8 bytes here, whatever its size on the disk. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hv/blk_audit.h"

#define SECTOR 512u

struct sector_want {
	uint64_t hash;                /* last acknowledged content */
	uint64_t alt;                 /* a dropped write's, when has_alt */
	uint64_t seq;                 /* 1 + that of the write that set
				       * hash; 0: none did */
	bool any;                     /* discarded: anything goes */
	bool has_alt;
};

struct taken {
	struct taken *next;
	uint64_t seq;
	uint64_t first;               /* sector */
	uint32_t count;
	uint64_t hash[];
};

struct hv_blk_audit {
	uint64_t nr_sectors;
	struct sector_want *want;
	struct taken *taken;
	uint64_t acked;
};

/* FNV-1a over one sector. */
static uint64_t hash_sector(const uint8_t *p)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (unsigned i = 0; i < SECTOR; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static int read_sector(int fd, uint64_t sector, uint8_t *buf)
{
	size_t done = 0;

	while (done < SECTOR) {
		ssize_t n = pread(fd, buf + done, SECTOR - done,
				  (off_t)(sector * SECTOR + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

struct hv_blk_audit *hv_blk_audit_new(const char *path, char *err,
				      size_t errlen)
{
	struct hv_blk_audit *a = calloc(1, sizeof(*a));
	uint8_t buf[SECTOR];
	int fd = open(path, O_RDONLY);
	off_t size;

	if (!a || fd < 0 || (size = lseek(fd, 0, SEEK_END)) < 0) {
		snprintf(err, errlen, "%s: %s", path,
			 a ? strerror(errno) : "out of memory");
		goto fail;
	}
	a->nr_sectors = (uint64_t)size / SECTOR;
	a->want = calloc(a->nr_sectors ? a->nr_sectors : 1, sizeof(*a->want));
	if (!a->want) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (uint64_t s = 0; s < a->nr_sectors; s++) {
		if (read_sector(fd, s, buf)) {
			snprintf(err, errlen, "%s: cannot read sector %llu",
				 path, (unsigned long long)s);
			goto fail;
		}
		a->want[s].hash = hash_sector(buf);
	}
	close(fd);
	return a;
fail:
	if (fd >= 0)
		close(fd);
	hv_blk_audit_free(a);
	return NULL;
}

void hv_blk_audit_free(struct hv_blk_audit *a)
{
	if (!a)
		return;
	while (a->taken) {
		struct taken *t = a->taken;

		a->taken = t->next;
		free(t);
	}
	free(a->want);
	free(a);
}

void hv_blk_audit_taken(struct hv_blk_audit *a, uint64_t seq,
			uint64_t offset, const struct iovec *iov,
			unsigned nr_iov)
{
	uint64_t len = 0;
	uint8_t sector[SECTOR];
	size_t fill = 0;
	struct taken *t;
	uint32_t n = 0;

	for (unsigned i = 0; i < nr_iov; i++)
		len += iov[i].iov_len;
	if (offset % SECTOR || len % SECTOR ||
	    offset / SECTOR + len / SECTOR > a->nr_sectors)
		return;
	t = malloc(sizeof(*t) + len / SECTOR * sizeof(t->hash[0]));
	if (!t)
		return;
	t->seq = seq;
	t->first = offset / SECTOR;
	t->count = (uint32_t)(len / SECTOR);
	/* Sectors may straddle iovecs: gather each one whole first. */
	for (unsigned i = 0; i < nr_iov; i++) {
		const uint8_t *p = iov[i].iov_base;
		size_t left = iov[i].iov_len;

		while (left) {
			size_t take = SECTOR - fill < left ? SECTOR - fill : left;

			memcpy(sector + fill, p, take);
			fill += take;
			p += take;
			left -= take;
			if (fill == SECTOR) {
				t->hash[n++] = hash_sector(sector);
				fill = 0;
			}
		}
	}
	t->next = a->taken;
	a->taken = t;
}

static struct taken *take_out(struct hv_blk_audit *a, uint64_t seq)
{
	for (struct taken **pp = &a->taken; *pp; pp = &(*pp)->next) {
		struct taken *t = *pp;

		if (t->seq == seq) {
			*pp = t->next;
			return t;
		}
	}
	return NULL;
}

void hv_blk_audit_acked(struct hv_blk_audit *a, uint64_t seq)
{
	struct taken *t = take_out(a, seq);

	if (!t)
		return;
	a->acked++;
	for (uint32_t i = 0; i < t->count; i++) {
		struct sector_want *w = &a->want[t->first + i];

		/* Overlapping writes land in the order taken. */
		if (w->seq > seq + 1)
			continue;
		w->hash = t->hash[i];
		w->seq = seq + 1;
		w->any = false;
		w->has_alt = false;
	}
	free(t);
}

void hv_blk_audit_dropped(struct hv_blk_audit *a, uint64_t seq)
{
	struct taken *t = take_out(a, seq);

	if (!t)
		return;
	for (uint32_t i = 0; i < t->count; i++) {
		struct sector_want *w = &a->want[t->first + i];

		if (w->seq > seq + 1)
			continue;
		w->alt = t->hash[i];
		w->has_alt = true;
	}
	free(t);
}

void hv_blk_audit_discarded(struct hv_blk_audit *a, uint64_t offset,
			    uint64_t len)
{
	for (uint64_t s = offset / SECTOR;
	     s < (offset + len) / SECTOR && s < a->nr_sectors; s++)
		a->want[s].any = true;
}

uint64_t hv_blk_audit_acked_count(const struct hv_blk_audit *a)
{
	return a->acked;
}

int hv_blk_audit_check(struct hv_blk_audit *a, const char *path, char *msg,
		       size_t len)
{
	uint8_t buf[SECTOR];
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		snprintf(msg, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (uint64_t s = 0; s < a->nr_sectors; s++) {
		const struct sector_want *w = &a->want[s];
		uint64_t h;

		if (read_sector(fd, s, buf)) {
			snprintf(msg, len, "%s: cannot read sector %llu", path,
				 (unsigned long long)s);
			close(fd);
			return -1;
		}
		h = hash_sector(buf);
		if (w->any || h == w->hash || (w->has_alt && h == w->alt))
			continue;
		snprintf(msg, len, "acknowledged write lost: 512-byte sector "
			 "%llu (byte %llu) of %s does not hold what %s",
			 (unsigned long long)s, (unsigned long long)s * SECTOR,
			 path, w->seq ? "the last write acknowledged for it "
			 "carried" : "it held before (no write to it was "
			 "acknowledged)");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
