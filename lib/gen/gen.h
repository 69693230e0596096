/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Load models. Each model is an application on a worker: it installs the
 * worker's app hooks, launches work from its poll hook within its pacing
 * budget, and sets worker->done when its bounded work is finished.
 *
 * ping: ICMP echo requests to one target at full rate (or a set rate), with
 * at most `window` outstanding; replies are checked against the payload
 * pattern; requests without a reply after one second count as lost.
 */
#ifndef SYNACK_GEN_H
#define SYNACK_GEN_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/bulk/bulk.h"
#include "lib/stack/pace.h"
#include "lib/stack/stack.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * One step of a model's start: the next hop towards target (network order)
 * on wp. 0 with *mac filled when it is resolved; -EAGAIN while ARP runs (a
 * request is out); -ENETUNREACH when the target is off-link and the port has
 * no gateway (counted as drop_no_route): the run cannot reach it.
 */
static inline int
gen_next_hop(struct worker *w, struct worker_port *wp, rte_be32_t target,
	     struct rte_ether_addr *mac)
{
	rte_be32_t nh = worker_next_hop(wp, target);

	if (nh == 0) {
		stats_inc(&w->stats, STAT_drop_no_route);
		return -ENETUNREACH;
	}
	return neigh_resolve(w, wp, nh, mac) == 0 ? 0 : -EAGAIN;
}

/* Every model is a worker application (struct app_class, lib/stack): its
 * create or start function registers it with worker_app_add, bounded. */
extern const struct app_class gen_ping_class;
extern const struct app_class gen_http_class;
extern const struct app_class gen_udp_class;
extern const struct app_class gen_bulk_class;

struct gen_ping_conf {
	uint32_t target;  /**< host order */
	uint16_t payload; /**< echo payload bytes */
	uint32_t window;  /**< outstanding requests at most (>= 1) */
	uint64_t rate;	  /**< requests per second, 0 = as fast as it goes */
	uint32_t burst;	  /**< requests built per loop at most */
	uint64_t count;	  /**< stop after this many requests, 0 = until stopped */
};

struct gen_ping;

/** Attach a ping generator to w on wp (installs w->app). NULL + errno on failure. */
struct gen_ping *gen_ping_create(struct worker *w, struct worker_port *wp,
				 const struct gen_ping_conf *conf);

/** True when the target never answered ARP (the run failed: peer unreachable). */
bool gen_ping_failed(const struct gen_ping *g);

void gen_ping_free(struct gen_ping *g);

/* ---- HTTP load models (gen_http.c) ---- */

enum gen_model {
	GEN_CPS = 0, /**< new connection per request, at a rate or as fast as possible */
	GEN_CC,	     /**< hold N connections, a request every interval */
	GEN_RPS,     /**< keep-alive requests, closed loop or open loop at a rate */
};

struct gen_target {
	rte_be32_t ip;
	rte_be16_t port;
};

/**
 * A model's result (app_class.result) when it may fail only by not reaching
 * a target: 0 when !failed, else -1 with the sentence for the first target
 * not resolved (targets[resolved], or targets[0]): "failed: target A is
 * off-link and the port has no gateway" or "failed: target A did not answer
 * ARP".
 */
int gen_fail_result(const struct worker *w, bool failed, const struct gen_target *targets,
		    uint32_t nb_targets, uint32_t resolved, char *why, size_t whylen);

struct gen_http_conf {
	enum gen_model model;
	const struct gen_target *targets; /**< round robin; owned by the caller */
	uint16_t nb_targets;		  /**< 1..GEN_TARGET_MAX */
	uint64_t rate;			  /**< this worker's connections (cps) or requests (rps)
					     per second; 0 = closed loop / as fast as it goes */
	uint32_t concurrency;		  /**< this worker's connections at most */
	uint32_t burst;			  /**< launches per loop at most */
	uint64_t count;		/**< connections (cps) or requests (cc, rps); 0 = no limit */
	uint64_t ramp_up_ms;	/**< linear ramp of rate (cps, rps) or concurrency (cc) */
	uint32_t interval_ms;	/**< cc: request interval, 0 = idle connections */
	uint32_t pipeline;	/**< rps closed loop: requests per batch */
	uint32_t timeout_ms;	/**< response timeout, 0 = none */
	uint32_t max_syn;	/**< this worker's connections in SYN-SENT at most, 0 = no cap */
	bool close_rst;		/**< close with RST instead of FIN */
	const uint8_t *request; /**< request bytes (kept by the caller); NULL = handshake only */
	uint32_t request_len;
	bool head;		   /**< the request is HEAD (responses have no body) */
	uint16_t port_lo, port_hi; /**< this worker's source ports, host order; from each
					     of the client port's ip_n addresses */
};

/** Source (address, port) pairs a gen_http keeps at most (4 bytes each). */
#define GEN_SRC_MAX (1u << 24)

/** Targets a model takes at most (as CFG_MAX_TARGETS). */
#define GEN_TARGET_MAX 16

/**
 * Whether source port p (host order), from our address lip (network order,
 * one of wp's ip_n addresses), is one this worker may use on wp towards
 * target t, so that the replies (t -> lip:p) come back to this worker:
 *  - RSS mode with a known key and RETA (wp->rss): the port's Toeplitz hash
 *    of the reply, as the NIC computes it (rte_softrss_be), selects this
 *    worker's queue through the RETA;
 *  - software dispatch: the symmetric flow hash selects this worker's slot;
 *  - otherwise (one worker, queue pairs such as net_ring or memif): every port.
 * Both hashes cover the whole 4-tuple: with several targets a pair that is
 * ours towards one is in general not towards another, so callers ask per
 * target (the target the connection or flow goes to).
 */
static inline bool
gen_port_is_ours(const struct worker_port *wp, rte_be32_t lip, const struct gen_target *t,
		 uint16_t p)
{
	if (wp->rss != NULL)
		return worker_rss_queue(wp->rss, t->ip, lip, t->port, rte_cpu_to_be_16(p)) ==
		       wp->queue;
	if (wp->disp_nb <= 1)
		return true;
	return worker_flow_slot(worker_flow_hash(lip, t->ip, rte_cpu_to_be_16(p), t->port),
				wp->disp_nb) == wp->disp_slot;
}

struct gen_http;
struct tcp_app;
struct tcp_ctx;
struct tcb;

/**
 * A model on w's client port wp. Fills ops with the callbacks of its
 * connections (gen_http_start registers them). Registers its latency histograms in
 * w->stats. NULL + errno on failure.
 */
struct gen_http *gen_http_create(struct worker *w, struct worker_port *wp,
				 const struct gen_http_conf *conf, struct tcp_app *ops);

/**
 * Register g on its worker (gen_http_class, bounded) and its callbacks on
 * tcp (the worker's TCP context); it launches from its poll hook.
 * @return 0, or -ENOSPC (no application slot left).
 */
int gen_http_start(struct gen_http *g, struct tcp_ctx *tcp);

/** True when a target's next hop never answered ARP (the run failed). */
bool gen_http_failed(const struct gen_http *g);

/** Connections counted against concurrency now. */
uint64_t gen_http_active(const struct gen_http *g);

/** Connections of g in SYN-SENT (what client.max_syn_inflight caps). */
uint32_t gen_http_syn_inflight(const struct gen_http *g);

/**
 * Source (address, port) pairs free now, over every target: at start every
 * pair the worker may use. On a port shared by several workers each pair
 * belongs to one distinct target at most (the first, from a rotating one,
 * towards which gen_port_is_ours() accepts it); otherwise every target
 * shares one pool.
 */
uint32_t gen_http_free_sources(const struct gen_http *g);

/** Of those, the pairs free for target index i (shared with its duplicates). */
uint32_t gen_http_free_sources_of(const struct gen_http *g, uint16_t i);

/**
 * Take the next free pair for target index i, oldest first, as a launch
 * does: lip (network order), port (host order). false when none is free.
 */
bool gen_http_take_source(struct gen_http *g, uint16_t i, rte_be32_t *lip, uint16_t *port);

/** Give a pair taken for target index i back: it is reused after the others free now. */
void gen_http_give_source(struct gen_http *g, uint16_t i, rte_be32_t lip, uint16_t port);

void gen_http_free(struct gen_http *g);

/* ---- the UDP model (gen_udp.c) ---- */

#define GEN_UDP_GRACE_MS 1000 /**< echo: wait this long after the last send for echoes */

struct gen_udp_conf {
	const struct gen_target *targets; /**< round robin; owned by the caller */
	uint16_t nb_targets;		  /**< 1..GEN_TARGET_MAX */
	uint16_t payload;		  /**< UDP payload bytes, >= UDP_SEQ_HLEN (24) */
	uint64_t rate;			  /**< this worker's datagrams per second; 0 = as fast
					     as it goes */
	uint32_t burst;			  /**< datagrams built per loop at most */
	uint64_t count;			  /**< stop sending after this many; 0 = no limit */
	uint64_t duration_ms;		  /**< stop sending after this long; 0 = no limit */
	uint32_t flows;			  /**< flows, round robin: datagram seq goes on flow
					     seq % flows to target seq % nb_targets */
	uint16_t port_lo;		  /**< host order */
	uint16_t port_hi;		  /**< towards each target the flows' ports are the
					     first `flows` ports of port_lo..port_hi that
					     gen_port_is_ours() accepts towards it
					     (0 = port_lo + flows - 1) */
	bool echo;			  /**< expect echoes: RTT, loss, reordering, duplicates */
	uint32_t window;		  /**< echo, rate 0: datagrams in flight at most */
};

struct gen_udp;
struct udp_ctx;

/**
 * The udp model on w's client port wp; registers HIST_rtt in w->stats.
 * NULL + errno: EINVAL (no target, no flow, ports beyond 65535, payload
 * below the sequence header), EMSGSIZE (payload does not fit the MTU or an
 * mbuf), ERANGE (fewer than `flows` ports of the range are this worker's
 * towards a target), ENOMEM. Visits every port of the range once per
 * distinct target at most.
 */
struct gen_udp *gen_udp_create(struct worker *w, struct worker_port *wp,
			       const struct gen_udp_conf *conf);

/**
 * Bind the source ports on udp (the worker's UDP context) and register g on
 * its worker (gen_udp_class, bounded): it sends from its poll hook.
 * @return 0, -EADDRINUSE (a flow port belongs to another application:
 * gen_udp_busy_port tells which), -ENOSPC (no application slot left).
 */
int gen_udp_start(struct gen_udp *g, struct udp_ctx *udp);

/** The flow port that made gen_udp_start fail with -EADDRINUSE. */
uint16_t gen_udp_busy_port(const struct gen_udp *g);

/** True when a target's next hop never answered ARP (or there is no route). */
bool gen_udp_failed(const struct gen_udp *g);

/**
 * The run stopped before the model finished (SIGINT, run.duration): count
 * every datagram not echoed yet as lost. Call after the worker stopped.
 */
void gen_udp_stop(struct gen_udp *g);

void gen_udp_free(struct gen_udp *g);

/* ---- the throughput model (gen_bulk.c), on lib/bulk's shared pieces ---- */

#define GEN_BULK_GRACE_MS \
	10000 /**< after duration: wait this long for the closes (a live
					     peer drains at once; lcores sharing a loaded CPU
					     have taken over 2 s to drain the last windows) */

/* The throughput model: `connections` connections from w's client port to
 * the targets (round robin), each sending (and/or receiving) as fast as
 * window and cwnd allow; at duration_ms every connection closes with FIN
 * after its queued data, and the model is done once every close completed
 * (TIME-WAIT or closed), or GEN_BULK_GRACE_MS later (the rest are aborted). */

struct gen_bulk_conf {
	const struct gen_target *targets; /**< round robin; owned by the caller */
	uint16_t nb_targets;
	uint32_t connections; /**< this worker's */
	enum bulk_dir dir;
	uint32_t write_size;	   /**< bytes per tcp_send, 1..BULK_PATTERN_LEN */
	uint64_t duration_ms;	   /**< 0 = until stopped */
	uint32_t burst;		   /**< connections opened per loop at most */
	uint16_t port_lo, port_hi; /**< this worker's source ports, host order: connection
					     i takes the next one gen_port_is_ours() accepts
					     towards its target */
};

struct gen_bulk;

/**
 * The model on w's client port wp. Fills ops with the callbacks for active
 * connections (tcp_set_client_app); registers HIST_srtt. NULL + errno
 * (EINVAL: no target, write_size out of range, fewer ports than
 * connections; ERANGE: fewer ports of the range are this worker's than
 * connections; ENOMEM). Visits the ports of the range once.
 */
struct gen_bulk *gen_bulk_create(struct worker *w, struct worker_port *wp,
				 const struct gen_bulk_conf *conf, struct tcp_app *ops);

/**
 * Register g on its worker (gen_bulk_class, bounded) and its callbacks on
 * tcp; it opens its connections from its poll hook.
 * @return 0, or -ENOSPC (no application slot left).
 */
int gen_bulk_start(struct gen_bulk *g, struct tcp_ctx *tcp);

/** True when a target's next hop never answered ARP. */
bool gen_bulk_failed(const struct gen_bulk *g);

void gen_bulk_free(struct gen_bulk *g);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_GEN_H */
