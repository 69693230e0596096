// SPDX-License-Identifier: BSD-3-Clause
// lib/net's IPv6 part (net6.c): addresses, the pseudo-header checksum
// against frames the Linux kernel sent, input validation with every
// malformed case under its reason, ICMPv6 types, ND parsing and building.
#include <gtest/gtest.h>

#include <string.h>

#include <string>
#include <vector>

#include "lib/net/net.h"

namespace {

std::vector<uint8_t>
addr(const char *s)
{
	std::vector<uint8_t> a(16);
	EXPECT_EQ(net6_parse(s, a.data()), 0) << s;
	return a;
}

const struct rte_ether_addr kMac = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}};
const struct rte_ether_addr kPeerMac = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};

struct net6_addrs
ours()
{
	struct net6_addrs o;
	net6_addrs_init(&o, addr("2001:2::10").data(), 4, &kMac);
	return o;
}

// RFC 1071 the slow way, independent of net_sum: 16-bit big-endian words.
uint16_t
ref_cksum(const std::vector<uint8_t> &src, const std::vector<uint8_t> &dst,
	  const std::vector<uint8_t> &l4, uint8_t proto)
{
	std::vector<uint8_t> b(src);
	b.insert(b.end(), dst.begin(), dst.end());
	uint32_t n = (uint32_t)l4.size();
	uint8_t ph[8] = {(uint8_t)(n >> 24),
			 (uint8_t)(n >> 16),
			 (uint8_t)(n >> 8),
			 (uint8_t)n,
			 0,
			 0,
			 0,
			 proto};
	b.insert(b.end(), ph, ph + 8);
	b.insert(b.end(), l4.begin(), l4.end());
	if (b.size() & 1)
		b.push_back(0);
	uint32_t s = 0;
	for (size_t i = 0; i < b.size(); i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

// A frame: Ethernet + IPv6 (payload = ext + l4) to dst from src.
struct Frame {
	std::vector<uint8_t> b;
	uint8_t *l3() { return b.data() + NET_ETH_HLEN; }
	uint32_t l3_len() const { return (uint32_t)b.size() - NET_ETH_HLEN; }
};

Frame
ip6_frame(const char *src, const char *dst, uint8_t nxt, const std::vector<uint8_t> &payload,
	  uint8_t hlim = 64)
{
	Frame f;
	f.b.assign(NET_ETH_HLEN + NET_IPV6_HLEN, 0);
	memcpy(f.b.data(), kMac.addr_bytes, 6);
	memcpy(f.b.data() + 6, kPeerMac.addr_bytes, 6);
	f.b[12] = 0x86;
	f.b[13] = 0xdd;
	uint8_t *ip = f.b.data() + NET_ETH_HLEN;
	ip[0] = 0x60;
	ip[4] = (uint8_t)(payload.size() >> 8);
	ip[5] = (uint8_t)payload.size();
	ip[6] = nxt;
	ip[7] = hlim;
	memcpy(ip + 8, addr(src).data(), 16);
	memcpy(ip + 24, addr(dst).data(), 16);
	f.b.insert(f.b.end(), payload.begin(), payload.end());
	return f;
}

// An ICMPv6 message with its checksum filled in (offset of the message in payload).
void
fix_icmp6(Frame &f, size_t msg_off)
{
	uint8_t *ip = f.l3();
	uint8_t *m = ip + NET_IPV6_HLEN + msg_off;
	uint32_t mlen = f.l3_len() - NET_IPV6_HLEN - (uint32_t)msg_off;
	m[2] = m[3] = 0;
	uint16_t ck = net6_l4_cksum(ip + 8, ip + 24, m, mlen, 58);
	memcpy(m + 2, &ck, 2);
}

std::vector<uint8_t>
echo_req(size_t data = 8)
{
	std::vector<uint8_t> m = {128, 0, 0, 0, 0x12, 0x34, 0, 1};
	for (size_t i = 0; i < data; i++)
		m.push_back((uint8_t)i);
	return m;
}

int
check(Frame &f, struct net6_info *info = nullptr)
{
	struct net6_addrs o = ours();
	struct net6_info tmp;
	return net_ipv6_check(f.l3(), f.l3_len(), &o, info != nullptr ? info : &tmp);
}

TEST(Net6, AddressesParsePrintAndClassify)
{
	char buf[64];
	EXPECT_STREQ(net6_str(addr("2001:0002:0000::0001").data(), buf), "2001:2::1");
	uint8_t x[16];
	EXPECT_EQ(net6_parse("2001:2::zz", x), -1);
	EXPECT_EQ(net6_parse("198.18.0.1", x), -1);

	uint8_t ll[16];
	net6_linklocal(&kMac, ll);
	EXPECT_STREQ(net6_str(ll, buf), "fe80::ff:fe00:2");
	uint8_t sn[16];
	net6_solicited_node(addr("2001:2::abcd:1234").data(), sn);
	EXPECT_STREQ(net6_str(sn, buf), "ff02::1:ffcd:1234");
	struct rte_ether_addr mm;
	net6_mcast_mac(sn, &mm);
	const uint8_t want_mac[6] = {0x33, 0x33, 0xff, 0xcd, 0x12, 0x34};
	EXPECT_EQ(memcmp(mm.addr_bytes, want_mac, 6), 0);

	uint8_t a[16];
	net6_addr_add(addr("2001:2::ffff:ffff").data(), 2, a);
	EXPECT_STREQ(net6_str(a, buf), "2001:2::1:0:1"); // carries into the next word
	EXPECT_TRUE(
		net6_in_range(addr("2001:2::1:0:0").data(), addr("2001:2::ffff:fffe").data(), 3));
	EXPECT_FALSE(
		net6_in_range(addr("2001:2::1:0:1").data(), addr("2001:2::ffff:fffe").data(), 3));
	EXPECT_FALSE(net6_in_range(addr("2001:2::f").data(), addr("2001:2::10").data(), 4));

	struct net6_addrs o = ours();
	EXPECT_TRUE(net6_is_ours(&o, addr("2001:2::13").data(), false));
	EXPECT_FALSE(net6_is_ours(&o, addr("2001:2::14").data(), true));
	EXPECT_TRUE(net6_is_ours(&o, ll, false));
	EXPECT_TRUE(net6_is_ours(&o, addr("ff02::1").data(), true));
	EXPECT_FALSE(net6_is_ours(&o, addr("ff02::1").data(), false));
	EXPECT_TRUE(net6_is_ours(&o, addr("ff02::1:ff00:12").data(), true));
	EXPECT_FALSE(net6_is_ours(&o, addr("ff02::1:ff00:14").data(), true));
	EXPECT_TRUE(net6_is_ours(&o, addr("ff02::1:ff00:2").data(), true)); // the link-local's
	EXPECT_FALSE(net6_is_ours(&o, addr("ff02::2").data(), true));	    // all-routers
}

// Echo request and reply the Linux kernel sent (ping -6 -s 8 ::1, captured
// with tshark): our checksum verifies theirs and computes the same value.
TEST(Net6, ChecksumMatchesFramesFromTheKernel)
{
	auto lo = addr("::1");
	std::vector<uint8_t> req = {0x80, 0x00, 0x39, 0x18, 0x05, 0x9a, 0x00, 0x01,
				    0x41, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
	std::vector<uint8_t> rep = {0x81, 0x00, 0x38, 0x18, 0x05, 0x9a, 0x00, 0x01,
				    0x41, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
	EXPECT_EQ(net6_l4_cksum_verify(lo.data(), lo.data(), req.data(), 16, 58), 0);
	EXPECT_EQ(net6_l4_cksum_verify(lo.data(), lo.data(), rep.data(), 16, 58), 0);
	req[2] = req[3] = 0;
	uint16_t ck = net6_l4_cksum(lo.data(), lo.data(), req.data(), 16, 58);
	EXPECT_EQ(rte_be_to_cpu_16(ck), 0x3918);
	req[9] ^= 1;
	EXPECT_NE(rte_be_to_cpu_16(net6_l4_cksum(lo.data(), lo.data(), req.data(), 16, 58)),
		  0x3918);
	// odd lengths and TCP's protocol number against the slow reference
	auto s = addr("2001:2::1"), d = addr("2001:2::10");
	for (size_t n : {1u, 7u, 20u, 33u, 1459u}) {
		std::vector<uint8_t> l4(n);
		for (size_t i = 0; i < n; i++)
			l4[i] = (uint8_t)(i * 37 + 11);
		uint16_t c = net6_l4_cksum(s.data(), d.data(), l4.data(), (uint32_t)n, 6);
		EXPECT_EQ(rte_be_to_cpu_16(c), ref_cksum(s, d, l4, 6)) << n;
	}
}

TEST(Net6, ValidPacketsPassWithTheirUpperLayer)
{
	Frame f = ip6_frame("2001:2::1", "2001:2::11", 58, echo_req());
	fix_icmp6(f, 0);
	struct net6_info info;
	ASSERT_EQ(check(f, &info), 0);
	EXPECT_EQ(info.proto, 58);
	EXPECT_EQ(info.l4_off, NET_IPV6_HLEN);
	EXPECT_EQ(info.l4_len, 16u);
	EXPECT_EQ(info.dst_mcast, 0);
	EXPECT_EQ(net_icmp6_check(f.l3(), &info), 0);

	// padding after the payload (Ethernet minimum) is not the payload
	Frame p = ip6_frame("2001:2::1", "2001:2::11", 6, std::vector<uint8_t>(20, 0));
	p.b.resize(p.b.size() + 6);
	ASSERT_EQ(check(p, &info), 0);
	EXPECT_EQ(info.l4_len, 20u);

	// hop-by-hop (router alert + PadN), destination options (Pad1s),
	// routing with segments left 0, then TCP
	std::vector<uint8_t> ext = {
		60, 0, 5, 2, 0, 0, 1, 0, // HBH -> dstopts: router alert, PadN(0)
		43, 0, 0, 0, 0, 0, 0, 0, // dstopts -> routing: Pad1 x6
		6,  0, 4, 0, 0, 0, 0, 0, // routing type 4, segments left 0 -> TCP
	};
	std::vector<uint8_t> pl(ext);
	pl.resize(pl.size() + 20);
	Frame e = ip6_frame("2001:2::1", "2001:2::12", 0, pl);
	ASSERT_EQ(check(e, &info), 0);
	EXPECT_EQ(info.proto, 6);
	EXPECT_EQ(info.nb_ext, 3);
	EXPECT_EQ(info.l4_off, NET_IPV6_HLEN + 24);
	EXPECT_EQ(info.l4_len, 20u);

	// DAD: unspecified source, ICMPv6 only
	Frame dad = ip6_frame("::", "ff02::1:ff00:13", 58, echo_req());
	EXPECT_EQ(check(dad), 0);
	Frame dad_tcp = ip6_frame("::", "2001:2::13", 6, std::vector<uint8_t>(20));
	EXPECT_EQ(check(dad_tcp), STAT_drop_ip6_src);
}

TEST(Net6, EachMalformedCaseHasItsReason)
{
	Frame f = ip6_frame("2001:2::1", "2001:2::11", 6, std::vector<uint8_t>(20));
	struct net6_addrs o = ours();
	struct net6_info info;
	EXPECT_EQ(net_ipv6_check(f.l3(), 39, &o, &info), STAT_drop_ip6_short);

	Frame v = f;
	v.l3()[0] = 0x40;
	EXPECT_EQ(check(v), STAT_drop_ip6_version);
	Frame big = f;
	big.l3()[5] = 21;
	EXPECT_EQ(check(big), STAT_drop_ip6_len_big);

	Frame notus = ip6_frame("2001:2::1", "2001:2::14", 6, std::vector<uint8_t>(20));
	EXPECT_EQ(check(notus), STAT_drop_ip6_not_us);
	Frame allr = ip6_frame("2001:2::1", "ff02::2", 6, std::vector<uint8_t>(20));
	EXPECT_EQ(check(allr), STAT_drop_ip6_not_us);
	for (const char *bad : {"ff02::1", "::1", "2001:2::10"}) {
		Frame s = ip6_frame(bad, "2001:2::11", 6, std::vector<uint8_t>(20));
		EXPECT_EQ(check(s), STAT_drop_ip6_src) << bad;
	}

	Frame frag = ip6_frame("2001:2::1", "2001:2::11", 44,
			       {6, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0});
	EXPECT_EQ(check(frag), STAT_drop_ip6_frag);
	Frame rh = ip6_frame("2001:2::1", "2001:2::11", 43, {6, 0, 4, 1, 0, 0, 0, 0});
	EXPECT_EQ(check(rh), STAT_drop_ip6_rh);
	// HBH anywhere but first
	Frame hbh2 = ip6_frame("2001:2::1", "2001:2::11", 60,
			       {0, 0, 1, 4, 0, 0, 0, 0, 6, 0, 1, 4, 0, 0, 0, 0});
	EXPECT_EQ(check(hbh2), STAT_drop_ip6_ext);
	// an extension header longer than the payload
	Frame longx = ip6_frame("2001:2::1", "2001:2::11", 60, {6, 1, 1, 4, 0, 0, 0, 0});
	EXPECT_EQ(check(longx), STAT_drop_ip6_ext);
	// an extension header cut (payload shorter than 8)
	Frame cut = ip6_frame("2001:2::1", "2001:2::11", 60, {6, 0, 1, 2});
	EXPECT_EQ(check(cut), STAT_drop_ip6_ext);
	// an option running past its header
	Frame opt = ip6_frame("2001:2::1", "2001:2::11", 60, {6, 0, 1, 9, 0, 0, 0, 0});
	EXPECT_EQ(check(opt), STAT_drop_ip6_ext);
	// unknown options: 00 skipped, 01/10/11 discard
	Frame skip = ip6_frame("2001:2::1", "2001:2::11", 60, {59 + 0, 0, 0x1e, 4, 0, 0, 0, 0});
	skip.l3()[NET_IPV6_HLEN] = 6;
	skip.b.resize(skip.b.size() + 20);
	skip.l3()[5] = 28;
	EXPECT_EQ(check(skip), 0);
	for (uint8_t t : {0x5e, 0x9e, 0xde}) {
		Frame d = ip6_frame("2001:2::1", "2001:2::11", 60, {6, 0, t, 4, 0, 0, 0, 0});
		EXPECT_EQ(check(d), STAT_drop_ip6_opt) << (int)t;
	}
	// a chain of 9 destination options headers: bounded
	std::vector<uint8_t> chain;
	for (int i = 0; i < 9; i++) {
		uint8_t c[8] = {60, 0, 1, 4, 0, 0, 0, 0};
		chain.insert(chain.end(), c, c + 8);
	}
	chain[8 * 8] = 6;
	Frame ch = ip6_frame("2001:2::1", "2001:2::11", 60, chain);
	EXPECT_EQ(check(ch), STAT_drop_ip6_ext);
	for (uint8_t p : {50, 51, 59}) {
		Frame np = ip6_frame("2001:2::1", "2001:2::11", p, std::vector<uint8_t>(16));
		EXPECT_EQ(check(np), STAT_drop_ip_proto) << (int)p;
	}
}

TEST(Net6, Icmp6TypesAndChecksum)
{
	struct net6_info info;
	Frame f = ip6_frame("2001:2::1", "2001:2::11", 58, echo_req());
	fix_icmp6(f, 0);
	ASSERT_EQ(check(f, &info), 0);
	f.l3()[NET_IPV6_HLEN + 9] ^= 0x40;
	EXPECT_EQ(net_icmp6_check(f.l3(), &info), STAT_drop_icmp6_csum);

	Frame s = ip6_frame("2001:2::1", "2001:2::11", 58, {128, 0, 0});
	ASSERT_EQ(check(s, &info), 0);
	EXPECT_EQ(net_icmp6_check(s.l3(), &info), STAT_drop_icmp6_short);

	for (uint8_t t : {1, 2, 3, 4, 129, 130, 133, 134, 137, 143}) {
		Frame k = ip6_frame("2001:2::1", "2001:2::11", 58, {t, 0, 0, 0, 0, 0, 0, 0});
		fix_icmp6(k, 0);
		ASSERT_EQ(check(k, &info), 0);
		EXPECT_EQ(net_icmp6_check(k.l3(), &info), 0) << (int)t;
	}
	for (uint8_t t : {139, 200, 255}) {
		Frame k = ip6_frame("2001:2::1", "2001:2::11", 58, {t, 0, 0, 0, 0, 0, 0, 0});
		fix_icmp6(k, 0);
		ASSERT_EQ(check(k, &info), 0);
		EXPECT_EQ(net_icmp6_check(k.l3(), &info), STAT_drop_icmp6_type) << (int)t;
	}
}

std::vector<uint8_t>
ns_msg(const char *target, bool slla)
{
	std::vector<uint8_t> m(24, 0);
	m[0] = 135;
	memcpy(m.data() + 8, addr(target).data(), 16);
	if (slla) {
		uint8_t o[8] = {1, 1};
		memcpy(o + 2, kPeerMac.addr_bytes, 6);
		m.insert(m.end(), o, o + 8);
	}
	return m;
}

TEST(Net6, NeighbourSolicitationParsedAndValidated)
{
	struct net6_info info;
	struct net_nd nd;
	Frame f = ip6_frame("2001:2::1", "ff02::1:ff00:11", 58, ns_msg("2001:2::11", true), 255);
	fix_icmp6(f, 0);
	ASSERT_EQ(check(f, &info), 0);
	ASSERT_EQ(net_icmp6_check(f.l3(), &info), 0);
	ASSERT_EQ(net_nd_parse(f.l3(), &info, &nd), 0);
	EXPECT_EQ(nd.type, NET_ND_NS);
	EXPECT_EQ(memcmp(nd.target, addr("2001:2::11").data(), 16), 0);
	EXPECT_TRUE(nd.has_lladdr);
	EXPECT_EQ(memcmp(nd.lladdr.addr_bytes, kPeerMac.addr_bytes, 6), 0);

	// hop limit not 255 (RFC 4861 7.1.1: from off-link)
	Frame h = ip6_frame("2001:2::1", "ff02::1:ff00:11", 58, ns_msg("2001:2::11", true), 254);
	fix_icmp6(h, 0);
	ASSERT_EQ(check(h, &info), 0);
	EXPECT_EQ(net_nd_parse(h.l3(), &info, &nd), STAT_drop_nd_bad);
	// multicast target
	Frame mt = ip6_frame("2001:2::1", "ff02::1:ff00:11", 58, ns_msg("ff02::1", false), 255);
	ASSERT_EQ(check(mt, &info), 0);
	EXPECT_EQ(net_nd_parse(mt.l3(), &info, &nd), STAT_drop_nd_bad);
	// zero-length option (would loop)
	auto z = ns_msg("2001:2::11", true);
	z[25] = 0;
	Frame zf = ip6_frame("2001:2::1", "ff02::1:ff00:11", 58, z, 255);
	ASSERT_EQ(check(zf, &info), 0);
	EXPECT_EQ(net_nd_parse(zf.l3(), &info, &nd), STAT_drop_nd_bad);
	// option past the message
	auto p = ns_msg("2001:2::11", true);
	p[25] = 2;
	Frame pf = ip6_frame("2001:2::1", "ff02::1:ff00:11", 58, p, 255);
	ASSERT_EQ(check(pf, &info), 0);
	EXPECT_EQ(net_nd_parse(pf.l3(), &info, &nd), STAT_drop_nd_bad);
	// truncated
	Frame t = ip6_frame("2001:2::1", "ff02::1:ff00:11", 58, std::vector<uint8_t>(20, 135), 255);
	ASSERT_EQ(check(t, &info), 0);
	EXPECT_EQ(net_nd_parse(t.l3(), &info, &nd), STAT_drop_nd_bad);
	// DAD: unspecified source to the solicited-node address, no SLLA
	Frame dad = ip6_frame("::", "ff02::1:ff00:11", 58, ns_msg("2001:2::11", false), 255);
	ASSERT_EQ(check(dad, &info), 0);
	EXPECT_EQ(net_nd_parse(dad.l3(), &info, &nd), 0);
	Frame dad2 = ip6_frame("::", "ff02::1:ff00:11", 58, ns_msg("2001:2::11", true), 255);
	ASSERT_EQ(check(dad2, &info), 0);
	EXPECT_EQ(net_nd_parse(dad2.l3(), &info, &nd), STAT_drop_nd_bad);
}

TEST(Net6, BuiltAdvertisementsAndSolicitationsValidate)
{
	struct net6_addrs o = ours();
	auto us = addr("2001:2::11"), peer = addr("2001:2::1");
	uint8_t buf[128];
	struct net_info e;
	struct net6_info info;
	struct net_nd nd;

	// the peer's view: its addresses are 2001:2::1, its MAC kPeerMac
	struct net6_addrs po;
	net6_addrs_init(&po, peer.data(), 1, &kPeerMac);

	uint32_t n = net_nd_na_build(buf, &kMac, &kPeerMac, us.data(), peer.data(), us.data(),
				     false);
	EXPECT_EQ(n, 86u);
	memset(&e, 0, sizeof(e));
	EXPECT_EQ(memcmp(buf, kPeerMac.addr_bytes, 6), 0);
	ASSERT_EQ(net_ipv6_check(buf + 14, n - 14, &po, &info), 0);
	ASSERT_EQ(net_icmp6_check(buf + 14, &info), 0);
	ASSERT_EQ(net_nd_parse(buf + 14, &info, &nd), 0);
	EXPECT_EQ(nd.type, NET_ND_NA);
	EXPECT_EQ(nd.flags, NET_ND_NA_SOLICITED | NET_ND_NA_OVERRIDE);
	EXPECT_TRUE(nd.has_lladdr);
	EXPECT_EQ(memcmp(nd.lladdr.addr_bytes, kMac.addr_bytes, 6), 0);

	// unsolicited: to all-nodes, S clear, to 33:33:00:00:00:01
	n = net_nd_na_build(buf, &kMac, nullptr, us.data(), nullptr, us.data(), false);
	const uint8_t allmac[6] = {0x33, 0x33, 0, 0, 0, 1};
	EXPECT_EQ(memcmp(buf, allmac, 6), 0);
	ASSERT_EQ(net_ipv6_check(buf + 14, n - 14, &po, &info), 0);
	ASSERT_EQ(net_icmp6_check(buf + 14, &info), 0);
	ASSERT_EQ(net_nd_parse(buf + 14, &info, &nd), 0);
	EXPECT_EQ(nd.flags, NET_ND_NA_OVERRIDE);

	// NS from us for the peer, to its solicited-node address
	n = net_nd_ns_build(buf, &kMac, nullptr, us.data(), peer.data());
	const uint8_t snmac[6] = {0x33, 0x33, 0xff, 0, 0, 1};
	EXPECT_EQ(memcmp(buf, snmac, 6), 0);
	ASSERT_EQ(net_ipv6_check(buf + 14, n - 14, &po, &info), 0);
	ASSERT_EQ(net_icmp6_check(buf + 14, &info), 0);
	ASSERT_EQ(net_nd_parse(buf + 14, &info, &nd), 0);
	EXPECT_EQ(nd.type, NET_ND_NS);
	EXPECT_EQ(memcmp(nd.target, peer.data(), 16), 0);
	(void)o;
}

TEST(Net6, EchoReplyInPlaceValidatesFromThePeer)
{
	// a request with a destination options header in front, to all-nodes
	std::vector<uint8_t> pl = {58, 0, 1, 4, 0, 0, 0, 0};
	auto req = echo_req(24);
	pl.insert(pl.end(), req.begin(), req.end());
	Frame f = ip6_frame("2001:2::1", "ff02::1", 60, pl);
	fix_icmp6(f, 8);
	struct net6_info info;
	ASSERT_EQ(check(f, &info), 0);
	ASSERT_EQ(net_icmp6_check(f.l3(), &info), 0);
	auto us = addr("2001:2::10");
	uint32_t n = net_icmp6_echo_reply_inplace(f.b.data(), NET_ETH_HLEN, &info, &kMac,
						  us.data());
	EXPECT_EQ(n, 14u + 40u + 32u);
	struct net6_addrs po;
	net6_addrs_init(&po, addr("2001:2::1").data(), 1, &kPeerMac);
	struct net6_info r;
	ASSERT_EQ(net_ipv6_check(f.b.data() + 14, n - 14, &po, &r), 0);
	EXPECT_EQ(r.nb_ext, 0);
	ASSERT_EQ(net_icmp6_check(f.b.data() + 14, &r), 0);
	uint8_t *m = f.b.data() + 14 + 40;
	EXPECT_EQ(m[0], NET_ICMP6_ECHO_REPLY);
	EXPECT_EQ(m[4], 0x12);
	EXPECT_EQ(m[8 + 23], 23);
	EXPECT_EQ(memcmp(f.b.data() + 14 + 8, us.data(), 16), 0);
	EXPECT_EQ(memcmp(f.b.data(), kPeerMac.addr_bytes, 6), 0);
}

} // namespace
