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

#include <stdbool.h>
#include <stdint.h>

#include "lib/stack/stack.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Missed launches a paced model makes up after a stall (descheduled vCPU). */
#define GEN_PACE_CATCHUP_MS 50

/**
 * Token bucket on the TSC shared by the paced models: tokens are kept in
 * units of 1/hz launch so the loop needs no division but one. Adds what
 * elapsed since *last at rate per second, bounded to the larger of burst and
 * GEN_PACE_CATCHUP_MS worth, and returns the launches available now; the
 * caller takes what it launched with gen_pace_take().
 */
static inline uint64_t
gen_pace(uint64_t *tokens, uint64_t *last, uint64_t now, uint64_t rate, uint64_t hz,
	 uint32_t burst)
{
	uint64_t dt = now - *last;
	uint64_t cap = rate * GEN_PACE_CATCHUP_MS / 1000;

	if (dt > hz)
		dt = hz;
	*last = now;
	if (cap < burst)
		cap = burst;
	*tokens += dt * rate;
	if (*tokens > cap * hz)
		*tokens = cap * hz;
	return *tokens / hz;
}

static inline void
gen_pace_take(uint64_t *tokens, uint64_t n, uint64_t hz)
{
	*tokens -= n * hz;
}

struct gen_ping_conf {
	uint32_t target;	/**< host order */
	uint16_t payload;	/**< echo payload bytes */
	uint32_t window;	/**< outstanding requests at most (>= 1) */
	uint64_t rate;		/**< requests per second, 0 = as fast as it goes */
	uint32_t burst;		/**< requests built per loop at most */
	uint64_t count;		/**< stop after this many requests, 0 = until stopped */
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
	GEN_CPS = 0,	/**< new connection per request, at a rate or as fast as possible */
	GEN_CC,		/**< hold N connections, a request every interval */
	GEN_RPS,	/**< keep-alive requests, closed loop or open loop at a rate */
};

struct gen_target {
	rte_be32_t ip;
	rte_be16_t port;
};

struct gen_http_conf {
	enum gen_model model;
	const struct gen_target *targets;	/**< round robin; owned by the caller */
	uint16_t nb_targets;
	uint64_t rate;			/**< this worker's connections (cps) or requests (rps)
					     per second; 0 = closed loop / as fast as it goes */
	uint32_t concurrency;		/**< this worker's connections at most */
	uint32_t burst;			/**< launches per loop at most */
	uint64_t count;			/**< connections (cps) or requests (cc, rps); 0 = no limit */
	uint64_t ramp_up_ms;		/**< linear ramp of rate (cps, rps) or concurrency (cc) */
	uint32_t interval_ms;		/**< cc: request interval, 0 = idle connections */
	uint32_t pipeline;		/**< rps closed loop: requests per batch */
	uint32_t timeout_ms;		/**< response timeout, 0 = none */
	bool close_rst;			/**< close with RST instead of FIN */
	const uint8_t *request;		/**< request bytes (kept by the caller); NULL = handshake only */
	uint32_t request_len;
	bool head;			/**< the request is HEAD (responses have no body) */
	uint16_t port_lo, port_hi;	/**< this worker's source ports, host order */
};

struct gen_http;
struct tcp_app;
struct tcp_ctx;

/**
 * A model on w's client port wp. Fills ops with the callbacks for active
 * connections (tcp_set_client_app). Registers its latency histograms in
 * w->stats. NULL + errno on failure.
 */
struct gen_http *gen_http_create(struct worker *w, struct worker_port *wp,
				 const struct gen_http_conf *conf, struct tcp_app *ops);

/** Start launching from w's poll hook, on the TCP context of w. */
void gen_http_start(struct gen_http *g, struct tcp_ctx *tcp);

/** True when a target's next hop never answered ARP (the run failed). */
bool gen_http_failed(const struct gen_http *g);

/** Connections counted against concurrency now. */
uint64_t gen_http_active(const struct gen_http *g);

void gen_http_free(struct gen_http *g);

/* ---- the UDP model (gen_udp.c) ---- */

#define GEN_UDP_GRACE_MS 1000	/**< echo: wait this long after the last send for echoes */

struct gen_udp_conf {
	const struct gen_target *targets;	/**< round robin; owned by the caller */
	uint16_t nb_targets;
	uint16_t payload;		/**< UDP payload bytes, >= UDP_SEQ_HLEN (24) */
	uint64_t rate;			/**< this worker's datagrams per second; 0 = as fast
					     as it goes */
	uint32_t burst;			/**< datagrams built per loop at most */
	uint64_t count;			/**< stop sending after this many; 0 = no limit */
	uint64_t duration_ms;		/**< stop sending after this long; 0 = no limit */
	uint32_t flows;			/**< source ports port_lo .. port_lo + flows - 1 */
	uint16_t port_lo;		/**< host order */
	bool echo;			/**< expect echoes: RTT, loss, reordering, duplicates */
	uint32_t window;		/**< echo, rate 0: datagrams in flight at most */
};

struct gen_udp;
struct udp_ctx;

/**
 * The udp model on w's client port wp; registers HIST_rtt in w->stats.
 * NULL + errno: EINVAL (no target, no flow, ports beyond 65535, payload
 * below the sequence header), EMSGSIZE (payload does not fit the MTU or an
 * mbuf), ENOMEM.
 */
struct gen_udp *gen_udp_create(struct worker *w, struct worker_port *wp,
			       const struct gen_udp_conf *conf);

/** Bind the source ports on udp (the worker's UDP context) and start from w's poll hook. */
void gen_udp_start(struct gen_udp *g, struct udp_ctx *udp);

/** True when a target's next hop never answered ARP (or there is no route). */
bool gen_udp_failed(const struct gen_udp *g);

/**
 * The run stopped before the model finished (SIGINT, run.duration): count
 * every datagram not echoed yet as lost. Call after the worker stopped.
 */
void gen_udp_stop(struct gen_udp *g);

void gen_udp_free(struct gen_udp *g);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_GEN_H */
