/* SPDX-License-Identifier: BSD-2-Clause */
/* The network backend's offloads on a tx packet already joined in
 * nb->pkt: a checksum the frontend left blank (NETTXF_csum_blank) is
 * filled here, and a packet with a GSO extra is cut into TCP segments of
 * at most the MSS it gave (and the MTU), each with its own lengths,
 * sequence number and checksums, before the switch sees it. The packet
 * is the guest's: every length is checked against the bytes there. */
#include <string.h>

#include "hv/machine.h"
#include "netback_internal.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define PROTO_TCP      6
#define PROTO_UDP      17
#define TCP_FIN        0x01
#define TCP_PSH        0x08
#define TCP_CWR        0x80

/* Where the transport header lies in a frame, once checked. */
struct l4_view {
	bool ipv6;
	size_t l3, l4;           /* offsets of the IP and transport headers */
	size_t l4_len;           /* transport header and payload */
	uint8_t proto;
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t sum_bytes(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The IP and transport headers of f (len bytes); NULL or why not. */
static const char *parse(const uint8_t *f, size_t len, struct l4_view *v)
{
	uint16_t type = get16(f + 12);

	memset(v, 0, sizeof(*v));
	v->l3 = HV_ETH_HLEN;
	if (type == ETHERTYPE_IPV4) {
		const uint8_t *ip = f + v->l3;
		size_t ihl, total;

		if (len < v->l3 + 20 || ip[0] >> 4 != 4)
			return "not a whole IPv4 header";
		ihl = (size_t)(ip[0] & 15) * 4;
		total = get16(ip + 2);
		if (ihl < 20 || total < ihl || v->l3 + total > len)
			return "IPv4 lengths beyond the packet";
		if (get16(ip + 6) & 0x3fff)
			return "IPv4 fragment";
		v->l4 = v->l3 + ihl;
		v->l4_len = total - ihl;
		v->proto = ip[9];
	} else if (type == ETHERTYPE_IPV6) {
		const uint8_t *ip = f + v->l3;

		if (len < v->l3 + 40 || ip[0] >> 4 != 6)
			return "not a whole IPv6 header";
		v->ipv6 = true;
		v->l4 = v->l3 + 40;
		v->l4_len = get16(ip + 4);
		v->proto = ip[6];
		if (v->l4 + v->l4_len > len)
			return "IPv6 payload length beyond the packet";
	} else {
		return "neither IPv4 nor IPv6";
	}
	if (v->proto == PROTO_TCP && (v->l4_len < 20 ||
				      (size_t)(f[v->l4 + 12] >> 4) * 4 < 20 ||
				      (size_t)(f[v->l4 + 12] >> 4) * 4 >
				      v->l4_len))
		return "TCP header beyond the packet";
	if (v->proto == PROTO_UDP && v->l4_len < 8)
		return "UDP header beyond the packet";
	if (v->proto != PROTO_TCP && v->proto != PROTO_UDP)
		return "neither TCP nor UDP (or an IPv6 extension header)";
	return NULL;
}

/* The transport checksum of f over the pseudo-header, written in place. */
static void fill_l4_csum(uint8_t *f, const struct l4_view *v)
{
	uint8_t *l4 = f + v->l4;
	size_t at = v->proto == PROTO_TCP ? 16 : 6;
	uint32_t sum = 0;
	uint16_t csum;

	if (v->ipv6)
		sum = sum_bytes(sum, f + v->l3 + 8, 32);
	else
		sum = sum_bytes(sum, f + v->l3 + 12, 8);
	sum += v->proto;
	sum += (uint32_t)(v->l4_len >> 16) + (uint32_t)(v->l4_len & 0xffff);
	put16(l4 + at, 0);
	csum = fold(sum_bytes(sum, l4, v->l4_len));
	/* UDP sends a computed 0 as all ones (0 means "none"). */
	put16(l4 + at, csum == 0 && v->proto == PROTO_UDP ? 0xffff : csum);
}

static void fill_ipv4_csum(uint8_t *f, const struct l4_view *v)
{
	uint8_t *ip = f + v->l3;

	put16(ip + 10, 0);
	put16(ip + 10, fold(sum_bytes(0, ip, v->l4 - v->l3)));
}

static void to_switch(struct hv_netback *nb, const void *frame, size_t len)
{
	if (nb->sw_port >= 0)
		hv_netswitch_input(nb->cfg.sw, nb->sw_port, frame, len);
}

/* Cut nb->pkt (TCP, checked by parse) into segments of at most mss
 * payload bytes. */
static const char *segment(struct hv_netback *nb, const struct l4_view *v,
			   unsigned mss)
{
	const uint8_t *pkt = nb->pkt;
	size_t tcp_hl = (size_t)(pkt[v->l4 + 12] >> 4) * 4;
	size_t hdr = v->l4 + tcp_hl;
	size_t payload = v->l4_len - tcp_hl;
	size_t room = nb->cfg.offer.mtu + HV_ETH_HLEN;
	uint32_t seq = (uint32_t)get16(pkt + v->l4 + 4) << 16 |
		       get16(pkt + v->l4 + 6);
	uint16_t ip_id = v->ipv6 ? 0 : get16(pkt + v->l3 + 4);
	unsigned n = 0;

	if (hdr >= room)
		return "GSO headers leave no room under the MTU";
	if (mss > room - hdr)
		mss = (unsigned)(room - hdr);
	for (size_t off = 0; off < payload || n == 0; off += mss, n++) {
		size_t chunk = payload - off < mss ? payload - off : mss;
		bool last = off + chunk >= payload;
		struct l4_view sv = *v;
		uint8_t *s = nb->seg, *tcp = s + v->l4;

		memcpy(s, pkt, hdr);
		memcpy(s + hdr, pkt + hdr + off, chunk);
		sv.l4_len = tcp_hl + chunk;
		put16(tcp + 4, (uint16_t)((seq + off) >> 16));
		put16(tcp + 6, (uint16_t)(seq + off));
		if (!last)
			tcp[13] &= (uint8_t)~(TCP_FIN | TCP_PSH);
		if (n)
			tcp[13] &= (uint8_t)~TCP_CWR;
		if (v->ipv6) {
			put16(s + v->l3 + 4, (uint16_t)sv.l4_len);
		} else {
			put16(s + v->l3 + 2,
			      (uint16_t)(v->l4 - v->l3 + sv.l4_len));
			put16(s + v->l3 + 4, (uint16_t)(ip_id + n));
			fill_ipv4_csum(s, &sv);
		}
		fill_l4_csum(s, &sv);
		to_switch(nb, s, hdr + chunk);
		if (last)
			break;
	}
	nb->stats.tx_gso++;
	nb->stats.tx_segments += n + 1;
	return NULL;
}

const char *netback_tx_offload(struct hv_netback *nb, size_t len,
			       bool csum_blank,
			       const struct netif_extra_info *gso)
{
	const struct hv_netback_features *f = &nb->cfg.offer;
	struct l4_view v;
	const char *bad;

	if (!csum_blank && !gso) {
		to_switch(nb, nb->pkt, len);
		return NULL;
	}
	if ((bad = parse(nb->pkt, len, &v)))
		return bad;
	if (gso) {
		bool v6 = gso->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6;

		if (v.proto != PROTO_TCP || v.ipv6 != v6)
			return v6 ? "GSO TCPv6 extra on a packet that is not "
				    "TCP over IPv6" : "GSO TCPv4 extra on a "
				    "packet that is not TCP over IPv4";
		return segment(nb, &v, gso->u.gso.size);
	}
	if (v.ipv6 ? !f->ipv6_csum : !f->csum)
		return v.ipv6 ? "csum_blank on IPv6: ipv6 checksum offload "
			       "was not offered" : "csum_blank: checksum "
			       "offload was not offered";
	fill_l4_csum(nb->pkt, &v);
	nb->stats.tx_csum_filled++;
	to_switch(nb, nb->pkt, len);
	return NULL;
}
