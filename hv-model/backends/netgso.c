/* SPDX-License-Identifier: BSD-2-Clause */
/* TCP segmentation and transport checksums: see hv/netgso.h. A frame is
 * whatever a guest sent: its IP lengths are checked against its length
 * before a header field is read, and a segment is built in the caller's
 * scratch buffer, never in the packet. */
#include <string.h>

#include <xen/io/netif.h>

#include "hv/netgso.h"
#include "hv/netswitch.h"
#include "net/inet_sum.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define PROTO_TCP      6
#define PROTO_UDP      17
#define TCP_FIN        0x01
#define TCP_PSH        0x08
#define TCP_CWR        0x80

static const char *parse_ipv4(const uint8_t *f, size_t len,
			      struct hv_net_l4 *v)
{
	const uint8_t *ip = f + v->l3;
	size_t ihl, total;

	if (len < v->l3 + 20 || ip[0] >> 4 != 4)
		return "not a whole IPv4 header";
	ihl = (size_t)(ip[0] & 15) * 4;
	total = inet_get16(ip + 2);
	if (ihl < 20 || total < ihl || v->l3 + total > len)
		return "IPv4 lengths beyond the packet";
	if (inet_get16(ip + 6) & 0x3fff)
		return "IPv4 fragment";
	v->l4 = v->l3 + ihl;
	v->l4_len = total - ihl;
	v->proto = ip[9];
	return NULL;
}

static const char *parse_ipv6(const uint8_t *f, size_t len,
			      struct hv_net_l4 *v)
{
	const uint8_t *ip = f + v->l3;

	if (len < v->l3 + 40 || ip[0] >> 4 != 6)
		return "not a whole IPv6 header";
	v->ipv6 = true;
	v->l4 = v->l3 + 40;
	v->l4_len = inet_get16(ip + 4);
	v->proto = ip[6];
	if (v->l4 + v->l4_len > len)
		return "IPv6 payload length beyond the packet";
	return NULL;
}

const char *hv_net_l4_parse(const uint8_t *f, size_t len,
			    struct hv_net_l4 *v)
{
	const char *bad;
	size_t tcp_hl;

	memset(v, 0, sizeof(*v));
	v->l3 = HV_ETH_HLEN;
	if (len < HV_ETH_HLEN)
		return "shorter than an Ethernet header";
	if (inet_get16(f + 12) == ETHERTYPE_IPV4)
		bad = parse_ipv4(f, len, v);
	else if (inet_get16(f + 12) == ETHERTYPE_IPV6)
		bad = parse_ipv6(f, len, v);
	else
		bad = "neither IPv4 nor IPv6";
	if (bad)
		return bad;
	if (v->proto == PROTO_TCP) {
		if (v->l4_len < 20)
			return "TCP header beyond the packet";
		tcp_hl = (size_t)(f[v->l4 + 12] >> 4) * 4;
		if (tcp_hl < 20 || tcp_hl > v->l4_len)
			return "TCP header beyond the packet";
	} else if (v->proto == PROTO_UDP) {
		if (v->l4_len < 8)
			return "UDP header beyond the packet";
	} else {
		return "neither TCP nor UDP (or an IPv6 extension header)";
	}
	return NULL;
}

void hv_net_l4_fill_csum(uint8_t *f, const struct hv_net_l4 *v)
{
	uint8_t *l4 = f + v->l4;
	size_t at = v->proto == PROTO_TCP ? 16 : 6;
	uint32_t sum = 0;
	uint16_t csum;

	if (v->ipv6)
		sum = inet_sum(sum, f + v->l3 + 8, 32);
	else
		sum = inet_sum(sum, f + v->l3 + 12, 8);
	sum += v->proto;
	sum += (uint32_t)(v->l4_len >> 16) + (uint32_t)(v->l4_len & 0xffff);
	inet_put16(l4 + at, 0);
	csum = inet_fold(inet_sum(sum, l4, v->l4_len));
	/* UDP sends a computed 0 as all ones (0 means "none"). */
	inet_put16(l4 + at, csum == 0 && v->proto == PROTO_UDP ? 0xffff : csum);
}

static void fill_ipv4_csum(uint8_t *f, const struct hv_net_l4 *v)
{
	uint8_t *ip = f + v->l3;

	inet_put16(ip + 10, 0);
	inet_put16(ip + 10, inet_fold(inet_sum(0, ip, v->l4 - v->l3)));
}

static size_t tcp_hlen(const uint8_t *pkt, const struct hv_net_l4 *v)
{
	return (size_t)(pkt[v->l4 + 12] >> 4) * 4;
}

const char *hv_net_gso_check(const uint8_t *pkt, size_t len,
			     const struct hv_net_gso *gso, size_t frame_max,
			     struct hv_net_l4 *v, unsigned *mss)
{
	bool v6 = gso->type == XEN_NETIF_GSO_TYPE_TCPV6;
	const char *bad;
	size_t hdr;

	if (gso->type != XEN_NETIF_GSO_TYPE_TCPV4 && !v6)
		return "GSO of an unknown type";
	if (gso->mss == 0)
		return "GSO of MSS 0";
	if (len > XEN_NETIF_MAX_TX_SIZE)
		return "GSO packet over 65535 bytes";
	if ((bad = hv_net_l4_parse(pkt, len, v)))
		return bad;
	if (v->proto != PROTO_TCP || v->ipv6 != v6)
		return v6 ? "GSO TCPv6 extra on a packet that is not TCP over "
			    "IPv6" : "GSO TCPv4 extra on a packet that is not "
			    "TCP over IPv4";
	hdr = v->l4 + tcp_hlen(pkt, v);
	if (hdr >= frame_max)
		return "GSO headers leave no room under the MTU";
	*mss = gso->mss;
	if (*mss > frame_max - hdr)
		*mss = (unsigned)(frame_max - hdr);
	return NULL;
}

unsigned hv_net_gso_segments(const uint8_t *pkt, const struct hv_net_l4 *v,
			     unsigned mss)
{
	size_t payload = v->l4_len - tcp_hlen(pkt, v);

	return payload ? (unsigned)((payload + mss - 1) / mss) : 1;
}

unsigned hv_net_gso_cut(const uint8_t *pkt, const struct hv_net_l4 *v,
			unsigned mss, uint8_t *scratch, hv_net_frame_fn *fn,
			void *ctx)
{
	size_t tcp_hl = tcp_hlen(pkt, v);
	size_t hdr = v->l4 + tcp_hl;
	size_t payload = v->l4_len - tcp_hl;
	uint32_t seq = (uint32_t)inet_get16(pkt + v->l4 + 4) << 16 |
		       inet_get16(pkt + v->l4 + 6);
	uint16_t ip_id = v->ipv6 ? 0 : inet_get16(pkt + v->l3 + 4);
	unsigned n = 0;

	for (size_t off = 0; off < payload || n == 0; off += mss) {
		size_t chunk = payload - off < mss ? payload - off : mss;
		bool last = off + chunk >= payload;
		struct hv_net_l4 sv = *v;
		uint8_t *s = scratch, *tcp = s + v->l4;

		memcpy(s, pkt, hdr);
		memcpy(s + hdr, pkt + hdr + off, chunk);
		sv.l4_len = tcp_hl + chunk;
		inet_put16(tcp + 4, (uint16_t)((seq + off) >> 16));
		inet_put16(tcp + 6, (uint16_t)(seq + off));
		/* FIN and PSH end the packet; CWR is for its first segment. */
		if (!last)
			tcp[13] &= (uint8_t)~(TCP_FIN | TCP_PSH);
		if (n)
			tcp[13] &= (uint8_t)~TCP_CWR;
		if (v->ipv6) {
			inet_put16(s + v->l3 + 4, (uint16_t)sv.l4_len);
		} else {
			inet_put16(s + v->l3 + 2,
			      (uint16_t)(v->l4 - v->l3 + sv.l4_len));
			inet_put16(s + v->l3 + 4, (uint16_t)(ip_id + n));
			fill_ipv4_csum(s, &sv);
		}
		hv_net_l4_fill_csum(s, &sv);
		n++;
		fn(ctx, s, hdr + chunk);
		if (last)
			break;
	}
	return n;
}
