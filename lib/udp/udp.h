/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UDP (RFC 768) on a worker: a port table, the echo and sink services, the
 * ICMP port unreachable answer for closed ports, and the sequence tracker
 * that the sink and the client model share.
 *
 * One struct udp_ctx per worker, attached with udp_attach() (w->udp). Every
 * valid datagram for us goes to what its destination port is bound to:
 *
 *   echo  sent back in place (MACs, IPs and ports swapped, TTL 64);
 *   sink  counted (datagrams, payload bytes) and, when the payload starts
 *         with synack's sequence header, checked for loss, reordering and
 *         duplicates per sender;
 *   app   handed to the application callback (the client model's ports);
 *   none  dropped as drop_udp_no_port and answered with ICMP port
 *         unreachable (type 3 code 3, the original IP header + 8 bytes),
 *         at most unreach_rate per second per worker (token bucket, bursts of
 *         at most UDP_UNREACH_BURST), never to a frame sent to a broadcast or
 *         multicast MAC.
 *
 * Checksums: a nonzero checksum is verified (trusting the port's RX offload
 * flags when it has them), a zero one means "none" and is accepted and
 * counted (udp_zero_csum).
 */
#ifndef SYNACK_UDP_H
#define SYNACK_UDP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "lib/stack/stack.h"

#ifdef __cplusplus
extern "C" {
#endif

#define UDP_UNREACH_BURST 50u /**< ICMP unreachables sent back to back at most (as Linux) */

/** What a local port is bound to. */
enum udp_port_kind {
	UDP_PORT_NONE = 0, /**< closed: ICMP port unreachable */
	UDP_PORT_ECHO,	   /**< echo in place */
	UDP_PORT_SINK,	   /**< count and discard */
	UDP_PORT_APP,	   /**< the application callback (udp_set_app) */
};

struct udp_conf {
	uint32_t unreach_rate; /**< ICMP port unreachables per second, 0 = never */
};

struct udp_ctx;

/** A received datagram as the application sees it (valid during the call). */
struct udp_dgram {
	struct worker_port *wp;	 /**< where it came in */
	rte_be32_t sip, dip;	 /**< network order */
	rte_be16_t sport, dport; /**< network order */
	const uint8_t *data;	 /**< payload */
	uint32_t len;		 /**< payload bytes (from the UDP length field) */
};

struct udp_app {
	/** A datagram to a UDP_PORT_APP port; the mbuf is freed after the call. */
	void (*recv)(struct udp_ctx *c, const struct udp_dgram *d, void *arg);
	void *arg;
};

/**
 * Create the UDP context of worker w and attach it (w->udp). Every port
 * starts closed. NULL + errno on failure.
 */
struct udp_ctx *udp_attach(struct worker *w, const struct udp_conf *conf);
void udp_detach(struct udp_ctx *c);

#define UDP_MAX_APPS 8 /**< applications per context */

/**
 * Bind local port (host order) to kind; UDP_PORT_NONE closes it (always
 * allowed); UDP_PORT_APP binds it to udp_set_app's application.
 * @return 0, -EADDRINUSE when the port is bound to another kind or
 * application, -EINVAL (UDP_PORT_APP with no application).
 */
int udp_bind(struct udp_ctx *c, uint16_t port, enum udp_port_kind kind);

/**
 * Add an application (its callbacks; the same ones twice give the same
 * slot). Each port belongs to at most one: datagrams go to the owner of
 * their destination port.
 * @return the slot (0..UDP_MAX_APPS-1), or -ENOSPC.
 */
int udp_app_add(struct udp_ctx *c, const struct udp_app *app);

/**
 * Bind port (host order) to the application in slot app.
 * @return 0, -EADDRINUSE (bound to something else), -EINVAL (no such slot).
 */
int udp_bind_app(struct udp_ctx *c, uint16_t port, int app);

/** What port (host order) is bound to. */
enum udp_port_kind udp_port_kind(const struct udp_ctx *c, uint16_t port);

/** The application slot that owns port (host order), -1 when none does. */
int udp_port_app(const struct udp_ctx *c, uint16_t port);

/**
 * Add app (udp_app_add) and make it the one udp_bind(UDP_PORT_APP) binds to.
 * @return its slot, or -ENOSPC.
 */
int udp_set_app(struct udp_ctx *c, const struct udp_app *app);

/*
 * The echo and sink services as a worker application (udp_services_class):
 * one object per worker owning the [udp] echo and sink ports.
 */
struct udp_services;
extern const struct app_class udp_services_class;

/**
 * Bind echo[0..nb_echo) as UDP_PORT_ECHO and sink[0..nb_sink) as
 * UDP_PORT_SINK on c and register the services on c's worker.
 * NULL + errno: EADDRINUSE (*busy = the port another application owns;
 * nothing stays bound), ENOSPC (no application slot), ENOMEM.
 */
struct udp_services *udp_services_create(struct udp_ctx *c, const uint16_t *echo,
					 unsigned int nb_echo, const uint16_t *sink,
					 unsigned int nb_sink, uint16_t *busy);
void udp_services_free(struct udp_services *s);

/** The worker of c. */
struct worker *udp_worker(const struct udp_ctx *c);

/** The input hook (w->udp.input); exported for tests and fuzzers. */
void udp_input(struct worker *w, struct worker_port *wp, struct rte_mbuf *m,
	       const struct net_info *ni, void *ctx);

/* ---- the sequence header and tracker (client model udp, sink) ---- */

#define UDP_SEQ_MAGIC  0x53594e4bu /**< "SYNK" */
#define UDP_SEQ_ECHO   0x0001u	   /**< flags: the sender expects an echo */
#define UDP_SEQ_WINDOW 4096u	   /**< sequence numbers remembered for duplicates */

/**
 * The first bytes of a sequenced payload. magic, worker, flags and seq in
 * network order; tsc is the sender's clock, opaque to anyone else (host order).
 */
struct udp_seq_hdr {
	rte_be32_t magic;  /**< UDP_SEQ_MAGIC */
	rte_be16_t worker; /**< sending worker id */
	rte_be16_t flags;  /**< UDP_SEQ_* */
	rte_be64_t seq;	   /**< per sending worker, from 0 */
	uint64_t tsc;	   /**< send time, sender's TSC */
} __rte_packed;

#define UDP_SEQ_HLEN ((uint32_t)sizeof(struct udp_seq_hdr)) /**< 24 */

enum udp_seq_result {
	UDP_SEQ_NEW = 0, /**< first time seen, highest so far */
	UDP_SEQ_LATE,	 /**< first time seen, below the highest (reordered) */
	UDP_SEQ_DUP,	 /**< seen already */
	UDP_SEQ_OLD,	 /**< below the window: cannot tell (counted as late) */
};

/** Which of the last UDP_SEQ_WINDOW sequence numbers were seen. Zero it to start. */
struct udp_seq {
	uint64_t highest; /**< highest seen */
	uint64_t base;	  /**< first seen: lower ones are not counted missing */
	bool any;	  /**< something seen */
	uint64_t bits[UDP_SEQ_WINDOW / 64];
};

/**
 * Record seq. *missing (may be NULL) gets how many sequence numbers left the
 * window unseen because of this one (lost, unless they come later than the
 * window). Work: O(1) amortised (each slot cleared once per wrap).
 */
enum udp_seq_result udp_seq_track(struct udp_seq *s, uint64_t seq, uint64_t *missing);

/**
 * The bound UDP ports of c (host order, ascending) and what each is bound
 * to, at most max. The port table is one byte per port, so another thread
 * may read it (byte loads, relaxed).
 * @return how many there are (may exceed max).
 */
uint32_t udp_bound(const struct udp_ctx *c, uint16_t *ports, enum udp_port_kind *kinds,
		   uint32_t max);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_UDP_H */
