/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-worker counters and the report built from them.
 *
 * Every counter has a name in STATS_COUNTERS; the name is what the per-second
 * JSON, the summary and the tests use. Counters are plain uint64_t written by
 * one worker only and read (summed) by the main lcore once per interval: no
 * atomics on the data path. Every dropped packet is counted under exactly one
 * drop_* name.
 */
#ifndef SYNACK_STATS_H
#define SYNACK_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, help) -- add new counters at the end of a group, freely. */
/* clang-format off */
#define STATS_COUNTERS(X) \
	X(rx_pkts,		"frames received") \
	X(rx_bytes,		"bytes received (L2)") \
	X(tx_pkts,		"frames sent") \
	X(tx_bytes,		"bytes sent (L2)") \
	X(arp_rx,		"ARP frames received") \
	X(arp_req_tx,		"ARP requests sent (resolve and gratuitous)") \
	X(arp_reply_tx,		"ARP replies sent") \
	X(arp_reply_rx,		"ARP replies received") \
	X(arp_garp_tx,		"gratuitous ARPs sent") \
	X(arp_resolved,		"neighbours resolved") \
	X(arp_resolve_fail,	"neighbours given up after all retries") \
	X(icmp_echo_rx,		"ICMP echo requests received") \
	X(icmp_echo_reply_tx,	"ICMP echo replies sent") \
	X(icmp_echo_tx,		"ICMP echo requests sent (ping model)") \
	X(icmp_reply_rx,	"ICMP echo replies received (ping model)") \
	X(icmp_reply_bad,	"ICMP echo replies whose payload did not match") \
	X(icmp6_echo_rx,	"ICMPv6 echo requests received") \
	X(icmp6_echo_reply_tx,	"ICMPv6 echo replies sent") \
	X(icmp6_ignored,	"ICMPv6 messages a host accepts and does not act on (RS, RA, " \
				"redirect, MLD, errors, echo replies)") \
	X(nd_ns_rx,		"neighbour solicitations received for one of our addresses") \
	X(nd_na_tx,		"neighbour advertisements sent (answers and unsolicited)") \
	X(nd_na_unsol_tx,	"unsolicited neighbour advertisements sent at start") \
	X(nd_na_rx,		"neighbour advertisements received") \
	X(icmp_lost,		"ICMP echo requests without a reply in time (ping model)") \
	X(tcp_rx,		"TCP segments received (valid, for us)") \
	X(tcp_tx,		"TCP segments sent") \
	X(tcp_syn_rx,		"SYNs received") \
	X(tcp_synack_tx,	"SYN-ACKs sent (first transmissions)") \
	X(tcp_syn_tx,		"SYNs sent (active opens, first transmissions)") \
	X(tcp_accepted,		"connections established by passive open") \
	X(tcp_connected,	"connections established by active open") \
	X(tcp_closed,		"connections closed (any way)") \
	X(tcp_closed_reset,	"connections ended by a RST from the peer") \
	X(tcp_closed_timeout,	"connections aborted after retries ran out") \
	X(tcp_synrcvd_timeout,	"passive opens dropped in SYN-RECEIVED: the handshake's ACK never came (SYN-ACK retries ran out)") \
	X(tcp_closed_abort,	"connections aborted by the application (RST sent)") \
	X(tcp_rst_rx,		"RSTs received that were acted on") \
	X(tcp_rst_tx,		"RSTs sent") \
	X(tcp_data_rx,		"payload bytes delivered in order to applications") \
	X(tcp_data_tx,		"payload bytes sent (first transmissions)") \
	X(tcp_retrans,		"segments retransmitted") \
	X(tcp_tx_zc,		"data segments sent zero-copy (payload attached, not copied)") \
	X(tcp_tx_tso,		"TSO frames sent (up to 63 KiB of payload the port cuts into MSS segments)") \
	X(tcp_rto,		"retransmission timeouts") \
	X(tcp_fast_retrans,	"fast retransmits (three duplicate ACKs)") \
	X(tcp_dupack_rx,	"duplicate ACKs received") \
	X(tcp_tlp,		"tail loss probes sent (RACK-TLP, RFC 8985)") \
	X(tcp_rack_recovery,	"recoveries entered by RACK's reordering timer (RFC 8985)") \
	X(tcp_ooo_rx,		"out-of-order segments kept") \
	X(tcp_challenge_ack,	"challenge ACKs sent (RFC 5961)") \
	X(tcp_delack,		"ACKs sent by the delayed-ACK timer") \
	X(tcp_time_wait,	"connections that went through TIME-WAIT") \
	X(tcp_syncookie_tx,	"SYN cookies sent (table full or backlog full)") \
	X(tcp_syncookie_ok,	"connections opened from a valid SYN cookie") \
	X(http_req,		"HTTP requests parsed (server)") \
	X(http_resp_200,	"HTTP 200 responses queued (server)") \
	X(http_resp_gzip,	"HTTP 200 responses sent gzip-encoded") \
	X(http_resp_bytes,	"HTTP response bytes queued (server)") \
	X(http_date_stale,	"seconds the responses' Date could not advance: every header " \
				"generation still held by queued responses") \
	X(http_err_400,		"malformed requests answered 400, then closed") \
	X(http_err_405,		"unsupported methods answered 405") \
	X(http_err_431,		"header blocks over the limit answered 431, then closed") \
	X(http_err_505,		"unsupported HTTP versions answered 505, then closed") \
	X(http_err_413,		"request bodies over [server] max_body answered 413, then closed") \
	X(http_err_414,		"request lines over the header limit answered 414, then closed") \
	X(http_err_501,		"request transfer codings other than chunked answered 501, then closed") \
	X(http_req_body,	"HTTP requests that carried a body (Content-Length or chunked)") \
	X(http_body_bytes,	"HTTP request body bytes read and discarded (chunk framing not " \
				"counted)") \
	X(http_continue,	"100 Continue sent for Expect: 100-continue") \
	X(http_resp_route,	"HTTP responses of a route whose status is not 200") \
	X(http_log_dropped,	"access log records dropped: the worker's ring to the main lcore " \
				"was full") \
	X(http_close_header_timeout, "connections reset: no whole request within server.header_timeout") \
	X(http_close_keepalive,	"keep-alive connections closed: no request within server.keepalive_timeout") \
	X(http_close_linger,	"connections reset: the peer did not close within the timeout after our FIN") \
	X(gen_conn_tx,		"client: connections attempted (SYN sent)") \
	X(gen_conn_ok,		"client: connections established") \
	X(gen_done,		"client: connections completed (response read, close started)") \
	X(gen_req_tx,		"client: requests sent") \
	X(gen_resp_rx,		"client: responses received whole") \
	X(gen_resp_2xx,		"client: 2xx responses") \
	X(gen_resp_3xx,		"client: 3xx responses") \
	X(gen_resp_4xx,		"client: 4xx responses") \
	X(gen_resp_5xx,		"client: 5xx responses") \
	X(gen_resp_other,	"client: responses with another status") \
	X(gen_body_rx,		"client: response body bytes") \
	X(gen_err_connect,	"client error: connect timed out (SYN retries exhausted)") \
	X(gen_err_rst,		"client error: reset or refused by the peer") \
	X(gen_err_timeout,	"client error: response timeout") \
	X(gen_err_bad_resp,	"client error: malformed response") \
	X(gen_err_closed,	"client error: peer closed before the response was whole") \
	X(gen_err_ports,	"client error: no free source port (all busy or in TIME-WAIT)") \
	X(gen_err_table,	"client error: TCP table or send queue full") \
	X(gen_limit_concurrency, "client: ms a paced launch was held back by client.concurrency") \
	X(gen_limit_syn,	"client: ms a paced launch was held back by client.max_syn_inflight") \
	X(gen_limit_pool,	"client: ms a paced launch was held back by no free source port or TCB") \
	X(udp_rx,		"UDP datagrams received (valid, for us)") \
	X(udp_tx,		"UDP datagrams sent (echo replies and client datagrams)") \
	X(udp_zero_csum,	"UDP datagrams accepted without a checksum (0, RFC 768)") \
	X(udp_echo_tx,		"UDP echo replies sent (server, [udp] echo)") \
	X(udp_sink_rx,		"UDP datagrams sunk (server, [udp] sink)") \
	X(udp_sink_bytes,	"UDP payload bytes sunk") \
	X(udp_unreach_tx,	"ICMP port unreachable sent for a closed UDP port") \
	X(udp_unreach_limited,	"ICMP port unreachable not sent: over [udp] unreach_rate") \
	X(udp_gen_tx,		"client: UDP datagrams sent (model udp)") \
	X(udp_gen_rx,		"client: UDP echoes received, duplicates not counted") \
	X(udp_gen_bad,		"client: datagrams to a client port, not this worker's echoes") \
	X(udp_lost,		"sequenced UDP datagrams lost (client: sent - echoed after the " \
				"grace period; sink: left the 4096-sequence window unseen)") \
	X(udp_reorder,		"sequenced UDP datagrams that came after a higher sequence " \
				"number (client: of their flow; sink: of their sender)") \
	X(udp_dup,		"sequenced UDP datagrams seen twice (4096-sequence window)") \
	X(gen_bulk_tx,		"client (throughput): payload bytes sent and acknowledged") \
	X(gen_bulk_rx,		"client (throughput): payload bytes received") \
	X(bulk_accepted,	"bulk server: connections accepted on [server] bulk") \
	X(bulk_sourced,		"bulk server: connections whose header asked it to send") \
	X(bulk_sink_bytes,	"bulk server: payload bytes received and discarded") \
	X(bulk_src_bytes,	"bulk server: payload bytes sent and acknowledged") \
	X(iperf_test_ok,	"iperf3 server: tests completed") \
	X(iperf_test_failed,	"iperf3 server: tests ended early (client gone, bad message, timeout)") \
	X(iperf_denied,		"iperf3 server: connections answered ACCESS_DENIED (busy, bad cookie)") \
	X(iperf_bad_params,	"iperf3 server: parameters refused (SERVER_ERROR sent)") \
	X(drop_eth_short,	"frame shorter than an Ethernet header") \
	X(drop_eth_type,	"ethertype not IPv4/ARP") \
	X(drop_eth_dst,		"destination MAC not ours, not broadcast") \
	X(drop_arp_short,	"ARP frame truncated") \
	X(drop_arp_bad,		"ARP not Ethernet/IPv4 or bad opcode") \
	X(drop_arp_not_us,	"ARP for another address") \
	X(drop_ip_short,	"IPv4 packet shorter than its header") \
	X(drop_ip_version,	"IP version not 4") \
	X(drop_ip_ihl,		"IPv4 IHL < 5 or beyond the frame") \
	X(drop_ip_len_big,	"IPv4 total length larger than the frame") \
	X(drop_ip_len_small,	"IPv4 total length smaller than the header") \
	X(drop_ip_csum,		"IPv4 header checksum wrong") \
	X(drop_ip_frag,		"IPv4 fragment (not reassembled)") \
	X(drop_ip_not_us,	"IPv4 destination not ours") \
	X(drop_ip_src,		"IPv4 source broadcast/multicast/ours") \
	X(drop_ip_proto,	"IP protocol not handled") \
	X(drop_icmp_short,	"ICMP message truncated") \
	X(drop_icmp_csum,	"ICMP checksum wrong") \
	X(drop_icmp_type,	"ICMP type not handled") \
	X(drop_ip6_short,	"IPv6 packet shorter than its header") \
	X(drop_ip6_version,	"IPv6 ethertype, IP version not 6") \
	X(drop_ip6_len_big,	"IPv6 payload length larger than the frame") \
	X(drop_ip6_ext,		"IPv6 extension header malformed, out of order, past the " \
				"payload or more than 8") \
	X(drop_ip6_opt,		"IPv6 hop-by-hop/destination option unknown and marked discard") \
	X(drop_ip6_rh,		"IPv6 routing header with segments left (not a router)") \
	X(drop_ip6_frag,	"IPv6 fragment (not reassembled)") \
	X(drop_ip6_not_us,	"IPv6 destination not ours") \
	X(drop_ip6_src,		"IPv6 source multicast, loopback, ours, or unspecified " \
				"outside ND") \
	X(drop_icmp6_short,	"ICMPv6 message truncated") \
	X(drop_icmp6_csum,	"ICMPv6 checksum wrong") \
	X(drop_icmp6_type,	"ICMPv6 informational type not handled") \
	X(drop_nd_bad,		"neighbour solicitation/advertisement invalid (RFC 4861 7.1)") \
	X(drop_no_route,	"destination off-link and no gateway configured") \
	X(drop_no_neigh,	"next hop unresolved (ARP failed or its wait queue full)") \
	X(drop_neigh_full,	"neighbour table full") \
	X(drop_pool_empty,	"mbuf pool empty when building a packet") \
	X(drop_tcp_short,	"TCP header truncated or data offset bad") \
	X(drop_tcp_csum,	"TCP checksum wrong") \
	X(drop_tcp_opt,		"TCP option length malformed") \
	X(drop_tcp_flags,	"TCP flag combination invalid (SYN+FIN, SYN+RST, none)") \
	X(drop_tcp_no_conn,	"segment for no connection (answered with RST when due)") \
	X(drop_tcp_window,	"segment outside the receive window (ACKed)") \
	X(drop_tcp_paws,	"segment failed PAWS (old timestamp)") \
	X(drop_tcp_bad_ack,	"ACK for data never sent or too old (RFC 5961)") \
	X(drop_tcp_rst_invalid,	"RST not exactly at RCV.NXT (challenge ACKed or ignored)") \
	X(drop_tcp_syn_invalid,	"SYN in a synchronized state (challenge ACKed)") \
	X(drop_tcp_table_full,	"SYN dropped: flow table full and SYN cookies off") \
	X(drop_tcp_cookie_bad,	"ACK with an invalid SYN cookie") \
	X(drop_tcp_ooo_full,	"out-of-order segment dropped: queue full") \
	X(drop_tcp_sndq_full,	"application send refused: send queue full") \
	X(drop_multiseg,	"multi-segment frame that could not be linearised") \
	X(drop_tx_full,		"TX queue full: frames not taken by the port") \
	X(drop_tx_prepare,	"refused by the port's TX prepare (offload flags it cannot do)") \
	X(drop_dispatch_full,	"software dispatch: a worker's RX ring full") \
	X(drop_too_big,		"reply would exceed the port MTU") \
	X(drop_udp_short,	"UDP header truncated or its length field bad") \
	X(drop_udp_csum,	"UDP checksum wrong") \
	X(drop_udp_no_port,	"UDP datagram to a closed port (ICMP unreachable sent when due)") \
	X(impair_dropped,	"impairment: frames lost on purpose (loss, Gilbert-Elliott)") \
	X(impair_delayed,	"impairment: frames held for delay/jitter") \
	X(impair_reordered,	"impairment: frames held back to reorder them") \
	X(impair_duplicated,	"impairment: duplicate frames added") \
	X(impair_corrupted,	"impairment: frames with one bit flipped (private copy)") \
	X(impair_rate_dropped,	"impairment: frames over the rate limit's queue") \
	X(impair_overflow,	"impairment: frames dropped, held buffer full (limit)") \
	X(impair_nombuf,	"impairment: no mbuf for a duplicate or corrupted copy")
/* clang-format on */

/* Gauges: values now, set by the worker (not summed over time). */
/* clang-format off */
#define STATS_GAUGES(X) \
	X(tcp_open,		"TCP connections in the table (any state)") \
	X(gen_active,		"client: connections counted against concurrency") \
	X(bulk_senders,		"bulk: connections sending data (client and server side)") \
	X(bulk_cwnd,		"bulk: sum of cwnd over the sending connections, bytes") \
	X(bulk_srtt_us,		"bulk: sum of smoothed RTT over the sending connections, us " \
				"(TCP's clock ticks in ms)")
/* clang-format on */

enum stats_gauge {
#define STATS_X_GENUM(name, help) GAUGE_##name,
	STATS_GAUGES(STATS_X_GENUM)
#undef STATS_X_GENUM
		GAUGE_MAX
};

enum stats_id {
#define STATS_X_ENUM(name, help) STAT_##name,
	STATS_COUNTERS(STATS_X_ENUM)
#undef STATS_X_ENUM
		STAT_MAX
};

/* Latency histograms: X(name, help); values in TSC ticks. */
/* clang-format off */
#define STATS_HISTS(X) \
	X(handshake,	"SYN sent -> SYN-ACK received") \
	X(ttfb,		"connect -> first response byte") \
	X(response,	"request sent (or due, open loop) -> last response byte") \
	X(conn,		"connection open -> closed") \
	X(rtt,		"echo request -> reply (ping, UDP echo)") \
	X(srtt,		"bulk senders' smoothed TCP RTT, sampled per connection at most once " \
			"per ms (ms granularity)")
/* clang-format on */

enum stats_hist_id {
#define STATS_X_HENUM(name, help) HIST_##name,
	STATS_HISTS(STATS_X_HENUM)
#undef STATS_X_HENUM
		HIST_MAX
};

/*
 * Log-linear histogram (HDR-style): values below 2^HIST_SUB_BITS are exact;
 * above, each power of two is split into 2^HIST_SUB_BITS buckets, so a
 * bucket's width is at most 1/128 of its values: <= 0.8% relative error
 * (0.4% at the bucket's middle, which is what percentiles report).
 */
#define HIST_SUB_BITS 7
#define HIST_SUB      (1u << HIST_SUB_BITS)
#define HIST_BUCKETS  ((64 - HIST_SUB_BITS + 1) * HIST_SUB)

struct stats_hist {
	uint64_t count;
	uint64_t sum;
	uint64_t min;
	uint64_t max;
	uint64_t b[HIST_BUCKETS];
};

static inline unsigned int
stats_hist_index(uint64_t v)
{
	if (v < HIST_SUB)
		return (unsigned int)v;
	unsigned int e = 63u - (unsigned int)__builtin_clzll(v);   /* >= HIST_SUB_BITS */
	unsigned int m = (unsigned int)(v >> (e - HIST_SUB_BITS)); /* [SUB, 2*SUB) */
	return (e - HIST_SUB_BITS + 1) * HIST_SUB + (m - HIST_SUB);
}

static inline void
stats_hist_add(struct stats_hist *h, uint64_t v)
{
	h->b[stats_hist_index(v)]++;
	if (h->count == 0 || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
}

/** Lowest value of bucket i, and its width. */
void stats_hist_bucket(unsigned int i, uint64_t *low, uint64_t *width);
/** Value at quantile q (0..1): middle of the bucket holding it, clamped to [min, max]. */
uint64_t stats_hist_quantile(const struct stats_hist *h, double q);
/** dst += src. */
void stats_hist_merge(struct stats_hist *dst, const struct stats_hist *src);
const char *stats_hist_name(enum stats_hist_id id);

/* ---- a finished run's JSON lines read back (stats_load.c, jansson) ---- */

struct json_t; /* jansson's */

/** A --json file: its summary (the last one; NULL if the run has none),
 *  its interval objects in order, and every other typed line. */
struct stats_run {
	struct json_t *summary;
	struct json_t *intervals; /**< JSON array */
	struct json_t *other;	  /**< JSON array */
};

/** Read path; on error fill err ("path:line: what") and return -1. */
int stats_run_load(const char *path, struct stats_run *run, char *err, size_t errlen);
void stats_run_free(struct stats_run *run);

/**
 * Histogram name out of a "hist" object (summary or interval, docs/output.md)
 * into h (zeroed first), its tick rate into hz.
 * @return 1 read, 0 the series has no samples there, -1 malformed (err says why).
 */
int stats_hist_from_json(const struct json_t *hist, const char *name, struct stats_hist *h,
			 uint64_t *hz, char *err, size_t errlen);
/** Histogram id by name; -1 when unknown. */
int stats_hist_id(const char *name);

/* ---- the HTML report (stats_html.c; docs/output.md "HTML report") ---- */

/**
 * Write one self-contained HTML page (inline SVG plots, no external
 * reference) for nr runs (1..8; several overlay), named names[i].
 * @return 0, or -1 with err set.
 */
int stats_html_write(FILE *f, const struct stats_run *runs, const char *const *names,
		     unsigned int nr, char *err, size_t errlen);
/** s with <, >, &, " and ' as entities. */
void stats_html_escape(FILE *f, const char *s);
/** A round axis step (1, 2, 2.5 or 5 x 10^k) for about ticks steps over span. */
double stats_nice_step(double span, unsigned int ticks);
/**
 * Quantile q of histogram name in every interval that has samples of it:
 * x[i] the interval's t (s), y[i] the value in us. Intervals without
 * samples are left out. @return the points written (<= max).
 */
unsigned int stats_lat_series(const struct json_t *intervals, const char *name, double q, double *x,
			      double *y, unsigned int max);
/**
 * The CDF of h: one point per non-empty bucket, x its upper edge in us, y
 * the fraction of samples below it. @return the points written (<= max).
 */
unsigned int stats_hist_cdf(const struct stats_hist *h, uint64_t hz, double *x_us, double *y,
			    unsigned int max);

/** One worker's counters: written by that worker only. */
struct stats_worker {
	uint64_t c[STAT_MAX];
	uint64_t g[GAUGE_MAX];
	struct stats_hist *h[HIST_MAX]; /**< allocated by the app that records them; NULL = none */
} __attribute__((aligned(64)));

/** Name of counter id ("drop_ip_csum"); NULL when out of range. */
const char *stats_name(enum stats_id id);
/** One-line help of counter id. */
const char *stats_help(enum stats_id id);
/** Counter id by name; -1 when unknown. */
int stats_lookup(const char *name);

static inline void
stats_inc(struct stats_worker *s, enum stats_id id)
{
	s->c[id]++;
}

static inline void
stats_add(struct stats_worker *s, enum stats_id id, uint64_t n)
{
	s->c[id] += n;
}

/* ---- the report (main lcore only) ---- */

struct stats_report;

/**
 * Create a report over nb_workers counter blocks.
 * json_path may be NULL; text goes to out (NULL = no per-interval text).
 * label[i] names worker i in the summary ("w0 port0/q0").
 * @return NULL with errno set on failure (JSON file cannot be opened).
 */
struct stats_report *stats_report_create(struct stats_worker *const *workers,
					 unsigned int nb_workers, FILE *out, const char *json_path);

/**
 * Add a field to the summary's JSON object: "key": raw_json (raw_json must
 * be valid JSON; copied). At most 8 fields; the text summary is the
 * caller's to print.
 */
void stats_report_add_json(struct stats_report *r, const char *key, const char *raw_json);

/** Which JSON lines carry the histograms ([run] json_hist; same order as the config's). */
enum stats_json_hist { STATS_JSON_HIST_INTERVAL, STATS_JSON_HIST_SUMMARY, STATS_JSON_HIST_OFF };
void stats_report_set_json_hist(struct stats_report *r, enum stats_json_hist mode);

/** TSC ticks per second, to print histogram values as time (default: 1 tick = 1 ns). */
void stats_report_set_hz(struct stats_report *r, uint64_t hz);

/** Name worker i in the summary and JSON (e.g. "w0 client port0/q0"); copied. */
void stats_report_set_label(struct stats_report *r, unsigned int i, const char *label);

/** Take a snapshot now and print / write one interval (t_ms since start). */
void stats_report_interval(struct stats_report *r, uint64_t t_ms);

/** Sum over workers, as of now. */
void stats_report_total(const struct stats_report *r, uint64_t total[STAT_MAX]);

/**
 * Print the final summary (text to out, one "summary" JSON object) and
 * flush. status is "done", "interrupted" or "failed: reason".
 */
void stats_report_summary(struct stats_report *r, uint64_t t_ms, const char *status);

void stats_report_free(struct stats_report *r);

/**
 * Write the JSON file's first line: {"type":"start",raw_fields} (raw_fields:
 * comma-separated "key":value pairs, valid JSON; the caller's). No-op
 * without a JSON file.
 */
void stats_report_start(struct stats_report *r, const char *raw_fields);

/* ---- the summary's headline rates (docs/output.md "Rates") ---- */

/** The numerators of one interval's rates (what the counters gained). */
struct stats_iv_rate {
	uint64_t t_ms; /**< end of the interval, since the start */
	uint64_t ms;   /**< its length */
	uint64_t conns, reqs, rx_bytes, tx_bytes;
};

/** Which rate decides the steady part. */
enum stats_rate_basis { STATS_BASIS_RPS, STATS_BASIS_CPS, STATS_BASIS_GBPS };

/** The steady part: intervals from the first to the last at >= this much of the median. */
#define STATS_STEADY_FRAC 0.9

struct stats_rates_part {
	double t_from, t_to, secs; /**< seconds since the start */
	unsigned int intervals;
	double cps, rps, rx_gbps, tx_gbps;
};

struct stats_rates {
	struct stats_rates_part measured; /**< every interval */
	struct stats_rates_part steady;	  /**< see STATS_STEADY_FRAC */
	bool has_steady;
	enum stats_rate_basis basis; /**< rps if any, else cps, else rx+tx Gbps */
	double median;		     /**< the basis' median over the intervals */
};

/**
 * Rates over n intervals: measured over all; steady over the intervals from
 * the first to the last whose basis rate is >= STATS_STEADY_FRAC x its median
 * (the ramp-up before and the drain after are left out).
 * @return 0; -1 when there is no steady part (n == 0 or nothing ran) --
 * measured is still filled when n > 0.
 */
int stats_rates_compute(const struct stats_iv_rate *iv, unsigned int n, struct stats_rates *out);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_STATS_H */
