/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-lcore engine: a worker owns one (port, queue) pair on each port it
 * serves, its mbuf pool, a neighbour (ARP) table per port, a TX batch per
 * port and its counters. Its loop is run to completion:
 *
 *   rx_burst -> validate (lib/net) -> ARP / ICMP / (TCP, UDP) input ->
 *   application hooks -> TX batch -> timers -> app poll -> tx_burst
 *
 * Nothing here is shared between workers: no locks, no atomics, no syscalls
 * and no malloc on the loop.
 */
#ifndef SYNACK_STACK_H
#define SYNACK_STACK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_hash_crc.h>
#include <rte_ring.h>
#include <rte_thash.h>

#include "lib/net/net.h"
#include "lib/stats/stats.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WORKER_MAX_PORTS 8
#define WORKER_BURST	 32 /**< rx_burst size */
#define WORKER_TX_BATCH	 64 /**< TX batch flushed when full and at the end of each loop */
#define NEIGH_PENDING	 4  /**< frames kept per unresolved neighbour (as Linux's arp_queue) */

enum worker_role {
	WORKER_ROLE_SERVER = 1 << 0, /**< answers: ICMP echo, (later) listeners */
	WORKER_ROLE_CLIENT = 1 << 1, /**< generator traffic leaves from this port */
};

struct neigh_table;
struct worker;
struct worker_port;

#define WORKER_DISP_MAX 64 /**< workers sharing one software-dispatch port */

/*
 * Software dispatch (a port without usable RSS shared by several workers):
 * the port's first worker (slot 0) is also its I/O poller. It rx_bursts the
 * port's one queue, keeps the frames whose symmetric flow hash selects slot
 * 0, hands the others to their worker's SP/SC RX ring, copies ARP to every
 * worker (each neighbour table learns; only slot 0 answers requests) and
 * sends everything else (ICMP, fragments, non-IPv4) to slot 0. The other
 * workers read their RX ring instead of the port and write their TX batch
 * into their SP/SC TX ring, which slot 0 drains into the port every loop.
 */
struct worker_disp {
	uint16_t nb;			      /**< workers sharing the port */
	struct rte_ring *rx[WORKER_DISP_MAX]; /**< slot -> its RX ring (NULL for slot 0) */
	struct rte_ring *tx[WORKER_DISP_MAX]; /**< slot -> its TX ring (NULL for slot 0) */
};

/**
 * Symmetric flow hash of an IPv4 4-tuple (any byte order, as long as both
 * ends use the same): swapping source and destination gives the same value.
 */
static inline uint32_t
worker_flow_hash(uint32_t ip_a, uint32_t ip_b, uint16_t port_a, uint16_t port_b)
{
	uint32_t lo = ip_a < ip_b ? ip_a : ip_b, hi = ip_a < ip_b ? ip_b : ip_a;
	uint32_t ports = port_a < port_b ? ((uint32_t)port_a << 16 | port_b)
					 : ((uint32_t)port_b << 16 | port_a);
	uint32_t h = rte_hash_crc_4byte(lo, 0x6d5a6d5a);

	h = rte_hash_crc_4byte(hi, h);
	return rte_hash_crc_4byte(ports, h);
}

/** The slot (0..nb-1) of the worker that owns a flow hash. */
static inline unsigned int
worker_flow_slot(uint32_t hash, unsigned int nb)
{
	return nb > 1 ? (unsigned int)(((uint64_t)hash * nb) >> 32) : 0;
}

/**
 * Slot of a received frame on a dispatch port of nb workers: the flow's slot
 * for unfragmented IPv4 TCP/UDP, -1 for ARP (every worker), 0 otherwise.
 */
int worker_frame_slot(const struct rte_mbuf *m, unsigned int nb);

#define WORKER_RSS_KEY_MAX 128	/**< Toeplitz key bytes (as PORT_RSS_KEY_MAX) */
#define WORKER_RETA_MAX	   2048 /**< RETA entries (as PORT_RETA_MAX) */

/*
 * RSS mode: how a port spreads flows over its queues, so that a client worker
 * can pick the source ports whose replies the NIC steers to its own queue.
 * Built once per port before the workers start, shared read-only by them.
 */
struct worker_rss {
	uint32_t key[WORKER_RSS_KEY_MAX / 4]; /**< the port's key, converted with
						     rte_convert_rss_key for rte_softrss_be */
	uint16_t reta_size;		      /**< entries in reta, > 0 */
	uint16_t reta[WORKER_RETA_MAX];	      /**< hash % reta_size -> RX queue */
};

/**
 * Fill r from a port's key (as the port holds it, key_len bytes, a multiple
 * of 4 and >= 16) and RETA (reta_size entries, 1..WORKER_RETA_MAX).
 * @return 0, or -EINVAL when either does not fit.
 */
int worker_rss_init(struct worker_rss *r, const uint8_t *key, unsigned int key_len,
		    const uint16_t *reta, unsigned int reta_size);

/**
 * The RX queue a port spreading by r gives an IPv4 TCP/UDP frame with this
 * 4-tuple (network order, as on the wire): the Toeplitz hash of
 * src, dst, sport, dport (rte_softrss_be), through the RETA. Visits at most
 * 96 key bits.
 */
static inline uint16_t
worker_rss_queue(const struct worker_rss *r, rte_be32_t src, rte_be32_t dst, rte_be16_t sport,
		 rte_be16_t dport)
{
	struct rte_ipv4_tuple t;
	uint32_t h;

	memset(&t, 0, sizeof(t));
	t.src_addr = rte_be_to_cpu_32(src);
	t.dst_addr = rte_be_to_cpu_32(dst);
	t.sport = rte_be_to_cpu_16(sport);
	t.dport = rte_be_to_cpu_16(dport);
	h = rte_softrss_be((uint32_t *)&t, RTE_THASH_V4_L4_LEN, (const uint8_t *)r->key);
	return r->reta[h % r->reta_size];
}

/** One port as seen by one worker: the queue it owns and the addresses. */
struct worker_port {
	uint16_t port_id;  /**< ethdev port */
	uint16_t queue;	   /**< the RX and TX queue this worker owns */
	uint8_t index;	   /**< [portN] index */
	uint8_t role;	   /**< WORKER_ROLE_* bits */
	uint16_t mtu;	   /**< L3 MTU */
	uint32_t offloads; /**< PORT_OFF_* enabled on the port */
	struct rte_ether_addr mac;
	rte_be32_t ip;	    /**< our (first) address, network order */
	uint32_t ip_n;	    /**< we own ip .. ip + ip_n - 1 (>= 1; ip_count) */
	rte_be32_t netmask; /**< network order */
	rte_be32_t gateway; /**< network order, 0 = none */
	bool garp;	    /**< send a gratuitous ARP at start (queue 0 owner) */
	bool has_ip6;	    /**< the port speaks IPv6 ([portN] ip6): a6 holds its addresses */
	struct net6_addrs a6;
	struct neigh_table *neigh;
	rte_be32_t nh_ip;	      /**< last next hop resolved (one-entry cache), 0 = none */
	struct rte_ether_addr nh_mac; /**< its MAC: most traffic goes to one peer */
	/* software dispatch (see struct worker_disp); all NULL/0 in RSS mode */
	uint16_t disp_nb;	  /**< workers sharing this port (0/1 = not shared by dispatch) */
	uint16_t disp_slot;	  /**< this worker's slot on the port */
	bool arp_quiet;		  /**< learn from ARP but do not answer (slots > 0) */
	struct rte_ring *rx_ring; /**< slots > 0: RX comes from this ring */
	struct rte_ring *tx_ring; /**< slots > 0: TX goes to this ring */
	struct worker_disp *disp; /**< slot 0: the I/O poller's rings */
	/* RSS mode with a known key and RETA: NULL otherwise */
	const struct worker_rss *rss; /**< how the port spreads flows over its queues */
	/* link impairment on this worker's TX queue (drivers/impair.h), NULL = none */
	const uint16_t *tx_taken; /**< frames the TX callback took from the last burst */
	void (*tx_hook)(void *arg, uint64_t now); /**< every loop: send held frames due */
	void *tx_hook_arg;
	uint16_t tx_n;
	struct rte_mbuf *tx[WORKER_TX_BATCH];
};

#define WORKER_MAX_APPS 8 /**< applications per worker */

/*
 * An application: every server and load model (HTTP responder, HTTP
 * models, UDP echo/sink, udp model, bulk server and model, iperf3 server
 * and client, ping) is one of these, with one life cycle:
 *
 *   create   module-specific (its own conf struct), on the main lcore; it
 *            claims its TCP/UDP ports (tcp_listen_app, udp_bind_app) and
 *            registers with worker_app_add()
 *   poll     on the worker, every loop (launch new work, pacing)
 *   stop     on the main lcore once the workers have stopped
 *   result   on the main lcore: print its own results, say whether it failed
 *   free     on the main lcore, last
 *
 * The hooks below the life cycle (icmp_reply, neigh_event) are handed to
 * every application that has them; TCP and UDP hand each segment to the
 * application that owns the local port or the connection. Every member is
 * optional.
 */
struct app_class {
	const char *name;
	/** Each loop, after RX. */
	void (*poll)(struct worker *w, void *obj);
	/** ICMP echo reply for us (validated), frame still owned by the stack. */
	void (*icmp_reply)(struct worker *w, struct worker_port *wp, const uint8_t *icmp,
			   uint32_t len, void *obj);
	/** A neighbour changed state (resolved or failed). */
	void (*neigh_event)(struct worker *w, struct worker_port *wp, rte_be32_t ip, bool resolved,
			    void *obj);
	/** Main lcore, after the workers stopped: end what is in flight. */
	void (*stop)(void *obj);
	/**
	 * Main lcore, after stop: print the application's own results to out
	 * (may be NULL) and return 0, or -1 with why (a "failed: ..." sentence)
	 * when its run failed.
	 */
	int (*result)(void *obj, FILE *out, char *why, size_t whylen);
	/** Main lcore, last: before the worker's TCP and UDP are detached. */
	void (*free)(void *obj);
};

/** One application on a worker. */
struct worker_app {
	const struct app_class *cls;
	void *obj;
	bool bounded;	    /**< its work ends by itself (a load model with a count, a
				     duration or a test): the run waits for it */
	volatile bool done; /**< set on the worker when the bounded work is over;
				     read by the main lcore */
};

/**
 * A transport on the worker (TCP, UDP): input gets every valid IPv4 packet of
 * its protocol addressed to us (ownership of m passes), timer runs every ms.
 * m is one segment, except TCP: two segments, the first holding exactly the
 * headers and the second the payload (a zero-copy sender's frame).
 */
struct worker_l4 {
	void (*input)(struct worker *w, struct worker_port *wp, struct rte_mbuf *m,
		      const struct net_info *ni, void *ctx);
	void (*timer)(struct worker *w, void *ctx);
	void *ctx;
};

/**
 * A request another thread (the telemetry thread) hands the worker: the
 * worker runs fn(w, arg) at its next 1 ms timer pass, on its own lcore,
 * then publishes done = seq. The requester writes fn and arg, then seq
 * (release); the worker reads seq (acquire), runs fn and writes done
 * (release); the requester reads done (acquire) before it touches what fn
 * wrote. One requester at a time; it may not reuse its buffers until done
 * equals seq. Costs the worker one load per ms.
 */
struct worker_req {
	void (*fn)(struct worker *w, void *arg);
	void *arg;
	uint32_t seq;  /**< written by the requester */
	uint32_t done; /**< written by the worker */
};
struct capture_q;

struct worker {
	unsigned int id; /**< 0..nb_workers-1 */
	unsigned int lcore_id;
	uint16_t nb_ports;
	struct rte_mempool *pool; /**< this worker's mbufs */
	uint64_t hz;		  /**< TSC ticks per second */
	uint64_t now;		  /**< TSC at the top of this loop */
	uint64_t next_timer;	  /**< TSC of the next 1 ms timer pass */
	volatile bool *stop;	  /**< set by the main lcore */
	uint8_t nb_apps;
	uint8_t nb_polls;
	struct worker_app apps[WORKER_MAX_APPS];
	/** the apps with a poll hook, packed: the idle loop visits only these */
	struct {
		void (*fn)(struct worker *w, void *obj);
		void *obj;
	} polls[WORKER_MAX_APPS];
	struct worker_l4 tcp; /**< set by lib/tcp when attached */
	struct worker_l4 udp; /**< set by lib/udp when attached */
	uint32_t arp_retries; /**< requests before giving up */
	uint64_t arp_timeout; /**< TSC between requests */
	struct stats_worker stats;
	struct worker_req req; /**< worker_req: served at the timer pass */
	struct worker_port port[WORKER_MAX_PORTS];
	struct capture_q *cap; /**< packet capture (capture.h); NULL = off */
} __rte_cache_aligned;

/**
 * Initialise w (zeroed by the caller except what this sets): id, pool,
 * clock. Ports are added with worker_add_port.
 */
void worker_init(struct worker *w, unsigned int id, struct rte_mempool *pool, volatile bool *stop,
		 uint32_t arp_retries, uint32_t arp_timeout_ms);

/**
 * Add (port, queue) with its address (host order, prefix 0..32) to w; the
 * port owns that one address (ip_n = 1) until the caller widens ip_n.
 * Creates its neighbour table with neigh_max entries.
 * @return the worker_port, or NULL (errno) when full or out of memory.
 */
struct worker_port *worker_add_port(struct worker *w, uint16_t port_id, uint16_t queue,
				    uint8_t index, uint8_t role, const struct rte_ether_addr *mac,
				    uint32_t ip, uint8_t prefix, uint32_t gateway, uint16_t mtu,
				    uint32_t offloads, uint32_t neigh_max);

/**
 * Free what worker_add_port created, and on a software-dispatch port the
 * worker's RX and TX rings (they belong to its worker_port) with the frames
 * still in them. Call once the worker has stopped.
 */
void worker_free(struct worker *w);

/**
 * Register an application on w (main lcore, before launch).
 * @return its slot (0..WORKER_MAX_APPS-1), or -ENOSPC.
 */
int worker_app_add(struct worker *w, const struct app_class *cls, void *obj, bool bounded);

/** The application in slot has finished its bounded work (on the worker). */
static inline void
worker_app_finish(struct worker *w, int slot)
{
	w->apps[slot].done = true;
}

/** Whether the application in slot has finished its bounded work. */
static inline bool
worker_app_done(const struct worker *w, int slot)
{
	return w->apps[slot].done;
}

/** Whether w runs a bounded application that is not done yet. */
bool worker_busy(const struct worker *w);

/**
 * From another thread: ask w to run fn(w, arg) on its lcore (worker_req)
 * and wait up to timeout_us for it. -EBUSY when an earlier request is
 * still unserved (its buffers are still the worker's), -ETIMEDOUT when
 * this one was not served in time (the same holds for it).
 */
int worker_request(struct worker *w, void (*fn)(struct worker *w, void *arg), void *arg,
		   unsigned int timeout_us);

/** Whether the last request handed to w was served (its buffers are free). */
bool worker_request_idle(const struct worker *w);

/** The lcore entry point (rte_eal_remote_launch): loops until *stop. */
int worker_main(void *arg);

/** One iteration of the loop (tests drive it step by step). */
void worker_poll_once(struct worker *w);

/**
 * One iteration of the loop with w->now = now instead of the TSC: a test's
 * own clock (never behind the TSC at tcp_attach or a model's start, and
 * never going back) drives pacing, ramps and timers.
 */
void worker_poll_once_at(struct worker *w, uint64_t now);

/** Process one received frame (takes ownership of m). */
void worker_input(struct worker *w, struct worker_port *wp, struct rte_mbuf *m);

/** Queue m for TX on wp (takes ownership); flushes when the batch is full. */
void worker_tx(struct worker *w, struct worker_port *wp, struct rte_mbuf *m);

/**
 * IPv6 input (input6.c) of a frame whose ethertype is IPv6 on a port with
 * has_ip6: Ethernet destination ours or IPv6 multicast, net_ipv6_check,
 * then ICMPv6 -- echo answered in place, NS for one of our addresses
 * answered with an NA, what a host must accept counted; TCP and UDP go
 * to w->tcp / w->udp input with a net_info for IPv6 (net_info_is_v6);
 * everything else counted under its reason and dropped.
 */
void worker_input6(struct worker *w, struct worker_port *wp, struct rte_mbuf *m, uint8_t *d,
		   uint32_t len);
/** Unsolicited NAs for the port's link-local and (at most 16 of) its addresses. */
void worker_announce6(struct worker *w, struct worker_port *wp);

/** Send the TX batch of wp; frames the port does not take are freed and counted. */
void worker_flush(struct worker *w, struct worker_port *wp);

/**
 * Send an IPv4 frame (Ethernet header present, source MAC set) to dst
 * (network order): picks the next hop (on-link or gateway), fills the
 * destination MAC from the neighbour table, or queues the frame while ARP
 * resolves. Takes ownership of m in every case.
 */
void worker_send_ip(struct worker *w, struct worker_port *wp, struct rte_mbuf *m, rte_be32_t dst);

/**
 * Send an IPv6 frame (Ethernet header present, source MAC set; IPv6 header
 * complete) to dst (16 bytes, network order): the next hop is dst when it
 * is on-link (link-local, or inside the port's ip6 prefix), else the
 * port's IPv6 gateway; the destination MAC comes from the neighbour table
 * (RFC 4861 neighbour discovery), or the frame waits while a solicitation
 * resolves it. Takes ownership of m in every case.
 */
void worker_send_ip6(struct worker *w, struct worker_port *wp, struct rte_mbuf *m,
		     const uint8_t *dst);

/** Whether ip (network order) is one of wp's addresses. */
static inline bool
worker_ip_is_ours(const struct worker_port *wp, rte_be32_t ip)
{
	return net_ip_in_range(ip, wp->ip, wp->ip_n);
}

/** Next hop for dst (network order) on wp: dst itself on-link, else the gateway (0 = none). */
static inline rte_be32_t
worker_next_hop(const struct worker_port *wp, rte_be32_t dst)
{
	return ((dst ^ wp->ip) & wp->netmask) == 0 ? dst : wp->gateway;
}

/* ---- neighbours (neigh.c) ---- */

enum neigh_state {
	NEIGH_NONE = 0,
	NEIGH_INCOMPLETE, /**< ARP request out, waiting */
	NEIGH_REACHABLE,
	NEIGH_FAILED, /**< retries exhausted; a new send restarts resolution */
};

/** Create a table of at most max entries (rte_hash keyed by IPv4). NULL + errno on failure. */
struct neigh_table *neigh_create(const char *name, uint32_t max, int socket);
void neigh_free(struct neigh_table *t);

/** Number of entries in use. */
uint32_t neigh_count(const struct neigh_table *t);

/**
 * State of ip (network order); when REACHABLE and mac != NULL, *mac is filled.
 */
enum neigh_state neigh_get(const struct neigh_table *t, rte_be32_t ip, struct rte_ether_addr *mac);

/**
 * Next-hop MAC for ip on wp: REACHABLE fills mac and returns 0. Otherwise
 * starts (or continues) resolution -- an ARP request goes out now when none
 * is outstanding -- and returns -EAGAIN; -ENOSPC when the table is full.
 */
int neigh_resolve(struct worker *w, struct worker_port *wp, rte_be32_t ip,
		  struct rte_ether_addr *mac);

/**
 * Keep m until ip resolves (at most NEIGH_PENDING per neighbour), then send
 * it. Takes ownership; counts drop_no_neigh when it cannot keep it.
 */
void neigh_queue(struct worker *w, struct worker_port *wp, rte_be32_t ip, struct rte_mbuf *m);

/**
 * Learn ip -> mac (from an ARP request for us or a reply). create: add an
 * entry when there is none (RFC 826: only when we are the target).
 * Sends frames waiting for it.
 */
void neigh_learn(struct worker *w, struct worker_port *wp, rte_be32_t ip,
		 const struct rte_ether_addr *mac, bool create);

/** Retry or fail outstanding resolutions; called every ms. Visits every incomplete entry. */
void neigh_timer(struct worker *w, struct worker_port *wp);

/** Send one ARP request for ip from wp (gratuitous when ip == wp->ip). */
void neigh_send_request(struct worker *w, struct worker_port *wp, rte_be32_t ip);

/**
 * Send one ARP request for ip from our address sip (one of wp's). The target
 * learns sip -> our MAC (RFC 826), so its replies to sip need no ARP of its
 * own: a client announces its extra addresses to its peer this way.
 */
void neigh_send_request_from(struct worker *w, struct worker_port *wp, rte_be32_t sip,
			     rte_be32_t ip);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_STACK_H */
