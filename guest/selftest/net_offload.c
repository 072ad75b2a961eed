/* SPDX-License-Identifier: BSD-2-Clause */
/* Bootarg "net-offload=1|2": the network offloads between two guests on
 * vif 0, with the features of the bootargs (net_features.c). The sender
 * (1) waits for the receiver's "ready", then sends a UDP datagram whose
 * checksum it leaves blank for the backend when checksum offload was
 * negotiated (else computes it), and 8000 bytes of TCP-like payload: one
 * frame with a GSO extra (MSS 1000) when GSO was negotiated, else eight
 * segments it cuts itself; then "done". The receiver (2) says "ready"
 * until traffic comes, then checks every IPv4 checksum (a TCP/UDP one
 * only when the backend did not leave it blank), the TCP bytes' order
 * and contents, and what came as one GSO frame (rx GSO, when its
 * bootargs ask for it): its type and MSS. Frames are broadcast (no ARP
 * needed); they are the other side's word: every length is checked. One
 * "net-offload:" line per step. */
#include <xen/errno.h>

#include "dev/netfront.h"
#include "gxen/time.h"
#include "kern/boot.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "net/inet_sum.h"
#include "selftest.h"

#define ETHERTYPE_IP   0x0800
#define ETHERTYPE_CTRL 0x88b5           /* a local experimental type */
#define TCP_BYTES      8000
#define MSS            1000
#define UDP_BYTES      200
#define IP_OFF         14
#define L4_OFF         34

struct net_offload {
	struct netfront nf;
	uint8_t frame[NETFRONT_FRAME_MAX];
	uint8_t big[L4_OFF + 20 + TCP_BYTES];
	uint8_t rx[NETFRONT_RX_MAX];
	char found[32];
	/* The receiver's tally. */
	unsigned udp_good, tcp_segments, bad_csum, bad_bytes;
	unsigned gso_frames, gso_bad, gso_slots;
	uint32_t tcp_next;              /* bytes received in order */
	bool out_of_order, traffic, done;
};

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* The transport checksum of an IPv4 frame, over its pseudo-header. */
static uint16_t l4_csum(const uint8_t *f, size_t l4_len)
{
	uint32_t sum = inet_sum(0, f + IP_OFF + 12, 8);

	sum += f[IP_OFF + 9] + (uint32_t)l4_len;
	return inet_fold(inet_sum(sum, f + L4_OFF, l4_len));
}

/* Ethernet (broadcast) and IPv4 headers for l4_len bytes of proto. */
static void ip_headers(struct net_offload *t, uint8_t *f, uint8_t proto,
		       size_t l4_len)
{
	uint8_t *ip = f + IP_OFF;

	memcpy(f, bcast, 6);
	memcpy(f + 6, t->nf.mac, 6);
	inet_put16(f + 12, ETHERTYPE_IP);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	inet_put16(ip + 2, (uint16_t)(20 + l4_len));
	inet_put16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = proto;
	ip[12] = 10;
	ip[15] = 1;
	ip[16] = 10;
	ip[19] = 2;
	inet_put16(ip + 10, inet_fold(inet_sum(0, ip, 20)));
}

static int send_retry(struct net_offload *t, const uint8_t *f, size_t len,
		      const struct netfront_tx_offload *off)
{
	int rc = -XEN_EAGAIN;

	for (unsigned i = 0; i < 100 && rc == -XEN_EAGAIN; i++) {
		rc = netfront_send_offload(&t->nf, f, len, off);
		if (rc == -XEN_EAGAIN)
			time_sleep(100 * NSEC_PER_USEC);
	}
	return rc;
}

static void send_ctrl(struct net_offload *t, const char *word)
{
	memset(t->frame, 0, 60);
	memcpy(t->frame, bcast, 6);
	memcpy(t->frame + 6, t->nf.mac, 6);
	inet_put16(t->frame + 12, ETHERTYPE_CTRL);
	memcpy(t->frame + 14, word, strlen(word));
	send_retry(t, t->frame, 60, NULL);
}

static bool is_ctrl(const uint8_t *f, long n, const char *word)
{
	return n >= 60 && inet_get16(f + 12) == ETHERTYPE_CTRL &&
	       memcmp(f + 14, word, strlen(word)) == 0;
}

static bool send_udp(struct net_offload *t)
{
	struct netfront_tx_offload off = { .csum_blank = t->nf.nego.csum };
	uint8_t *f = t->frame, *udp = f + L4_OFF;
	size_t l4_len = 8 + UDP_BYTES;

	ip_headers(t, f, 17, l4_len);
	inet_put16(udp, 7);
	inet_put16(udp + 2, 7);
	inet_put16(udp + 4, (uint16_t)l4_len);
	inet_put16(udp + 6, 0);
	for (unsigned i = 0; i < UDP_BYTES; i++)
		udp[8 + i] = (uint8_t)(i * 3);
	if (!off.csum_blank)
		inet_put16(udp + 6, l4_csum(f, l4_len));
	kprintf("net-offload: udp %u bytes sent, checksum %s\n", UDP_BYTES,
		off.csum_blank ? "left to the backend" : "computed here");
	return send_retry(t, f, L4_OFF + l4_len, &off) == 0;
}

/* A TCP header at f + L4_OFF for seq, with flags. */
static void tcp_header(uint8_t *f, uint32_t seq, uint8_t flags)
{
	uint8_t *tcp = f + L4_OFF;

	memset(tcp, 0, 20);
	inet_put16(tcp, 4000);
	inet_put16(tcp + 2, 5000);
	inet_put16(tcp + 4, (uint16_t)(seq >> 16));
	inet_put16(tcp + 6, (uint16_t)seq);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	inet_put16(tcp + 14, 65535);
}

static bool send_tcp(struct net_offload *t)
{
	uint8_t *f = t->big;

	for (unsigned i = 0; i < TCP_BYTES; i++)
		f[L4_OFF + 20 + i] = (uint8_t)(i * 7 + 1);
	if (t->nf.nego.gso_tcpv4) {
		struct netfront_tx_offload off = {
			.gso_type = XEN_NETIF_GSO_TYPE_TCPV4, .gso_size = MSS,
			.csum_blank = true,
		};

		ip_headers(t, f, 6, 20 + TCP_BYTES);
		tcp_header(f, 0, 0x18);
		kprintf("net-offload: tcp %u bytes sent as one GSO frame (mss "
			"%u)\n", TCP_BYTES, MSS);
		return send_retry(t, f, L4_OFF + 20 + TCP_BYTES, &off) == 0;
	}
	for (unsigned at = 0; at < TCP_BYTES; at += MSS) {
		uint8_t *s = t->frame;

		ip_headers(t, s, 6, 20 + MSS);
		tcp_header(s, at, at + MSS < TCP_BYTES ? 0x10 : 0x18);
		memcpy(s + L4_OFF + 20, f + L4_OFF + 20 + at, MSS);
		inet_put16(s + L4_OFF + 16, l4_csum(s, 20 + MSS));
		if (send_retry(t, s, L4_OFF + 20 + MSS, NULL))
			return false;
	}
	kprintf("net-offload: tcp %u bytes sent as %u segments cut here\n",
		TCP_BYTES, TCP_BYTES / MSS);
	return true;
}

/* A GSO frame's extra: TCP over IPv4 at the sender's MSS. */
static void tally_gso(struct net_offload *t,
		      const struct netfront_rx_info *info)
{
	t->gso_frames++;
	if (info->gso_type != XEN_NETIF_GSO_TYPE_TCPV4 ||
	    info->gso_size != MSS)
		t->gso_bad++;
	if (info->slots > t->gso_slots)
		t->gso_slots = info->slots;
}

/* Whether a TCP payload of len bytes at seq is the sender's pattern. */
static bool tcp_bytes_ok(const uint8_t *p, uint32_t seq, size_t len)
{
	if (seq > TCP_BYTES || len > TCP_BYTES - seq)
		return false;
	for (size_t i = 0; i < len; i++)
		if (p[i] != (uint8_t)((seq + i) * 7 + 1))
			return false;
	return true;
}

/* One received frame, the receiver's checks. */
static void tally(struct net_offload *t, const uint8_t *f, long n,
		  const struct netfront_rx_info *info)
{
	size_t total, l4_len;

	if (is_ctrl(f, n, "done")) {
		t->done = true;
		return;
	}
	if (n < L4_OFF + 8 || inet_get16(f + 12) != ETHERTYPE_IP || f[IP_OFF] != 0x45)
		return;
	t->traffic = true;
	total = inet_get16(f + IP_OFF + 2);
	if (total < 28 || IP_OFF + total > (size_t)n ||
	    inet_fold(inet_sum(0, f + IP_OFF, 20)) != 0) {
		t->bad_csum++;
		return;
	}
	l4_len = total - 20;
	/* A blank checksum is the backend's to vouch for (rx csum). */
	if (!info->csum_blank && l4_csum(f, l4_len) != 0) {
		t->bad_csum++;
		return;
	}
	if (info->gso_type != XEN_NETIF_GSO_TYPE_NONE)
		tally_gso(t, info);
	if (f[IP_OFF + 9] == 17) {
		t->udp_good++;
	} else if (f[IP_OFF + 9] == 6 && l4_len >= 20) {
		uint32_t seq = (uint32_t)inet_get16(f + L4_OFF + 4) << 16 |
			       inet_get16(f + L4_OFF + 6);

		if (seq != t->tcp_next)
			t->out_of_order = true;
		if (!tcp_bytes_ok(f + L4_OFF + 20, seq, l4_len - 20))
			t->bad_bytes++;
		t->tcp_next = seq + (uint32_t)(l4_len - 20);
		t->tcp_segments++;
	}
}

static bool receive(struct net_offload *t, uint64_t ns)
{
	uint64_t end = time_now() + ns;
	struct netfront_rx_info info;
	long n;

	while (time_now() < end) {
		while ((n = netfront_recv_info(&t->nf, t->rx, sizeof(t->rx),
					       &info)) > 0)
			tally(t, t->rx, n, &info);
		if (n < 0)
			return false;
		if (t->done)
			return true;
		time_sleep(NSEC_PER_MSEC);
	}
	return true;
}

static unsigned sender(struct net_offload *t)
{
	long n = 0;

	for (unsigned ms = 0; ms < 5000 && !is_ctrl(t->rx, n, "ready");
	     ms++) {
		n = netfront_recv(&t->nf, t->rx, sizeof(t->rx));
		if (n <= 0)
			time_sleep(NSEC_PER_MSEC);
	}
	if (!is_ctrl(t->rx, n, "ready")) {
		kprintf("net-offload: FAIL no receiver ready\n");
		return 1;
	}
	if (!send_udp(t) || !send_tcp(t)) {
		kprintf("net-offload: FAIL send\n");
		return 1;
	}
	send_ctrl(t, "done");
	while (!netfront_tx_idle(&t->nf))
		time_sleep(NSEC_PER_MSEC);
	return 0;
}

static unsigned receiver(struct net_offload *t)
{
	for (unsigned i = 0; i < 50 && !t->traffic && !t->done; i++) {
		send_ctrl(t, "ready");
		if (!receive(t, 100 * NSEC_PER_MSEC))
			break;
	}
	if (!t->done)
		receive(t, 2000 * NSEC_PER_MSEC);
	kprintf("net-offload: udp %u datagram(s) with good checksums\n",
		t->udp_good);
	kprintf("net-offload: tcp %u bytes in %u segment(s)%s, %u bad "
		"checksum(s)\n", t->tcp_next, t->tcp_segments,
		t->out_of_order ? " OUT OF ORDER" : " in order", t->bad_csum);
	if (t->gso_frames)
		kprintf("net-offload: tcp %u GSO frame(s) received over %u "
			"slot(s), %u with a wrong type or mss\n",
			t->gso_frames, t->gso_slots, t->gso_bad);
	else
		kprintf("net-offload: tcp no GSO frame received\n");
	if (t->bad_bytes)
		kprintf("net-offload: FAIL %u segment(s) with wrong bytes\n",
			t->bad_bytes);
	return !t->done || t->udp_good != 1 || t->tcp_next != TCP_BYTES ||
	       t->out_of_order || t->bad_csum || t->bad_bytes ||
	       t->gso_bad || t->nf.broken;
}

static void found_vif(const char *nodename, void *arg)
{
	struct net_offload *t = arg;

	if (!t->found[0])
		ksnprintf(t->found, sizeof(t->found), "%s", nodename);
}

#define PAGES ((sizeof(struct net_offload) + 4095) / 4096)

unsigned net_offload_run(void)
{
	struct net_offload *t = page_alloc(PAGES);
	unsigned role = bootarg_uint("net-offload", 0, 2), failed;
	struct netfront_features want;

	if (!t) {
		kprintf("net-offload: FAIL out of memory\n");
		return 1;
	}
	memset(t, 0, sizeof(*t));
	net_features_from_bootargs(&want);
	if (role == 0 || netfront_enumerate(found_vif, t) <= 0 ||
	    netfront_connect_with(&t->nf, t->found, &want)) {
		kprintf("net-offload: FAIL no network device connected\n");
		page_free(t, PAGES);
		return 1;
	}
	net_features_print("net-offload", &t->nf);
	failed = role == 1 ? sender(t) : receiver(t);
	if (t->nf.broken)
		kprintf("net-offload: device broken: %s\n", t->nf.why);
	kprintf("net-offload: %s\n", failed ? "FAIL" : "done");
	netfront_disconnect(&t->nf);
	page_free(t, PAGES);
	return failed;
}
