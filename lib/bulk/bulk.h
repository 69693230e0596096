/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bulk TCP pieces: the shared payload pattern, a source and an RTT/cwnd
 * probe that every bulk sender reuses (the throughput model in lib/gen,
 * lib/iperf), and the bulk server ([server] bulk), an application of its
 * own. Protocol and byte accounting: bulk.c.
 */
#ifndef SYNACK_BULK_H
#define SYNACK_BULK_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/stack/stack.h"
#include "lib/tcp/tcp.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BULK_PATTERN_LEN (1u << 20) /**< the shared payload: write sizes up to this */
#define BULK_DEPTH	 3	    /**< chunks a source keeps queued */
#define BULK_HDR_LEN	 8	    /**< "SYNB", direction, 3 zero bytes */
#define BULK_MAGIC	 "SYNB"

/** Which way data flows on a bulk connection, from the client's side (bits). */
enum bulk_dir {
	BULK_SEND = 1, /**< client -> server */
	BULK_RECV = 2, /**< server -> client */
	BULK_BOTH = 3,
};

/**
 * The payload every bulk sender queues: BULK_PATTERN_LEN read-only bytes,
 * built once (the first call, on the main lcore before the workers run),
 * shared by every worker. Its first byte is never 'S', so a stream never
 * starts like the bulk header.
 */
const uint8_t *bulk_pattern(void);

/**
 * Move the bulk payload into DPDK memory (rte_malloc, after EAL init, on the
 * main lcore before the workers run), so that ports whose TX reads the
 * payload by IOVA (virtio, PCI NICs: PORT_OFF_TX_DMA) can send it zero-copy
 * and in TSO frames. Later bulk_pattern() calls return the copy.
 * @return 0, or -ENOMEM (the static copy stays: payload is copied per segment).
 */
int bulk_pattern_dpdk(void);

/**
 * A source on one connection (lives in the TCB's app area): keeps up to
 * BULK_DEPTH chunks of the pattern queued with tcp_send -- referenced,
 * not copied -- and tops the queue up as the peer acknowledges.
 */
struct bulk_src {
	uint64_t left;	 /**< bytes still to queue; UINT64_MAX = until stopped */
	uint32_t queued; /**< bytes queued and not yet acknowledged */
	uint32_t chunk;	 /**< bytes per tcp_send, 1..BULK_PATTERN_LEN */
};

/**
 * Queue chunks until BULK_DEPTH are outstanding or left is spent. At
 * most BULK_DEPTH tcp_send calls. @return 0, or tcp_send's -ENOBUFS
 * (send queue pool empty: the next bulk_src_acked() retries) or
 * -ENOTCONN.
 */
int bulk_src_fill(struct tcp_ctx *c, struct tcb *t, struct bulk_src *s);

/** The sent() callback's acked bytes of s's data: they leave the queue. */
static inline void
bulk_src_acked(struct bulk_src *s, uint32_t acked)
{
	s->queued = acked < s->queued ? s->queued - acked : 0;
}

/**
 * cwnd and RTT of one sending connection, published as the worker's gauges
 * bulk_senders / bulk_cwnd / bulk_srtt_us (sums kept up to date in O(1))
 * and sampled into HIST_srtt at most once per ms. Zeroed with the app area.
 */
struct bulk_probe {
	uint32_t cwnd; /**< last published */
	uint32_t srtt_us;
	uint32_t last_ms; /**< last histogram sample, worker ms clock */
	uint32_t on;	  /**< counted in bulk_senders */
};

/** Publish t's cwnd/srtt now (call from sent()). */
void bulk_probe_update(struct worker *w, struct tcb *t, struct bulk_probe *p);

/** t stops sending or closes: take it out of the gauges. */
void bulk_probe_end(struct worker *w, struct bulk_probe *p);

/* The bulk server ([server] bulk): sinks what it receives; when the first
 * BULK_HDR_LEN bytes are the header with BULK_RECV set, it sources
 * the pattern until the client closes, then closes after the queued data. */

struct bulk_server_conf {
	uint16_t port;	     /**< TCP port to listen on, host order */
	uint32_t write_size; /**< bytes per tcp_send when sourcing */
};

struct bulk_server;

/** The bulk server is a worker application (unbounded). */
extern const struct app_class bulk_server_class;

/**
 * A bulk server on w, listening on conf->port of tcp (w's TCP context) and
 * registered on w. NULL + errno: EINVAL (write_size), EADDRINUSE (another
 * application listens there), ENOSPC (no application slot), ENOMEM.
 */
struct bulk_server *bulk_server_create(struct worker *w, struct tcp_ctx *tcp,
				       const struct bulk_server_conf *conf);
void bulk_server_free(struct bulk_server *s);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_BULK_H */
