/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/net: checksums against known vectors, the validators against valid
 * frames and one malformed variant per drop reason (each must be refused
 * with exactly that reason), and the builders against frames made by Scapy.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "lib/net/net.h"

namespace {

using Frame = std::vector<uint8_t>;

/* Counter names straight from the X-macro, so failures print "drop_ip_csum". */
const char *const reason_names[] = {
#define X(name, help) #name,
	STATS_COUNTERS(X)
#undef X
};

std::string
reason(int r)
{
	if (r == 0)
		return "ok";
	if (r < 0 || r >= STAT_MAX)
		return "bad reason " + std::to_string(r);
	return reason_names[r];
}

#define EXPECT_REASON(expected, got) EXPECT_EQ(reason(expected), reason(got))

/*
 * Vectors made with Scapy 2.5 (python3-scapy), bytes(...) pasted:
 *   Ether(src="02:00:00:00:00:01", dst="ff:ff:ff:ff:ff:ff") /
 *   ARP(op=1, hwsrc="02:00:00:00:00:01", psrc="198.18.0.1",
 *       hwdst="00:00:00:00:00:00", pdst="198.18.0.2")
 */
const uint8_t arp_request[42] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0xc6, 0x12, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc6, 0x12, 0x00, 0x02,
};

/*
 * Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01") /
 * ARP(op=2, hwsrc="02:00:00:00:00:02", psrc="198.18.0.2",
 *     hwdst="02:00:00:00:00:01", pdst="198.18.0.1"), zero padded to 60
 */
const uint8_t arp_reply_expect[60] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x08, 0x06, 0x00,
	0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0xc6, 0x12,
	0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/*
 * Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") /
 * IP(src="198.18.0.1", dst="198.18.0.2", id=0x1234, flags="DF", ttl=64) /
 * ICMP(type=8, id=0x77, seq=1) / Raw(b"synack-ping-0123")
 */
const uint8_t icmp_echo[58] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45,
	0x00, 0x00, 0x2c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x01, 0x9c, 0x75, 0xc6, 0x12, 0x00, 0x01,
	0xc6, 0x12, 0x00, 0x02, 0x08, 0x00, 0x51, 0xd1, 0x00, 0x77, 0x00, 0x01, 0x73, 0x79, 0x6e,
	0x61, 0x63, 0x6b, 0x2d, 0x70, 0x69, 0x6e, 0x67, 0x2d, 0x30, 0x31, 0x32, 0x33,
};

/* The reply Scapy builds for it: the same with MACs, IPs swapped and type=0. */
const uint8_t icmp_echo_reply[58] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00, 0x45,
	0x00, 0x00, 0x2c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x01, 0x9c, 0x75, 0xc6, 0x12, 0x00, 0x02,
	0xc6, 0x12, 0x00, 0x01, 0x00, 0x00, 0x59, 0xd1, 0x00, 0x77, 0x00, 0x01, 0x73, 0x79, 0x6e,
	0x61, 0x63, 0x6b, 0x2d, 0x70, 0x69, 0x6e, 0x67, 0x2d, 0x30, 0x31, 0x32, 0x33,
};

/*
 * An echo request whose IP header carries options (IHL 6):
 * Ether(...)/IP(src="198.18.0.1", dst="198.18.0.2", id=0x1234, ttl=64,
 *     options=[IPOption(b"\x01\x01\x01\x00")]) / ICMP(type=8, id=0x77, seq=2) / Raw(b"opts")
 */
const uint8_t icmp_echo_ipopt[50] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08,
	0x00, 0x46, 0x00, 0x00, 0x24, 0x12, 0x34, 0x00, 0x00, 0x40, 0x01, 0xd9, 0x7c,
	0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02, 0x01, 0x01, 0x01, 0x00, 0x08,
	0x00, 0x13, 0xa3, 0x00, 0x77, 0x00, 0x02, 0x6f, 0x70, 0x74, 0x73,
};

/*
 * What net_icmp_echo_build(id 0x77, seq 1, ip_id 0x42, 10 payload bytes)
 * must write: Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") /
 * IP(src="198.18.0.1", dst="198.18.0.2", id=0x42, flags="DF", ttl=64) /
 * ICMP(type=8, id=0x77, seq=1) / Raw(bytes(range(1, 11))), zero padded to 60
 */
const uint8_t echo_build_expect[60] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45,
	0x00, 0x00, 0x26, 0x00, 0x42, 0x40, 0x00, 0x40, 0x01, 0xae, 0x6d, 0xc6, 0x12, 0x00, 0x01,
	0xc6, 0x12, 0x00, 0x02, 0x08, 0x00, 0xde, 0x69, 0x00, 0x77, 0x00, 0x01, 0x01, 0x02, 0x03,
	0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Offsets into the frames above. */
constexpr size_t O_IP = 14;
constexpr size_t O_IP_VIHL = O_IP + 0, O_IP_TOTLEN = O_IP + 2, O_IP_FRAG = O_IP + 6,
		 O_IP_TTL = O_IP + 8, O_IP_CKSUM = O_IP + 10, O_IP_SRC = O_IP + 12,
		 O_IP_DST = O_IP + 16;
constexpr size_t O_ICMP = O_IP + 20;
constexpr size_t O_ARP = 14;

const struct rte_ether_addr peer_mac = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};
const struct rte_ether_addr our_mac = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}};
const rte_be32_t peer_ip = RTE_BE32(RTE_IPV4(198, 18, 0, 1));
const rte_be32_t our_ip = RTE_BE32(RTE_IPV4(198, 18, 0, 2));

Frame
frame_of(const uint8_t *p, size_t n)
{
	return Frame(p, p + n);
}

uint16_t
rd16(const Frame &f, size_t off)
{
	return (uint16_t)(f[off] << 8 | f[off + 1]);
}

void
wr16(Frame &f, size_t off, uint16_t v)
{
	f[off] = (uint8_t)(v >> 8);
	f[off + 1] = (uint8_t)v;
}

/* Recompute the IPv4 header checksum after a test changed a field. */
void
fix_ip_cksum(Frame &f)
{
	uint16_t c = net_ipv4_hdr_cksum((const struct rte_ipv4_hdr *)&f[O_IP]);

	memcpy(&f[O_IP_CKSUM], &c, 2);
}

/* Same for ICMP (no options in the frame). */
void
fix_icmp_cksum(Frame &f)
{
	uint32_t len = rd16(f, O_IP_TOTLEN) - 20;

	f[O_ICMP + 2] = f[O_ICMP + 3] = 0;
	uint16_t c = net_cksum(&f[O_ICMP], len);
	memcpy(&f[O_ICMP + 2], &c, 2);
}

/* The input path as the stack runs it: Ethernet, then ARP or IPv4, then ICMP. */
int
input(const Frame &f, struct net_info *out = nullptr)
{
	struct net_info info;
	int r;

	memset(&info, 0, sizeof(info));
	r = net_eth_check(f.data(), (uint32_t)f.size(), &our_mac, &info);
	if (r != 0)
		return r;
	const uint8_t *l3 = f.data() + info.l3_off;
	uint32_t l3_len = (uint32_t)f.size() - info.l3_off;
	if (info.ethertype == RTE_ETHER_TYPE_ARP) {
		r = net_arp_check(l3, l3_len, our_ip, 1);
	} else {
		r = net_ipv4_check(l3, l3_len, our_ip, 1, &info);
		if (r == 0 && info.proto == IPPROTO_ICMP)
			r = net_icmp_check(l3 + info.l3_hlen, info.l3_len - info.l3_hlen);
	}
	if (out != nullptr)
		*out = info;
	return r;
}

/* Reference one's complement sum, bytewise big-endian (RFC 1071 section 4.1). */
uint16_t
ref_sum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)(p[n - 1] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* ---------------- checksums ---------------- */

TEST(NetCksum, Rfc1071ExampleSumsTo0xddf2)
{
	const uint8_t b[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};

	EXPECT_EQ(0xddf2, ref_sum(b, sizeof(b)));
	EXPECT_EQ(0x220d, rte_be_to_cpu_16(net_cksum(b, sizeof(b))));
}

TEST(NetCksum, Ipv4HeaderKnownChecksumIs0xb861)
{
	const uint8_t hdr[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
				 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
	uint8_t zeroed[20];

	/* The field is ignored: same result with it present or zeroed. */
	EXPECT_EQ(0xb861, rte_be_to_cpu_16(net_ipv4_hdr_cksum((const struct rte_ipv4_hdr *)hdr)));
	memcpy(zeroed, hdr, sizeof(zeroed));
	zeroed[10] = zeroed[11] = 0;
	EXPECT_EQ(0xb861, rte_be_to_cpu_16(net_cksum(zeroed, sizeof(zeroed))));
	/* A header carrying its right checksum sums to zero. */
	EXPECT_EQ(0, net_cksum(hdr, sizeof(hdr)));
}

TEST(NetCksum, OddLengthsMatchReference)
{
	std::mt19937 rng(7);
	uint8_t b[1501];

	for (auto &x : b)
		x = (uint8_t)rng();
	for (uint32_t n = 1; n <= sizeof(b); n += 37)
		EXPECT_EQ((uint16_t)~ref_sum(b, n), rte_be_to_cpu_16(net_cksum(b, n))) << n;
}

/* net_sum (8 bytes per add) against DPDK's __rte_raw_cksum (2 bytes per add)
 * on every length 0..300 at every alignment 0..7, with and without a carried-in
 * sum, plus large and all-0xff buffers where the carries pile up. */
TEST(NetCksum, SumMatchesDpdkAtEveryLengthAndAlignment)
{
	std::mt19937 rng(11);
	std::vector<uint8_t> b(9000 + 8);

	for (auto &x : b)
		x = (uint8_t)rng();
	for (uint32_t off = 0; off < 8; off++)
		for (uint32_t n = 0; n <= 300; n++) {
			ASSERT_EQ(__rte_raw_cksum_reduce(__rte_raw_cksum(&b[off], n, 0)),
				  net_sum_fold(net_sum(&b[off], n, 0)))
				<< "len " << n << " offset " << off;
			uint32_t init = (uint32_t)rng() & 0x3ffffff;
			ASSERT_EQ(__rte_raw_cksum_reduce(__rte_raw_cksum(&b[off], n, init)),
				  net_sum_fold(net_sum(&b[off], n, init)))
				<< "len " << n << " offset " << off << " init " << init;
		}
	for (uint32_t n : {1500u, 4096u, 8999u, 9000u})
		EXPECT_EQ(__rte_raw_cksum_reduce(__rte_raw_cksum(&b[1], n, 0)),
			  net_sum_fold(net_sum(&b[1], n, 0)));
	std::vector<uint8_t> ff(9000, 0xff);
	EXPECT_EQ(0xffff, net_sum_fold(net_sum(ff.data(), 9000, 0xffffffffu)));
	EXPECT_EQ(__rte_raw_cksum_reduce(__rte_raw_cksum(ff.data(), 8999, 0)),
		  net_sum_fold(net_sum(ff.data(), 8999, 0)));
}

/* The TCP/UDP and IPv4 header checksums equal DPDK's on random segments; a
 * segment carrying its checksum verifies, one flipped bit does not. */
TEST(NetCksum, L4AndHeaderChecksumsMatchDpdk)
{
	std::mt19937 rng(13);
	alignas(8) uint8_t pkt[20 + 1480];

	for (int iter = 0; iter < 2000; iter++) {
		uint32_t l4_len = 20 + (uint32_t)rng() % 1461; /* holds a TCP header */
		for (auto &x : pkt)
			x = (uint8_t)rng();
		auto *ip = (struct rte_ipv4_hdr *)pkt;
		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + l4_len));
		ip->next_proto_id = iter & 1 ? IPPROTO_UDP : IPPROTO_TCP;
		ip->hdr_checksum = 0;
		ASSERT_EQ(rte_ipv4_cksum(ip), net_ipv4_hdr20_cksum(ip));
		auto *l4 = pkt + 20;
		uint16_t *ck = (uint16_t *)(l4 + (iter & 1 ? 6 : 16));
		*ck = 0;
		uint16_t want = rte_ipv4_udptcp_cksum(ip, l4);
		ASSERT_EQ(want, net_ipv4_l4_cksum(ip, l4)) << "l4 len " << l4_len;
		*ck = want;
		ASSERT_EQ(0, net_ipv4_l4_cksum_verify(ip, l4));
		ASSERT_EQ(0, rte_ipv4_udptcp_cksum_verify(ip, l4));
		l4[rng() % l4_len] ^= (uint8_t)(1u << (rng() % 8));
		ASSERT_EQ(-1, net_ipv4_l4_cksum_verify(ip, l4));
	}
}

/* A random mbuf chain (built by hand, no mempool) holding pre bytes of
 * anything and then the bytes of flat, cut into segments of random lengths:
 * many 1-, 2- and 3-byte ones, odd and even, some up to 1500 (with even, every
 * segment after the first starts at an even offset of flat); each segment's
 * data at a random alignment of its own buffer. */
struct Chain {
	std::vector<struct rte_mbuf> mb;
	std::vector<std::vector<uint8_t>> buf;
	std::vector<std::pair<size_t, size_t>> where; /* flat byte -> (segment, index) */

	Chain(std::mt19937 &rng, uint32_t pre, const std::vector<uint8_t> &flat, bool even = false)
	{
		std::vector<uint32_t> lens;
		uint32_t left = pre + (uint32_t)flat.size();
		/* the first segment holds the prefix and maybe some of flat */
		uint32_t share = (uint32_t)rng() % (uint32_t)(flat.size() + 1);
		if (even)
			share &= ~1u;
		lens.push_back(pre + share);
		left -= pre + share;
		while (left > 0) {
			uint32_t n;
			switch (rng() % 4) {
			case 0:
				n = 1;
				break;
			case 1:
				n = 2 + (uint32_t)rng() % 2;
				break;
			case 2:
				n = 1 + (uint32_t)rng() % 64;
				break;
			default:
				n = 1 + (uint32_t)rng() % 1500;
				break;
			}
			if (even)
				n = 2 * n;
			n = std::min(n, left);
			lens.push_back(n);
			left -= n;
		}
		mb.assign(lens.size(), rte_mbuf{});
		buf.resize(lens.size());
		size_t pos = 0; /* position in prefix + flat */
		for (size_t i = 0; i < lens.size(); i++) {
			uint16_t doff = (uint16_t)(rng() % 8);
			buf[i].assign(doff + lens[i], 0);
			for (uint32_t j = 0; j < lens[i]; j++, pos++) {
				if (pos < pre)
					buf[i][doff + j] = (uint8_t)rng();
				else {
					buf[i][doff + j] = flat[pos - pre];
					where.emplace_back(i, doff + j);
				}
			}
			mb[i].buf_addr = buf[i].data();
			mb[i].data_off = doff;
			mb[i].data_len = (uint16_t)lens[i];
			mb[i].next = i + 1 < lens.size() ? &mb[i + 1] : nullptr;
		}
		mb[0].nb_segs = (uint16_t)lens.size();
		mb[0].pkt_len = pre + (uint32_t)flat.size();
	}
	uint8_t &at(size_t i) { return buf[where[i].first][where[i].second]; }
	struct rte_mbuf *head() { return &mb[0]; }
	/* the bytes [off, off + len) of the chain, contiguous */
	std::vector<uint8_t> bytes(uint32_t off, uint32_t len) const
	{
		std::vector<uint8_t> v;
		for (const auto &seg : mb)
			for (uint16_t j = 0; j < seg.data_len; j++)
				v.push_back(((const uint8_t *)seg.buf_addr)[seg.data_off + j]);
		return std::vector<uint8_t>(v.begin() + off, v.begin() + off + len);
	}
	/* whether every segment starting inside [off, off + len) does so at an
	 * even distance from off */
	bool even_starts(uint32_t off, uint32_t len) const
	{
		uint32_t start = 0;
		for (const auto &seg : mb) {
			if (start > off && start < off + len && ((start - off) & 1))
				return false;
			start += seg.data_len;
		}
		return true;
	}
};

/* DPDK 22.11's rte_raw_cksum_mbuf (rte_ip.h) swaps the bytes of a segment
 * that starts at an odd offset with rte_bswap16((uint16_t)tmp) on the
 * unfolded 32-bit sum, dropping its carries: wrong once that segment sums
 * past 0xffff. So the reference is the sum of the same bytes copied flat
 * (rte_raw_cksum), and DPDK's chained result is compared where all segments
 * start at even offsets. Windows at any (offset, length) of random chains. */
TEST(NetCksum, SumOverChainMatchesDpdk)
{
	std::mt19937 rng(17);
	int compared_mbuf = 0;

	for (int iter = 0; iter < 4000; iter++) {
		std::vector<uint8_t> flat(1 + rng() % 4000);
		for (auto &x : flat)
			x = (uint8_t)rng();
		uint32_t pre = (uint32_t)rng() % 60;
		Chain c(rng, pre, flat, iter % 4 == 0);
		uint32_t total = pre + (uint32_t)flat.size();
		uint32_t off = iter % 4 == 0 ? pre : (uint32_t)rng() % total;
		uint32_t len = (uint32_t)rng() % (total - off + 1);
		uint16_t got = net_sum_fold(net_sum_mbuf(c.head(), off, len, 0));
		std::vector<uint8_t> b = c.bytes(off, len);
		ASSERT_EQ(rte_raw_cksum(b.data(), len), got)
			<< "segments " << c.mb.size() << " off " << off << " len " << len;
		if (c.even_starts(off, len)) {
			uint16_t want;
			ASSERT_EQ(0, rte_raw_cksum_mbuf(c.head(), off, len, &want));
			ASSERT_EQ(want, got) << "segments " << c.mb.size() << " off " << off;
			compared_mbuf++;
		}
	}
	EXPECT_GT(compared_mbuf, 1000);
}

/* The case DPDK 22.11 gets wrong: a 0xff-filled segment at an odd offset. */
TEST(NetCksum, OddSegmentWithCarriesIsSummedRight)
{
	std::mt19937 rng(23);
	std::vector<uint8_t> flat(301, 0xff);
	flat[0] = 0x12;
	Chain c(rng, 0, flat);
	/* re-cut by hand: 1 byte, then 300 */
	c.mb[0].data_len = 1;
	c.mb[0].nb_segs = 2;
	c.mb[0].pkt_len = 301;
	c.mb.resize(2);
	c.buf.resize(2);
	c.buf[0].assign(1, 0x12);
	c.buf[1].assign(300, 0xff);
	for (size_t i = 0; i < 2; i++) {
		c.mb[i].buf_addr = c.buf[i].data();
		c.mb[i].data_off = 0;
		c.mb[i].next = i == 0 ? &c.mb[1] : nullptr;
	}
	c.mb[1].data_len = 300;
	uint16_t want = rte_raw_cksum(flat.data(), 301);
	EXPECT_EQ(want, net_sum_fold(net_sum_mbuf(c.head(), 0, 301, 0)));
	uint16_t dpdk;
	ASSERT_EQ(0, rte_raw_cksum_mbuf(c.head(), 0, 301, &dpdk));
	if (dpdk != want)
		std::printf("note: rte_raw_cksum_mbuf gives 0x%04x, flat sum 0x%04x\n", dpdk, want);
}

/* The chained TCP/UDP checksum equals the flat one (rte_ipv4_udptcp_cksum)
 * and, on chains whose segments start at even offsets of the segment,
 * rte_ipv4_udptcp_cksum_mbuf (which leaves a TCP 0 as 0 where synack writes
 * the equivalent 0xffff); written into the chain it verifies (with DPDK's
 * verify too on even chains); one flipped bit, or a chain shorter than the
 * IPv4 length, does not. The L4 bytes start at an odd or even offset into
 * the first segment. */
TEST(NetCksum, ChainedL4ChecksumMatchesDpdk)
{
	std::mt19937 rng(19);

	for (int iter = 0; iter < 3000; iter++) {
		bool udp = iter & 1, even = iter % 3 == 0;
		uint32_t l4_len = 20 + (uint32_t)rng() % 9000;
		std::vector<uint8_t> flat(l4_len);
		for (auto &x : flat)
			x = (uint8_t)rng();
		size_t ck_at = udp ? 6 : 16;
		flat[ck_at] = flat[ck_at + 1] = 0;
		alignas(8) uint8_t iph[20];
		for (auto &x : iph)
			x = (uint8_t)rng();
		auto *ip = (struct rte_ipv4_hdr *)iph;
		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + l4_len));
		ip->next_proto_id = udp ? IPPROTO_UDP : IPPROTO_TCP;
		uint32_t pre = (uint32_t)rng() % 60;
		Chain c(rng, pre, flat, even);

		uint16_t got = net_ipv4_l4_cksum_mbuf(c.head(), ip, pre);
		uint16_t want = rte_ipv4_udptcp_cksum(ip, flat.data());
		ASSERT_EQ(want == 0 ? 0xffff : want, got)
			<< "segments " << c.mb.size() << " l4 off " << pre << " len " << l4_len;
		if (even) {
			want = rte_ipv4_udptcp_cksum_mbuf(c.head(), ip, (uint16_t)pre);
			ASSERT_EQ(want == 0 ? 0xffff : want, got);
		}
		memcpy(&c.at(ck_at), &got, 1);
		memcpy(&c.at(ck_at + 1), (uint8_t *)&got + 1, 1);
		ASSERT_EQ(0, net_ipv4_l4_cksum_verify_mbuf(c.head(), ip, pre));
		if (even) {
			ASSERT_EQ(0,
				  rte_ipv4_udptcp_cksum_mbuf_verify(c.head(), ip, (uint16_t)pre));
		}
		c.head()->pkt_len--;
		ASSERT_EQ(-1, net_ipv4_l4_cksum_verify_mbuf(c.head(), ip, pre));
		c.head()->pkt_len++;
		c.at(rng() % l4_len) ^= (uint8_t)(1u << (rng() % 8));
		ASSERT_EQ(-1, net_ipv4_l4_cksum_verify_mbuf(c.head(), ip, pre));
	}
}

TEST(NetCksum, Ipv4HeaderChecksumCoversOptions)
{
	Frame f = frame_of(icmp_echo_ipopt, sizeof(icmp_echo_ipopt));
	uint16_t want;

	memcpy(&want, &f[O_IP_CKSUM], 2);
	EXPECT_EQ(want, net_ipv4_hdr_cksum((const struct rte_ipv4_hdr *)&f[O_IP]));
}

TEST(NetCksum, Update16EqualsFullRecompute)
{
	std::mt19937 rng(1);
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	for (int i = 0; i < 100000; i++) {
		/*
		 * Any 16-bit word of the IP header but the checksum itself and
		 * version/IHL (which sets how much the full recompute covers).
		 */
		size_t w = rng() % 8;
		size_t off = O_IP + (w < 4 ? w + 1 : w + 2) * 2;
		uint16_t old_w, new_w = (uint16_t)rng(), c;

		if (i % 8 == 0)
			new_w = (uint16_t)(i % 16 == 0 ? 0 : 0xffff); /* the edges */
		memcpy(&old_w, &f[off], 2);
		memcpy(&c, &f[O_IP_CKSUM], 2);
		memcpy(&f[off], &new_w, 2);
		c = net_cksum_update16(c, old_w, new_w);
		memcpy(&f[O_IP_CKSUM], &c, 2);
		ASSERT_EQ(net_ipv4_hdr_cksum((const struct rte_ipv4_hdr *)&f[O_IP]), c)
			<< "iteration " << i;
	}
}

TEST(NetCksum, Update32EqualsFullRecompute)
{
	std::mt19937 rng(2);
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	for (int i = 0; i < 100000; i++) {
		size_t off = (i & 1) ? O_IP_SRC : O_IP_DST;
		uint32_t old_w, new_w = (uint32_t)rng();
		uint16_t c;

		if (i % 8 == 0)
			new_w = i % 16 == 0 ? 0 : UINT32_MAX;
		memcpy(&old_w, &f[off], 4);
		memcpy(&c, &f[O_IP_CKSUM], 2);
		memcpy(&f[off], &new_w, 4);
		c = net_cksum_update32(c, old_w, new_w);
		memcpy(&f[O_IP_CKSUM], &c, 2);
		ASSERT_EQ(net_ipv4_hdr_cksum((const struct rte_ipv4_hdr *)&f[O_IP]), c)
			<< "iteration " << i;
	}
}

/* ---------------- valid frames ---------------- */

TEST(NetInput, ValidArpRequestIsAccepted)
{
	EXPECT_REASON(0, input(frame_of(arp_request, sizeof(arp_request))));
}

TEST(NetInput, ArpRequestPaddedTo60IsAccepted)
{
	Frame f = frame_of(arp_request, sizeof(arp_request));

	f.resize(60, 0);
	EXPECT_REASON(0, input(f));
}

TEST(NetInput, ArpReplyIsAccepted)
{
	Frame f = frame_of(arp_reply_expect, sizeof(arp_reply_expect));

	/* Scapy's reply goes to .1; look at it from .1's side. */
	EXPECT_REASON(0, net_arp_check(&f[O_ARP], 46, peer_ip, 1));
}

TEST(NetInput, ValidIcmpEchoIsAccepted)
{
	struct net_info info;

	EXPECT_REASON(0, input(frame_of(icmp_echo, sizeof(icmp_echo)), &info));
	EXPECT_EQ(RTE_ETHER_TYPE_IPV4, info.ethertype);
	EXPECT_EQ(14, info.l3_off);
	EXPECT_EQ(20, info.l3_hlen);
	EXPECT_EQ(44, info.l3_len);
	EXPECT_EQ(IPPROTO_ICMP, info.proto);
}

TEST(NetInput, IcmpEchoWithPaddingIsAccepted)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	/* Padding is outside the IP total length: junk there must not matter. */
	f.resize(64, 0xa5);
	EXPECT_REASON(0, input(f));
}

TEST(NetInput, IpOptionsAreAccepted)
{
	struct net_info info;

	EXPECT_REASON(0, input(frame_of(icmp_echo_ipopt, sizeof(icmp_echo_ipopt)), &info));
	EXPECT_EQ(24, info.l3_hlen);
	EXPECT_EQ(36, info.l3_len);
}

TEST(NetInput, IcmpEchoReplyIsAccepted)
{
	Frame f = frame_of(icmp_echo_reply, sizeof(icmp_echo_reply));
	struct net_info info;

	memset(&info, 0, sizeof(info));
	EXPECT_REASON(0, net_eth_check(f.data(), 58, &peer_mac, &info));
	EXPECT_REASON(0, net_ipv4_check(&f[O_IP], 44, peer_ip, 1, &info));
	EXPECT_REASON(0, net_icmp_check(&f[O_ICMP], 24));
}

/* ---------------- Ethernet ---------------- */

TEST(NetEth, TruncatedFrameIsDropped)
{
	Frame f = frame_of(icmp_echo, 13);

	EXPECT_REASON(STAT_drop_eth_short, input(f));
	EXPECT_REASON(STAT_drop_eth_short, input(Frame()));
}

TEST(NetEth, WrongDstMacIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	f[5] = 0x03;
	EXPECT_REASON(STAT_drop_eth_dst, input(f));
}

TEST(NetEth, MulticastDstMacIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));
	const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};

	memcpy(&f[0], mcast, 6);
	EXPECT_REASON(STAT_drop_eth_dst, input(f));
}

TEST(NetEth, Ipv6EthertypeIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	wr16(f, 12, 0x86dd);
	EXPECT_REASON(STAT_drop_eth_type, input(f));
}

TEST(NetEth, WrongDstIsCheckedBeforeEthertype)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	f[0] = 0x04;
	wr16(f, 12, 0x86dd);
	EXPECT_REASON(STAT_drop_eth_dst, input(f));
}

/* ---------------- ARP ---------------- */

TEST(NetArp, ArpForAnotherAddressIsDropped)
{
	Frame f = frame_of(arp_request, sizeof(arp_request));

	f[O_ARP + 27] = 3; /* tpa 198.18.0.3 */
	EXPECT_REASON(STAT_drop_arp_not_us, input(f));
}

TEST(NetArp, ArpTruncatedIsDropped)
{
	Frame f = frame_of(arp_request, sizeof(arp_request) - 1);

	EXPECT_REASON(STAT_drop_arp_short, input(f));
}

TEST(NetArp, ArpBadHtypeIsDropped)
{
	Frame f = frame_of(arp_request, sizeof(arp_request));

	wr16(f, O_ARP + 0, 6); /* IEEE 802 */
	EXPECT_REASON(STAT_drop_arp_bad, input(f));
}

TEST(NetArp, ArpBadPtypeIsDropped)
{
	Frame f = frame_of(arp_request, sizeof(arp_request));

	wr16(f, O_ARP + 2, 0x86dd);
	EXPECT_REASON(STAT_drop_arp_bad, input(f));
}

TEST(NetArp, ArpBadLengthsAreDropped)
{
	Frame f = frame_of(arp_request, sizeof(arp_request));

	f[O_ARP + 4] = 8;
	EXPECT_REASON(STAT_drop_arp_bad, input(f));
	f[O_ARP + 4] = 6;
	f[O_ARP + 5] = 16;
	EXPECT_REASON(STAT_drop_arp_bad, input(f));
}

TEST(NetArp, ArpBadOpcodeIsDropped)
{
	Frame f = frame_of(arp_request, sizeof(arp_request));

	for (uint16_t op : {0, 3, 8, 0x100}) {
		wr16(f, O_ARP + 6, op);
		EXPECT_REASON(STAT_drop_arp_bad, input(f)) << "op " << op;
	}
}

/* ---------------- IPv4 ---------------- */

TEST(NetIpv4, IpTruncatedHeaderIsDropped)
{
	Frame f = frame_of(icmp_echo, O_IP + 19);

	EXPECT_REASON(STAT_drop_ip_short, input(f));
}

TEST(NetIpv4, IpVersion6IsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	f[O_IP_VIHL] = 0x65;
	fix_ip_cksum(f);
	EXPECT_REASON(STAT_drop_ip_version, input(f));
}

TEST(NetIpv4, IpIhl4IsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	f[O_IP_VIHL] = 0x44;
	EXPECT_REASON(STAT_drop_ip_ihl, input(f));
}

TEST(NetIpv4, IpIhlLargerThanFrameIsDropped)
{
	Frame f = frame_of(icmp_echo, O_IP + 40);

	f[O_IP_VIHL] = 0x4f; /* 60 bytes of header, 40 in the frame */
	EXPECT_REASON(STAT_drop_ip_ihl, input(f));
}

TEST(NetIpv4, IpTotalLengthLargerThanFrameIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	wr16(f, O_IP_TOTLEN, 45);
	fix_ip_cksum(f);
	EXPECT_REASON(STAT_drop_ip_len_big, input(f));
}

TEST(NetIpv4, IpTotalLengthSmallerThanHeaderIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	wr16(f, O_IP_TOTLEN, 19);
	fix_ip_cksum(f);
	EXPECT_REASON(STAT_drop_ip_len_small, input(f));
	/* With options: total length covering only the first 20 of 24 bytes. */
	Frame g = frame_of(icmp_echo_ipopt, sizeof(icmp_echo_ipopt));
	wr16(g, O_IP_TOTLEN, 20);
	fix_ip_cksum(g);
	EXPECT_REASON(STAT_drop_ip_len_small, input(g));
}

TEST(NetIpv4, IpBadHeaderChecksumIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	f[O_IP_CKSUM + 1] ^= 0x01;
	EXPECT_REASON(STAT_drop_ip_csum, input(f));
	/* A changed field with the old checksum. */
	f = frame_of(icmp_echo, sizeof(icmp_echo));
	f[O_IP + 1] = 0x10; /* TOS */
	EXPECT_REASON(STAT_drop_ip_csum, input(f));
}

// RFC 1122 3.2.1.7: "A host MUST NOT discard a datagram just because it
// was received with TTL less than 2." The echo is answered with TTL 64.
TEST(NetIpv4, IpTtlZeroAndOneAreAcceptedAndAnsweredWithTtl64)
{
	for (uint8_t ttl : {(uint8_t)0, (uint8_t)1}) {
		Frame f = frame_of(icmp_echo, sizeof(icmp_echo));
		struct net_info info;

		f[O_IP_TTL] = ttl;
		fix_ip_cksum(f);
		EXPECT_REASON(0, input(f, &info)) << "TTL " << (int)ttl;
		EXPECT_EQ(IPPROTO_ICMP, info.proto);
		net_icmp_echo_reply_inplace(f.data(), &info, &our_mac);
		EXPECT_EQ(64, f[O_IP_TTL]);
		EXPECT_EQ(0, f[O_IP + 20]) << "an echo reply";
	}
}

TEST(NetIpv4, IpMoreFragmentsIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	wr16(f, O_IP_FRAG, 0x2000); /* MF, offset 0 */
	fix_ip_cksum(f);
	EXPECT_REASON(STAT_drop_ip_frag, input(f));
}

TEST(NetIpv4, IpFragmentOffsetIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	wr16(f, O_IP_FRAG, 0x0001); /* last fragment, offset 8 bytes */
	fix_ip_cksum(f);
	EXPECT_REASON(STAT_drop_ip_frag, input(f));
	wr16(f, O_IP_FRAG, 0x5fff); /* DF + MF + the largest offset */
	fix_ip_cksum(f);
	EXPECT_REASON(STAT_drop_ip_frag, input(f));
}

TEST(NetIpv4, IpDontFragmentAloneIsAccepted)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	ASSERT_EQ(0x4000, rd16(f, O_IP_FRAG));
	EXPECT_REASON(0, input(f));
}

TEST(NetIpv4, IpNotForUsIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	f[O_IP_DST + 3] = 9;
	fix_ip_cksum(f);
	EXPECT_REASON(STAT_drop_ip_not_us, input(f));
}

TEST(NetIpv4, IpSourceBroadcastIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	memset(&f[O_IP_SRC], 0xff, 4);
	fix_ip_cksum(f);
	EXPECT_REASON(STAT_drop_ip_src, input(f));
}

TEST(NetIpv4, IpSourceMulticastIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	for (uint8_t first : {224, 239}) {
		f[O_IP_SRC] = first;
		fix_ip_cksum(f);
		EXPECT_REASON(STAT_drop_ip_src, input(f)) << (int)first;
	}
}

TEST(NetIpv4, IpSourceZeroIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	memset(&f[O_IP_SRC], 0, 4);
	fix_ip_cksum(f);
	EXPECT_REASON(STAT_drop_ip_src, input(f));
}

TEST(NetIpv4, IpSourceOursIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	memcpy(&f[O_IP_SRC], &our_ip, 4);
	fix_ip_cksum(f);
	EXPECT_REASON(STAT_drop_ip_src, input(f));
}

/* ---------------- ICMP ---------------- */

TEST(NetIcmp, IcmpBadChecksumIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	f[O_ICMP + 3] ^= 0x80;
	EXPECT_REASON(STAT_drop_icmp_csum, input(f));
	/* Payload changed under the old checksum. */
	f = frame_of(icmp_echo, sizeof(icmp_echo));
	f.back() ^= 0x01;
	EXPECT_REASON(STAT_drop_icmp_csum, input(f));
}

TEST(NetIcmp, IcmpAllZeroIsDropped)
{
	const uint8_t z[8] = {};

	EXPECT_REASON(STAT_drop_icmp_csum, net_icmp_check(z, sizeof(z)));
}

TEST(NetIcmp, IcmpTruncatedIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	/* IP payload of 7 bytes: shorten total length, keep the frame. */
	wr16(f, O_IP_TOTLEN, 27);
	fix_ip_cksum(f);
	EXPECT_REASON(STAT_drop_icmp_short, input(f));
	EXPECT_REASON(STAT_drop_icmp_short, net_icmp_check(&f[O_ICMP], 0));
}

TEST(NetIcmp, IcmpUnknownTypeIsDropped)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));

	for (uint8_t type : {3, 11, 13, 255}) {
		f[O_ICMP] = type;
		fix_icmp_cksum(f);
		EXPECT_REASON(STAT_drop_icmp_type, input(f)) << (int)type;
	}
}

/* ---------------- builders ---------------- */

TEST(NetBuild, ArpRequestIsBroadcastWithZeroTarget)
{
	uint8_t buf[64];

	memset(buf, 0xee, sizeof(buf));
	ASSERT_EQ(60u, net_arp_build(buf, RTE_ARP_OP_REQUEST, &peer_mac, peer_ip, nullptr, our_ip));
	/* Scapy's request plus 18 bytes of zero padding. */
	EXPECT_EQ(0, memcmp(buf, arp_request, sizeof(arp_request)));
	for (size_t i = sizeof(arp_request); i < 60; i++)
		EXPECT_EQ(0, buf[i]) << i;
	EXPECT_EQ(0xee, buf[60]);
	EXPECT_REASON(0, input(Frame(buf, buf + 60)));
}

TEST(NetBuild, ArpReplyMatchesScapy)
{
	uint8_t buf[60];

	ASSERT_EQ(60u, net_arp_build(buf, RTE_ARP_OP_REPLY, &our_mac, our_ip, &peer_mac, peer_ip));
	EXPECT_EQ(0, memcmp(buf, arp_reply_expect, sizeof(buf)));
}

TEST(NetBuild, EchoReplyInPlaceMatchesScapy)
{
	Frame f = frame_of(icmp_echo, sizeof(icmp_echo));
	struct net_info info;

	ASSERT_EQ(reason(0), reason(input(f, &info)));
	net_icmp_echo_reply_inplace(f.data(), &info, &our_mac);
	EXPECT_EQ(frame_of(icmp_echo_reply, sizeof(icmp_echo_reply)), f);
}

/* Reply validated the way the peer (our_ip = the original source) would. */
void
expect_reply_validates(Frame f)
{
	struct net_info info, rinfo;

	ASSERT_EQ(reason(0), reason(input(f, &info)));
	f[O_IP_TTL] = 3; /* a request that travelled: the reply still gets TTL 64 */
	fix_ip_cksum(f);
	net_icmp_echo_reply_inplace(f.data(), &info, &our_mac);
	memset(&rinfo, 0, sizeof(rinfo));
	EXPECT_REASON(0, net_eth_check(f.data(), (uint32_t)f.size(), &peer_mac, &rinfo));
	EXPECT_EQ(0, memcmp(&f[6], our_mac.addr_bytes, 6));
	EXPECT_REASON(0, net_ipv4_check(&f[O_IP], (uint32_t)f.size() - O_IP, peer_ip, 1, &rinfo));
	EXPECT_EQ(64, f[O_IP_TTL]);
	EXPECT_EQ(0, f[O_IP + rinfo.l3_hlen]);
	EXPECT_REASON(0, net_icmp_check(&f[O_IP + rinfo.l3_hlen], rinfo.l3_len - rinfo.l3_hlen));
	uint16_t c;
	memcpy(&c, &f[O_IP_CKSUM], 2);
	EXPECT_EQ(net_ipv4_hdr_cksum((const struct rte_ipv4_hdr *)&f[O_IP]), c);
}

TEST(NetBuild, EchoReplyInPlaceValidates)
{
	expect_reply_validates(frame_of(icmp_echo, sizeof(icmp_echo)));
	expect_reply_validates(frame_of(icmp_echo_ipopt, sizeof(icmp_echo_ipopt)));
}

TEST(NetBuild, EchoReplyInPlaceValidatesForManyRequests)
{
	std::mt19937 rng(3);
	uint8_t buf[1514];

	for (int i = 0; i < 2000; i++) {
		uint16_t plen = (uint16_t)(rng() % 1473);
		uint32_t n = net_icmp_echo_build(buf, &peer_mac, &our_mac, peer_ip, our_ip,
						 (uint16_t)rng(), (uint16_t)rng(), (uint16_t)rng(),
						 plen);
		expect_reply_validates(Frame(buf, buf + n));
		if (HasFailure())
			FAIL() << "payload " << plen;
	}
}

TEST(NetBuild, EchoReplyToAllZeroRequestValidates)
{
	uint8_t buf[60];
	uint32_t n;

	/* id 0, seq 0, no payload: the reply is an all-zero ICMP message. */
	n = net_icmp_echo_build(buf, &peer_mac, &our_mac, peer_ip, our_ip, 0, 0, 1, 0);
	expect_reply_validates(Frame(buf, buf + n));

	Frame f(buf, buf + n);
	struct net_info info;
	ASSERT_EQ(reason(0), reason(input(f, &info)));
	net_icmp_echo_reply_inplace(f.data(), &info, &our_mac);
	EXPECT_EQ(0xffff, rd16(f, O_ICMP + 2));
}

TEST(NetBuild, EchoBuildMatchesScapy)
{
	uint8_t buf[64];

	memset(buf, 0xee, sizeof(buf));
	ASSERT_EQ(60u, net_icmp_echo_build(buf, &peer_mac, &our_mac, peer_ip, our_ip, 0x77, 1, 0x42,
					   10));
	EXPECT_EQ(0, memcmp(buf, echo_build_expect, 60));
	EXPECT_EQ(0xee, buf[60]);
}

TEST(NetBuild, EchoBuildPayloadRoundTrip)
{
	std::vector<uint8_t> buf(14 + 20 + 8 + 1472 + 60);

	for (uint32_t plen : {0u, 1u, 17u, 18u, 19u, 56u, 255u, 256u, 1000u, 1472u}) {
		for (uint16_t seq : {0, 1, 250, 65535}) {
			uint32_t n = net_icmp_echo_build(buf.data(), &peer_mac, &our_mac, peer_ip,
							 our_ip, 9, seq, 7, (uint16_t)plen);
			uint32_t want = 42 + plen < 60 ? 60 : 42 + plen;
			struct net_info info;

			ASSERT_EQ(want, n) << plen;
			Frame f(buf.begin(), buf.begin() + n);
			ASSERT_EQ(reason(0), reason(input(f, &info))) << plen;
			EXPECT_EQ(28 + plen, info.l3_len);
			EXPECT_EQ(8, f[O_ICMP]);
			EXPECT_EQ(64, f[O_IP_TTL]);
			EXPECT_EQ(0x4000, rd16(f, O_IP_FRAG));
			EXPECT_EQ(7, rd16(f, O_IP + 4));
			EXPECT_EQ(9, rd16(f, O_ICMP + 4));
			EXPECT_EQ(seq, rd16(f, O_ICMP + 6));
			EXPECT_TRUE(net_icmp_echo_payload_ok(&f[O_ICMP + 8], plen, seq));
			if (plen > 0) {
				EXPECT_FALSE(net_icmp_echo_payload_ok(&f[O_ICMP + 8], plen,
								      (uint16_t)(seq + 1)));
				f[O_ICMP + 8 + plen - 1] ^= 0x40;
				EXPECT_FALSE(net_icmp_echo_payload_ok(&f[O_ICMP + 8], plen, seq));
			}
		}
	}
}

/* ---------------- addresses ---------------- */

TEST(NetAddr, IpStrFormatsDottedQuad)
{
	char buf[16];

	EXPECT_STREQ("198.18.0.2", net_ip_str(RTE_IPV4(198, 18, 0, 2), buf));
	EXPECT_STREQ("0.0.0.0", net_ip_str(0, buf));
	EXPECT_STREQ("255.255.255.255", net_ip_str(UINT32_MAX, buf));
}

TEST(NetAddr, IpParseAcceptsDottedQuads)
{
	uint32_t ip = 1;

	EXPECT_EQ(0, net_ip_parse("198.18.0.2", &ip));
	EXPECT_EQ(RTE_IPV4(198, 18, 0, 2), ip);
	EXPECT_EQ(0, net_ip_parse("0.0.0.0", &ip));
	EXPECT_EQ(0u, ip);
	EXPECT_EQ(0, net_ip_parse("255.255.255.255", &ip));
	EXPECT_EQ(UINT32_MAX, ip);
	EXPECT_EQ(0, net_ip_parse("198.19.200.4", &ip));
	EXPECT_EQ(0xc613c804u, ip);
}

TEST(NetAddr, IpParseRejectsJunk)
{
	const char *bad[] = {
		"",	      "1",	   "1.2.3",	 "1.2.3.4.5",  "256.0.0.1", "1.2.3.256",
		"1.2.3.999",  " 1.2.3.4",  "1.2.3.4 ",	 "1.2.3.4x",   "x1.2.3.4",  "1..3.4",
		".1.2.3.4",   "1.2.3.",	   "1.2.3.-4",	 "+1.2.3.4",   "01.2.3.4",  "1.2.3.04",
		"1.2.3.0004", "0x1.2.3.4", "1.2.3.4/24", "1000.2.3.4",
	};
	uint32_t ip = 0x12345678;

	for (const char *s : bad) {
		EXPECT_EQ(-1, net_ip_parse(s, &ip)) << '"' << s << '"';
		EXPECT_EQ(0x12345678u, ip) << '"' << s << '"';
	}
	EXPECT_EQ(-1, net_ip_parse(nullptr, &ip));
}

TEST(NetAddr, IpStrParseRoundTrip)
{
	std::mt19937 rng(4);
	char buf[16];

	for (int i = 0; i < 10000; i++) {
		uint32_t ip = (uint32_t)rng(), back = 0;

		ASSERT_EQ(0, net_ip_parse(net_ip_str(ip, buf), &back)) << buf;
		ASSERT_EQ(ip, back);
	}
}

} // namespace
