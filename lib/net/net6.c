/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 wire formats: address classes, the pseudo-header checksum, input
 * validation with a bounded walk of the extension headers (RFC 8200),
 * ICMPv6 (RFC 4443) and neighbour discovery messages (RFC 4861).
 *
 * The checks read only inside [l3, l3 + len): every extension header's
 * length is checked against the payload before it is skipped, and the walk
 * stops after NET_IPV6_EXT_MAX headers, so no chain can loop or read past
 * the frame (the fuzzer, tests/fuzz/fuzz_net.c, holds it to that).
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>

#include "lib/net/net.h"

#define IP6_OFF_VTC  0
#define IP6_OFF_PLEN 4
#define IP6_OFF_NXT  6
#define IP6_OFF_HLIM 7
#define IP6_OFF_SRC  8
#define IP6_OFF_DST  24
#define IP6_HLIM_OUT 64

#define PROTO_HOPOPTS  0
#define PROTO_ROUTING  43
#define PROTO_FRAGMENT 44
#define PROTO_ESP      50
#define PROTO_AH       51
#define PROTO_ICMP6    58
#define PROTO_NONE     59
#define PROTO_DSTOPTS  60

#define OPT_PAD1	 0
#define OPT_PADN	 1
#define OPT_ROUTER_ALERT 5

static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 0x01};
static const uint8_t loopback[16] = {[15] = 0x01};

static inline uint16_t
rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_16(v);
}

static inline void
wr16(uint8_t *p, uint16_t host)
{
	uint16_t v = rte_cpu_to_be_16(host);

	memcpy(p, &v, sizeof(v));
}

/* ---------------- addresses ---------------- */

/* Addresses are big-endian 128-bit numbers: memcmp orders them. */
bool
net6_in_range(const uint8_t *a, const uint8_t *base, uint32_t count)
{
	uint8_t last[16];

	if (count == 0 || memcmp(a, base, 16) < 0)
		return false;
	net6_addr_add(base, count - 1, last);
	return memcmp(a, last, 16) <= 0;
}

void
net6_addr_add(const uint8_t *base, uint32_t i, uint8_t *out)
{
	uint64_t carry = i;

	memcpy(out, base, 16);
	for (int k = 15; k >= 0 && carry != 0; k--) {
		carry += out[k];
		out[k] = (uint8_t)carry;
		carry >>= 8;
	}
}

void
net6_solicited_node(const uint8_t *a, uint8_t *out)
{
	static const uint8_t pfx[13] = {0xff, 0x02, [11] = 0x01, [12] = 0xff};

	memcpy(out, pfx, 13);
	memcpy(out + 13, a + 13, 3);
}

void
net6_mcast_mac(const uint8_t *a, struct rte_ether_addr *mac)
{
	mac->addr_bytes[0] = 0x33;
	mac->addr_bytes[1] = 0x33;
	memcpy(&mac->addr_bytes[2], a + 12, 4);
}

void
net6_linklocal(const struct rte_ether_addr *mac, uint8_t *out)
{
	const uint8_t *m = mac->addr_bytes;

	memset(out, 0, 16);
	out[0] = 0xfe;
	out[1] = 0x80;
	out[8] = m[0] ^ 0x02; /* the universal/local bit inverted */
	out[9] = m[1];
	out[10] = m[2];
	out[11] = 0xff;
	out[12] = 0xfe;
	out[13] = m[3];
	out[14] = m[4];
	out[15] = m[5];
}

void
net6_addrs_init(struct net6_addrs *o, const uint8_t *base, uint32_t count,
		const struct rte_ether_addr *mac)
{
	memset(o, 0, sizeof(*o));
	if (count != 0) {
		memcpy(o->base, base, 16);
		o->count = count;
		net6_addr_add(base, count - 1, o->last);
	}
	net6_linklocal(mac, o->ll);
	net6_solicited_node(o->ll, o->ll_sn);
}

/* Is a the solicited-node address of one of ours? Its low 24 bits pick the
 * candidates: the link-local, or the range's members with those bits. */
static bool
solicited_of_ours(const struct net6_addrs *ours, const uint8_t *a)
{
	if (memcmp(a, ours->ll_sn, 16) == 0)
		return true;
	if (ours->count == 0 || memcmp(a, ours->ll_sn, 13) != 0)
		return false;
	uint32_t lo_base = ((uint32_t)ours->base[13] << 16) | ((uint32_t)ours->base[14] << 8) |
			   ours->base[15];
	uint32_t want = ((uint32_t)a[13] << 16) | ((uint32_t)a[14] << 8) | a[15];

	return ((want - lo_base) & 0xffffffu) < ours->count;
}

bool
net6_is_ours(const struct net6_addrs *ours, const uint8_t *a, bool mcast_ok)
{
	if (net6_is_mcast(a))
		return mcast_ok && (memcmp(a, all_nodes, 16) == 0 || solicited_of_ours(ours, a));
	if (memcmp(a, ours->ll, 16) == 0)
		return true;
	return ours->count != 0 && memcmp(a, ours->base, 16) >= 0 && memcmp(a, ours->last, 16) <= 0;
}

const char *
net6_str(const uint8_t *a, char *buf)
{
	if (inet_ntop(AF_INET6, a, buf, 46) == NULL)
		strcpy(buf, "?");
	return buf;
}

int
net6_parse(const char *s, uint8_t *out)
{
	return inet_pton(AF_INET6, s, out) == 1 ? 0 : -1;
}

/* ---------------- checksums ---------------- */

uint32_t
net6_phdr_sum(const uint8_t *src, const uint8_t *dst, uint32_t l4_len, uint8_t proto)
{
	uint64_t s = net_sum(src, 16, 0);

	s += net_sum(dst, 16, 0);
	s += rte_cpu_to_be_32(l4_len);
	s += rte_cpu_to_be_32((uint32_t)proto);
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

uint16_t
net6_l4_cksum(const uint8_t *src, const uint8_t *dst, const void *l4, uint32_t l4_len,
	      uint8_t proto)
{
	uint16_t ck = (uint16_t)~net_sum_fold(
		net_sum(l4, l4_len, net6_phdr_sum(src, dst, l4_len, proto)));

	return ck == 0 ? 0xffff : ck;
}

int
net6_l4_cksum_verify(const uint8_t *src, const uint8_t *dst, const void *l4, uint32_t l4_len,
		     uint8_t proto)
{
	return net_sum_fold(net_sum(l4, l4_len, net6_phdr_sum(src, dst, l4_len, proto))) == 0xffff
		       ? 0
		       : -1;
}

/* ---------------- input ---------------- */

/*
 * Options of a hop-by-hop or destination options header (p, len bytes
 * after its 2-byte head). Unknown options act on their type's two high
 * bits (RFC 8200 4.2): 00 skip, anything else discard (the ICMP parameter
 * problem the other two ask for is not sent).
 */
static int
walk_options(const uint8_t *p, uint32_t len)
{
	uint32_t off = 0;

	while (off < len) {
		uint8_t type = p[off];

		if (type == OPT_PAD1) {
			off++;
			continue;
		}
		if (off + 2 > len || off + 2 + p[off + 1] > len)
			return STAT_drop_ip6_ext;
		if (type != OPT_PADN && type != OPT_ROUTER_ALERT && (type >> 6) != 0)
			return STAT_drop_ip6_opt;
		off += 2u + p[off + 1];
	}
	return 0;
}

int
net_ipv6_check(const uint8_t *l3, uint32_t len, const struct net6_addrs *ours,
	       struct net6_info *info)
{
	const uint8_t *src = l3 + IP6_OFF_SRC, *dst = l3 + IP6_OFF_DST;
	uint32_t plen, off, end;
	uint8_t nxt;
	unsigned int n;
	int r;

	if (len < NET_IPV6_HLEN)
		return STAT_drop_ip6_short;
	if ((l3[IP6_OFF_VTC] >> 4) != 6)
		return STAT_drop_ip6_version;
	plen = rd16(l3 + IP6_OFF_PLEN);
	if (plen > len - NET_IPV6_HLEN)
		return STAT_drop_ip6_len_big;
	if (!net6_is_ours(ours, dst, true))
		return STAT_drop_ip6_not_us;
	if (net6_is_mcast(src) || memcmp(src, loopback, 16) == 0 ||
	    (!net6_is_unspec(src) && net6_is_ours(ours, src, false)))
		return STAT_drop_ip6_src;

	end = NET_IPV6_HLEN + plen;
	off = NET_IPV6_HLEN;
	nxt = l3[IP6_OFF_NXT];
	for (n = 0;; n++) {
		uint32_t elen;

		if (nxt != PROTO_HOPOPTS && nxt != PROTO_ROUTING && nxt != PROTO_DSTOPTS &&
		    nxt != PROTO_FRAGMENT)
			break;
		if (n == NET_IPV6_EXT_MAX)
			return STAT_drop_ip6_ext;
		if (nxt == PROTO_HOPOPTS && n != 0)
			return STAT_drop_ip6_ext; /* only right after the header */
		if (nxt == PROTO_FRAGMENT)
			return STAT_drop_ip6_frag;
		if (off + 8 > end)
			return STAT_drop_ip6_ext;
		elen = 8u * (1u + l3[off + 1]);
		if (off + elen > end)
			return STAT_drop_ip6_ext;
		if (nxt == PROTO_ROUTING) {
			if (l3[off + 3] != 0) /* segments left */
				return STAT_drop_ip6_rh;
		} else {
			r = walk_options(l3 + off + 2, elen - 2);
			if (r != 0)
				return r;
		}
		nxt = l3[off];
		off += elen;
	}
	if (nxt == PROTO_NONE || nxt == PROTO_ESP || nxt == PROTO_AH)
		return STAT_drop_ip_proto;
	if (net6_is_unspec(src) && nxt != PROTO_ICMP6)
		return STAT_drop_ip6_src;
	info->l4_off = (uint16_t)off;
	info->l4_len = (uint16_t)(end - off);
	info->proto = nxt;
	info->hlim = l3[IP6_OFF_HLIM];
	info->nb_ext = (uint8_t)n;
	info->dst_mcast = net6_is_mcast(dst);
	return 0;
}

int
net_icmp6_check(const uint8_t *l3, const struct net6_info *info)
{
	const uint8_t *m = l3 + info->l4_off;
	uint8_t type;

	if (info->l4_len < NET_ICMP6_HLEN)
		return STAT_drop_icmp6_short;
	if (net6_l4_cksum_verify(l3 + IP6_OFF_SRC, l3 + IP6_OFF_DST, m, info->l4_len,
				 PROTO_ICMP6) != 0)
		return STAT_drop_icmp6_csum;
	type = m[0];
	if (type < 128) /* errors: destination unreachable .. parameter problem, others passed up */
		return 0;
	switch (type) {
	case NET_ICMP6_ECHO_REQUEST:
	case NET_ICMP6_ECHO_REPLY:
	case 130: /* MLD query, report, done */
	case 131:
	case 132:
	case 143: /* MLDv2 report */
	case NET_ND_RS:
	case NET_ND_RA:
	case NET_ND_NS:
	case NET_ND_NA:
	case NET_ND_REDIRECT:
		return 0;
	default:
		return STAT_drop_icmp6_type;
	}
}

int
net_nd_parse(const uint8_t *l3, const struct net6_info *info, struct net_nd *nd)
{
	const uint8_t *m = l3 + info->l4_off;
	uint32_t len = info->l4_len, off;
	bool unspec_src = net6_is_unspec(l3 + IP6_OFF_SRC);

	memset(nd, 0, sizeof(*nd));
	if (info->hlim != NET_ND_HLIM || len < NET_ND_HLEN || m[1] != 0)
		return STAT_drop_nd_bad;
	nd->type = m[0];
	if (nd->type != NET_ND_NS && nd->type != NET_ND_NA)
		return STAT_drop_nd_bad;
	memcpy(nd->target, m + 8, 16);
	if (net6_is_mcast(nd->target))
		return STAT_drop_nd_bad;
	if (nd->type == NET_ND_NA)
		nd->flags = m[4] & (NET_ND_NA_ROUTER | NET_ND_NA_SOLICITED | NET_ND_NA_OVERRIDE);
	for (off = NET_ND_HLEN; off < len;) {
		uint32_t olen;

		if (off + 2 > len)
			return STAT_drop_nd_bad;
		olen = 8u * m[off + 1];
		if (olen == 0 || off + olen > len)
			return STAT_drop_nd_bad;
		if (olen == 8 && ((nd->type == NET_ND_NS && m[off] == NET_ND_OPT_SLLA) ||
				  (nd->type == NET_ND_NA && m[off] == NET_ND_OPT_TLLA))) {
			memcpy(nd->lladdr.addr_bytes, m + off + 2, RTE_ETHER_ADDR_LEN);
			nd->has_lladdr = true;
		}
		off += olen;
	}
	if (nd->type == NET_ND_NS && unspec_src) {
		uint8_t sn[16];

		net6_solicited_node(nd->target, sn);
		if (memcmp(l3 + IP6_OFF_DST, sn, 16) != 0 || nd->has_lladdr)
			return STAT_drop_nd_bad;
	}
	if (nd->type == NET_ND_NA && info->dst_mcast && (nd->flags & NET_ND_NA_SOLICITED))
		return STAT_drop_nd_bad;
	return 0;
}

/* ---------------- builders ---------------- */

/* Ethernet + IPv6 fixed header; returns the ICMPv6 message's position. */
static uint8_t *
ip6_head(uint8_t *buf, const struct rte_ether_addr *dmac, const struct rte_ether_addr *smac,
	 const uint8_t *src, const uint8_t *dst, uint16_t plen, uint8_t proto, uint8_t hlim)
{
	uint8_t *ip = buf + NET_ETH_HLEN;

	memcpy(buf, dmac->addr_bytes, RTE_ETHER_ADDR_LEN);
	memcpy(buf + RTE_ETHER_ADDR_LEN, smac->addr_bytes, RTE_ETHER_ADDR_LEN);
	wr16(buf + 12, RTE_ETHER_TYPE_IPV6);
	memset(ip, 0, 4);
	ip[0] = 0x60;
	wr16(ip + IP6_OFF_PLEN, plen);
	ip[IP6_OFF_NXT] = proto;
	ip[IP6_OFF_HLIM] = hlim;
	memcpy(ip + IP6_OFF_SRC, src, 16);
	memcpy(ip + IP6_OFF_DST, dst, 16);
	return ip + NET_IPV6_HLEN;
}

static void
icmp6_finish(uint8_t *buf, uint32_t mlen)
{
	uint8_t *ip = buf + NET_ETH_HLEN, *m = ip + NET_IPV6_HLEN;

	m[2] = m[3] = 0;
	wr16(m + 2, rte_be_to_cpu_16(net6_l4_cksum(ip + IP6_OFF_SRC, ip + IP6_OFF_DST, m, mlen,
						   PROTO_ICMP6)));
}

uint32_t
net_nd_na_build(uint8_t *buf, const struct rte_ether_addr *src_mac,
		const struct rte_ether_addr *dst_mac, const uint8_t *src, const uint8_t *dst,
		const uint8_t *target, bool router)
{
	const uint32_t mlen = NET_ND_HLEN + 8;
	struct rte_ether_addr mmac;
	uint8_t *m;

	if (dst == NULL) {
		dst = all_nodes;
		net6_mcast_mac(all_nodes, &mmac);
		dst_mac = &mmac;
	}
	m = ip6_head(buf, dst_mac, src_mac, src, dst, (uint16_t)mlen, PROTO_ICMP6, NET_ND_HLIM);
	memset(m, 0, mlen);
	m[0] = NET_ND_NA;
	m[4] = NET_ND_NA_OVERRIDE | (router ? NET_ND_NA_ROUTER : 0) |
	       (dst != all_nodes ? NET_ND_NA_SOLICITED : 0);
	memcpy(m + 8, target, 16);
	m[24] = NET_ND_OPT_TLLA;
	m[25] = 1;
	memcpy(m + 26, src_mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	icmp6_finish(buf, mlen);
	return NET_ETH_HLEN + NET_IPV6_HLEN + mlen;
}

uint32_t
net_nd_ns_build(uint8_t *buf, const struct rte_ether_addr *src_mac,
		const struct rte_ether_addr *dst_mac, const uint8_t *src, const uint8_t *target)
{
	const uint32_t mlen = NET_ND_HLEN + 8;
	struct rte_ether_addr mmac;
	uint8_t sn[16];
	const uint8_t *dst = target;
	uint8_t *m;

	if (dst_mac == NULL) {
		net6_solicited_node(target, sn);
		net6_mcast_mac(sn, &mmac);
		dst = sn;
		dst_mac = &mmac;
	}
	m = ip6_head(buf, dst_mac, src_mac, src, dst, (uint16_t)mlen, PROTO_ICMP6, NET_ND_HLIM);
	memset(m, 0, mlen);
	m[0] = NET_ND_NS;
	memcpy(m + 8, target, 16);
	m[24] = NET_ND_OPT_SLLA;
	m[25] = 1;
	memcpy(m + 26, src_mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	icmp6_finish(buf, mlen);
	return NET_ETH_HLEN + NET_IPV6_HLEN + mlen;
}

uint32_t
net_icmp6_echo_reply_inplace(uint8_t *frame, uint32_t l3_off, const struct net6_info *info,
			     const struct rte_ether_addr *our_mac, const uint8_t *src)
{
	uint8_t *ip = frame + l3_off, *m = ip + info->l4_off;
	uint8_t peer[16], us[16];
	uint32_t mlen = info->l4_len;

	memcpy(peer, ip + IP6_OFF_SRC, 16);
	memcpy(us, info->dst_mcast ? src : ip + IP6_OFF_DST, 16);
	/* Ethernet: back to the sender */
	memcpy(frame, frame + RTE_ETHER_ADDR_LEN, RTE_ETHER_ADDR_LEN);
	memcpy(frame + RTE_ETHER_ADDR_LEN, our_mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	if (info->l4_off != NET_IPV6_HLEN) /* drop the request's extension headers */
		memmove(ip + NET_IPV6_HLEN, m, mlen);
	m = ip + NET_IPV6_HLEN;
	wr16(ip + IP6_OFF_PLEN, (uint16_t)mlen);
	ip[IP6_OFF_NXT] = PROTO_ICMP6;
	ip[IP6_OFF_HLIM] = IP6_HLIM_OUT;
	memcpy(ip + IP6_OFF_SRC, us, 16);
	memcpy(ip + IP6_OFF_DST, peer, 16);
	m[0] = NET_ICMP6_ECHO_REPLY;
	m[2] = m[3] = 0;
	wr16(m + 2, rte_be_to_cpu_16(net6_l4_cksum(us, peer, m, mlen, PROTO_ICMP6)));
	return l3_off + NET_IPV6_HLEN + mlen;
}
