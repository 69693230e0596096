/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet capture into a pcapng file ([capture], docs/config.md).
 *
 * The workers copy what they receive and send (rte_pcapng_copy, from a
 * per-worker mempool, after an optional rte_bpf filter compiled from a pcap
 * expression) into a per-worker single-producer ring: no syscall, no lock.
 * The main lcore drains the rings and writes the file (capture_drain), or,
 * with a limit, keeps the newest packets in memory and writes them at the end
 * (capture_close), with the ports' receive/drop statistics in interface
 * statistics blocks. A full ring or an empty pool is counted, never waited on.
 */
#ifndef SYNACK_CAPTURE_H
#define SYNACK_CAPTURE_H

#include <stdint.h>
#include <stdio.h>

#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

struct capture;

/** One worker's part: the worker writes only this. */
struct capture_q {
	struct rte_ring *ring;	  /**< copies for the main lcore (SP/SC) */
	struct rte_mempool *pool; /**< where the copies come from */
	struct rte_bpf *bpf;	  /**< NULL = everything */
	uint32_t snaplen;
	uint64_t base_tsc, base_ns, hz; /**< wall clock = base_ns + (tsc - base_tsc) / hz */
	uint64_t taken;			/**< copies queued */
	uint64_t drop_pool;		/**< not copied: pool empty */
	uint64_t drop_ring;		/**< copied, then dropped: ring full */
} __rte_cache_aligned;

struct capture_conf {
	const char *file;
	uint32_t snaplen;     /**< bytes of each frame kept, 1..65535 */
	uint64_t limit_pkts;  /**< newest packets kept; 0 = no limit (written as they come) */
	uint64_t limit_bytes; /**< newest bytes kept (frames as captured); 0 = no limit */
	const char *filter;   /**< pcap expression; "" = everything */
	uint32_t pool_size;   /**< copies in flight per worker */
};

/**
 * Check a pcap filter expression (before EAL): 0, or -1 with libpcap's
 * message in err.
 */
int capture_filter_check(const char *expr, uint32_t snaplen, char *err, size_t errlen);

/**
 * Open the file (after the ports are configured: 22.11 writes one interface
 * block per port at open) and make nb_workers queues on the given sockets.
 * @return NULL with err filled on failure.
 */
struct capture *capture_open(const struct capture_conf *conf, unsigned int nb_workers,
			     const int *socket, char *err, size_t errlen);

/** Worker w's queue (set it as worker->cap). */
struct capture_q *capture_queue(struct capture *c, unsigned int w);

/** Main lcore: write (or keep, under a limit) what the workers queued. */
void capture_drain(struct capture *c);

/**
 * Main lcore, workers stopped: the last packets, the kept ones, one
 * statistics block per port (ifrecv = ipackets, ifdrop = imissed + rx_nombuf),
 * close. Prints one line of what was captured and dropped to out.
 */
void capture_close(struct capture *c, FILE *out);

/** Worker: copy the frames that pass the filter (dir: 1 in, 2 out). */
void capture_burst(struct capture_q *q, uint16_t port_id, uint16_t queue, struct rte_mbuf **m,
		   uint16_t n, int dir, uint64_t tsc);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_CAPTURE_H */
