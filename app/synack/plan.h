/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The plan: from the config alone, which worker owns which (port, queue)
 * pairs, which applications each worker runs, each client worker's share of
 * the load, and every error the config alone decides -- found before EAL
 * starts, printed as FILE:SECTION:KEY: what is wrong. A pure function of
 * struct cfg: no EAL, no allocation, unit-tested (tests/unit/test_plan.cc).
 *
 * One refinement needs the devices: a port in dispatch = auto whose driver
 * turns out to have no usable RSS falls back to software dispatch
 * (plan_dispatch), decided in setup once the port is probed.
 */
#ifndef SYNACK_PLAN_H
#define SYNACK_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/synack/segment.h"
#include "drivers/port.h"
#include "lib/config/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Applications a worker runs (struct plan_worker.apps). */
enum plan_app {
	PLAN_HTTP_SERVER = 1 << 0,  /**< [server] listen */
	PLAN_BULK_SERVER = 1 << 1,  /**< [server] bulk */
	PLAN_UDP_SERVICES = 1 << 2, /**< [udp] echo, sink */
	PLAN_IPERF_SERVER = 1 << 3, /**< [iperf] listen */
	PLAN_MODEL = 1 << 4,	    /**< client.model on its client port */
};

/** The model's share on one client worker. */
struct plan_share {
	uint64_t count;		   /**< connections / requests / datagrams, 0 = no limit */
	uint64_t rate;		   /**< per second, 0 = as fast as it goes */
	uint32_t conc;		   /**< concurrency (>= 1) */
	uint16_t port_lo, port_hi; /**< its slice of client.ports (unfiltered ports) */
	uint32_t span;		   /**< ports per client worker */
	uint32_t flows;		   /**< model udp: its flows */
};

struct plan_worker {
	uint8_t role;	     /**< WORKER_ROLE_* over its ports */
	uint32_t apps;	     /**< enum plan_app bits */
	unsigned int client; /**< index among the client workers (PLAN_MODEL) */
	struct plan_share share;
};

struct plan {
	unsigned int nb_workers;
	unsigned int nb_clients;			/**< workers with a client port */
	unsigned int nb_servers;			/**< workers with a server port */
	uint16_t nb_queues[CFG_MAX_PORTS];		/**< queues per port */
	uint16_t owner[CFG_MAX_PORTS][PORT_MAX_QUEUES]; /**< [port][queue or slot] -> worker */
	uint16_t nb_owners[CFG_MAX_PORTS];		/**< workers on the port */
	uint8_t role[CFG_MAX_PORTS];			/**< WORKER_ROLE_* of the port */
	bool disp[CFG_MAX_PORTS]; /**< software dispatch: one queue, owner[p][0] polls it */
	struct plan_worker w[CFG_MAX_LCORES];
	bool http_model, udp_model, bulk_model, iperf_model;
	struct segment seg;	 /**< this process's segment of the whole (run.segment) */
	struct segment_share ss; /**< its share, which the client workers split */
	bool seg_idle;		 /**< the segment gets no share of something: no model runs */
	char seg_note[320];	 /**< why, when seg_idle */
	uint64_t grace_ms;	 /**< after run.duration: how long the model may finish */
	unsigned int mbuf_size;	 /**< mbuf data room for the largest MTU */
	unsigned int eal_mem_mb; /**< memory to ask EAL for with --no-huge */
};

/**
 * Build pl from cfg (and, with run.segment_from_env, that variable).
 * @return 0, or -1 with "FILE:SECTION:KEY: what is wrong" in err.
 */
int plan_build(const struct cfg *cfg, struct plan *pl, char *err, size_t errlen);

/** Port p falls back to software dispatch (its driver has no usable RSS). */
void plan_dispatch(struct plan *pl, unsigned int p);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_PLAN_H */
