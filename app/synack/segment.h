/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Execution segments (run.segment, run.segment_from_env): from its segment
 * [from, to) of the unit interval alone, with no coordinator, a process
 * takes its share of every total of the whole load, the way k6 scales by
 * execution segments: a total T gives the segment floor(T * to) -
 * floor(T * from), so the shares of segments that tile [0, 1) sum exactly to
 * T for any number of segments, and as index ranges they are disjoint.
 *
 * The sources (address, port) split the same way along one dimension: the
 * client ports' addresses when every client port has at least N of them (N
 * = the segment's denominator), else client.ports; either way two segments
 * of one tiling never share a source pair, so no 4-tuple towards a target
 * comes from two generators.
 *
 * Pure functions of the config (and of the index variable's value, passed
 * in): no EAL, unit-tested (tests/unit/test_plan.cc).
 */
#ifndef SYNACK_SEGMENT_H
#define SYNACK_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/config/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a segment gets nothing of (struct segment_share.zero). */
enum segment_zero {
	SEGMENT_ZERO_RATE = 1 << 0,  /**< client.rate */
	SEGMENT_ZERO_CONC = 1 << 1,  /**< client.concurrency */
	SEGMENT_ZERO_COUNT = 1 << 2, /**< client.count */
	SEGMENT_ZERO_FLOWS = 1 << 3, /**< client.flows (model udp) */
	SEGMENT_ZERO_PORTS = 1 << 4, /**< client.ports */
};

struct segment {
	struct cfg_segment f; /**< [from, to), reduced fractions */
	uint32_t count;	      /**< N: the denominator, lcm of from's and to's */
	uint32_t index;	      /**< from * N */
	bool whole;	      /**< 0:1 */
};

/** A process's share of the whole, before its workers split it. */
struct segment_share {
	uint64_t rate;			/**< per second; 0 = as fast as it goes (total 0) */
	uint64_t count;			/**< 0 = no limit (total 0) */
	uint32_t conc;			/**< concurrency */
	uint32_t flows;			/**< model udp: flows per worker */
	uint16_t port_lo, port_hi;	/**< its part of client.ports, inclusive (lo > hi: none) */
	bool by_address;		/**< the addresses are split, each segment has every port */
	uint32_t ip_off[CFG_MAX_PORTS]; /**< per port: first address, from port.ip */
	uint32_t ip_n[CFG_MAX_PORTS];	/**< per port: addresses (ip_count on a server port) */
	uint32_t zero;			/**< enum segment_zero bits */
};

/**
 * The segment of this process from cfg: run.segment, or with
 * run.segment_from_env the index in env_value (the variable's value, NULL
 * when unset) of run.segments.
 * @return 0, or -1 with "FILE:run:KEY: what is wrong" in err.
 */
int segment_resolve(const struct cfg *cfg, const char *env_value, struct segment *sg, char *err,
		    size_t errlen);

/** floor(total * from): where the segment's part of total starts. */
uint64_t segment_offset(const struct segment *sg, uint64_t total);

/** floor(total * to) - floor(total * from): the segment's part of total. */
uint64_t segment_scale(const struct segment *sg, uint64_t total);

/** The share of this segment of cfg's client load and sources. */
void segment_share_of(const struct segment *sg, const struct cfg *cfg, struct segment_share *sh);

/**
 * "segment 3/16 gets no share of client.rate (7 over 16), client.concurrency
 * (3 over 16): it runs no load" into buf when sh->zero != 0.
 * @return the length written, 0 when the segment has a share of everything.
 */
int segment_zero_str(const struct segment *sg, const struct segment_share *sh,
		     const struct cfg *cfg, char *buf, size_t len);

/** "1/4:2/4"-style text of the segment (reduced fractions). */
void segment_str(const struct segment *sg, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_SEGMENT_H */
