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

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_GEN_H */
