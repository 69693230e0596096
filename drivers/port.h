/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: bring-up of any DPDK ethdev (PCI NICs, virtio, af_packet, af_xdp,
 * tap, memif, vhost/virtio-user, null, and synack's in-process net_ring
 * links), a per-driver capability/quirk table, and the EAL argument list
 * derived from the port list.
 *
 * drivers/ is a leaf: it knows ethdevs, not synack's config; the app maps
 * its [portN] sections onto struct port_conf.
 */
#ifndef SYNACK_PORT_H
#define SYNACK_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>
#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PORT_MAX	 8
#define PORT_MAX_QUEUES	 64
#define PORT_ERR_LEN	 512
#define PORT_RSS_KEY_MAX 128  /**< Toeplitz key bytes kept (ixgbe 40, i40e/ice 52) */
#define PORT_RETA_MAX	 2048 /**< RSS redirection table entries kept (ice 2048) */

/** Dev strings of this form are synack's own in-process links (not EAL vdevs). */
#define PORT_RING_PREFIX "net_ring:"

/** Offloads synack uses when the port has them (else software does it). */
#define PORT_OFF_IPV4_CKSUM (1u << 0) /**< TX IPv4 header checksum */
#define PORT_OFF_L4_CKSUM   (1u << 1) /**< TX TCP/UDP checksum */
#define PORT_OFF_RX_CKSUM   (1u << 2) /**< RX IPv4/L4 checksum status in mbuf ol_flags */
#define PORT_OFF_TSO	    (1u << 3) /**< TCP segmentation offload */
#define PORT_OFF_MULTI_SEGS (1u << 4) /**< TX takes mbuf chains (zero-copy payload segments) */
#define PORT_OFF_TX_DMA \
	(1u << 5) /**< not an offload: TX reads payload by IOVA (PCI DMA;
					 *   virtio: the host maps DPDK memory only), so
					 *   zero-copy payload must be DPDK memory */

/** What the capability table knows about a driver (static, per PMD). */
struct port_caps {
	const char *driver;	/**< ethdev driver name, e.g. "net_ixgbe" */
	const char *kind;	/**< "pci", "virtio", "vdev" */
	uint16_t max_queues;	/**< queue pairs synack may use (0 = ask the port) */
	bool rss;		/**< hardware RSS usable for flow affinity */
	bool rss_probe;		/**< RSS if the port reports hash types (virtio) */
	bool rss_symmetric_key; /**< takes a programmed (symmetric) Toeplitz key */
	uint16_t reta_size;	/**< RSS redirection table entries (0 = none/ask) */
	uint64_t rss_hf;	/**< RTE_ETH_RSS_* synack asks for */
	uint32_t offloads;	/**< PORT_OFF_* the driver can be trusted with */
	uint16_t max_mtu;	/**< 0 = ask the port */
	uint32_t link_mbps;	/**< nominal speed, 0 = unknown/virtual */
	bool promisc;		/**< needs promiscuous mode to see its own traffic */
	const char *quirks;	/**< free text shown at start, may be NULL */
	/** devargs synack adds to a vdev string that does not set them
	 *  ("key=value,..."; NULL = none): the PMD's own defaults drop */
	const char *devargs;
};

/** Look a driver up in the table; unknown drivers get a conservative default entry. */
const struct port_caps *port_caps_lookup(const char *driver_name);
/**
 * dev with the devargs of its driver's table entry that dev does not set
 * appended (a vdev string "net_af_packet0,iface=v0" ->
 * "net_af_packet0,iface=v0,framecnt=4096"); dev unchanged otherwise.
 * @return length written (as snprintf), out always terminated.
 */
int port_vdev_with_defaults(const char *dev, char *out, size_t outlen);
#define PORT_DEV_LEN 512 /**< a dev string with synack's devargs, at most (with the NUL) */
/** The whole table (for --help and tests); *n gets the entry count. */
const struct port_caps *port_caps_table(unsigned int *n);

/** What the app asks of one port. */
struct port_conf {
	const char *dev;	 /**< as in [portN] dev */
	uint16_t nb_queues;	 /**< RX = TX queues wanted (0 = 1) */
	uint16_t mtu;		 /**< L3 MTU, 0 = 1500 */
	uint16_t nb_rxd, nb_txd; /**< 0 = driver/ synack defaults */
	bool no_fast_free;	 /**< TX mbufs may be refcounted, indirect or from
					 *   several pools: no MBUF_FAST_FREE */
};

/** A port after bring-up. */
struct port {
	uint16_t port_id; /**< ethdev port id */
	char name[64];	  /**< ethdev name */
	char driver[64];  /**< ethdev driver name */
	const struct port_caps *caps;
	struct rte_ether_addr mac; /**< net_ring: 02:00:00:00:LL:SS (link, side); the
					 *   ethdev has none, nothing filters on it */
	uint16_t nb_queues;	   /**< queue pairs configured */
	uint16_t mtu;
	bool rss;	    /**< RSS enabled on this port */
	uint32_t offloads;  /**< PORT_OFF_* actually enabled */
	uint32_t link_mbps; /**< as reported after start, 0 = unknown */
	bool link_up;	    /**< link status right after start (not waited for) */
	/* RSS in use (port_rss_setup), to pick flows that land on a given queue */
	bool rss_key_read;	/**< rss_key was read back from the port (else: the
					 *   key synack programmed) */
	bool rss_key_symmetric; /**< hash(a->b) == hash(b->a) for IPv4/IPv6 4-tuples */
	uint64_t rss_hf;	/**< RTE_ETH_RSS_* hashed (read back, else as configured) */
	uint8_t rss_key_len;	/**< bytes in rss_key, 0 = key unknown */
	uint16_t reta_size;	/**< entries in reta, 0 = RETA unknown */
	uint8_t rss_key[PORT_RSS_KEY_MAX]; /**< Toeplitz key, as the port holds it */
	uint16_t reta[PORT_RETA_MAX];	   /**< hash % reta_size -> RX queue */
};

/**
 * Resolve one dev string to an ethdev port id after EAL init: PCI address
 * or vdev name as given to EAL, or net_ring:LINK (created here; two ports
 * naming the same LINK are wired back to back). A port alone on a LINK is
 * created too, but nobody reads its TX rings: they fill, then TX drops.
 * Same as port_resolve_q(dev, 1, ...).
 * @return port id >= 0, or -1 with the cause and the fix in err.
 */
int port_resolve(const char *dev, char *err, size_t errlen);

/**
 * port_resolve for a port that will be set up with nb_queues queue pairs:
 * net_ring links are created with that many ring pairs (both ports of a link
 * must ask the same number). Other kinds ignore nb_queues.
 */
int port_resolve_q(const char *dev, uint16_t nb_queues, char *err, size_t errlen);

/**
 * Configure and start a resolved port: queues, descriptor rings, mbuf pools
 * per RX queue (pools[q]), offloads from the capability table intersected
 * with what the port reports, MTU, promiscuous off (on for drivers that need
 * it), link up. Fills p.
 * @return 0, or -1 with one line in err naming the cause and the fix.
 */
int port_setup(uint16_t port_id, const struct port_conf *conf, struct rte_mempool *const *pools,
	       struct port *p, char *err, size_t errlen);

/**
 * On a port configured with mq_mode RSS and started (port_setup does this for
 * its RSS ports; tests call it on ports they configured): program the RETA
 * round robin over p->nb_queues when the port has one, then read back the
 * key and the RETA the port uses into p (falling back to what was programmed:
 * the key already in p->rss_key, the round-robin RETA). Sets
 * rss_key_symmetric. A port that can tell neither leaves rss_key_len or
 * reta_size 0 (no source-port selection on it).
 * @return 0, or -1 with err when the port refuses the RETA it says it takes.
 */
int port_rss_setup(struct port *p, char *err, size_t errlen);

/**
 * Whether a Toeplitz key gives the same hash both ways for IPv4 and IPv6
 * 4-tuples: its first min(len, 40) bytes repeat with a period of 2 bytes
 * (as 0x6d5a repeated), so swapping addresses (multiples of 32 bits) and
 * ports (16 bits) meets the same key bits. Needs len >= 16.
 */
bool port_rss_key_symmetric(const uint8_t *key, unsigned int len);

/** One line per port: driver, MAC, queues, RSS yes/no, offloads; RSS ports get a
 *  second line: how the port spreads (key symmetric or not, RETA size). */
void port_print(FILE *out, const struct port *p);

/** Stop and close a port started by port_setup (a net_ring link's rings are freed
 *  once all its ports are closed). */
void port_close(struct port *p);

/** The kind of a dev string, before EAL: PCI address, EAL vdev, or net_ring link. */
enum port_dev_kind {
	PORT_DEV_PCI,
	PORT_DEV_VDEV,
	PORT_DEV_RING,
	PORT_DEV_BAD,
};
enum port_dev_kind port_dev_kind(const char *dev);

/** Inputs for deriving EAL arguments when the user gave none. */
struct port_eal_req {
	const char *const *devs; /**< dev strings of the ports */
	unsigned int nb_devs;
	unsigned int nb_workers; /**< worker lcores (main lcore added) */
	unsigned int mem_mb;	 /**< memory needed, for --no-huge -m */
	const char *prog;	 /**< argv[0] */
	const int *cpus;	 /**< CPUs to map lcores onto; NULL = sched_getaffinity */
	unsigned int nb_cpus;
	bool fake_hugepages; /**< tests: use hugepages_free, not sysfs */
	unsigned long hugepages_free;
	const char *file_prefix; /**< --file-prefix; NULL or "" = none (EAL's "rte") */
	bool no_telemetry;	 /**< --no-telemetry */
};

/**
 * Build EAL argv from the request: -a/--vdev per port, --no-pci when no PCI
 * port, --lcores mapping main + workers onto the CPUs this process may use
 * (several lcores per CPU when there are fewer CPUs), --in-memory, and
 * --no-huge -m N when no 2 MB hugepages are free (note says so in one line;
 * --no-huge implies legacy memory, which EAL refuses with --in-memory, so
 * that case gets --no-shconf instead: no runtime files either way),
 * --file-prefix (the runtime directory, where the telemetry socket is) and
 * --no-telemetry when asked.
 * The strings are owned by the returned argv (free with port_eal_args_free).
 * @return argc >= 1, or -1 with err.
 */
int port_eal_args(const struct port_eal_req *req, char ***argv, char *note, size_t notelen,
		  char *err, size_t errlen);
void port_eal_args_free(int argc, char **argv);

/** Free 2 MB hugepages on this machine (0 when none reserved). */
unsigned long port_hugepages_free(void);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_PORT_H */
