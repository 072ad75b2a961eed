/* SPDX-License-Identifier: BSD-2-Clause */
/* --pcap: frames of the run's switch, or of one vif, written as a classic
 * libpcap file (LINKTYPE_ETHERNET, nanosecond timestamps) that tcpdump,
 * tshark and Wireshark read. Timestamps are the machine's virtual time,
 * so the same run writes the same file byte for byte. A capture of the
 * switch holds every frame it took in (once, whatever port it came from);
 * a capture of vifD.N the frames that vif sent and was given. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hv/time.h"
#include "sim_internal.h"

#define PCAP_MAGIC_NSEC  0xa1b23c4du  /* nanosecond timestamps */
#define PCAP_SNAPLEN     65535u
#define LINKTYPE_ETHERNET 1u

static void put_le32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void write_failed(struct sim_pcap *cap)
{
	if (!cap->failed)
		hv_log(cap->machine, HV_LOG_ERR, "--pcap %s: write failed (%s): "
		       "the capture stops at %llu frames", cap->spec->path,
		       strerror(errno), (unsigned long long)cap->frames);
	cap->failed = true;
}

static void capture(struct sim_pcap *cap, const void *frame, size_t len)
{
	uint64_t now = hv_time_now(cap->machine);
	uint8_t rec[16];

	if (cap->failed)
		return;
	put_le32(rec, (uint32_t)(now / 1000000000u));
	put_le32(rec + 4, (uint32_t)(now % 1000000000u));
	put_le32(rec + 8, (uint32_t)len);      /* len <= HV_ETH_FRAME_MAX */
	put_le32(rec + 12, (uint32_t)len);
	if (fwrite(rec, sizeof(rec), 1, cap->f) != 1 ||
	    fwrite(frame, len, 1, cap->f) != 1) {
		write_failed(cap);
		return;
	}
	cap->frames++;
}

static void switch_tap(void *ctx, int port, const void *frame, size_t len)
{
	(void)port;
	capture(ctx, frame, len);
}

static void port_tap(void *ctx, const void *frame, size_t len)
{
	capture(ctx, frame, len);
}

static int open_capture(struct sim *s, struct sim_pcap *cap,
			const struct sim_pcap_spec *spec)
{
	uint8_t hdr[24];

	memset(cap, 0, sizeof(*cap));
	cap->spec = spec;
	cap->machine = s->machine;
	cap->f = fopen(spec->path, "wb");
	if (!cap->f) {
		sim_fail(s, SIM_SETUP_ERROR, "--pcap %s: cannot create it: %s",
			 spec->path, strerror(errno));
		return -1;
	}
	put_le32(hdr, PCAP_MAGIC_NSEC);
	put_le16(hdr + 4, 2);                  /* version 2.4 */
	put_le16(hdr + 6, 4);
	put_le32(hdr + 8, 0);                  /* UTC */
	put_le32(hdr + 12, 0);
	put_le32(hdr + 16, PCAP_SNAPLEN);
	put_le32(hdr + 20, LINKTYPE_ETHERNET);
	if (fwrite(hdr, sizeof(hdr), 1, cap->f) != 1) {
		sim_fail(s, SIM_SETUP_ERROR, "--pcap %s: cannot write it: %s",
			 spec->path, strerror(errno));
		fclose(cap->f);
		cap->f = NULL;
		return -1;
	}
	return 0;
}

int sim_pcaps_setup(struct sim *s)
{
	const struct sim_config *cfg = s->cfg;

	for (unsigned i = 0; i < cfg->n_pcaps && i < SIM_MAX_PCAPS; i++) {
		struct sim_pcap *cap = &s->pcap[i];

		if (open_capture(s, cap, &cfg->pcaps[i]))
			return -1;
		s->n_pcaps = i + 1;
		if (cap->spec->domid == 0) {
			s->sw->tap = switch_tap;
			s->sw->tap_ctx = cap;
		}
	}
	return 0;
}

void sim_pcaps_attach_vif(struct sim *s, unsigned devid, int port)
{
	struct sim *first = s->borrowed ? sim_world_first(s->world) : s;

	for (unsigned i = 0; i < first->n_pcaps; i++) {
		struct sim_pcap *cap = &first->pcap[i];

		if (cap->spec->domid == s->domain->domid &&
		    cap->spec->devid == devid)
			hv_netswitch_port_tap(s->sw, port, port_tap, cap);
	}
}

void sim_pcaps_teardown(struct sim *s)
{
	if (s->sw && s->sw->tap == switch_tap)
		s->sw->tap = NULL;
	for (unsigned i = 0; i < s->n_pcaps; i++) {
		struct sim_pcap *cap = &s->pcap[i];

		if (fclose(cap->f) != 0)
			write_failed(cap);
		cap->f = NULL;
	}
	s->n_pcaps = 0;
}

/* "vifD.N" (whole string): domid D 1..65534, device N. */
static bool parse_vif_name(const char *s, size_t len, struct sim_pcap_spec *spec)
{
	unsigned long d = 0, n = 0;
	size_t i = 3;
	bool digits = false;

	if (len < 6 || strncmp(s, "vif", 3) != 0)
		return false;
	for (; i < len && s[i] >= '0' && s[i] <= '9' && d < 65535; i++, digits = true)
		d = d * 10 + (unsigned long)(s[i] - '0');
	if (!digits || i == len || s[i] != '.' || d == 0 || d > 65534)
		return false;
	digits = false;
	for (i++; i < len && s[i] >= '0' && s[i] <= '9' && n < 1000; i++, digits = true)
		n = n * 10 + (unsigned long)(s[i] - '0');
	if (!digits || i != len)
		return false;
	spec->domid = (uint16_t)d;
	spec->devid = (unsigned)n;
	return true;
}

int sim_pcap_parse(const char *arg, struct sim_pcap_spec *spec, char *err,
		   size_t errlen)
{
	const char *eq = strchr(arg, '=');

	memset(spec, 0, sizeof(*spec));
	spec->path = arg;
	/* WHERE= only when it names a switch or a vif: FILE may hold '='. */
	if (eq && strncmp(arg, "xensim0=", 8) == 0)
		spec->path = eq + 1;
	else if (eq && parse_vif_name(arg, (size_t)(eq - arg), spec))
		spec->path = eq + 1;
	else if (eq && strncmp(arg, "vif", 3) == 0 &&
		 !memchr(arg, '/', (size_t)(eq - arg))) {
		snprintf(err, errlen, "\"%.*s\" is not vifD.N (D a domid, N "
			 "a vif's number)", (int)(eq - arg), arg);
		return -1;
	}
	if (!spec->path[0]) {
		snprintf(err, errlen, "no FILE: want [xensim0=|vifD.N=]FILE");
		return -1;
	}
	return 0;
}

int sim_pcaps_check(const struct sim_config *cfgs, unsigned n, char *err,
		    size_t errlen)
{
	const struct sim_config *cfg = &cfgs[0];

	for (unsigned i = 0; i < cfg->n_pcaps; i++) {
		const struct sim_pcap_spec *p = &cfg->pcaps[i];
		bool found = p->domid == 0;

		for (unsigned d = 0; d < n && !found; d++)
			found = cfgs[d].domid == p->domid &&
				p->devid < cfgs[d].n_vifs;
		if (!found) {
			snprintf(err, errlen, "--pcap vif%u.%u=%s: the run has "
				 "no such vif (domain %u's vif %u)", p->domid,
				 p->devid, p->path, p->domid, p->devid);
			return -1;
		}
		for (unsigned j = 0; j < i; j++)
			if (cfg->pcaps[j].domid == p->domid &&
			    cfg->pcaps[j].devid == p->devid) {
				snprintf(err, errlen, "--pcap %s: that %s is "
					 "captured twice", p->path, p->domid ?
					 "vif" : "switch");
				return -1;
			}
	}
	return 0;
}
