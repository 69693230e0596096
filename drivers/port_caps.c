/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-driver capability table: one static entry per ethdev driver name
 * (rte_eth_dev_info.driver_name as DPDK 22.11 reports it) saying what synack
 * may rely on -- RSS for flow affinity, a programmable symmetric key, which
 * offloads are trusted, how many queue pairs make sense. port_setup() always
 * intersects these with what the port itself reports, so an entry may only
 * narrow what the port offers, never widen it.
 *
 * Driver names checked at runtime on DPDK 22.11 (EAL vdevs): net_null,
 * net_ring, net_tap, net_memif, net_af_packet, net_af_xdp, net_vhost. The PCI
 * and virtio_user names are the PMD registration names in the 22.11 PMDs.
 *
 * PORT_OFF_MULTI_SEGS (TX takes mbuf chains: zero-copy payload segments)
 * where the 22.11 PMD's TX walks the chain and reports
 * RTE_ETH_TX_OFFLOAD_MULTI_SEGS: the Intel PMDs and virtio (descriptor per
 * segment), memif and af_packet (copy every segment into the ring slot),
 * vhost (rte_vhost_enqueue_burst copies the chain into guest buffers), tap
 * (one iovec per segment), and net_ring (pointers passed on: synack's
 * receive path takes the chain, see worker_input). Not af_xdp: its 22.11
 * copy-mode TX copies the first segment only and does not report it.
 * synack prints "multi-seg" in the port line when the port has it.
 */
#include <string.h>

#include <rte_ethdev.h>

#include "drivers/port.h"

/* Hash types synack asks for: IPv4/IPv6 and their TCP/UDP 4-tuples. */
#define RSS_HF_4TUPLE \
	(RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_TCP | RTE_ETH_RSS_NONFRAG_IPV4_UDP | \
	 RTE_ETH_RSS_IPV6 | RTE_ETH_RSS_NONFRAG_IPV6_TCP | RTE_ETH_RSS_NONFRAG_IPV6_UDP)

#define OFF_ALL \
	(PORT_OFF_IPV4_CKSUM | PORT_OFF_L4_CKSUM | PORT_OFF_RX_CKSUM | PORT_OFF_TSO | \
	 PORT_OFF_MULTI_SEGS)

/* clang-format off */
static const struct port_caps caps_table[] = {
	{
		.driver = "net_ixgbe", .kind = "pci", .max_queues = 16,
		.rss = true, .rss_symmetric_key = true, .reta_size = 128,
		.rss_hf = RSS_HF_4TUPLE, .offloads = OFF_ALL, .max_mtu = 9710,
		.link_mbps = 10000,
		.quirks = "82599/X5xx: RSS spreads over at most 16 queues",
	},
	{
		.driver = "net_ixgbe_vf", .kind = "pci", .max_queues = 4,
		.rss = true, .rss_symmetric_key = false, .reta_size = 64,
		.rss_hf = RSS_HF_4TUPLE, .offloads = OFF_ALL, .max_mtu = 0,
		.link_mbps = 10000,
		.quirks = "VF: RSS key and RETA belong to the PF; flows may cross workers",
	},
	{
		.driver = "net_i40e", .kind = "pci", .max_queues = 64,
		.rss = true, .rss_symmetric_key = true, .reta_size = 512,
		.rss_hf = RSS_HF_4TUPLE, .offloads = OFF_ALL, .max_mtu = 9702,
		.link_mbps = 40000,
	},
	{
		.driver = "net_iavf", .kind = "pci", .max_queues = 16,
		.rss = true, .rss_symmetric_key = true, .reta_size = 64,
		.rss_hf = RSS_HF_4TUPLE, .offloads = OFF_ALL, .max_mtu = 0,
		.link_mbps = 0,
		.quirks = "VF: the PF may refuse a programmed RSS key (trust setting)",
	},
	{
		.driver = "net_ice", .kind = "pci", .max_queues = 64,
		.rss = true, .rss_symmetric_key = true, .reta_size = 2048,
		.rss_hf = RSS_HF_4TUPLE, .offloads = OFF_ALL, .max_mtu = 9702,
		.link_mbps = 100000,
		.quirks = "E810: needs the DDP package (ice.pkg) for full RSS hash types",
	},
	{
		.driver = "net_e1000_igb", .kind = "pci", .max_queues = 8,
		.rss = true, .rss_symmetric_key = true, .reta_size = 128,
		.rss_hf = RSS_HF_4TUPLE, .offloads = OFF_ALL, .max_mtu = 9216,
		.link_mbps = 1000,
	},
	{
		.driver = "net_e1000_em", .kind = "pci", .max_queues = 1,
		.rss = false, .rss_symmetric_key = false, .reta_size = 0,
		.rss_hf = 0, .offloads = PORT_OFF_IPV4_CKSUM | PORT_OFF_L4_CKSUM |
					 PORT_OFF_RX_CKSUM,
		.max_mtu = 0, .link_mbps = 1000,
		.quirks = "single queue: software dispatch",
	},
	{
		.driver = "net_igc", .kind = "pci", .max_queues = 4,
		.rss = true, .rss_symmetric_key = true, .reta_size = 128,
		.rss_hf = RSS_HF_4TUPLE, .offloads = OFF_ALL, .max_mtu = 9000,
		.link_mbps = 2500,
	},
	{
		/* virtio-net PCI: the host has the csum feature for L4, never for IPv4 */
		.driver = "net_virtio", .kind = "virtio", .max_queues = 0,
		.rss = false, .rss_probe = true, .rss_symmetric_key = true, .reta_size = 0,
		.rss_hf = RSS_HF_4TUPLE,
		.offloads = PORT_OFF_L4_CKSUM | PORT_OFF_RX_CKSUM | PORT_OFF_TSO |
			    PORT_OFF_MULTI_SEGS,
		.max_mtu = 0, .link_mbps = 0,
		.quirks = "RSS only with mq + VIRTIO_NET_F_RSS; IPv4 header checksum in software",
	},
	{
		.driver = "net_virtio_user", .kind = "virtio", .max_queues = 0,
		.rss = false, .rss_probe = true, .rss_symmetric_key = true, .reta_size = 0,
		.rss_hf = RSS_HF_4TUPLE,
		.offloads = PORT_OFF_L4_CKSUM | PORT_OFF_RX_CKSUM | PORT_OFF_TSO |
			    PORT_OFF_MULTI_SEGS,
		.max_mtu = 0, .link_mbps = 0,
		.quirks = "RSS only with mq + VIRTIO_NET_F_RSS; IPv4 header checksum in software",
	},
	{
		.driver = "net_af_xdp", .kind = "vdev", .max_queues = 1,
		.rss = false, .offloads = 0, .link_mbps = 0,
		.quirks = "one queue per vdev here (veth); software dispatch",
	},
	{
		.driver = "net_af_packet", .kind = "vdev", .max_queues = 0,
		.rss = false, .offloads = PORT_OFF_MULTI_SEGS, .link_mbps = 0,
		.quirks = "queues = qpairs=N; kernel fanout is not symmetric: software dispatch",
		/* the PMD's 512 frames per ring overflow in short stalls: at 60k
		 * CPS over veth the client retransmitted 11k-44k segments a run
		 * with the default and 0 in a run with 4096 (#16's table) */
		.devargs = "framecnt=4096",
	},
	{
		.driver = "net_tap", .kind = "vdev", .max_queues = 0,
		.rss = false, .offloads = PORT_OFF_MULTI_SEGS, .link_mbps = 0,
		.quirks = "RSS needs the BPF/flow support: software dispatch",
	},
	{
		.driver = "net_memif", .kind = "vdev", .max_queues = 0,
		.rss = false, .offloads = PORT_OFF_MULTI_SEGS, .link_mbps = 0,
		.quirks = "no hash: the peer's TX queue i is our RX queue i; software dispatch "
			  "unless dispatch = rss (queue pairs, same queues on both ends)",
	},
	{
		.driver = "net_vhost", .kind = "vdev", .max_queues = 0,
		.rss = false, .offloads = PORT_OFF_MULTI_SEGS, .link_mbps = 0,
		.quirks = "guest-negotiated offloads not trusted: checksums in software",
	},
	{
		.driver = "net_ring", .kind = "vdev", .max_queues = 0,
		.rss = false, .offloads = PORT_OFF_MULTI_SEGS, .link_mbps = 0,
		.quirks = "in-process link: queue q of one side feeds queue q of the other",
	},
	{
		.driver = "net_null", .kind = "vdev", .max_queues = 0,
		.rss = false, .offloads = 0, .link_mbps = 0,
		.quirks = "discards TX, RX returns empty or garbage mbufs",
	},
};
/* clang-format on */

/* What an unknown driver gets: one queue, no RSS, every checksum in software. */
static const struct port_caps caps_default = {
	.driver = "unknown",
	.kind = "vdev",
	.max_queues = 0,
	.rss = false,
	.offloads = 0,
	.link_mbps = 0,
	.quirks = "driver not in synack's table: no RSS, no offloads",
};

const struct port_caps *
port_caps_lookup(const char *driver_name)
{
	unsigned int i;

	if (driver_name == NULL)
		return &caps_default;
	for (i = 0; i < RTE_DIM(caps_table); i++)
		if (strcmp(caps_table[i].driver, driver_name) == 0)
			return &caps_table[i];
	return &caps_default;
}

/* The driver of a vdev string: its name up to ',' without the instance
 * digits, the eth_ alias as net_ ("eth_af_packet1,..." -> "net_af_packet"). */
static void
vdev_driver(const char *dev, char *out, size_t outlen)
{
	size_t len = strcspn(dev, ",");

	if (strncmp(dev, "eth_", 4) == 0) {
		snprintf(out, outlen, "net_%.*s", (int)(len - 4), dev + 4);
	} else {
		snprintf(out, outlen, "%.*s", (int)len, dev);
	}
	len = strlen(out);
	while (len > 0 && out[len - 1] >= '0' && out[len - 1] <= '9')
		out[--len] = '\0';
}

/* Does the devargs part of dev set key? */
static bool
dev_has_key(const char *dev, const char *key, size_t klen)
{
	const char *p = strchr(dev, ',');

	while (p != NULL) {
		p++;
		if (strncmp(p, key, klen) == 0 && p[klen] == '=')
			return true;
		p = strchr(p, ',');
	}
	return false;
}

int
port_vdev_with_defaults(const char *dev, char *out, size_t outlen)
{
	char drv[64];
	const struct port_caps *c;
	const char *d;
	int n;

	n = snprintf(out, outlen, "%s", dev);
	if (port_dev_kind(dev) != PORT_DEV_VDEV)
		return n;
	vdev_driver(dev, drv, sizeof(drv));
	c = port_caps_lookup(drv);
	for (d = c->devargs; d != NULL && *d != '\0';) {
		size_t len = strcspn(d, ",");
		size_t klen = strcspn(d, "=");

		if (klen < len && !dev_has_key(dev, d, klen) && n >= 0 && (size_t)n < outlen)
			n += snprintf(out + n, outlen - (size_t)n, ",%.*s", (int)len, d);
		d += len;
		if (*d == ',')
			d++;
	}
	return n;
}

const struct port_caps *
port_caps_table(unsigned int *n)
{
	if (n != NULL)
		*n = RTE_DIM(caps_table);
	return caps_table;
}
