/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/iperf internals shared by iperf_server.c and iperf_client.c. */
#ifndef SYNACK_IPERF_PRIV_H
#define SYNACK_IPERF_PRIV_H

#include <stdint.h>

#include "iperf.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IPERF_SRV_BLOCK	    (1024u * 1024u)	     /**< pseudo-random bytes TCP streams send */
#define IPERF_SRV_CHUNK	    (64u * 1024u)	     /**< bytes per tcp_send */
#define IPERF_SRV_INFLIGHT  (512u * 1024u)	     /**< bytes queued per stream at most */
#define IPERF_OUT_MAX	    (IPERF_JSON_MAX + 1024u) /**< control output per test */
#define IPERF_SRV_DGRAM_MAX 9000u		     /**< largest UDP payload built */
#define IPERF_SRV_UDP_BURST 32u			     /**< datagrams per stream per loop at most */

/** Fill len bytes with a xorshift sequence from seed (iperf3 sends random data too). */
static inline void
iperf_fill_random(uint8_t *p, uint32_t len, uint64_t seed)
{
	uint64_t x = seed | 1;

	for (uint32_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)(x >> 24);
	}
}

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_IPERF_PRIV_H */
