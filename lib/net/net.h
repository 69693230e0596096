/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Wire formats: Ethernet, ARP, IPv4, ICMP -- validation, builders and
 * checksum helpers. The header structs are DPDK's (rte_ether.h, rte_arp.h,
 * rte_ip.h, rte_icmp.h): packed, big-endian fields.
 *
 * Validators work on plain byte buffers (no mbuf, no EAL), so unit tests and
 * fuzzers call them directly. Each returns 0 when the packet is good or the
 * stats id (enum stats_id, STAT_drop_*) of the reason it must be dropped:
 * the caller counts that id and frees the packet.
 */
#ifndef SYNACK_NET_H
#define SYNACK_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "lib/stats/stats.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NET_ETH_HLEN	  14u
#define NET_ARP_LEN	  28u /**< ARP for Ethernet/IPv4 */
#define NET_IPV4_HLEN	  20u /**< IPv4 header without options */
#define NET_ICMP_HLEN	  8u  /**< type, code, cksum, id, seq */
#define NET_ETH_MIN_FRAME 60u /**< minimum frame without FCS: pad to this */

/* ---------------- checksums (RFC 1071, RFC 1624) ---------------- */

/**
 * One's complement sum of buf added to init (RFC 1071 4.1), not folded: the
 * same value __rte_raw_cksum(buf, len, init) gives modulo 0xffff, to fold with
 * net_sum_fold. Eight bytes per add with the carries kept in a 128-bit
 * accumulator (add/adc), where DPDK 22.11's __rte_raw_cksum adds two bytes
 * per step: on a 60-byte TCP segment 3-4x fewer instructions (bench insns,
 * tests/unit/test_net.cc checks it against rte_raw_cksum on every length and
 * alignment). Order of the words does not matter to the sum, so the eight
 * bytes are loaded in host order; an odd last byte is the first byte of its
 * 16-bit word, as RFC 1071 pads.
 */
__extension__ typedef unsigned __int128 net_u128_t;

static inline uint32_t
net_sum(const void *buf, uint32_t len, uint32_t init)
{
	const uint8_t *p = (const uint8_t *)buf;
	net_u128_t acc = init;
	uint64_t a, b, c, d, s;

	while (len >= 32) {
		memcpy(&a, p, 8);
		memcpy(&b, p + 8, 8);
		memcpy(&c, p + 16, 8);
		memcpy(&d, p + 24, 8);
		acc += a;
		acc += b;
		acc += c;
		acc += d;
		p += 32;
		len -= 32;
	}
	while (len >= 8) {
		memcpy(&a, p, 8);
		acc += a;
		p += 8;
		len -= 8;
	}
	if (len >= 4) {
		uint32_t v;

		memcpy(&v, p, 4);
		acc += v;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t v;

		memcpy(&v, p, 2);
		acc += v;
		p += 2;
		len -= 2;
	}
	if (len) {
		uint16_t v = 0;

		memcpy(&v, p, 1);
		acc += v;
	}
	/* 128 -> 64 -> 32 bits, each with the end-around carry */
	s = (uint64_t)acc;
	a = (uint64_t)(acc >> 64);
	s += a;
	s += s < a;
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

/** Fold a net_sum (or __rte_raw_cksum) value to 16 bits (not complemented). */
static inline uint16_t
net_sum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/** Internet checksum (one's complement of the one's complement sum) of buf. */
uint16_t net_cksum(const void *buf, uint32_t len);

/**
 * Sum of the TCP/UDP pseudo header (RFC 9293 3.1, RFC 768) of the IPv4
 * header ip for an L4 length of l4_len bytes.
 */
static inline uint32_t
net_phdr_sum(const struct rte_ipv4_hdr *ip, uint32_t l4_len)
{
	uint64_t s = (uint64_t)ip->src_addr + ip->dst_addr +
		     rte_cpu_to_be_16((uint16_t)ip->next_proto_id) +
		     rte_cpu_to_be_16((uint16_t)l4_len);

	s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

/**
 * TCP or UDP checksum of the segment at l4 behind ip (length from the IPv4
 * total length), to write into the header: the checksum field must be 0 when
 * called. 0 comes out as 0xffff (RFC 768; harmless for TCP). Same value as
 * rte_ipv4_udptcp_cksum, with net_sum.
 */
static inline uint16_t
net_ipv4_l4_cksum(const struct rte_ipv4_hdr *ip, const void *l4)
{
	uint32_t l4_len = (uint32_t)rte_be_to_cpu_16(ip->total_length) -
			  (uint32_t)rte_ipv4_hdr_len(ip);
	uint16_t ck = (uint16_t)~net_sum_fold(net_sum(l4, l4_len, net_phdr_sum(ip, l4_len)));

	return ck == 0 ? 0xffff : ck;
}

/** 0 when the TCP/UDP checksum of the segment at l4 behind ip verifies, else -1. */
static inline int
net_ipv4_l4_cksum_verify(const struct rte_ipv4_hdr *ip, const void *l4)
{
	uint32_t l4_len = (uint32_t)rte_be_to_cpu_16(ip->total_length) -
			  (uint32_t)rte_ipv4_hdr_len(ip);

	return net_sum_fold(net_sum(l4, l4_len, net_phdr_sum(ip, l4_len))) == 0xffff ? 0 : -1;
}

/**
 * One's complement sum (not folded, like net_sum) of the len bytes at offset
 * off of the mbuf chain m, added to init: net_sum over each segment's share.
 * A segment whose share starts at an odd offset of the covered bytes has its
 * folded sum byte-swapped before it is added (RFC 1071 2(B): the sum is
 * byte-order independent, so a sum taken one byte out of step is the swapped
 * one). Same value as rte_raw_cksum_mbuf modulo 0xffff. Bytes beyond the end
 * of the chain are not summed: callers check pkt_len. Visits each segment of
 * the chain at most once.
 */
static inline uint32_t
net_sum_mbuf(const struct rte_mbuf *m, uint32_t off, uint32_t len, uint32_t init)
{
	uint64_t acc = init;
	uint32_t done = 0;

	while (m != NULL && off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	for (; m != NULL && done < len; m = m->next, off = 0) {
		uint32_t n = (uint32_t)m->data_len - off;
		uint32_t s;

		if (n > len - done)
			n = len - done;
		s = net_sum_fold(net_sum(rte_pktmbuf_mtod_offset(m, const uint8_t *, off), n, 0));
		if (done & 1)
			s = rte_bswap16((uint16_t)s);
		acc += s;
		done += n;
	}
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

/**
 * TCP or UDP checksum of the segment at offset l4_off of the chain m behind
 * the IPv4 header ip (length from the IPv4 total length), to write into the
 * header: the checksum field must be 0 when called. Like net_ipv4_l4_cksum,
 * 0 comes out as 0xffff. Same value as rte_ipv4_udptcp_cksum_mbuf (which
 * turns 0 into 0xffff for UDP only), with net_sum per segment. The chain
 * must hold l4_off plus the L4 length.
 */
static inline uint16_t
net_ipv4_l4_cksum_mbuf(const struct rte_mbuf *m, const struct rte_ipv4_hdr *ip, uint32_t l4_off)
{
	uint32_t l4_len = (uint32_t)rte_be_to_cpu_16(ip->total_length) -
			  (uint32_t)rte_ipv4_hdr_len(ip);
	uint16_t ck = (uint16_t)~net_sum_fold(
		net_sum_mbuf(m, l4_off, l4_len, net_phdr_sum(ip, l4_len)));

	return ck == 0 ? 0xffff : ck;
}

/**
 * 0 when the TCP/UDP checksum of the segment at offset l4_off of the chain m
 * behind ip verifies, else -1 (also when the chain is shorter than the L4
 * length the IPv4 header announces).
 */
static inline int
net_ipv4_l4_cksum_verify_mbuf(const struct rte_mbuf *m, const struct rte_ipv4_hdr *ip,
			      uint32_t l4_off)
{
	uint32_t ihl = (uint32_t)rte_ipv4_hdr_len(ip);
	uint32_t tot = rte_be_to_cpu_16(ip->total_length);

	if (tot < ihl || (uint64_t)l4_off + (tot - ihl) > m->pkt_len)
		return -1;
	return net_sum_fold(net_sum_mbuf(m, l4_off, tot - ihl, net_phdr_sum(ip, tot - ihl))) ==
			       0xffff
		       ? 0
		       : -1;
}

/**
 * Checksum of a 20-byte IPv4 header (no options) to write into it; the
 * checksum field must be 0 when called.
 */
static inline uint16_t
net_ipv4_hdr20_cksum(const struct rte_ipv4_hdr *ip)
{
	return (uint16_t)~net_sum_fold(net_sum(ip, NET_IPV4_HLEN, 0));
}

/** IPv4 header checksum over ihl*4 bytes as it would be written (cksum field taken as 0). */
uint16_t net_ipv4_hdr_cksum(const struct rte_ipv4_hdr *ip);

/**
 * Incremental update (RFC 1624 eqn. 3): the checksum field value after a
 * 16-bit word of the covered data changed from old to new. All values in
 * network byte order as they sit in the packet.
 */
uint16_t net_cksum_update16(uint16_t cksum, uint16_t old_word, uint16_t new_word);

/** Same, for a 32-bit field (an address). */
uint16_t net_cksum_update32(uint16_t cksum, uint32_t old_word, uint32_t new_word);

/* ---------------- validation (input path) ---------------- */

/** What the input path learned about a frame. */
/**
 * Whether ip is one of the nb consecutive addresses from first (both network
 * order): first, first + 1, ... first + nb - 1.
 */
static inline bool
net_ip_in_range(rte_be32_t ip, rte_be32_t first, uint32_t nb)
{
	return rte_be_to_cpu_32(ip) - rte_be_to_cpu_32(first) < nb;
}

struct net_info {
	uint16_t ethertype; /**< host order: RTE_ETHER_TYPE_IPV4 / _ARP / _IPV6 */
	uint16_t l3_off;    /**< offset of the L3 header in the frame */
	uint16_t l3_hlen;   /**< IPv4 header length (IHL*4); IPv6: 40 + extension headers */
	uint16_t l3_len;    /**< IPv4 total length / ARP length; IPv6: 40 + payload length */
	uint8_t proto;	    /**< IPv4 protocol; IPv6: the upper-layer next header */
};

/** Whether ni describes an IPv6 packet (source at l3 + 8, destination at l3 + 24). */
static inline bool
net_info_is_v6(const struct net_info *ni)
{
	return ni->ethertype == RTE_ETHER_TYPE_IPV6;
}

/**
 * Ethernet: at least 14 bytes; destination is mac or broadcast (multicast
 * is dropped as drop_eth_dst); ethertype IPv4 or ARP (no VLAN yet).
 * Fills info->ethertype and info->l3_off.
 * @return 0 or STAT_drop_eth_short / STAT_drop_eth_dst / STAT_drop_eth_type.
 */
int net_eth_check(const uint8_t *frame, uint32_t len, const struct rte_ether_addr *mac,
		  struct net_info *info);

/**
 * ARP (l3 = the ARP header, len = bytes from it to the frame end): htype 1,
 * ptype IPv4, hlen 6, plen 4, op request or reply; target protocol address
 * must be one of our nb_ip consecutive addresses from our_ip (network order).
 * @return 0 or STAT_drop_arp_short / STAT_drop_arp_bad / STAT_drop_arp_not_us.
 */
int net_arp_check(const uint8_t *l3, uint32_t len, rte_be32_t our_ip, uint32_t nb_ip);

/**
 * IPv4 (l3 = the IP header, len = bytes from it to the frame end, padding
 * included): version 4, 5 <= IHL and IHL*4 <= len, IHL*4 <= total length <=
 * len, header checksum, any TTL (RFC 1122 3.2.1.7), not a fragment (MF set or offset != 0),
 * destination one of our nb_ip consecutive addresses from our_ip (network
 * order), source not broadcast/multicast/0 and not one of ours.
 * Fills info->l3_hlen, l3_len, proto.
 * @return 0 or one STAT_drop_ip_* reason.
 */
int net_ipv4_check(const uint8_t *l3, uint32_t len, rte_be32_t our_ip, uint32_t nb_ip,
		   struct net_info *info);

/**
 * ICMP (l4 = the ICMP header, len = IPv4 payload length): at least 8 bytes,
 * checksum over len bytes; type echo request or echo reply.
 * @return 0 or STAT_drop_icmp_short / STAT_drop_icmp_csum / STAT_drop_icmp_type.
 */
int net_icmp_check(const uint8_t *l4, uint32_t len);

/* ---------------- builders (output path) ---------------- */

/**
 * Write an Ethernet + ARP frame into buf (at least NET_ETH_MIN_FRAME bytes;
 * zero padded to 60). op is RTE_ARP_OP_REQUEST or RTE_ARP_OP_REPLY.
 * For a request, eth dst is broadcast and target hw 00:00:00:00:00:00 when
 * tha is NULL. Addresses in network order.
 * @return the frame length (60).
 */
uint32_t net_arp_build(uint8_t *buf, uint16_t op, const struct rte_ether_addr *sha, rte_be32_t sip,
		       const struct rte_ether_addr *tha, rte_be32_t tip);

/**
 * Turn an ICMP echo request frame (validated) into its reply in place: swap
 * MACs (src = our mac), swap IPs, TTL 64, type 0, checksums fixed
 * incrementally. l3_off/l3_hlen from net_info.
 */
void net_icmp_echo_reply_inplace(uint8_t *frame, const struct net_info *info,
				 const struct rte_ether_addr *our_mac);

/**
 * Write an Ethernet + IPv4 + ICMP echo request of payload_len bytes (payload
 * filled with a pattern derived from seq so a reply can be checked) into buf.
 * buf must hold 14 + 20 + 8 + payload_len bytes (at least 60).
 * @return the frame length.
 */
uint32_t net_icmp_echo_build(uint8_t *buf, const struct rte_ether_addr *src_mac,
			     const struct rte_ether_addr *dst_mac, rte_be32_t sip, rte_be32_t dip,
			     uint16_t id, uint16_t seq, uint16_t ip_id, uint16_t payload_len);

/** True when the echo payload (len bytes) is the pattern net_icmp_echo_build wrote for seq. */
bool net_icmp_echo_payload_ok(const uint8_t *payload, uint32_t len, uint16_t seq);

/* ---------------- UDP (RFC 768) and ICMP port unreachable (RFC 792) ---------------- */

#define NET_UDP_HLEN	      8u /**< source port, destination port, length, checksum */
#define NET_ICMP_UNREACH      3u /**< ICMP type destination unreachable (RFC 792) */
#define NET_ICMP_PORT_UNREACH 3u /**< its code "port unreachable" */

/**
 * UDP (l3 = the IPv4 header, info from net_ipv4_check): the header fits the
 * IPv4 payload and 8 <= length field <= IPv4 payload length (bytes after the
 * length field are ignored, as Linux does). With verify, a nonzero checksum
 * is checked over the pseudo header and the length field's bytes; zero means
 * "no checksum" (RFC 768) and passes.
 * @return 0 or STAT_drop_udp_short / STAT_drop_udp_csum.
 */
int net_udp_check(const uint8_t *l3, const struct net_info *info, bool verify);

/**
 * The UDP checksum of the datagram at l3 + ihl of ulen bytes (pseudo header
 * from the IPv4 header at l3), as it must be written: the checksum field is
 * taken as 0, and a computed 0 is returned as 0xffff (RFC 768).
 */
uint16_t net_udp_cksum(const uint8_t *l3, uint32_t ihl, uint32_t ulen);

/**
 * Write an Ethernet + IPv4 (DF, TTL 64) + UDP frame with payload_len bytes of
 * payload (copied from payload, zeros when NULL), both checksums computed.
 * buf must hold max(60, 42 + payload_len) bytes. Addresses and ports in
 * network order. @return the frame length (padded to 60).
 */
uint32_t net_udp_build(uint8_t *buf, const struct rte_ether_addr *src_mac,
		       const struct rte_ether_addr *dst_mac, rte_be32_t sip, rte_be32_t dip,
		       rte_be16_t sport, rte_be16_t dport, uint16_t ip_id, const void *payload,
		       uint16_t payload_len);

/**
 * Turn a validated UDP datagram into its echo in place: swap MACs (src = our
 * mac), IPs and ports, TTL 64, IP checksum fixed incrementally. The UDP
 * checksum is left as it is: the swap does not change it (the pseudo header
 * and the header words are the same sums in another order), and a zero
 * (absent) checksum stays absent.
 */
void net_udp_echo_inplace(uint8_t *frame, const struct net_info *info,
			  const struct rte_ether_addr *our_mac);

/**
 * Write an ICMP destination unreachable (type 3, code) frame into buf:
 * Ethernet (src_mac -> dst_mac), IPv4 sip -> dip (TTL 64, id ip_id), ICMP
 * header (unused word 0), then the offending datagram's IP header plus the
 * first 8 bytes of its payload (RFC 792; RFC 1122 3.2.2), taken from orig
 * (orig_len bytes available, at least its IHL*4 + 8). orig may lie inside buf
 * (the quote is moved with memmove): with orig at buf + 42 the received frame
 * becomes the error in place after prepending 28 bytes.
 * @return the frame length (14 + 20 + 8 + IHL*4 + 8).
 */
uint32_t net_icmp_unreach_build(uint8_t *buf, const uint8_t *orig, uint32_t orig_len,
				const struct rte_ether_addr *src_mac,
				const struct rte_ether_addr *dst_mac, rte_be32_t sip,
				rte_be32_t dip, uint8_t code, uint16_t ip_id);

/** Dotted quad of a host-order address into buf (at least 16 bytes). */
const char *net_ip_str(uint32_t ip_host, char *buf);

/** Parse "a.b.c.d" into a host-order address. @return 0 or -1. */
int net_ip_parse(const char *s, uint32_t *ip_host);

/* ---------------- IPv6 (RFC 8200), ICMPv6 (RFC 4443), ND (RFC 4861) ----------------
 * net6.c. Addresses are 16 bytes in network order. */

#define NET_IPV6_HLEN	 40u
#define NET_IPV6_EXT_MAX 8u /**< extension headers walked at most before the upper layer */
#define NET_ICMP6_HLEN	 4u
#define NET_ND_HLEN	 24u /**< NS/NA: type..reserved + target address */
#define NET_ND_HLIM	 255u

#define NET_ICMP6_ECHO_REQUEST 128
#define NET_ICMP6_ECHO_REPLY   129
#define NET_ND_RS	       133
#define NET_ND_RA	       134
#define NET_ND_NS	       135
#define NET_ND_NA	       136
#define NET_ND_REDIRECT	       137

#define NET_ND_NA_ROUTER    0x80u /**< NA flags (first byte after the checksum) */
#define NET_ND_NA_SOLICITED 0x40u
#define NET_ND_NA_OVERRIDE  0x20u

#define NET_ND_OPT_SLLA 1 /**< source link-layer address option */
#define NET_ND_OPT_TLLA 2 /**< target link-layer address option */

/** The addresses an IPv6 port answers for. */
struct net6_addrs {
	uint8_t base[16]; /**< first global address; the port owns base .. base + count - 1 */
	uint32_t count;	  /**< 0 = no global address */
	uint8_t ll[16];	  /**< link-local address (fe80::/64 from the MAC) */
	/* derived once by net6_addrs_init, so that the per-packet checks do not */
	uint8_t last[16];  /**< base + count - 1 */
	uint8_t ll_sn[16]; /**< the link-local's solicited-node address */
};

/** Fill o: count addresses from base (count 0: base unused, may be NULL) and
 *  the link-local of mac, with what the checks derive from them. */
void net6_addrs_init(struct net6_addrs *o, const uint8_t *base, uint32_t count,
		     const struct rte_ether_addr *mac);

/** What net_ipv6_check learnt: offsets from the IPv6 header. */
struct net6_info {
	uint16_t l4_off;   /**< upper-layer header, after the extension headers */
	uint16_t l4_len;   /**< its length (payload length - extension headers) */
	uint8_t proto;	   /**< upper-layer protocol */
	uint8_t hlim;	   /**< hop limit as received */
	uint8_t nb_ext;	   /**< extension headers skipped */
	uint8_t dst_mcast; /**< destination is multicast (solicited-node or all-nodes) */
};

static inline bool
net6_is_mcast(const uint8_t *a)
{
	return a[0] == 0xff;
}

static inline bool
net6_is_unspec(const uint8_t *a)
{
	static const uint8_t zero[16] = {0};

	return memcmp(a, zero, 16) == 0;
}

/** a - base as a 128-bit difference fits in [0, count)? (count <= 2^32) */
bool net6_in_range(const uint8_t *a, const uint8_t *base, uint32_t count);
/** base + i (the i-th address of a range), into out. */
void net6_addr_add(const uint8_t *base, uint32_t i, uint8_t *out);
/** ff02::1:ffXX:XXXX for a (RFC 4291 2.7.1). */
void net6_solicited_node(const uint8_t *a, uint8_t *out);
/** The Ethernet multicast address of an IPv6 multicast address (33:33 + its last 4 bytes). */
void net6_mcast_mac(const uint8_t *a, struct rte_ether_addr *mac);
/** fe80::/64 with the modified EUI-64 interface identifier of mac (RFC 4291 2.5.1). */
void net6_linklocal(const struct rte_ether_addr *mac, uint8_t *out);
/** Is a one of ours: a global in range, the link-local, or (mcast_ok) the
 *  all-nodes address or the solicited-node address of one of them. */
bool net6_is_ours(const struct net6_addrs *ours, const uint8_t *a, bool mcast_ok);
/** Fold an address into 32 bits (XOR of its words), for flow hashes. */
static inline uint32_t
net6_fold(const uint8_t *a)
{
	uint32_t w[4];

	memcpy(w, a, 16);
	return w[0] ^ w[1] ^ w[2] ^ w[3];
}

/** "2001:2::1"-style text (RFC 5952: lower case, longest zero run as ::) into buf (>= 46 bytes). */
const char *net6_str(const uint8_t *a, char *buf);
/** Parse IPv6 text (inet_pton). @return 0 or -1. */
int net6_parse(const char *s, uint8_t *out);

/** Pseudo-header sum (RFC 8200 8.1): src, dst, upper-layer length, next header. */
uint32_t net6_phdr_sum(const uint8_t *src, const uint8_t *dst, uint32_t l4_len, uint8_t proto);
/** Upper-layer checksum to write (0 written as 0xffff) of l4_len bytes at l4. */
uint16_t net6_l4_cksum(const uint8_t *src, const uint8_t *dst, const void *l4, uint32_t l4_len,
		       uint8_t proto);
/** 0 when the upper-layer checksum of l4 (l4_len bytes) verifies, else -1. */
int net6_l4_cksum_verify(const uint8_t *src, const uint8_t *dst, const void *l4, uint32_t l4_len,
			 uint8_t proto);

/**
 * IPv6 (l3 = the IPv6 header, len = bytes from it to the frame end, padding
 * included): at least 40 bytes, version 6, payload length <= len - 40, source
 * not multicast, not ::1, not one of ours, and unspecified only for ICMPv6 (DAD);
 * destination one of ours (unicast, link-local, all-nodes, solicited-node);
 * then at most NET_IPV6_EXT_MAX extension headers inside the payload:
 * hop-by-hop only first, options walked (Pad1/PadN/router alert skipped, an
 * unknown option whose type says "discard" dropped), routing with segments
 * left 0 skipped, else dropped, destination options as hop-by-hop, fragment
 * dropped (no reassembly), ESP/AH/no-next-header as protocol not handled.
 * Hop limit is not checked (a host accepts any; ND checks 255 itself).
 * @return 0 or one STAT_drop_ip6_* / STAT_drop_ip_proto reason.
 */
int net_ipv6_check(const uint8_t *l3, uint32_t len, const struct net6_addrs *ours,
		   struct net6_info *info);

/**
 * ICMPv6 (l3 = the IPv6 header checked by net_ipv6_check, info its result):
 * at least 4 bytes, checksum with the pseudo-header, type one a host handles
 * or must accept: echo request/reply, NS, NA, RS/RA/redirect (accepted, not
 * acted on), MLD, errors 1-4. Unknown informational types are dropped (RFC
 * 4443 2.4 (b)).
 * @return 0 or STAT_drop_icmp6_short / _csum / _type.
 */
int net_icmp6_check(const uint8_t *l3, const struct net6_info *info);

/** A parsed neighbour solicitation or advertisement. */
struct net_nd {
	uint8_t type;  /**< NET_ND_NS / NET_ND_NA */
	uint8_t flags; /**< NA: NET_ND_NA_* */
	uint8_t target[16];
	bool has_lladdr; /**< SLLA (NS) or TLLA (NA) present */
	struct rte_ether_addr lladdr;
};

/**
 * NS / NA validation (RFC 4861 7.1.1, 7.1.2) of an ICMPv6 message that
 * passed net_icmp6_check: hop limit 255, code 0, length >= 24, target not
 * multicast, every option of non-zero length inside the message; NS from
 * the unspecified address only to a solicited-node address and without SLLA;
 * NA to a multicast address without the solicited flag.
 * @return 0 or STAT_drop_nd_bad.
 */
int net_nd_parse(const uint8_t *l3, const struct net6_info *info, struct net_nd *nd);

/**
 * Ethernet + IPv6 (hop limit 255) + NA for target into buf: solicited (to
 * dst, S and O set) or, with dst NULL, unsolicited to all-nodes (O set);
 * with the TLLA option (src_mac). @return the frame length (14+40+32).
 */
uint32_t net_nd_na_build(uint8_t *buf, const struct rte_ether_addr *src_mac,
			 const struct rte_ether_addr *dst_mac, const uint8_t *src,
			 const uint8_t *dst, const uint8_t *target, bool router);

/**
 * Ethernet + IPv6 (hop limit 255) + NS for target from src (with the SLLA
 * option) to target's solicited-node address, or unicast to dst_mac/target
 * when dst_mac is given (reachability confirmation). @return the frame length.
 */
uint32_t net_nd_ns_build(uint8_t *buf, const struct rte_ether_addr *src_mac,
			 const struct rte_ether_addr *dst_mac, const uint8_t *src,
			 const uint8_t *target);

/**
 * Turn a received ICMPv6 echo request frame (checked) into its reply in
 * place: swap MACs and addresses (the reply's source is the request's
 * destination unless that was multicast: then src), type 129, hop limit
 * 64, checksum updated. Extension headers of the request are dropped: the
 * reply is rebuilt right after the fixed header. @return the new frame length.
 */
uint32_t net_icmp6_echo_reply_inplace(uint8_t *frame, uint32_t l3_off, const struct net6_info *info,
				      const struct rte_ether_addr *our_mac, const uint8_t *src);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_NET_H */
