/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port bring-up after EAL init: resolve a dev string to an ethdev (creating
 * synack's in-process net_ring links on the way), configure and start it
 * from the capability table intersected with what the port reports, print
 * it, close it.
 *
 * Contract: runs on the main lcore only, before the workers start (the ring
 * link table is not locked). Every failure returns -1 with one line that
 * names the port, the DPDK call and its error, and says what to change.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_pci.h>
#include <rte_ring.h>

#include "drivers/port.h"

#define RING_LINK_MAX	  PORT_MAX
#define RING_LINK_NAMELEN 20   /* "LINK_ab63" must fit RTE_RING_NAMESIZE */
#define RING_SIZE	  4096 /* per direction and queue; power of two */
#define DEFAULT_DESC	  1024

/*
 * One in-process link: side a (first port naming it) receives on ba[] and
 * sends on ab[]; side b the other way round.
 */
struct ring_link {
	char name[RING_LINK_NAMELEN + 1];
	uint16_t nb_queues;
	unsigned int nb_ports; /* sides created: 0, 1 or 2 */
	int port_id[2];	       /* -1 = not created, or closed */
	struct rte_ring *ab[PORT_MAX_QUEUES];
	struct rte_ring *ba[PORT_MAX_QUEUES];
};

static struct ring_link ring_links[RING_LINK_MAX];

/* ---- dev strings ---- */

static bool
is_hex_run(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* DDDD:BB:DD.F or BB:DD.F, optionally followed by ",devargs". */
static bool
is_pci_addr(const char *s)
{
	size_t len = strcspn(s, ",");

	if (len == 12 && s[4] == ':')
		s += 5, len -= 5;
	else if (len != 7)
		return false;
	return is_hex_run(s, 2) && s[2] == ':' && is_hex_run(s + 3, 2) && s[5] == '.' &&
	       s[6] >= '0' && s[6] <= '7';
}

enum port_dev_kind
port_dev_kind(const char *dev)
{
	if (dev == NULL || dev[0] == '\0')
		return PORT_DEV_BAD;
	if (strncmp(dev, PORT_RING_PREFIX, strlen(PORT_RING_PREFIX)) == 0)
		return dev[strlen(PORT_RING_PREFIX)] == '\0' ? PORT_DEV_BAD : PORT_DEV_RING;
	if (is_pci_addr(dev))
		return PORT_DEV_PCI;
	if ((strncmp(dev, "net_", 4) == 0 || strncmp(dev, "eth_", 4) == 0) && dev[4] != '\0' &&
	    dev[4] != ',')
		return PORT_DEV_VDEV;
	return PORT_DEV_BAD;
}

/* "ethdevs here: a, b" (or "no ethdevs at all") for not-found errors. */
static void
list_ethdevs(char *buf, size_t len)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	size_t off = 0;
	uint16_t pid;
	int n = 0;

	buf[0] = '\0';
	RTE_ETH_FOREACH_DEV(pid) {
		if (rte_eth_dev_get_name_by_port(pid, name) != 0)
			continue;
		if (off + strlen(name) + 16 >= len) {
			snprintf(buf + off, len - off, ", ...");
			return;
		}
		off += snprintf(buf + off, len - off, "%s%s", n++ ? ", " : "ethdevs here: ", name);
	}
	if (n == 0)
		snprintf(buf, len, "EAL probed no ethdev at all");
}

static int
resolve_pci(const char *dev, char *err, size_t errlen)
{
	char addr[32], name[RTE_DEV_NAME_MAX_LEN], here[192];
	struct rte_pci_addr pci;
	size_t len = strcspn(dev, ",");
	uint16_t pid;

	snprintf(addr, sizeof(addr), "%.*s", (int)(len < sizeof(addr) ? len : 0), dev);
	if (rte_pci_addr_parse(addr, &pci) != 0) {
		snprintf(err, errlen, "port %s: not a PCI address (write it as 0000:03:00.0)", dev);
		return -1;
	}
	rte_pci_device_name(&pci, name, sizeof(name));
	if (rte_eth_dev_get_port_by_name(name, &pid) == 0)
		return pid;
	list_ethdevs(here, sizeof(here));
	snprintf(err, errlen,
		 "port %s: no such ethdev (no PMD took the device: bind it with "
		 "'dpdk-devbind.py -b vfio-pci %s', check it is not blocked by -b and is "
		 "allowed with -a %s; %s)",
		 name, name, name, here);
	return -1;
}

static int
resolve_vdev(const char *dev, char *err, size_t errlen)
{
	char name[RTE_ETH_NAME_MAX_LEN], drv[RTE_ETH_NAME_MAX_LEN], here[192];
	size_t len = strcspn(dev, ",");
	uint16_t pid;

	if (len >= sizeof(name)) {
		snprintf(err, errlen, "port %.*s...: vdev name longer than %zu characters", 16, dev,
			 sizeof(name) - 1);
		return -1;
	}
	snprintf(name, sizeof(name), "%.*s", (int)len, dev);
	if (rte_eth_dev_get_port_by_name(name, &pid) == 0)
		return pid;
	/* the driver is the name without its instance number: net_af_xdp0 -> net_af_xdp */
	snprintf(drv, sizeof(drv), "%s", name);
	for (len = strlen(drv); len > 0 && isdigit((unsigned char)drv[len - 1]); len--)
		drv[len - 1] = '\0';
	list_ethdevs(here, sizeof(here));
	snprintf(err, errlen,
		 "port %s: no such ethdev (EAL probed nothing by that name: pass "
		 "--vdev=%s after -- or leave the EAL arguments to synack; check the PMD is "
		 "installed (librte_%s in the DPDK pmds directory) and that its interface or "
		 "socket exists; %s)",
		 name, dev, drv, here);
	return -1;
}

/* ---- net_ring links ---- */

static struct ring_link *
ring_link_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < RING_LINK_MAX; i++)
		if (ring_links[i].nb_ports > 0 && strcmp(ring_links[i].name, name) == 0)
			return &ring_links[i];
	return NULL;
}

static void
ring_link_free(struct ring_link *l)
{
	uint16_t q;

	for (q = 0; q < PORT_MAX_QUEUES; q++) {
		rte_ring_free(l->ab[q]);
		rte_ring_free(l->ba[q]);
	}
	memset(l, 0, sizeof(*l));
}

static struct rte_ring *
ring_make(const char *link, const char *dir, uint16_t q, char *err, size_t errlen)
{
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *r;

	if (q == 0)
		snprintf(name, sizeof(name), "%s_%s", link, dir);
	else
		snprintf(name, sizeof(name), "%s_%s%u", link, dir, q);
	r = rte_ring_create(name, RING_SIZE, (int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (r == NULL)
		snprintf(err, errlen, "port net_ring:%s: rte_ring_create(%s): %s (%s)", link, name,
			 rte_strerror(rte_errno),
			 rte_errno == EEXIST ? "a ring of that name exists: use another link name"
					     : "not enough memory: raise -m or reserve hugepages");
	return r;
}

static int
resolve_ring(const char *dev, uint16_t nb_queues, char *err, size_t errlen)
{
	const char *link = dev + strlen(PORT_RING_PREFIX);
	char ethname[RTE_ETH_NAME_MAX_LEN];
	struct ring_link *l;
	unsigned int i, side;
	uint16_t q;
	int pid;

	if (strlen(link) > RING_LINK_NAMELEN || strchr(link, ',') != NULL) {
		snprintf(err, errlen, "port %s: link name must be 1..%d characters, no commas", dev,
			 RING_LINK_NAMELEN);
		return -1;
	}
	if (nb_queues == 0)
		nb_queues = 1;
	if (nb_queues > PORT_MAX_QUEUES) {
		snprintf(err, errlen,
			 "port %s: %u queues asked, synack supports %d: set queues = "
			 "%d or fewer",
			 dev, nb_queues, PORT_MAX_QUEUES, PORT_MAX_QUEUES);
		return -1;
	}
	l = ring_link_find(link);
	if (l != NULL) {
		if (l->nb_ports >= 2) {
			snprintf(err, errlen,
				 "port %s: link %s already joins two ports: give this "
				 "port another net_ring: name",
				 dev, link);
			return -1;
		}
		if (l->nb_queues != nb_queues) {
			snprintf(err, errlen,
				 "port %s: the other side of link %s has %u queues, "
				 "this one asks %u: give both ports the same queues",
				 dev, link, l->nb_queues, nb_queues);
			return -1;
		}
	} else {
		for (i = 0; i < RING_LINK_MAX && ring_links[i].nb_ports > 0; i++)
			;
		if (i == RING_LINK_MAX) {
			snprintf(err, errlen, "port %s: more than %d net_ring links", dev,
				 RING_LINK_MAX);
			return -1;
		}
		l = &ring_links[i];
		memset(l, 0, sizeof(*l));
		snprintf(l->name, sizeof(l->name), "%s", link);
		l->nb_queues = nb_queues;
		l->port_id[0] = l->port_id[1] = -1;
		for (q = 0; q < nb_queues; q++) {
			l->ab[q] = ring_make(link, "ab", q, err, errlen);
			l->ba[q] = l->ab[q] == NULL ? NULL : ring_make(link, "ba", q, err, errlen);
			if (l->ba[q] == NULL) {
				ring_link_free(l);
				return -1;
			}
		}
	}

	side = l->nb_ports;
	snprintf(ethname, sizeof(ethname), "ring_%s_%c", link, side == 0 ? 'a' : 'b');
	if (side == 0)
		pid = rte_eth_from_rings(ethname, l->ba, nb_queues, l->ab, nb_queues,
					 rte_socket_id());
	else
		pid = rte_eth_from_rings(ethname, l->ab, nb_queues, l->ba, nb_queues,
					 rte_socket_id());
	if (pid < 0) {
		snprintf(err, errlen,
			 "port %s: rte_eth_from_rings(%s): %s (is net_ring linked in "
			 "and are there fewer than RTE_MAX_ETHPORTS ports?)",
			 dev, ethname, rte_strerror(rte_errno));
		if (side == 0)
			ring_link_free(l);
		return -1;
	}
	l->port_id[side] = pid;
	l->nb_ports++;
	return pid;
}

/*
 * Closing the ethdev leaves its vdev on the bus, and a later link of the same
 * name could not be created: remove the device, then free the link's rings once
 * no side is left open.
 * @return true when port_id was a ring link port.
 */
static bool
ring_link_closed(uint16_t port_id, struct rte_device *dev)
{
	unsigned int i;

	for (i = 0; i < RING_LINK_MAX; i++) {
		struct ring_link *l = &ring_links[i];

		if (l->nb_ports == 0)
			continue;
		if (l->port_id[0] == port_id)
			l->port_id[0] = -1;
		else if (l->port_id[1] == port_id)
			l->port_id[1] = -1;
		else
			continue;
		if (dev != NULL)
			(void)rte_dev_remove(dev);
		if (l->port_id[0] < 0 && l->port_id[1] < 0)
			ring_link_free(l);
		return true;
	}
	return false;
}

/*
 * The ring PMD has no MAC of its own (all zero, and it cannot set one): give
 * each side a locally administered 02:00:00:00:LL:SS, LL = link slot + 1,
 * SS = side + 1. @return false when port_id is not a ring link port.
 */
static bool
ring_link_mac(uint16_t port_id, struct rte_ether_addr *mac)
{
	unsigned int i, side;

	for (i = 0; i < RING_LINK_MAX; i++) {
		for (side = 0; side < 2; side++) {
			if (ring_links[i].nb_ports == 0 || ring_links[i].port_id[side] != port_id)
				continue;
			memset(mac, 0, sizeof(*mac));
			mac->addr_bytes[0] = 0x02;
			mac->addr_bytes[4] = (uint8_t)(i + 1);
			mac->addr_bytes[5] = (uint8_t)(side + 1);
			return true;
		}
	}
	return false;
}

int
port_resolve_q(const char *dev, uint16_t nb_queues, char *err, size_t errlen)
{
	switch (port_dev_kind(dev)) {
	case PORT_DEV_PCI:
		return resolve_pci(dev, err, errlen);
	case PORT_DEV_VDEV:
		return resolve_vdev(dev, err, errlen);
	case PORT_DEV_RING:
		return resolve_ring(dev, nb_queues, err, errlen);
	default:
		snprintf(err, errlen,
			 "port dev '%s': not a PCI address (0000:03:00.0), a vdev "
			 "(net_af_xdp0,iface=veth0) or net_ring:NAME",
			 dev == NULL ? "" : dev);
		return -1;
	}
}

int
port_resolve(const char *dev, char *err, size_t errlen)
{
	return port_resolve_q(dev, 1, err, errlen);
}

/* ---- setup ---- */

static uint16_t
min_u16(uint16_t a, uint16_t b)
{
	return a < b ? a : b;
}

/* TX offload flags for the PORT_OFF_* the caps allow and the port offers. */
static uint64_t
tx_offloads_pick(uint32_t want, uint64_t capa, uint32_t *got)
{
	const uint64_t l4 = RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
	uint64_t off = 0;

	if ((want & PORT_OFF_IPV4_CKSUM) && (capa & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM)) {
		off |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
		*got |= PORT_OFF_IPV4_CKSUM;
	}
	if ((want & PORT_OFF_L4_CKSUM) && (capa & l4) == l4) {
		off |= l4;
		*got |= PORT_OFF_L4_CKSUM;
	}
	if ((want & PORT_OFF_MULTI_SEGS) && (capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS)) {
		off |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
		*got |= PORT_OFF_MULTI_SEGS;
	}
	/* TSO computes the TCP checksum of each segment: needs L4 offload too */
	if ((want & PORT_OFF_TSO) && (*got & PORT_OFF_L4_CKSUM) &&
	    (capa & RTE_ETH_TX_OFFLOAD_TCP_TSO)) {
		off |= RTE_ETH_TX_OFFLOAD_TCP_TSO;
		*got |= PORT_OFF_TSO;
	}
	return off;
}

static uint64_t
rx_offloads_pick(uint32_t want, uint64_t capa, uint32_t *got)
{
	const uint64_t l4 = RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM;
	uint64_t off;

	if (!(want & PORT_OFF_RX_CKSUM) || (capa & l4) != l4)
		return 0;
	off = capa & (l4 | RTE_ETH_RX_OFFLOAD_IPV4_CKSUM);
	*got |= PORT_OFF_RX_CKSUM;
	return off;
}

int
port_setup(uint16_t port_id, const struct port_conf *conf, struct rte_mempool *const *pools,
	   struct port *p, char *err, size_t errlen)
{
	struct rte_eth_conf ec;
	struct rte_eth_dev_info di;
	struct rte_eth_txconf txc;
	struct rte_eth_link link;
	uint16_t nbq, maxq, nb_rxd, nb_txd, q, mtu;
	uint64_t rss_hf = 0;
	const char *name;
	int socket, ret;
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->port_id = port_id;
	if (!rte_eth_dev_is_valid_port(port_id)) {
		snprintf(err, errlen, "port %u: no such ethdev port id (resolve the dev first)",
			 port_id);
		return -1;
	}
	if (rte_eth_dev_get_name_by_port(port_id, p->name) != 0)
		snprintf(p->name, sizeof(p->name), "port%u", port_id);
	name = p->name;
	ret = rte_eth_dev_info_get(port_id, &di);
	if (ret != 0) {
		snprintf(err, errlen,
			 "port %s: rte_eth_dev_info_get: %s (the PMD cannot report "
			 "itself: try another driver for this device)",
			 name, rte_strerror(-ret));
		return -1;
	}
	snprintf(p->driver, sizeof(p->driver), "%s", di.driver_name ? di.driver_name : "?");
	p->caps = port_caps_lookup(di.driver_name);

	/* queues */
	nbq = conf->nb_queues ? conf->nb_queues : 1;
	maxq = min_u16(di.max_rx_queues, di.max_tx_queues);
	if (p->caps->max_queues)
		maxq = min_u16(maxq, p->caps->max_queues);
	maxq = min_u16(maxq, PORT_MAX_QUEUES);
	if (nbq > maxq) {
		snprintf(err, errlen,
			 "port %s (%s): %u queues asked, the port has %u: set "
			 "queues = %u or fewer (or use fewer worker lcores)",
			 name, p->driver, nbq, maxq, maxq);
		return -1;
	}
	if (pools == NULL) {
		snprintf(err, errlen, "port %s: no mbuf pools given", name);
		return -1;
	}
	for (q = 0; q < nbq; q++)
		if (pools[q] == NULL) {
			snprintf(err, errlen, "port %s: no mbuf pool for RX queue %u", name, q);
			return -1;
		}

	memset(&ec, 0, sizeof(ec));

	/* RSS: only with several queues and a driver whose hash we trust */
	if (nbq > 1 && (p->caps->rss || (p->caps->rss_probe && di.flow_type_rss_offloads)))
		rss_hf = p->caps->rss_hf & di.flow_type_rss_offloads;
	if (rss_hf != 0) {
		ec.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		ec.rx_adv_conf.rss_conf.rss_hf = rss_hf;
		p->rss_hf = rss_hf;
		/* ethdev takes a key only of exactly the port's hash_key_size */
		if (p->caps->rss_symmetric_key && di.hash_key_size > 0 &&
		    di.hash_key_size <= PORT_RSS_KEY_MAX) {
			/* 0x6d5a repeated: Toeplitz gives hash(a->b) == hash(b->a) */
			uint8_t klen = di.hash_key_size;

			for (i = 0; i < klen; i++)
				p->rss_key[i] = i % 2 ? 0x5a : 0x6d;
			p->rss_key_len = klen;
			ec.rx_adv_conf.rss_conf.rss_key = p->rss_key;
			ec.rx_adv_conf.rss_conf.rss_key_len = klen;
		}
		p->rss = true;
	} else {
		ec.rxmode.mq_mode = RTE_ETH_MQ_RX_NONE;
	}

	/* offloads */
	ec.txmode.offloads = tx_offloads_pick(p->caps->offloads, di.tx_offload_capa, &p->offloads);
	if (!conf->no_fast_free && (di.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE))
		ec.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	ec.rxmode.offloads = rx_offloads_pick(p->caps->offloads, di.rx_offload_capa, &p->offloads);
	if (strcmp(p->caps->kind, "vdev") != 0)
		p->offloads |= PORT_OFF_TX_DMA;

	/* MTU: only touched when asked, so a kernel interface behind a vdev keeps its own */
	mtu = conf->mtu;
	if (mtu != 0) {
		if (mtu < di.min_mtu || mtu > di.max_mtu) {
			snprintf(err, errlen,
				 "port %s (%s): mtu %u out of range: the port takes "
				 "%u..%u",
				 name, p->driver, mtu, di.min_mtu, di.max_mtu);
			return -1;
		}
		ec.rxmode.mtu = mtu;
	}

	ret = rte_eth_dev_configure(port_id, nbq, nbq, &ec);
	if (ret != 0) {
		snprintf(err, errlen,
			 "port %s (%s): rte_eth_dev_configure(%u queues, rss %s): %s "
			 "(try queues = 1, or check the PMD log above)",
			 name, p->driver, nbq, p->rss ? "on" : "off", rte_strerror(-ret));
		return -1;
	}
	if (mtu != 0) {
		ret = rte_eth_dev_set_mtu(port_id, mtu);
		if (ret != 0 && ret != -ENOTSUP && ret != -ENOSYS) {
			snprintf(err, errlen,
				 "port %s (%s): rte_eth_dev_set_mtu(%u): %s (set the "
				 "interface MTU by hand or drop mtu from the config)",
				 name, p->driver, mtu, rte_strerror(-ret));
			return -1;
		}
	}

	nb_rxd = conf->nb_rxd ? conf->nb_rxd : di.default_rxportconf.ring_size;
	nb_txd = conf->nb_txd ? conf->nb_txd : di.default_txportconf.ring_size;
	if (nb_rxd == 0)
		nb_rxd = DEFAULT_DESC;
	if (nb_txd == 0)
		nb_txd = DEFAULT_DESC;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nb_rxd, &nb_txd);
	if (ret != 0) {
		snprintf(err, errlen, "port %s (%s): rte_eth_dev_adjust_nb_rx_tx_desc: %s", name,
			 p->driver, rte_strerror(-ret));
		return -1;
	}

	socket = rte_eth_dev_socket_id(port_id);
	if (socket < 0)
		socket = (int)rte_socket_id();
	txc = di.default_txconf;
	txc.offloads = ec.txmode.offloads;
	for (q = 0; q < nbq; q++) {
		ret = rte_eth_rx_queue_setup(port_id, q, nb_rxd, socket, NULL, pools[q]);
		if (ret != 0) {
			snprintf(err, errlen,
				 "port %s (%s): rte_eth_rx_queue_setup(queue %u, %u "
				 "descriptors): %s (the pool may be too small for the ring or "
				 "its mbufs too short for the MTU: raise mbufs or lower rxd)",
				 name, p->driver, q, nb_rxd, rte_strerror(-ret));
			return -1;
		}
		ret = rte_eth_tx_queue_setup(port_id, q, nb_txd, socket, &txc);
		if (ret != 0) {
			snprintf(err, errlen,
				 "port %s (%s): rte_eth_tx_queue_setup(queue %u, %u "
				 "descriptors): %s (try fewer txd)",
				 name, p->driver, q, nb_txd, rte_strerror(-ret));
			return -1;
		}
	}

	if (p->caps->promisc) {
		ret = rte_eth_promiscuous_enable(port_id);
		if (ret != 0 && ret != -ENOTSUP) {
			snprintf(err, errlen, "port %s (%s): rte_eth_promiscuous_enable: %s", name,
				 p->driver, rte_strerror(-ret));
			return -1;
		}
	}

	ret = rte_eth_dev_start(port_id);
	if (ret != 0) {
		snprintf(err, errlen,
			 "port %s (%s): rte_eth_dev_start: %s (check the PMD log "
			 "above: interface down, XDP program in the way, or memory too short)",
			 name, p->driver, rte_strerror(-ret));
		return -1;
	}

	ret = rte_eth_macaddr_get(port_id, &p->mac);
	if (ret != 0) {
		snprintf(err, errlen, "port %s (%s): rte_eth_macaddr_get: %s", name, p->driver,
			 rte_strerror(-ret));
		rte_eth_dev_stop(port_id);
		return -1;
	}
	if (rte_is_zero_ether_addr(&p->mac))
		(void)ring_link_mac(port_id, &p->mac);
	if (rte_eth_dev_get_mtu(port_id, &p->mtu) != 0)
		p->mtu = mtu ? mtu : RTE_ETHER_MTU;
	memset(&link, 0, sizeof(link));
	if (rte_eth_link_get_nowait(port_id, &link) == 0) {
		p->link_up = link.link_status == RTE_ETH_LINK_UP;
		if (link.link_speed != RTE_ETH_SPEED_NUM_UNKNOWN)
			p->link_mbps = link.link_speed;
	}
	p->nb_queues = nbq;
	/* the RETA after start: some PMDs (i40e) load a default one in dev_start */
	if (p->rss && port_rss_setup(p, err, errlen) != 0) {
		rte_eth_dev_stop(port_id);
		return -1;
	}
	return 0;
}

bool
port_rss_key_symmetric(const uint8_t *key, unsigned int len)
{
	unsigned int i, n = len < 40 ? len : 40;

	if (key == NULL || len < 16)
		return false;
	for (i = 2; i < n; i++)
		if (key[i] != key[i - 2])
			return false;
	return true;
}

int
port_rss_setup(struct port *p, char *err, size_t errlen)
{
	struct rte_eth_rss_reta_entry64 conf[PORT_RETA_MAX / RTE_ETH_RETA_GROUP_SIZE];
	uint8_t key[PORT_RSS_KEY_MAX];
	struct rte_eth_rss_conf rc;
	struct rte_eth_dev_info di;
	uint16_t n, i, nbq = p->nb_queues ? p->nb_queues : 1;
	bool programmed = false;
	int ret;

	p->reta_size = 0;
	ret = rte_eth_dev_info_get(p->port_id, &di);
	if (ret != 0) {
		snprintf(err, errlen, "port %s: rte_eth_dev_info_get: %s", p->name,
			 rte_strerror(-ret));
		return -1;
	}
	/* RETA: entry i = queue i % nbq, then what the port says it holds */
	n = di.reta_size;
	if (n > 0 && n <= PORT_RETA_MAX && n % RTE_ETH_RETA_GROUP_SIZE == 0) {
		memset(conf, 0, sizeof(conf[0]) * (n / RTE_ETH_RETA_GROUP_SIZE));
		for (i = 0; i < n; i++) {
			conf[i / RTE_ETH_RETA_GROUP_SIZE].mask |= 1ULL
								  << (i % RTE_ETH_RETA_GROUP_SIZE);
			conf[i / RTE_ETH_RETA_GROUP_SIZE].reta[i % RTE_ETH_RETA_GROUP_SIZE] = i %
											      nbq;
		}
		ret = rte_eth_dev_rss_reta_update(p->port_id, conf, n);
		if (ret != 0 && ret != -ENOTSUP) {
			snprintf(err, errlen,
				 "port %s (%s): rte_eth_dev_rss_reta_update(%u entries "
				 "over %u queues): %s (try queues = 1 or dispatch = software)",
				 p->name, p->driver, n, nbq, rte_strerror(-ret));
			return -1;
		}
		programmed = ret == 0;
		for (i = 0; i < n / RTE_ETH_RETA_GROUP_SIZE; i++) {
			conf[i].mask = UINT64_MAX;
			memset(conf[i].reta, 0, sizeof(conf[i].reta));
		}
		ret = rte_eth_dev_rss_reta_query(p->port_id, conf, n);
		if (ret == 0 || programmed) {
			for (i = 0; i < n; i++) {
				p->reta[i] = ret == 0 ? conf[i / RTE_ETH_RETA_GROUP_SIZE]
								.reta[i % RTE_ETH_RETA_GROUP_SIZE]
						      : i % nbq;
				if (p->reta[i] >= nbq) {
					/* an entry for a queue nobody polls: unusable */
					n = 0;
					break;
				}
			}
			p->reta_size = n;
		}
	}
	/* the key the port hashes with; the one we programmed if it cannot say */
	memset(key, 0, sizeof(key));
	memset(&rc, 0, sizeof(rc));
	rc.rss_key = key;
	rc.rss_key_len = di.hash_key_size > 0 && di.hash_key_size <= PORT_RSS_KEY_MAX
				 ? di.hash_key_size
				 : 40; /* the Toeplitz key size of most NICs */
	if (rte_eth_dev_rss_hash_conf_get(p->port_id, &rc) == 0 && rc.rss_key_len >= 16 &&
	    rc.rss_key_len <= PORT_RSS_KEY_MAX && rc.rss_key_len % 4 == 0) {
		memcpy(p->rss_key, key, rc.rss_key_len);
		p->rss_key_len = rc.rss_key_len;
		p->rss_key_read = true;
		if (rc.rss_hf != 0)
			p->rss_hf = rc.rss_hf;
	}
	p->rss_key_symmetric = port_rss_key_symmetric(p->rss_key, p->rss_key_len);
	return 0;
}

void
port_print(FILE *out, const struct port *p)
{
	static const struct {
		uint32_t flag;
		const char *name;
	} offs[] = {
		{PORT_OFF_IPV4_CKSUM, "ipv4-cksum"}, {PORT_OFF_L4_CKSUM, "l4-cksum"},
		{PORT_OFF_RX_CKSUM, "rx-cksum"},     {PORT_OFF_TSO, "tso"},
		{PORT_OFF_MULTI_SEGS, "multi-seg"},
	};
	char mac[RTE_ETHER_ADDR_FMT_SIZE], off[64], link[24];
	size_t o = 0;
	unsigned int i;

	rte_ether_format_addr(mac, sizeof(mac), &p->mac);
	off[0] = '\0';
	for (i = 0; i < RTE_DIM(offs); i++)
		if (p->offloads & offs[i].flag)
			o += snprintf(off + o, sizeof(off) - o, "%s%s", o ? "," : "", offs[i].name);
	if (o == 0)
		snprintf(off, sizeof(off), "none");
	if (p->link_mbps != 0)
		snprintf(link, sizeof(link), "%uMb/s", p->link_mbps);
	else
		snprintf(link, sizeof(link), "%s", p->link_up ? "up" : "down");
	fprintf(out, "port%u %s (%s) %s queues %u rss %s offloads %s link %s mtu %u\n", p->port_id,
		p->name, p->driver, mac, p->nb_queues, p->rss ? "yes" : "no", off, link, p->mtu);
	if (!p->rss)
		return;
	if (p->rss_key_len != 0)
		fprintf(out, "port%u: rss key symmetric %s (%u bytes, %s)", p->port_id,
			p->rss_key_symmetric ? "yes" : "no", p->rss_key_len,
			p->rss_key_read ? "read back" : "as programmed");
	else
		fprintf(out, "port%u: rss key unknown", p->port_id);
	if (p->reta_size != 0)
		fprintf(out, ", reta %u entries over %u queues\n", p->reta_size, p->nb_queues);
	else
		fprintf(out, ", reta unknown\n");
}

void
port_close(struct port *p)
{
	struct rte_eth_dev_info di;
	struct rte_device *dev = NULL;

	if (p == NULL || !rte_eth_dev_is_valid_port(p->port_id))
		return;
	if (rte_eth_dev_info_get(p->port_id, &di) == 0)
		dev = di.device;
	(void)rte_eth_dev_stop(p->port_id);
	(void)rte_eth_dev_close(p->port_id);
	(void)ring_link_closed(p->port_id, dev);
}
