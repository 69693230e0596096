/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pacing below the applications: a token bucket on the TSC. It lives in
 * lib/stack so that every application (load models in lib/gen, iperf3 in
 * lib/iperf) paces the same way without depending on one another.
 */
#ifndef SYNACK_PACE_H
#define SYNACK_PACE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Missed launches a paced model makes up after a stall (descheduled vCPU). */
#define PACE_CATCHUP_MS 50

/**
 * Token bucket on the TSC shared by everything that paces (the load models,
 * the iperf3 client and server): tokens are kept in
 * units of 1/hz launch so the loop needs no division but one. Adds what
 * elapsed since *last at rate per second, bounded to the larger of burst and
 * PACE_CATCHUP_MS worth, and returns the launches available now; the
 * caller takes what it launched with pace_take().
 */
static inline uint64_t
pace_refill(uint64_t *tokens, uint64_t *last, uint64_t now, uint64_t rate, uint64_t hz,
	    uint32_t burst)
{
	uint64_t dt = now - *last;
	uint64_t cap = rate * PACE_CATCHUP_MS / 1000;
	uint64_t add;

	if (dt > hz)
		dt = hz;
	*last = now;
	if (cap < burst)
		cap = burst;
	/* rate x hz may pass 2^64 (bytes at tens of Gbit/s): a wrapped sum
	 * saturates, and the cap below then bounds it */
	if (__builtin_mul_overflow(dt, rate, &add) || __builtin_add_overflow(*tokens, add, tokens))
		*tokens = UINT64_MAX;
	if (*tokens > cap * hz)
		*tokens = cap * hz;
	return *tokens / hz;
}

static inline void
pace_take(uint64_t *tokens, uint64_t n, uint64_t hz)
{
	*tokens -= n * hz;
}

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_PACE_H */
