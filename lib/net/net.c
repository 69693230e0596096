/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Wire formats: Ethernet, ARP, IPv4 and ICMP echo.
 *
 * This file owns the byte-level view of those headers: the Internet checksum
 * (full, RFC 1071, and incremental, RFC 1624), the validators the input path
 * runs on every received frame, and the builders for the frames the stack
 * originates (ARP, ICMP echo) or answers in place (echo reply).
 *
 * Every function works on plain byte buffers: no mbuf, no EAL, no allocation.
 * Buffers may be at any alignment, so header fields are read and written
 * through memcpy at offsets taken from DPDK's header structs rather than by
 * dereferencing a struct pointer (rte_ether_hdr and rte_arp_hdr are declared
 * 2-byte aligned). Multi-byte values stay in network order as they sit in the
 * packet unless a name or comment says "host".
 *
 * Validators return 0 or the STAT_drop_* id of the first check that failed;
 * the order of the checks is part of the contract (tests pin it) and is
 * written next to each validator.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rte_udp.h>

#include "lib/net/net.h"

/* Offsets of the fields used here, relative to the start of their header. */
#define ETH_OFF_DST  offsetof(struct rte_ether_hdr, dst_addr)
#define ETH_OFF_SRC  offsetof(struct rte_ether_hdr, src_addr)
#define ETH_OFF_TYPE offsetof(struct rte_ether_hdr, ether_type)

#define ARP_OFF_HTYPE offsetof(struct rte_arp_hdr, arp_hardware)
#define ARP_OFF_PTYPE offsetof(struct rte_arp_hdr, arp_protocol)
#define ARP_OFF_HLEN  offsetof(struct rte_arp_hdr, arp_hlen)
#define ARP_OFF_PLEN  offsetof(struct rte_arp_hdr, arp_plen)
#define ARP_OFF_OP    offsetof(struct rte_arp_hdr, arp_opcode)
#define ARP_OFF_SHA \
	(offsetof(struct rte_arp_hdr, arp_data) + offsetof(struct rte_arp_ipv4, arp_sha))
#define ARP_OFF_SIP \
	(offsetof(struct rte_arp_hdr, arp_data) + offsetof(struct rte_arp_ipv4, arp_sip))
#define ARP_OFF_THA \
	(offsetof(struct rte_arp_hdr, arp_data) + offsetof(struct rte_arp_ipv4, arp_tha))
#define ARP_OFF_TIP \
	(offsetof(struct rte_arp_hdr, arp_data) + offsetof(struct rte_arp_ipv4, arp_tip))

#define IP_OFF_VIHL   offsetof(struct rte_ipv4_hdr, version_ihl)
#define IP_OFF_TOS    offsetof(struct rte_ipv4_hdr, type_of_service)
#define IP_OFF_TOTLEN offsetof(struct rte_ipv4_hdr, total_length)
#define IP_OFF_ID     offsetof(struct rte_ipv4_hdr, packet_id)
#define IP_OFF_FRAG   offsetof(struct rte_ipv4_hdr, fragment_offset)
#define IP_OFF_TTL    offsetof(struct rte_ipv4_hdr, time_to_live)
#define IP_OFF_PROTO  offsetof(struct rte_ipv4_hdr, next_proto_id)
#define IP_OFF_CKSUM  offsetof(struct rte_ipv4_hdr, hdr_checksum)
#define IP_OFF_SRC    offsetof(struct rte_ipv4_hdr, src_addr)
#define IP_OFF_DST    offsetof(struct rte_ipv4_hdr, dst_addr)

#define ICMP_OFF_TYPE  offsetof(struct rte_icmp_hdr, icmp_type)
#define ICMP_OFF_CODE  offsetof(struct rte_icmp_hdr, icmp_code)
#define ICMP_OFF_CKSUM offsetof(struct rte_icmp_hdr, icmp_cksum)
#define ICMP_OFF_ID    offsetof(struct rte_icmp_hdr, icmp_ident)
#define ICMP_OFF_SEQ   offsetof(struct rte_icmp_hdr, icmp_seq_nb)

#define NET_TTL_DEFAULT 64

/* A header checksum that verifies sums (folded, before complement) to this. */
#define CKSUM_OK_SUM 0xffff

static inline uint16_t
net_rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t
net_rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void
net_wr16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void
net_wr32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* ---------------- checksums ---------------- */

uint16_t
net_cksum(const void *buf, uint32_t len)
{
	return (uint16_t)~net_sum_fold(net_sum(buf, len, 0));
}

uint16_t
net_ipv4_hdr_cksum(const struct rte_ipv4_hdr *ip)
{
	const uint8_t *p = (const uint8_t *)ip;
	uint32_t hlen, sum;

	hlen = (uint32_t)(p[IP_OFF_VIHL] & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	/* The two runs around the checksum field: the field counts as 0. */
	sum = net_sum(p, IP_OFF_CKSUM, 0);
	if (hlen > IP_OFF_CKSUM + 2)
		sum = net_sum(p + IP_OFF_CKSUM + 2, hlen - IP_OFF_CKSUM - 2, sum);
	return (uint16_t)~net_sum_fold(sum);
}

/*
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). One's complement sums do not
 * depend on byte order, so the words are used as they sit in memory. The
 * result equals a full recomputation (never the 0xffff form of zero) as long
 * as the covered data is not all zeros.
 */
uint16_t
net_cksum_update16(uint16_t cksum, uint16_t old_word, uint16_t new_word)
{
	uint32_t sum;

	sum = (uint16_t)~cksum;
	sum += (uint16_t)~old_word;
	sum += new_word;
	return (uint16_t)~__rte_raw_cksum_reduce(sum);
}

uint16_t
net_cksum_update32(uint16_t cksum, uint32_t old_word, uint32_t new_word)
{
	uint32_t sum;

	/* The two 16-bit halves of a 32-bit value are its two packet words. */
	sum = (uint16_t)~cksum;
	sum += (uint16_t) ~(old_word >> 16);
	sum += (uint16_t) ~(old_word & 0xffff);
	sum += new_word >> 16;
	sum += new_word & 0xffff;
	return (uint16_t)~__rte_raw_cksum_reduce(sum);
}

/* ---------------- validation ---------------- */

/*
 * Checks, in this order: length (eth_short), destination MAC (eth_dst: ours
 * or broadcast; multicast is not accepted yet), ethertype (eth_type). The
 * destination comes before the type so that traffic for other hosts seen on a
 * shared segment counts as "not ours" whatever it carries.
 */
int
net_eth_check(const uint8_t *frame, uint32_t len, const struct rte_ether_addr *mac,
	      struct net_info *info)
{
	static const uint8_t bcast[RTE_ETHER_ADDR_LEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	const uint8_t *dst = frame + ETH_OFF_DST;
	uint16_t type;

	if (len < NET_ETH_HLEN)
		return STAT_drop_eth_short;
	if (memcmp(dst, mac->addr_bytes, RTE_ETHER_ADDR_LEN) != 0 &&
	    memcmp(dst, bcast, RTE_ETHER_ADDR_LEN) != 0)
		return STAT_drop_eth_dst;
	type = rte_be_to_cpu_16(net_rd16(frame + ETH_OFF_TYPE));
	if (type != RTE_ETHER_TYPE_IPV4 && type != RTE_ETHER_TYPE_ARP)
		return STAT_drop_eth_type;
	info->ethertype = type;
	info->l3_off = NET_ETH_HLEN;
	return 0;
}

/* Checks, in this order: length, format (htype/ptype/hlen/plen/op), target address. */
int
net_arp_check(const uint8_t *l3, uint32_t len, rte_be32_t our_ip, uint32_t nb_ip)
{
	uint16_t op;

	if (len < NET_ARP_LEN)
		return STAT_drop_arp_short;
	op = net_rd16(l3 + ARP_OFF_OP);
	if (net_rd16(l3 + ARP_OFF_HTYPE) != RTE_BE16(RTE_ARP_HRD_ETHER) ||
	    net_rd16(l3 + ARP_OFF_PTYPE) != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
	    l3[ARP_OFF_HLEN] != RTE_ETHER_ADDR_LEN || l3[ARP_OFF_PLEN] != sizeof(rte_be32_t) ||
	    (op != RTE_BE16(RTE_ARP_OP_REQUEST) && op != RTE_BE16(RTE_ARP_OP_REPLY)))
		return STAT_drop_arp_bad;
	if (!net_ip_in_range(net_rd32(l3 + ARP_OFF_TIP), our_ip, nb_ip))
		return STAT_drop_arp_not_us;
	return 0;
}

/* True for 0.0.0.0, 255.255.255.255 and 224.0.0.0/4 (network order in). */
static inline bool
net_ipv4_src_bad(rte_be32_t src)
{
	uint32_t h = rte_be_to_cpu_32(src);

	return h == 0 || h == UINT32_MAX || (h & 0xf0000000u) == 0xe0000000u;
}

/*
 * Checks, in this order: ip_short, ip_version, ip_ihl (IHL < 5 or beyond
 * len), ip_len_big (total length > len), ip_len_small (total length < IHL*4),
 * ip_csum, ip_frag, ip_not_us, ip_src. Options (IHL > 5) are accepted
 * and skipped. Any TTL is taken: RFC 1122 3.2.1.7, "A host MUST NOT discard
 * a datagram just because it was received with TTL less than 2" (synack is
 * the destination host, not a router). Work: one pass over the IHL*4
 * header bytes.
 */
int
net_ipv4_check(const uint8_t *l3, uint32_t len, rte_be32_t our_ip, uint32_t nb_ip,
	       struct net_info *info)
{
	uint32_t hlen, tot;
	rte_be32_t src;

	if (len < NET_IPV4_HLEN)
		return STAT_drop_ip_short;
	if ((l3[IP_OFF_VIHL] >> 4) != 4)
		return STAT_drop_ip_version;
	hlen = (uint32_t)(l3[IP_OFF_VIHL] & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	if (hlen < NET_IPV4_HLEN || hlen > len)
		return STAT_drop_ip_ihl;
	tot = rte_be_to_cpu_16(net_rd16(l3 + IP_OFF_TOTLEN));
	if (tot > len)
		return STAT_drop_ip_len_big;
	if (tot < hlen)
		return STAT_drop_ip_len_small;
	if (net_sum_fold(net_sum(l3, hlen, 0)) != CKSUM_OK_SUM)
		return STAT_drop_ip_csum;
	if ((net_rd16(l3 + IP_OFF_FRAG) &
	     RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) != 0)
		return STAT_drop_ip_frag;
	if (!net_ip_in_range(net_rd32(l3 + IP_OFF_DST), our_ip, nb_ip))
		return STAT_drop_ip_not_us;
	src = net_rd32(l3 + IP_OFF_SRC);
	if (net_ipv4_src_bad(src) || net_ip_in_range(src, our_ip, nb_ip))
		return STAT_drop_ip_src;
	info->l3_hlen = (uint16_t)hlen;
	info->l3_len = (uint16_t)tot;
	info->proto = l3[IP_OFF_PROTO];
	return 0;
}

/*
 * Checks, in this order: length, checksum over len bytes, type. An all-zero
 * message (whose sum is the +0 form) fails the checksum, as it does in Linux.
 */
int
net_icmp_check(const uint8_t *l4, uint32_t len)
{
	uint8_t type;

	if (len < NET_ICMP_HLEN)
		return STAT_drop_icmp_short;
	if (net_sum_fold(net_sum(l4, len, 0)) != CKSUM_OK_SUM)
		return STAT_drop_icmp_csum;
	type = l4[ICMP_OFF_TYPE];
	if (type != RTE_IP_ICMP_ECHO_REQUEST && type != RTE_IP_ICMP_ECHO_REPLY)
		return STAT_drop_icmp_type;
	return 0;
}

/* ---------------- builders ---------------- */

static void
net_eth_write(uint8_t *buf, const uint8_t *dst, const uint8_t *src, uint16_t type_host)
{
	memcpy(buf + ETH_OFF_DST, dst, RTE_ETHER_ADDR_LEN);
	memcpy(buf + ETH_OFF_SRC, src, RTE_ETHER_ADDR_LEN);
	net_wr16(buf + ETH_OFF_TYPE, rte_cpu_to_be_16(type_host));
}

/*
 * With tha NULL (a broadcast request, gratuitous ARP included): Ethernet
 * destination broadcast, target hardware address zero. With tha given (a
 * reply, or a unicast request refreshing a known neighbour): both are tha.
 */
uint32_t
net_arp_build(uint8_t *buf, uint16_t op, const struct rte_ether_addr *sha, rte_be32_t sip,
	      const struct rte_ether_addr *tha, rte_be32_t tip)
{
	static const uint8_t bcast[RTE_ETHER_ADDR_LEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t zero[RTE_ETHER_ADDR_LEN];
	uint8_t *arp = buf + NET_ETH_HLEN;

	net_eth_write(buf, tha != NULL ? tha->addr_bytes : bcast, sha->addr_bytes,
		      RTE_ETHER_TYPE_ARP);
	net_wr16(arp + ARP_OFF_HTYPE, RTE_BE16(RTE_ARP_HRD_ETHER));
	net_wr16(arp + ARP_OFF_PTYPE, RTE_BE16(RTE_ETHER_TYPE_IPV4));
	arp[ARP_OFF_HLEN] = RTE_ETHER_ADDR_LEN;
	arp[ARP_OFF_PLEN] = sizeof(rte_be32_t);
	net_wr16(arp + ARP_OFF_OP, rte_cpu_to_be_16(op));
	memcpy(arp + ARP_OFF_SHA, sha->addr_bytes, RTE_ETHER_ADDR_LEN);
	net_wr32(arp + ARP_OFF_SIP, sip);
	memcpy(arp + ARP_OFF_THA, tha != NULL ? tha->addr_bytes : zero, RTE_ETHER_ADDR_LEN);
	net_wr32(arp + ARP_OFF_TIP, tip);
	memset(arp + NET_ARP_LEN, 0, NET_ETH_MIN_FRAME - NET_ETH_HLEN - NET_ARP_LEN);
	return NET_ETH_MIN_FRAME;
}

/*
 * Swapping the addresses leaves both sums unchanged; only the TTL word of the
 * IP header and the type word of the ICMP header change, each patched with
 * one incremental update. Options in the request are echoed as they are.
 */
void
net_icmp_echo_reply_inplace(uint8_t *frame, const struct net_info *info,
			    const struct rte_ether_addr *our_mac)
{
	uint8_t *ip = frame + info->l3_off;
	uint8_t *icmp = ip + info->l3_hlen;
	uint16_t old_w, new_w, cksum;
	uint32_t a, b;

	/* Ethernet: back to the sender, from us. */
	memcpy(frame + ETH_OFF_DST, frame + ETH_OFF_SRC, RTE_ETHER_ADDR_LEN);
	memcpy(frame + ETH_OFF_SRC, our_mac->addr_bytes, RTE_ETHER_ADDR_LEN);

	/* IPv4: swap addresses, fresh TTL (shares a word with the protocol). */
	a = net_rd32(ip + IP_OFF_SRC);
	b = net_rd32(ip + IP_OFF_DST);
	net_wr32(ip + IP_OFF_SRC, b);
	net_wr32(ip + IP_OFF_DST, a);
	old_w = net_rd16(ip + IP_OFF_TTL);
	ip[IP_OFF_TTL] = NET_TTL_DEFAULT;
	new_w = net_rd16(ip + IP_OFF_TTL);
	net_wr16(ip + IP_OFF_CKSUM, net_cksum_update16(net_rd16(ip + IP_OFF_CKSUM), old_w, new_w));

	/*
	 * ICMP: type 8 -> 0 (shares a word with the code). A reply with id,
	 * seq and payload all zero is an all-zero message: the update yields
	 * 0x0000 where its only valid checksum is 0xffff. Writing 0xffff for
	 * every 0x0000 result is always right: both are zero in one's
	 * complement for any message that is not all zeros.
	 */
	old_w = net_rd16(icmp + ICMP_OFF_TYPE);
	icmp[ICMP_OFF_TYPE] = RTE_IP_ICMP_ECHO_REPLY;
	new_w = net_rd16(icmp + ICMP_OFF_TYPE);
	cksum = net_cksum_update16(net_rd16(icmp + ICMP_OFF_CKSUM), old_w, new_w);
	net_wr16(icmp + ICMP_OFF_CKSUM, cksum == 0 ? 0xffff : cksum);
}

uint32_t
net_icmp_echo_build(uint8_t *buf, const struct rte_ether_addr *src_mac,
		    const struct rte_ether_addr *dst_mac, rte_be32_t sip, rte_be32_t dip,
		    uint16_t id, uint16_t seq, uint16_t ip_id, uint16_t payload_len)
{
	uint8_t *ip = buf + NET_ETH_HLEN;
	uint8_t *icmp = ip + NET_IPV4_HLEN;
	uint8_t *payload = icmp + NET_ICMP_HLEN;
	uint32_t ip_len = NET_IPV4_HLEN + NET_ICMP_HLEN + (uint32_t)payload_len;
	uint32_t frame_len = NET_ETH_HLEN + ip_len;
	uint32_t i;

	net_eth_write(buf, dst_mac->addr_bytes, src_mac->addr_bytes, RTE_ETHER_TYPE_IPV4);

	ip[IP_OFF_VIHL] = (4 << 4) | (NET_IPV4_HLEN / RTE_IPV4_IHL_MULTIPLIER);
	ip[IP_OFF_TOS] = 0;
	net_wr16(ip + IP_OFF_TOTLEN, rte_cpu_to_be_16((uint16_t)ip_len));
	net_wr16(ip + IP_OFF_ID, rte_cpu_to_be_16(ip_id));
	net_wr16(ip + IP_OFF_FRAG, RTE_BE16(RTE_IPV4_HDR_DF_FLAG));
	ip[IP_OFF_TTL] = NET_TTL_DEFAULT;
	ip[IP_OFF_PROTO] = IPPROTO_ICMP;
	net_wr32(ip + IP_OFF_SRC, sip);
	net_wr32(ip + IP_OFF_DST, dip);
	net_wr16(ip + IP_OFF_CKSUM, net_ipv4_hdr_cksum((const struct rte_ipv4_hdr *)ip));

	icmp[ICMP_OFF_TYPE] = RTE_IP_ICMP_ECHO_REQUEST;
	icmp[ICMP_OFF_CODE] = 0;
	net_wr16(icmp + ICMP_OFF_CKSUM, 0);
	net_wr16(icmp + ICMP_OFF_ID, rte_cpu_to_be_16(id));
	net_wr16(icmp + ICMP_OFF_SEQ, rte_cpu_to_be_16(seq));
	for (i = 0; i < payload_len; i++)
		payload[i] = (uint8_t)(seq + i);
	net_wr16(icmp + ICMP_OFF_CKSUM, net_cksum(icmp, NET_ICMP_HLEN + payload_len));

	if (frame_len < NET_ETH_MIN_FRAME) {
		memset(buf + frame_len, 0, NET_ETH_MIN_FRAME - frame_len);
		frame_len = NET_ETH_MIN_FRAME;
	}
	return frame_len;
}

bool
net_icmp_echo_payload_ok(const uint8_t *payload, uint32_t len, uint16_t seq)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		if (payload[i] != (uint8_t)(seq + i))
			return false;
	return true;
}

/* ---------------- addresses ---------------- */

/* ---------------- UDP ---------------- */

#define UDP_OFF_SPORT offsetof(struct rte_udp_hdr, src_port)
#define UDP_OFF_DPORT offsetof(struct rte_udp_hdr, dst_port)
#define UDP_OFF_LEN   offsetof(struct rte_udp_hdr, dgram_len)
#define UDP_OFF_CKSUM offsetof(struct rte_udp_hdr, dgram_cksum)

/* One's complement sum (unfolded) of the IPv4 pseudo header for UDP of ulen bytes. */
static inline uint32_t
udp_phdr_sum(const uint8_t *l3, uint32_t ulen)
{
	uint32_t sum = net_sum(l3 + IP_OFF_SRC, 8, 0); /* source and destination */

	sum += rte_cpu_to_be_16(IPPROTO_UDP);
	sum += rte_cpu_to_be_16((uint16_t)ulen);
	return sum;
}

/* Checks, in this order: header fits, length field in range, checksum (nonzero, verify). */
int
net_udp_check(const uint8_t *l3, const struct net_info *info, bool verify)
{
	uint32_t plen = (uint32_t)info->l3_len - info->l3_hlen;
	const uint8_t *uh = l3 + info->l3_hlen;
	uint32_t ulen, sum;

	if (plen < NET_UDP_HLEN)
		return STAT_drop_udp_short;
	ulen = rte_be_to_cpu_16(net_rd16(uh + UDP_OFF_LEN));
	if (ulen < NET_UDP_HLEN || ulen > plen)
		return STAT_drop_udp_short;
	if (!verify || net_rd16(uh + UDP_OFF_CKSUM) == 0)
		return 0;
	sum = net_sum(uh, ulen, udp_phdr_sum(l3, ulen));
	if (net_sum_fold(sum) != CKSUM_OK_SUM)
		return STAT_drop_udp_csum;
	return 0;
}

uint16_t
net_udp_cksum(const uint8_t *l3, uint32_t ihl, uint32_t ulen)
{
	const uint8_t *uh = l3 + ihl;
	uint32_t sum = udp_phdr_sum(l3, ulen);
	uint16_t ck;

	/* The two runs around the checksum field: the field counts as 0. */
	sum = net_sum(uh, UDP_OFF_CKSUM, sum);
	if (ulen > UDP_OFF_CKSUM + 2)
		sum = net_sum(uh + UDP_OFF_CKSUM + 2, ulen - UDP_OFF_CKSUM - 2, sum);
	ck = (uint16_t)~__rte_raw_cksum_reduce(sum);
	return ck == 0 ? 0xffff : ck;
}

static void
net_ipv4_write(uint8_t *ip, uint32_t ip_len, uint8_t proto, rte_be32_t sip, rte_be32_t dip,
	       uint16_t ip_id)
{
	ip[IP_OFF_VIHL] = (4 << 4) | (NET_IPV4_HLEN / RTE_IPV4_IHL_MULTIPLIER);
	ip[IP_OFF_TOS] = 0;
	net_wr16(ip + IP_OFF_TOTLEN, rte_cpu_to_be_16((uint16_t)ip_len));
	net_wr16(ip + IP_OFF_ID, rte_cpu_to_be_16(ip_id));
	net_wr16(ip + IP_OFF_FRAG, RTE_BE16(RTE_IPV4_HDR_DF_FLAG));
	ip[IP_OFF_TTL] = NET_TTL_DEFAULT;
	ip[IP_OFF_PROTO] = proto;
	net_wr32(ip + IP_OFF_SRC, sip);
	net_wr32(ip + IP_OFF_DST, dip);
	net_wr16(ip + IP_OFF_CKSUM, net_ipv4_hdr_cksum((const struct rte_ipv4_hdr *)ip));
}

uint32_t
net_udp_build(uint8_t *buf, const struct rte_ether_addr *src_mac,
	      const struct rte_ether_addr *dst_mac, rte_be32_t sip, rte_be32_t dip,
	      rte_be16_t sport, rte_be16_t dport, uint16_t ip_id, const void *payload,
	      uint16_t payload_len)
{
	uint8_t *ip = buf + NET_ETH_HLEN;
	uint8_t *uh = ip + NET_IPV4_HLEN;
	uint32_t ulen = NET_UDP_HLEN + (uint32_t)payload_len;
	uint32_t frame_len = NET_ETH_HLEN + NET_IPV4_HLEN + ulen;

	net_eth_write(buf, dst_mac->addr_bytes, src_mac->addr_bytes, RTE_ETHER_TYPE_IPV4);
	net_ipv4_write(ip, NET_IPV4_HLEN + ulen, IPPROTO_UDP, sip, dip, ip_id);
	net_wr16(uh + UDP_OFF_SPORT, sport);
	net_wr16(uh + UDP_OFF_DPORT, dport);
	net_wr16(uh + UDP_OFF_LEN, rte_cpu_to_be_16((uint16_t)ulen));
	net_wr16(uh + UDP_OFF_CKSUM, 0);
	if (payload != NULL)
		memcpy(uh + NET_UDP_HLEN, payload, payload_len);
	else
		memset(uh + NET_UDP_HLEN, 0, payload_len);
	net_wr16(uh + UDP_OFF_CKSUM, net_udp_cksum(ip, NET_IPV4_HLEN, ulen));
	if (frame_len < NET_ETH_MIN_FRAME) {
		memset(buf + frame_len, 0, NET_ETH_MIN_FRAME - frame_len);
		frame_len = NET_ETH_MIN_FRAME;
	}
	return frame_len;
}

void
net_udp_echo_inplace(uint8_t *frame, const struct net_info *info,
		     const struct rte_ether_addr *our_mac)
{
	uint8_t *ip = frame + info->l3_off;
	uint8_t *uh = ip + info->l3_hlen;
	uint16_t old_w, new_w, sp, dp;
	uint32_t a, b;

	memcpy(frame + ETH_OFF_DST, frame + ETH_OFF_SRC, RTE_ETHER_ADDR_LEN);
	memcpy(frame + ETH_OFF_SRC, our_mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	a = net_rd32(ip + IP_OFF_SRC);
	b = net_rd32(ip + IP_OFF_DST);
	net_wr32(ip + IP_OFF_SRC, b);
	net_wr32(ip + IP_OFF_DST, a);
	old_w = net_rd16(ip + IP_OFF_TTL);
	ip[IP_OFF_TTL] = NET_TTL_DEFAULT;
	new_w = net_rd16(ip + IP_OFF_TTL);
	net_wr16(ip + IP_OFF_CKSUM, net_cksum_update16(net_rd16(ip + IP_OFF_CKSUM), old_w, new_w));
	sp = net_rd16(uh + UDP_OFF_SPORT);
	dp = net_rd16(uh + UDP_OFF_DPORT);
	net_wr16(uh + UDP_OFF_SPORT, dp);
	net_wr16(uh + UDP_OFF_DPORT, sp);
}

uint32_t
net_icmp_unreach_build(uint8_t *buf, const uint8_t *orig, uint32_t orig_len,
		       const struct rte_ether_addr *src_mac, const struct rte_ether_addr *dst_mac,
		       rte_be32_t sip, rte_be32_t dip, uint8_t code, uint16_t ip_id)
{
	uint32_t ihl = (uint32_t)(orig[IP_OFF_VIHL] & RTE_IPV4_HDR_IHL_MASK) *
		       RTE_IPV4_IHL_MULTIPLIER;
	uint32_t quote = RTE_MIN(ihl + 8, orig_len);
	uint8_t *ip = buf + NET_ETH_HLEN;
	uint8_t *icmp = ip + NET_IPV4_HLEN;
	uint32_t icmp_len = NET_ICMP_HLEN + quote;

	/* The quote first: orig may sit where the new headers go. */
	memmove(icmp + NET_ICMP_HLEN, orig, quote);
	net_eth_write(buf, dst_mac->addr_bytes, src_mac->addr_bytes, RTE_ETHER_TYPE_IPV4);
	net_ipv4_write(ip, NET_IPV4_HLEN + icmp_len, IPPROTO_ICMP, sip, dip, ip_id);
	icmp[ICMP_OFF_TYPE] = NET_ICMP_UNREACH;
	icmp[ICMP_OFF_CODE] = code;
	net_wr16(icmp + ICMP_OFF_CKSUM, 0);
	net_wr32(icmp + ICMP_OFF_ID, 0); /* unused (id and seq of echo) */
	net_wr16(icmp + ICMP_OFF_CKSUM, net_cksum(icmp, icmp_len));
	return NET_ETH_HLEN + NET_IPV4_HLEN + icmp_len;
}

const char *
net_ip_str(uint32_t ip_host, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip_host >> 24, (ip_host >> 16) & 0xff,
		 (ip_host >> 8) & 0xff, ip_host & 0xff);
	return buf;
}

/*
 * Exactly four decimal octets 0..255 separated by single dots, nothing
 * before or after. Like inet_pton, a leading zero ("01") is refused: it would
 * mean octal to inet_aton.
 */
int
net_ip_parse(const char *s, uint32_t *ip_host)
{
	uint32_t ip = 0;
	int octet;

	if (s == NULL)
		return -1;
	for (octet = 0; octet < 4; octet++) {
		uint32_t v = 0;
		int digits = 0;

		if (octet > 0 && *s++ != '.')
			return -1;
		while (*s >= '0' && *s <= '9') {
			if (digits > 0 && v == 0)
				return -1;
			v = v * 10 + (uint32_t)(*s - '0');
			if (v > 255)
				return -1;
			digits++;
			s++;
		}
		if (digits == 0)
			return -1;
		ip = (ip << 8) | v;
	}
	if (*s != '\0')
		return -1;
	*ip_host = ip;
	return 0;
}
