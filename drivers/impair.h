/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Link impairment on ethdev RX/TX callbacks, for any PMD: loss (uniform and
 * Gilbert-Elliott bursts), delay with jitter, reordering, duplication,
 * corruption and a rate limit, per port and direction, seeded and
 * reproducible (its own PRNG, not rte_rand).
 *
 * Each (port, queue, direction) has one struct impair_q, touched only by the
 * lcore that polls that queue: the callbacks run inside rte_eth_rx_burst /
 * rte_eth_tx_burst on the worker and neither lock, allocate (other than
 * mbufs from a mempool for copies) nor make syscalls. Packets held back
 * (delay, jitter, reordering, rate shaping) wait in a bounded time-ordered
 * heap per queue; when it is full the packet is dropped and counted.
 *
 *  RX: packets due are appended to a later rx_burst of the same queue.
 *  TX: the callback takes packets out of the burst; the ones due are sent
 *      by impair_tx_flush(), which the worker loop calls every iteration.
 *      The caller of rte_eth_tx_burst learns how many packets the callback
 *      took (impair_tx_taken) so that it frees only what the port refused.
 *
 * drivers/ is a leaf: counters are plain uint64_t slots that the app points
 * at its own per-worker statistics (IMPAIR_CTR_* order).
 */
#ifndef SYNACK_IMPAIR_H
#define SYNACK_IMPAIR_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rte_mbuf;

#define IMPAIR_PPM 1000000u /**< probabilities are parts per million */

/** What one direction of one port does to its packets. All 0 = nothing. */
struct impair_conf {
	uint32_t loss;	    /**< ppm, uniform (in the good state when ge_p is set) */
	uint32_t ge_p;	    /**< Gilbert-Elliott: ppm per packet good -> bad; 0 = off */
	uint32_t ge_r;	    /**< ppm per packet bad -> good */
	uint32_t ge_loss;   /**< ppm loss in the bad state */
	uint32_t delay_us;  /**< fixed one-way delay */
	uint32_t jitter_us; /**< uniform +- around delay (may reorder, as netem) */
	uint32_t reorder;   /**< ppm of packets held back reorder_us more */
	uint32_t reorder_us;
	uint32_t dup;		/**< ppm duplicated (a deep copy follows the original) */
	uint32_t corrupt;	/**< ppm with one bit flipped past the Ethernet header */
	uint64_t rate_bps;	/**< token-bucket rate limit, bits/s (L2 frame); 0 = off */
	uint32_t burst_bytes;	/**< bucket depth */
	uint32_t rate_queue_us; /**< longest a packet waits for tokens, else dropped */
	uint32_t limit;		/**< packets held per queue at most */
	uint64_t seed;		/**< PRNG seed (each queue and direction derives its own) */
};

/** Counters, in this order at impair_q.ctr (the app's statistics slots). */
enum impair_ctr {
	IMPAIR_CTR_DROPPED,	 /**< lost (uniform or GE) */
	IMPAIR_CTR_DELAYED,	 /**< held for delay/jitter */
	IMPAIR_CTR_REORDERED,	 /**< held back for reordering */
	IMPAIR_CTR_DUPLICATED,	 /**< copies added */
	IMPAIR_CTR_CORRUPTED,	 /**< bit flipped */
	IMPAIR_CTR_RATE_DROPPED, /**< over the rate limit's queue */
	IMPAIR_CTR_OVERFLOW,	 /**< held buffer full: dropped */
	IMPAIR_CTR_NOMBUF,	 /**< no mbuf for a copy (dup/corrupt skipped) */
	IMPAIR_CTR_MAX
};

/** Whether c impairs anything. */
bool impair_conf_active(const struct impair_conf *c);

/** The PRNG (xoshiro256**, seeded through splitmix64). */
struct impair_rng {
	uint64_t s[4];
};
void impair_rng_seed(struct impair_rng *r, uint64_t seed);
uint64_t impair_rng_next(struct impair_rng *r);
/** true with probability ppm / 10^6 */
bool impair_rng_ppm(struct impair_rng *r, uint32_t ppm);

struct impair_held {
	uint64_t at;  /**< TSC it is due */
	uint64_t seq; /**< arrival order: ties keep FIFO */
	struct rte_mbuf *m;
};

/** One direction of one queue. */
struct impair_q {
	struct impair_conf conf;
	struct impair_rng rng;
	bool ge_bad;	/**< Gilbert-Elliott state */
	bool tx;	/**< TX direction */
	bool flushing;	/**< TX: impair_tx_flush is sending, pass through */
	uint16_t taken; /**< TX: packets the last callback took out of the burst */
	uint16_t port_id, queue;
	uint64_t hz;	    /**< TSC per second */
	uint64_t rate_free; /**< token bucket: TSC the bucket is empty up to (GCRA) */
	uint64_t seq;
	uint32_t n, cap; /**< held heap */
	struct impair_held *heap;
	uint64_t *ctr; /**< IMPAIR_CTR_MAX counters (never NULL: own storage by default) */
	uint64_t own_ctr[IMPAIR_CTR_MAX];
	void *rxcb, *txcb; /**< ethdev callback handles */
};

/**
 * Set up q for one direction (on the main lcore: allocates the heap).
 * seed_salt separates queues and directions of one seed.
 * @return 0, or -ENOMEM.
 */
int impair_q_init(struct impair_q *q, const struct impair_conf *c, bool tx, uint16_t port_id,
		  uint16_t queue, uint64_t hz, uint64_t seed_salt);
/** Free the held packets and the heap. */
void impair_q_fini(struct impair_q *q);

/**
 * The decision for one packet at TSC now: 0 = freed or taken into the held
 * heap, 1 = goes on now (pkt unchanged or replaced by a private copy in *pm).
 * Used by both callbacks; exposed for tests.
 */
int impair_one(struct impair_q *q, struct rte_mbuf **pm, uint64_t now);
/**
 * Pop at most max packets due at now into out (in due order).
 * @return the count.
 */
uint16_t impair_release(struct impair_q *q, uint64_t now, struct rte_mbuf **out, uint16_t max);

/**
 * Burst through q: the packets that go on now are compacted to the front of
 * pkts; then (RX) due held ones are appended up to max.
 * @return the new count.
 */
uint16_t impair_burst(struct impair_q *q, struct rte_mbuf **pkts, uint16_t n, uint16_t max,
		      uint64_t now);

/**
 * Register q as the RX (q->tx false) or TX callback of its (port, queue).
 * The port must be configured; call before the workers start.
 * @return 0 or a negative errno.
 */
int impair_attach(struct impair_q *q);
/** Remove the callback (workers stopped), then impair_q_fini. */
void impair_detach(struct impair_q *q);

/** TX: send what is due (the worker loop, on the queue's lcore). */
void impair_tx_flush(struct impair_q *q, uint64_t now);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_IMPAIR_H */
