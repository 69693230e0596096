/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The configuration: INI file (rte_cfgfile) and --set overrides -> struct cfg.
 *
 * Everything a user can set is one row of cfg_keys[] below: section, key, the
 * parser, the default as text, the help line and where the value lands. The
 * same rows fill the defaults (each default string goes through its parser),
 * parse the file and the overrides, and print `--help-config` (plain text and
 * the markdown of docs/config.md), so the manual cannot drift from the parser.
 *
 * Rows of section "portN" apply to every [port0]..[portN] section present.
 * Parsers check one value; cfg_validate() checks keys against each other.
 * Every error reads "ORIGIN:SECTION:KEY: message", ORIGIN being the file name
 * or "--set", and the texts are stable: tests and scripts compare them.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cfgfile.h>

#include "config.h"

#define CFG_F_SI   (1u << 0) /* integer takes k, m suffixes (x1000) */
#define CFG_F_BIN  (1u << 1) /* integer takes k, m, g suffixes (x1024) */
#define CFG_F_POW2 (1u << 2) /* integer must be a power of two */

#define CFG_MSG_LEN  320  /* one parser message, without the "ORIGIN:SEC:KEY: " prefix */
#define CFG_LIST_LEN 1024 /* longest list value (listen, target) */
#define CFG_DEFAULTS "(defaults)"

struct cfg_key;

/* Parse val into the field(s) of k inside base; on error fill msg and return -1. */
typedef int (*cfg_parse_fn)(const struct cfg_key *k, void *base, const char *val, char *msg,
			    size_t msglen);

struct cfg_key {
	const char *section; /* "portN": any [port0]..[port7] */
	const char *key;
	cfg_parse_fn parse;
	const char *dflt; /* run through parse by cfg_defaults(); NULL = none */
	const char *help;
	size_t off, size;	  /* the field, in struct cfg or (portN) struct cfg_port */
	size_t off2;		  /* second field: prefix, nb_listen, nb_target */
	uint64_t min, max;	  /* integers: inclusive range; durations: in ms */
	unsigned int flags;	  /* CFG_F_* */
	const char *const *names; /* enums: value names, NULL-terminated */
};

struct cfg_section {
	const char *name;
	const char *help;
};

static const char *const json_hist_names[] = {"interval", "summary", "off", NULL};
static const char *const mode_names[] = {"server", "client", "both", NULL};
static const char *const model_names[] = {"ping",	"cps", "cc",	"rps",
					  "throughput", "udp", "iperf", NULL};
static const char *const request_names[] = {"http", "none", NULL};
static const char *const close_names[] = {"fin", "rst", NULL};
static const char *const dispatch_names[] = {"auto", "rss", "software", NULL};
static const char *const direction_names[] = {"send", "receive", "both", NULL};
static const char *const cc_names[] = {"cubic", "newreno", NULL};
static const char *const method_names[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", NULL};
static const char *const log_format_names[] = {"synack", "seeds", "combined", "json", NULL};

static int parse_uint(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len);
static int parse_duration(const struct cfg_key *k, void *base, const char *val, char *msg,
			  size_t len);
static int parse_bool(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len);
static int parse_enum(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len);
static int parse_mode(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len);
static int parse_str(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len);
static int parse_segment(const struct cfg_key *k, void *base, const char *val, char *msg,
			 size_t len);
static int parse_start_at(const struct cfg_key *k, void *base, const char *val, char *msg,
			  size_t len);
static int parse_dev(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len);
static int parse_ip_prefix(const struct cfg_key *k, void *base, const char *val, char *msg,
			   size_t len);
static int parse_ipv4(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len);
static int parse_ip6_prefix(const struct cfg_key *k, void *base, const char *val, char *msg,
			    size_t len);
static int parse_routes(const struct cfg_key *k, void *base, const char *val, char *msg,
			size_t len);
static int parse_listen(const struct cfg_key *k, void *base, const char *val, char *msg,
			size_t len);
static int parse_targets(const struct cfg_key *k, void *base, const char *val, char *msg,
			 size_t len);
static int parse_port_range(const struct cfg_key *k, void *base, const char *val, char *msg,
			    size_t len);
static int parse_method(const struct cfg_key *k, void *base, const char *val, char *msg,
			size_t len);
static int parse_impair(const struct cfg_key *k, void *base, const char *val, char *msg,
			size_t len);
static int parse_hostport(const struct cfg_key *k, void *base, const char *val, char *msg,
			  size_t len);
static int parse_name(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len);

#define FLD(m)	.off = offsetof(struct cfg, m), .size = sizeof(((struct cfg *)NULL)->m)
#define PFLD(m) .off = offsetof(struct cfg_port, m), .size = sizeof(((struct cfg_port *)NULL)->m)

static const struct cfg_section cfg_sections[] = {
	{"run", "What to run, for how long, and where the results go."},
	{"portN", "One DPDK port per section, [port0] .. [port7], numbered without gaps. "
		  "In mode both the client side uses port0 and the server side port1."},
	{"pool", "Memory and neighbour table sizes, per worker."},
	{"server", "The server side: what it listens on and what it answers."},
	{"client", "The client side: the load model and its limits."},
	{"tcp", "The TCP stack, per worker. Defaults suit benchmarks: TIME-WAIT is short."},
	{"udp", "UDP services of the server side, per worker. A datagram to a port not listed "
		"is answered with ICMP port unreachable (rate-limited)."},
	{"iperf", "The iperf3 server: a stock iperf3 client (-c, -R, -P, -u, -t, -J) can test "
		  "synack. One test at a time, others get ACCESS_DENIED; worker 0 serves it."},
	{"capture", "pcapng capture of what the workers receive and send (Wireshark, tshark). "
		    "The workers copy, the main lcore writes the file."},
};

/* clang-format off */
static const struct cfg_key cfg_keys[] = {
	/* [run] */
	{.section = "run", .key = "mode", .parse = parse_mode, .dflt = "server",
	 .help = "server | client | both (both: client and server workers in one process); "
		 "iperf-client = client with client.model = iperf",
	 FLD(run.mode), .names = mode_names},
	{.section = "run", .key = "duration", .parse = parse_duration, .dflt = "10s",
	 .help = "how long to run: 10s, 500ms, 2m, 1h, a plain number is seconds; 0 = until SIGINT",
	 FLD(run.duration_ms), .min = 0, .max = UINT64_MAX},
	{.section = "run", .key = "lcores", .parse = parse_uint, .dflt = "1",
	 .help = "worker lcores, 1..64; in mode both an even number splits into client and server",
	 FLD(run.lcores), .min = 1, .max = CFG_MAX_LCORES},
	{.section = "run", .key = "json", .parse = parse_str, .dflt = "",
	 .help = "file for JSON lines output (also --json FILE); empty = none", FLD(run.json)},
	{.section = "run", .key = "report_interval", .parse = parse_duration, .dflt = "1s",
	 .help = "interval of the periodic report lines, 100ms..1h", FLD(run.report_ms),
	 .min = 100, .max = 3600 * 1000},
	{.section = "run", .key = "quiet", .parse = parse_bool, .dflt = "off",
	 .help = "on: no periodic lines, the final summary only", FLD(run.quiet)},
	{.section = "run", .key = "report", .parse = parse_str, .dflt = "",
	 .help = "HTML report written at the end of the run from its JSON lines (needs "
		 "run.json or --json; also `synack report FILE.jsonl -o FILE.html`); empty = none",
	 FLD(run.report)},
	{.section = "run", .key = "json_hist", .parse = parse_enum, .dflt = "interval",
	 .help = "latency histograms in the JSON lines: interval (each interval's and the "
		 "summary's, ~20 KB a line), summary (the summary's only: for long soaks), off",
	 FLD(run.json_hist), .names = json_hist_names},
	{.section = "run", .key = "linger", .parse = parse_duration, .dflt = "0",
	 .help = "after the summary, with the workers stopped, keep the ports up until every "
		 "link is down (the peer left) or this long, 0..1h; for shared-memory links "
		 "(memif): the process still polling when its peer leaves can crash in the "
		 "22.11 PMD, so let the peer stop first; 0 = close the ports at once",
	 FLD(run.linger_ms), .min = 0, .max = 3600 * 1000},
	{.section = "run", .key = "telemetry", .parse = parse_bool, .dflt = "on",
	 .help = "DPDK telemetry socket with the /synack/info, /synack/stats, /synack/latency, "
		 "/synack/conns and /synack/listen commands (dpdk-telemetry.py, synack ss); "
		 "off = EAL's --no-telemetry",
	 FLD(run.telemetry)},
	{.section = "run", .key = "file_prefix", .parse = parse_name, .dflt = "",
	 .help = "EAL --file-prefix: the runtime directory /var/run/dpdk/PREFIX holding the "
		 "telemetry socket (dpdk-telemetry.py -f PREFIX); empty = synack-PID, so that "
		 "several synack processes never share one",
	 FLD(run.file_prefix)},
	{.section = "run", .key = "metrics", .parse = parse_hostport, .dflt = "",
	 .help = "Prometheus endpoint A.B.C.D:PORT (GET /metrics, text format 0.0.4), served "
		 "from the main lcore; empty = off",
	 FLD(run.metrics)},
	{.section = "run", .key = "run_name", .parse = parse_name, .dflt = "",
	 .help = "the value of the metrics' run label (letters, digits, . _ -), so that one "
		 "Prometheus adds up many synack processes; empty = no run label",
	 FLD(run.run_name)},
	{.section = "run", .key = "segment", .parse = parse_segment, .dflt = "0:1",
	 .help = "the part of the whole load this process runs (k6's execution segments): "
		 "FROM:TO as fractions, e.g. 1/4:2/4, or i/N for the i-th of N equal parts counting "
		 "from 0 (1/4 = 1/4:2/4); the process takes floor(T*TO) - floor(T*FROM) of every "
		 "total T (rate, concurrency, count, flows) and a disjoint part of the source "
		 "addresses (when port ip_count >= N, the denominator) or else of client.ports; "
		 "0:1 = the whole",
	 FLD(run.segment)},
	{.section = "run", .key = "segment_from_env", .parse = parse_str, .dflt = "",
	 .help = "name of an environment variable holding this process's segment index i, "
		 "0..run.segments-1 (a Kubernetes Indexed Job sets JOB_COMPLETION_INDEX): segment "
		 "i/run.segments; instead of run.segment",
	 FLD(run.segment_env)},
	{.section = "run", .key = "segments", .parse = parse_uint, .dflt = "0",
	 .help = "with run.segment_from_env: the number of segments N (the Job's completions), "
		 "1..65536", FLD(run.segments), .min = 0, .max = CFG_SEGMENT_MAX_DEN},
	{.section = "run", .key = "start_at", .parse = parse_start_at, .dflt = "0",
	 .help = "start the load at this wall-clock instant, after the ports are up: unix "
		 "seconds (1796000000, 1796000000.25) or RFC 3339 (2026-12-02T05:00:00Z, "
		 "...+01:00); the report says how late it started; 0 = at once",
	 FLD(run.start_at_ns)},
	{.section = "run", .key = "min_rate_ratio", .parse = parse_uint, .dflt = "0",
	 .help = "a paced HTTP run (client.rate) that reaches less than this percent of its "
		 "target rate fails (exit 1; below 90% it always warns), 0..100; 0 = off",
	 FLD(run.min_rate_ratio), .min = 0, .max = 100},

	/* [port0] .. [port7] */
	{.section = "portN", .key = "dev", .parse = parse_dev, .dflt = NULL,
	 .help = "required: PCI address (0000:3b:00.0 or 3b:00.0), a vdev string "
		 "(net_af_xdp0,iface=veth0) or net_ring:LINK (in-process link named LINK); "
		 "synack adds its driver defaults for keys the string does not set (net_af_packet: "
		 "framecnt=4096, as the PMD's 512 frames per ring overflow in short stalls)",
	 PFLD(dev)},
	{.section = "portN", .key = "ip", .parse = parse_ip_prefix, .dflt = NULL,
	 .help = "the port's IPv4 address with prefix length, a.b.c.d/N (N 1..32)", PFLD(ip),
	 .off2 = offsetof(struct cfg_port, prefix)},
	{.section = "portN", .key = "ip_count", .parse = parse_uint, .dflt = "1",
	 .help = "consecutive addresses the port owns from ip on (ip, ip + 1, ...), 1..65536, "
		 "all inside ip/N, short of its broadcast address and not the gateway; the stack "
		 "answers ARP and traffic for each, a client uses every (address, source port) "
		 "pair (ip_count x client.ports connections)",
	 PFLD(ip_count), .min = 1, .max = CFG_MAX_IP_COUNT},
	{.section = "portN", .key = "gateway", .parse = parse_ipv4, .dflt = NULL,
	 .help = "next hop for targets outside the subnet, a.b.c.d inside ip/N", PFLD(gateway)},
	{.section = "portN", .key = "ip6", .parse = parse_ip6_prefix, .dflt = NULL,
	 .help = "the port's IPv6 address with prefix length, 2001:2::2/64 (N 1..128): the port "
		 "then also speaks IPv6 (neighbour discovery for it and its fe80:: link-local "
		 "address from the MAC, ICMPv6 echo); not multicast, link-local, loopback or "
		 "unspecified",
	 PFLD(ip6), .off2 = offsetof(struct cfg_port, prefix6)},
	{.section = "portN", .key = "ip6_count", .parse = parse_uint, .dflt = "1",
	 .help = "consecutive IPv6 addresses the port owns from ip6 on, 1..65536, all inside "
		 "ip6/N",
	 PFLD(ip6_count), .min = 1, .max = CFG_MAX_IP_COUNT},
	{.section = "portN", .key = "queues", .parse = parse_uint, .dflt = "0",
	 .help = "RX/TX queue pairs, 0..64; 0 = one per worker", PFLD(queues), .min = 0, .max = 64},
	{.section = "portN", .key = "dispatch", .parse = parse_enum, .dflt = "auto",
	 .help = "how the workers share the port: rss (a queue per worker: hardware RSS, or "
		 "queue pairs on net_ring and net_memif, whose peer's TX queue i is our RX queue "
		 "i: give both memif ends the same run.lcores), software (one queue; the port's "
		 "first worker polls it and spreads packets by a symmetric 4-tuple hash over "
		 "rings), auto (rss when the driver has RSS or is net_ring, else software: memif "
		 "cannot tell how many queues its peer has)",
	 PFLD(dispatch), .names = dispatch_names},
	{.section = "portN", .key = "mtu", .parse = parse_uint, .dflt = "1500",
	 .help = "L3 MTU, 68..9000", PFLD(mtu), .min = 68, .max = 9000},
	{.section = "portN", .key = "rxd", .parse = parse_uint, .dflt = "1024",
	 .help = "RX descriptors per queue, a power of two 64..16384", PFLD(rxd), .min = 64,
	 .max = 16384, .flags = CFG_F_POW2},
	{.section = "portN", .key = "txd", .parse = parse_uint, .dflt = "1024",
	 .help = "TX descriptors per queue, a power of two 64..16384", PFLD(txd), .min = 64,
	 .max = 16384, .flags = CFG_F_POW2},
	{.section = "portN", .key = "impair_rx", .parse = parse_impair, .dflt = "off",
	 .help = "impair what this port receives: space-separated loss=P ge_p=P ge_r=P "
		 "ge_loss=P (Gilbert-Elliott bursts) delay=T jitter=T reorder=P reorder_delay=T "
		 "dup=P corrupt=P rate=BITS/S burst=BYTES rate_queue=T limit=N seed=N; P as "
		 "2% or 0.02, T as 200us/1ms; off = none",
	 PFLD(impair_rx)},
	{.section = "portN", .key = "impair_tx", .parse = parse_impair, .dflt = "off",
	 .help = "impair what this port sends, as impair_rx", PFLD(impair_tx)},

	/* [pool] */
	{.section = "pool", .key = "mbufs", .parse = parse_uint, .dflt = "16384",
	 .help = "mbufs in each worker's pool, 1024..16777216", FLD(pool.mbufs), .min = 1024,
	 .max = 16777216},
	{.section = "pool", .key = "mbuf_cache", .parse = parse_uint, .dflt = "256",
	 .help = "per-lcore mempool cache, 0..512", FLD(pool.mbuf_cache), .min = 0, .max = 512},
	{.section = "pool", .key = "neigh_max", .parse = parse_uint, .dflt = "1024",
	 .help = "neighbour (ARP) table entries per worker, 16..1048576", FLD(pool.neigh_max),
	 .min = 16, .max = 1048576},
	{.section = "pool", .key = "arp_retries", .parse = parse_uint, .dflt = "5",
	 .help = "ARP requests sent before a neighbour counts as unreachable, 1..100",
	 FLD(pool.arp_retries), .min = 1, .max = 100},
	{.section = "pool", .key = "arp_timeout", .parse = parse_duration, .dflt = "200ms",
	 .help = "wait between ARP retries, 10ms..60s", FLD(pool.arp_timeout_ms), .min = 10,
	 .max = 60 * 1000},

	/* [server] */
	{.section = "server", .key = "listen", .parse = parse_listen, .dflt = "80",
	 .help = "TCP ports to accept connections on, a list (80, 8080), at most 16; "
		 "empty = none",
	 FLD(server.listen), .off2 = offsetof(struct cfg, server.nb_listen), .min = 1,
	 .max = 65535},
	{.section = "server", .key = "body_size", .parse = parse_uint, .dflt = "64",
	 .help = "HTTP response body bytes, suffixes k, m, g (x1024) allowed, up to 1g",
	 FLD(server.body_size), .min = 0, .max = 1u << 30, .flags = CFG_F_BIN},
	{.section = "server", .key = "gzip", .parse = parse_bool, .dflt = "off",
	 .help = "answer with Content-Encoding: gzip", FLD(server.gzip)},
	{.section = "server", .key = "body_file", .parse = parse_str, .dflt = "",
	 .help = "send this file's contents as the body (read once at start) instead of "
		 "body_size bytes; empty = off",
	 FLD(server.body_file)},
	{.section = "server", .key = "header", .parse = parse_str, .dflt = "",
	 .help = "one extra response header, \"Name: value\"; empty = none", FLD(server.header)},
	{.section = "server", .key = "access_log", .parse = parse_str, .dflt = "",
	 .help = "access log file: time, client ip:port, server ip:port, method, path, status, bytes, "
		 "worker (w0, w1, ...); empty = off",
	 FLD(server.access_log)},
	{.section = "server", .key = "access_log_sample", .parse = parse_uint, .dflt = "1",
	 .help = "log one request in N, 1..1000000", FLD(server.access_log_sample), .min = 1,
	 .max = 1000000},
	{.section = "server", .key = "access_log_format", .parse = parse_enum, .dflt = "synack",
	 .help = "access log lines: synack (time ip:port ip:port method path status bytes worker), "
		 "seeds ([MM/DD/YYYY HH:MM:SS] - ip:port - METHOD PATH), combined (nginx/Apache), "
		 "json (one object per line)",
	 FLD(server.access_log_format), .names = log_format_names},
	{.section = "server", .key = "route", .parse = parse_routes, .dflt = "",
	 .help = "routes, comma-separated: PATH STATUS SIZES [CONTENT-TYPE]; SIZES is one size "
		 "(4k), a weighted list (1k:3|64k:1, weights default 1) or a uniform range (1k-64k, "
		 "cut into 16 sizes); other paths get body_size/body_file; at most 8, empty = none",
	 FLD(server.routes)},
	{.section = "server", .key = "max_body", .parse = parse_uint, .dflt = "1m",
	 .help = "largest request body (Content-Length or chunked) read and discarded; larger ones "
		 "are answered 413 and closed; suffixes k, m, g (x1024), up to 4g - 2",
	 FLD(server.max_body), .min = 0, .max = UINT32_MAX - 1, .flags = CFG_F_BIN},
	{.section = "server", .key = "bulk", .parse = parse_uint, .dflt = "5002",
	 .help = "TCP port of the bulk sink/source that model throughput connects to (5002: "
		 "off iperf3's 5201 and iperf2's 5001), 0..65535; 0 = off",
	 FLD(server.bulk), .min = 0, .max = 65535},
	{.section = "server", .key = "header_timeout", .parse = parse_duration, .dflt = "60s",
	 .help = "a connection's request must be whole within this of the accept or of its first "
		 "byte, else it is reset (nginx's client_header_timeout), 0..1h; 0 = no bound",
	 FLD(server.header_timeout_ms), .min = 0, .max = 3600 * 1000},
	{.section = "server", .key = "keepalive_timeout", .parse = parse_duration, .dflt = "75s",
	 .help = "a keep-alive connection with no request for this long is closed (and reset "
		 "if its peer does not close as long again), 0..1h; 0 = no bound (not nginx's "
		 "0: keep-alive stays on)",
	 FLD(server.keepalive_timeout_ms), .min = 0, .max = 3600 * 1000},

	/* [client] */
	{.section = "client", .key = "model", .parse = parse_enum, .dflt = "ping",
	 .help = "ping | cps | cc | rps | throughput | udp | iperf", FLD(client.model),
	 .names = model_names},
	{.section = "client", .key = "target", .parse = parse_targets, .dflt = NULL,
	 .help = "where the load goes: a list of a.b.c.d or a.b.c.d:port (port 80 if omitted), "
		 "at most 16; needed in modes client and both",
	 FLD(client.target), .off2 = offsetof(struct cfg, client.nb_target), .min = 1,
	 .max = 65535},
	{.section = "client", .key = "rate", .parse = parse_uint, .dflt = "0",
	 .help = "new connections, requests or packets per second, suffixes k, m (x1000) "
		 "allowed; 0 = as fast as it goes",
	 FLD(client.rate), .min = 0, .max = UINT64_MAX, .flags = CFG_F_SI},
	{.section = "client", .key = "concurrency", .parse = parse_uint, .dflt = "100",
	 .help = "connections (or pings, or udp echoes at rate 0) in flight at most; model "
		 "throughput: the bulk connections, 1..100000000",
	 FLD(client.concurrency), .min = 1, .max = 100000000},
	{.section = "client", .key = "payload", .parse = parse_uint, .dflt = "56",
	 .help = "payload bytes: ICMP echo payload (model ping) or UDP payload (model udp, at "
		 "least 24, its sequence header), 0..9000",
	 FLD(client.payload), .min = 0, .max = 9000},
	{.section = "client", .key = "burst", .parse = parse_uint, .dflt = "32",
	 .help = "packets or connections launched per loop at most, 1..512", FLD(client.burst),
	 .min = 1, .max = 512},
	{.section = "client", .key = "count", .parse = parse_uint, .dflt = "0",
	 .help = "stop after this many requests, suffixes k, m (x1000) allowed; 0 = no limit",
	 FLD(client.count), .min = 0, .max = UINT64_MAX, .flags = CFG_F_SI},

	{.section = "client", .key = "request", .parse = parse_enum, .dflt = "http",
	 .help = "http: one HTTP request per exchange; none: handshake only (connect, close)",
	 FLD(client.request_none), .names = request_names},
	{.section = "client", .key = "method", .parse = parse_method, .dflt = "GET",
	 .help = "request method: GET, HEAD, POST, PUT, DELETE, OPTIONS", FLD(client.method)},
	{.section = "client", .key = "path", .parse = parse_str, .dflt = "/",
	 .help = "request target", FLD(client.path)},
	{.section = "client", .key = "host", .parse = parse_str, .dflt = "",
	 .help = "Host header; empty = the target's address", FLD(client.host)},
	{.section = "client", .key = "header", .parse = parse_str, .dflt = "",
	 .help = "one extra request header, \"Name: value\"; empty = none", FLD(client.header)},
	{.section = "client", .key = "headers", .parse = parse_str, .dflt = "",
	 .help = "more request headers, \"Name: value | Name: value\" ('|' separates them); "
		 "empty = none",
	 FLD(client.headers)},
	{.section = "client", .key = "body_size", .parse = parse_uint, .dflt = "0",
	 .help = "request body bytes sent with Content-Length on every request (POST/PUT), "
		 "suffixes k, m (x1024), up to 16m; 0 = none",
	 FLD(client.body_size), .min = 0, .max = 16u << 20, .flags = CFG_F_BIN},
	{.section = "client", .key = "close", .parse = parse_enum, .dflt = "fin",
	 .help = "how the client closes: fin (TIME-WAIT on the client) or rst",
	 FLD(client.close_rst), .names = close_names},
	{.section = "client", .key = "interval", .parse = parse_duration, .dflt = "0",
	 .help = "model cc: a request on each connection every interval; 0 = idle, 0..1h",
	 FLD(client.interval_ms), .min = 0, .max = 3600 * 1000},
	{.section = "client", .key = "pipeline", .parse = parse_uint, .dflt = "1",
	 .help = "model rps: requests sent back to back per connection, 1..64",
	 FLD(client.pipeline), .min = 1, .max = 64},
	{.section = "client", .key = "ramp_up", .parse = parse_duration, .dflt = "0",
	 .help = "linear ramp from 0 to rate (cps, rps) or concurrency (cc); 0 = none",
	 FLD(client.ramp_up_ms), .min = 0, .max = 3600 * 1000},
	{.section = "client", .key = "timeout", .parse = parse_duration, .dflt = "10s",
	 .help = "response timeout: the connection is aborted and counted; 0 = none",
	 FLD(client.timeout_ms), .min = 0, .max = 3600 * 1000},
	{.section = "client", .key = "max_error_rate", .parse = parse_uint, .dflt = "100",
	 .help = "percent of failed connections/requests in a second above which the run "
		 "stops and fails (exit 1), 0..100; 100 = never",
	 FLD(client.max_error_rate), .min = 0, .max = 100},
	{.section = "client", .key = "max_p99", .parse = parse_duration, .dflt = "0",
	 .help = "stop and fail (exit 1) when the p99 response latency exceeds this; 0 = off",
	 FLD(client.max_p99_ms), .min = 0, .max = 3600 * 1000},
	{.section = "client", .key = "max_syn_inflight", .parse = parse_uint, .dflt = "0",
	 .help = "models cps/cc/rps: connections in SYN-SENT at most (split between the "
		 "workers as concurrency): a rate the path cannot carry saturates at what it "
		 "carries instead of piling up SYN retransmissions, 0..100000000; 0 = no cap "
		 "(concurrency bounds them)",
	 FLD(client.max_syn_inflight), .min = 0, .max = 100000000},
	{.section = "client", .key = "ports", .parse = parse_port_range, .dflt = "49152-65535",
	 .help = "source ports LOW-HIGH (IANA dynamic range by default), split between the "
		 "client workers; on a port they share (software dispatch, RSS) each worker "
		 "uses the ports of the whole range whose replies reach it, per target",
	 FLD(client.port_lo), .off2 = offsetof(struct cfg, client.port_hi), .min = 1,
	 .max = 65535},
	{.section = "client", .key = "flows", .parse = parse_uint, .dflt = "1",
	 .help = "model udp: source ports per worker, used round robin (worker i takes "
		 "ports LOW + i*flows ..; on a shared port, towards each target, the first "
		 "flows ports whose echoes from it reach the worker), 1..65535",
	 FLD(client.flows), .min = 1, .max = 65535},
	{.section = "client", .key = "echo", .parse = parse_bool, .dflt = "off",
	 .help = "model udp: on = the target echoes; measure RTT per datagram, loss, "
		 "reordering and duplicates; off = send only",
	 FLD(client.echo)},
	{.section = "client", .key = "direction", .parse = parse_enum, .dflt = "send",
	 .help = "model throughput, the client's view: send (upload; the server sinks), "
		 "receive (the server sources, iperf3 -R) or both",
	 FLD(client.direction), .names = direction_names},
	{.section = "client", .key = "write_size", .parse = parse_uint, .dflt = "128k",
	 .help = "model throughput and the bulk server: bytes per send call (a sender keeps "
		 "3 queued), "
		 "suffixes k, m (x1024), 1..1m",
	 FLD(client.write_size), .min = 1, .max = 1u << 20, .flags = CFG_F_BIN},
	{.section = "client", .key = "iperf_udp", .parse = parse_bool, .dflt = "off",
	 .help = "model iperf: on = a UDP test (iperf3 -u), off = TCP", FLD(client.iperf_udp)},
	{.section = "client", .key = "iperf_reverse", .parse = parse_bool, .dflt = "off",
	 .help = "model iperf: on = the server sends, synack receives (iperf3 -R)",
	 FLD(client.iperf_reverse)},
	{.section = "client", .key = "iperf_bitrate", .parse = parse_uint, .dflt = "0",
	 .help = "model iperf: bits per second per stream (iperf3 -b), suffixes k, m (x1000); "
		 "0 = iperf3's default (TCP unlimited, UDP 1m)",
	 FLD(client.iperf_bitrate), .min = 0, .max = 10000000000000ull, .flags = CFG_F_SI},
	{.section = "client", .key = "iperf_parallel", .parse = parse_uint, .dflt = "1",
	 .help = "model iperf: streams (iperf3 -P), 1..128", FLD(client.iperf_parallel),
	 .min = 1, .max = 128},
	{.section = "client", .key = "iperf_len", .parse = parse_uint, .dflt = "0",
	 .help = "model iperf: bytes per write / UDP payload (iperf3 -l), suffixes k, m (x1024), "
		 "0..1m; 0 = iperf3's default (TCP 128k, UDP 1460)",
	 FLD(client.iperf_len), .min = 0, .max = 1u << 20, .flags = CFG_F_BIN},
	{.section = "client", .key = "iperf_json", .parse = parse_str, .dflt = "",
	 .help = "model iperf: write the result as iperf3 -J does (start / intervals / end) to "
		 "this file; empty = none",
	 FLD(client.iperf_json)},

	/* [tcp] */
	{.section = "tcp", .key = "max_conns", .parse = parse_uint, .dflt = "128k",
	 .help = "connections per worker (flow table and TCBs, allocated at start), "
		 "suffixes k, m (x1024), 64..64m",
	 FLD(tcp.max_conns), .min = 64, .max = 64u << 20, .flags = CFG_F_BIN},
	{.section = "tcp", .key = "rcv_wnd", .parse = parse_uint, .dflt = "256k",
	 .help = "receive window advertised, bytes, suffixes k, m (x1024), 1k..1g",
	 FLD(tcp.rcv_wnd), .min = 1024, .max = 1u << 30, .flags = CFG_F_BIN},
	{.section = "tcp", .key = "time_wait", .parse = parse_duration, .dflt = "1s",
	 .help = "TIME-WAIT length; RFC 9293's 2MSL is 4m, short here so ports recycle in "
		 "benchmarks, 0..4m",
	 FLD(tcp.time_wait_ms), .min = 0, .max = 240 * 1000},
	{.section = "tcp", .key = "delack", .parse = parse_duration, .dflt = "40ms",
	 .help = "delayed ACK timeout (every second full segment is ACKed at once), 1ms..500ms",
	 FLD(tcp.delack_ms), .min = 1, .max = 500},
	{.section = "tcp", .key = "rto_min", .parse = parse_duration, .dflt = "200ms",
	 .help = "lower bound of the retransmission timeout (the initial 1 s one too), 1ms..60s", FLD(tcp.rto_min_ms),
	 .min = 1, .max = 60 * 1000},
	{.section = "tcp", .key = "rto_max", .parse = parse_duration, .dflt = "60s",
	 .help = "upper bound of the retransmission timeout (RFC 6298 2.5), 1s..10m",
	 FLD(tcp.rto_max_ms), .min = 1000, .max = 600 * 1000},
	{.section = "tcp", .key = "syn_retries", .parse = parse_uint, .dflt = "5",
	 .help = "SYN and SYN-ACK retransmissions before giving up, 0..20",
	 FLD(tcp.syn_retries), .min = 0, .max = 20},
	{.section = "tcp", .key = "max_retries", .parse = parse_uint, .dflt = "12",
	 .help = "data retransmissions before the connection is aborted with RST, 1..30",
	 FLD(tcp.max_retries), .min = 1, .max = 30},
	{.section = "tcp", .key = "syn_backlog", .parse = parse_uint, .dflt = "64k",
	 .help = "connections in SYN-RECEIVED at most, suffixes k, m (x1024), 1..64m",
	 FLD(tcp.syn_backlog), .min = 1, .max = 64u << 20, .flags = CFG_F_BIN},
	{.section = "tcp", .key = "init_cwnd", .parse = parse_uint, .dflt = "10",
	 .help = "initial congestion window in segments (RFC 6928), 1..100",
	 FLD(tcp.init_cwnd), .min = 1, .max = 100},
	{.section = "tcp", .key = "ooo_max", .parse = parse_uint, .dflt = "16",
	 .help = "out-of-order segments kept per connection, 0..1024", FLD(tcp.ooo_max),
	 .min = 0, .max = 1024},
	{.section = "tcp", .key = "zero_copy_min", .parse = parse_uint, .dflt = "1024",
	 .help = "segments carrying at least this many payload bytes of long-lived data (the "
		 "bulk pattern, prebuilt HTTP bodies, iperf3 blocks) reference it instead of "
		 "copying it, on ports that take mbuf chains (a chain costs about what copying "
		 "1 KB does); 0 = always copy, 0..65535",
	 FLD(tcp.zero_copy_min), .min = 0, .max = 65535},
	{.section = "tcp", .key = "syncookies", .parse = parse_bool, .dflt = "on",
	 .help = "answer SYNs with SYN cookies (RFC 4987) when the table or backlog is full",
	 FLD(tcp.syncookies)},
	{.section = "tcp", .key = "wscale", .parse = parse_bool, .dflt = "on",
	 .help = "offer window scaling (RFC 7323)", FLD(tcp.wscale)},
	{.section = "tcp", .key = "sack", .parse = parse_bool, .dflt = "on",
	 .help = "offer SACK-permitted and send SACK blocks (RFC 2018)", FLD(tcp.sack)},
	{.section = "tcp", .key = "timestamps", .parse = parse_bool, .dflt = "on",
	 .help = "offer timestamps, with PAWS (RFC 7323)", FLD(tcp.timestamps)},
	{.section = "tcp", .key = "cc", .parse = parse_enum, .dflt = "cubic",
	 .help = "congestion control: cubic (RFC 9438) or newreno (RFC 6582); loss recovery "
		 "is RACK-TLP (RFC 8985) with PRR (RFC 6937) either way",
	 FLD(tcp.cc), .names = cc_names},

	/* [udp] */
	{.section = "udp", .key = "echo", .parse = parse_listen, .dflt = "",
	 .help = "UDP ports whose datagrams are sent back as they came, a list (7, 9000), at "
		 "most 16; empty = none",
	 FLD(udp.echo), .off2 = offsetof(struct cfg, udp.nb_echo), .min = 1, .max = 65535},
	{.section = "udp", .key = "sink", .parse = parse_listen, .dflt = "",
	 .help = "UDP ports whose datagrams are counted and discarded (loss, reordering and "
		 "duplicates counted from synack's sequence header), a list, at most 16; "
		 "empty = none",
	 FLD(udp.sink), .off2 = offsetof(struct cfg, udp.nb_sink), .min = 1, .max = 65535},
	{.section = "udp", .key = "unreach_rate", .parse = parse_uint, .dflt = "1000",
	 .help = "ICMP port unreachables per second per worker (bursts of at most 50), "
		 "suffixes k, m (x1000) allowed, 0..1m; 0 = never",
	 FLD(udp.unreach_rate), .min = 0, .max = 1000000, .flags = CFG_F_SI},

	/* [iperf] */
	{.section = "iperf", .key = "listen", .parse = parse_uint, .dflt = "0",
	 .help = "TCP and UDP port of the iperf3 server (iperf3's is 5201), 0..65535; 0 = off",
	 FLD(iperf.listen), .min = 0, .max = 65535},
	{.section = "iperf", .key = "idle", .parse = parse_duration, .dflt = "30s",
	 .help = "a test that neither sends nor receives this long is ended (the client "
		 "vanished), 1s..1h",
	 FLD(iperf.idle_ms), .min = 1000, .max = 3600 * 1000},
	/* [capture] */
	{.section = "capture", .key = "file", .parse = parse_str, .dflt = "",
	 .help = "pcapng file the frames go to; empty = no capture", FLD(capture.file)},
	{.section = "capture", .key = "snaplen", .parse = parse_uint, .dflt = "1518",
	 .help = "bytes kept of each frame, 64..65535", FLD(capture.snaplen), .min = 64,
	 .max = 65535},
	{.section = "capture", .key = "limit_packets", .parse = parse_uint, .dflt = "0",
	 .help = "keep only the newest N frames (oldest dropped), written at the end; "
		 "0 = no limit, written as they come",
	 FLD(capture.limit_packets), .min = 0, .max = 100000000},
	{.section = "capture", .key = "limit_bytes", .parse = parse_uint, .dflt = "0",
	 .help = "keep only the newest frames up to this many captured bytes (oldest dropped), "
		 "written at the end; 0 = no limit",
	 FLD(capture.limit_bytes), .min = 0, .max = 1ULL << 40},
	{.section = "capture", .key = "filter", .parse = parse_str, .dflt = "",
	 .help = "pcap filter expression (tcpdump syntax, e.g. \"tcp port 80 and host "
		 "198.18.0.2\"), compiled by libpcap and run by rte_bpf on the workers; "
		 "empty = every frame",
	 FLD(capture.filter)},
	{.section = "capture", .key = "pool", .parse = parse_uint, .dflt = "8192",
	 .help = "copies in flight per worker (the main lcore writes them once a ms; more are "
		 "counted as not copied), 1024..1048576",
	 FLD(capture.pool), .min = 1024, .max = 1048576},
};
/* clang-format on */

#define CFG_NB_KEYS	(sizeof(cfg_keys) / sizeof(cfg_keys[0]))
#define CFG_NB_SECTIONS (sizeof(cfg_sections) / sizeof(cfg_sections[0]))

_Static_assert(CFG_NB_KEYS <= CFG_SET_WORDS * 64,
	       "cli_set bit masks are too small for the key table");

/* ---- small helpers ---- */

static bool
key_is_port(const struct cfg_key *k)
{
	return strcmp(k->section, "portN") == 0;
}

static void
store_uint(void *p, size_t size, uint64_t v)
{
	switch (size) {
	case 1: {
		uint8_t x = (uint8_t)v;
		memcpy(p, &x, 1);
		break;
	}
	case 2: {
		uint16_t x = (uint16_t)v;
		memcpy(p, &x, 2);
		break;
	}
	case 4: {
		uint32_t x = (uint32_t)v;
		memcpy(p, &x, 4);
		break;
	}
	default:
		memcpy(p, &v, sizeof(v));
		break;
	}
}

/*
 * Strict unsigned decimal: digits, then an optional suffix allowed by flags,
 * nothing else. Returns 0, -EINVAL (not a number) or -ERANGE (overflow).
 */
static int
parse_number(const char *s, unsigned int flags, uint64_t *out)
{
	uint64_t v, mult = 1;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end != '\0') {
		char c = (char)tolower((unsigned char)*end);

		if ((flags & CFG_F_SI) != 0 && c == 'k')
			mult = 1000;
		else if ((flags & CFG_F_SI) != 0 && c == 'm')
			mult = 1000 * 1000;
		else if ((flags & CFG_F_BIN) != 0 && c == 'k')
			mult = 1u << 10;
		else if ((flags & CFG_F_BIN) != 0 && c == 'm')
			mult = 1u << 20;
		else if ((flags & CFG_F_BIN) != 0 && c == 'g')
			mult = 1u << 30;
		else
			return -EINVAL;
		if (end[1] != '\0')
			return -EINVAL;
	}
	if (v > UINT64_MAX / mult)
		return -ERANGE;
	*out = v * mult;
	return 0;
}

/* A bound written the way the key takes it: 1g, 100k, 16384. */
static const char *
fmt_number(char *buf, size_t len, uint64_t v, unsigned int flags)
{
	static const char sfx[] = "kmg";
	uint64_t unit = (flags & CFG_F_BIN) != 0 ? 1024 : 1000;
	uint64_t div = 1;
	int i, best = -1;

	if ((flags & (CFG_F_SI | CFG_F_BIN)) != 0 && v != 0) {
		for (i = 0; i < ((flags & CFG_F_BIN) != 0 ? 3 : 2); i++) {
			div *= unit;
			if (v % div == 0)
				best = i;
		}
	}
	if (best < 0) {
		snprintf(buf, len, "%" PRIu64, v);
	} else {
		for (div = 1, i = 0; i <= best; i++)
			div *= unit;
		snprintf(buf, len, "%" PRIu64 "%c", v / div, sfx[best]);
	}
	return buf;
}

/* A duration in the largest unit that divides it: 1h, 2m, 10s, 200ms. */
static const char *
fmt_duration(char *buf, size_t len, uint64_t ms)
{
	if (ms == 0)
		snprintf(buf, len, "0");
	else if (ms % 3600000 == 0)
		snprintf(buf, len, "%" PRIu64 "h", ms / 3600000);
	else if (ms % 60000 == 0)
		snprintf(buf, len, "%" PRIu64 "m", ms / 60000);
	else if (ms % 1000 == 0)
		snprintf(buf, len, "%" PRIu64 "s", ms / 1000);
	else
		snprintf(buf, len, "%" PRIu64 "ms", ms);
	return buf;
}

/* Host-order IPv4 from dotted quad; false if s is not exactly a.b.c.d. */
static bool
parse_ip(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*ip = ntohl(a.s_addr);
	return true;
}

/* Not 0/8, 127/8, multicast, reserved or broadcast. */
static bool
ip_is_host(uint32_t ip)
{
	uint32_t first = ip >> 24;

	return first != 0 && first != 127 && first < 224;
}

static const char *
fmt_ip(char *buf, size_t len, uint32_t ip)
{
	snprintf(buf, len, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
	return buf;
}

static uint32_t
prefix_mask(unsigned int prefix)
{
	return prefix == 0 ? 0 : UINT32_MAX << (32 - prefix);
}

/* ---- parsers: one value each ---- */

static int
parse_uint(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	char lo[32], hi[32];
	uint64_t v;
	int rc;

	rc = parse_number(val, k->flags, &v);
	if (rc == -EINVAL) {
		if ((k->flags & CFG_F_BIN) != 0)
			snprintf(msg, len, "\"%s\" is not a size (bytes, or with suffix k, m, g)",
				 val);
		else if ((k->flags & CFG_F_SI) != 0)
			snprintf(msg, len, "\"%s\" is not a number (suffixes k, m allowed)", val);
		else
			snprintf(msg, len, "\"%s\" is not a number", val);
		return -1;
	}
	if (rc == -ERANGE && k->max == UINT64_MAX) {
		snprintf(msg, len, "%s is too large", val);
		return -1;
	}
	if (rc == -ERANGE || v < k->min || v > k->max) {
		snprintf(msg, len, "%s is out of range %s..%s", val,
			 fmt_number(lo, sizeof(lo), k->min, k->flags),
			 fmt_number(hi, sizeof(hi), k->max, k->flags));
		return -1;
	}
	if ((k->flags & CFG_F_POW2) != 0 && (v & (v - 1)) != 0) {
		snprintf(msg, len, "%s is not a power of two (%" PRIu64 "..%" PRIu64 ")", val,
			 k->min, k->max);
		return -1;
	}
	store_uint((char *)base + k->off, k->size, v);
	return 0;
}

static int
parse_duration(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	uint64_t v, mult;
	char lo[32], hi[32];
	char *end;

	if (!isdigit((unsigned char)val[0]))
		goto bad;
	errno = 0;
	v = strtoull(val, &end, 10);
	if (errno == ERANGE)
		goto too_large;
	if (*end == '\0' || strcmp(end, "s") == 0)
		mult = 1000;
	else if (strcmp(end, "ms") == 0)
		mult = 1;
	else if (strcmp(end, "m") == 0)
		mult = 60 * 1000;
	else if (strcmp(end, "h") == 0)
		mult = 3600 * 1000;
	else
		goto bad;
	if (v > UINT64_MAX / mult)
		goto too_large;
	v *= mult;
	if (v < k->min || v > k->max) {
		snprintf(msg, len, "%s is out of range %s..%s", val,
			 fmt_duration(lo, sizeof(lo), k->min),
			 fmt_duration(hi, sizeof(hi), k->max));
		return -1;
	}
	store_uint((char *)base + k->off, k->size, v);
	return 0;
bad:
	snprintf(msg, len, "\"%s\" is not a duration (10s, 500ms, 2m, 1h)", val);
	return -1;
too_large:
	if (k->max == UINT64_MAX)
		snprintf(msg, len, "%s is too large", val);
	else
		snprintf(msg, len, "%s is out of range %s..%s", val,
			 fmt_duration(lo, sizeof(lo), k->min),
			 fmt_duration(hi, sizeof(hi), k->max));
	return -1;
}

static int
parse_bool(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	static const char *const yes[] = {"on", "yes", "true", "1"};
	static const char *const no[] = {"off", "no", "false", "0"};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(val, yes[i]) == 0) {
			*(bool *)((char *)base + k->off) = true;
			return 0;
		}
		if (strcasecmp(val, no[i]) == 0) {
			*(bool *)((char *)base + k->off) = false;
			return 0;
		}
	}
	snprintf(msg, len, "\"%s\" is not a boolean (on/off, yes/no, true/false, 1/0)", val);
	return -1;
}

static int
parse_impair(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	return cfg_impair_parse(val, (struct cfg_impair *)((char *)base + k->off), msg, len);
}

static int
parse_enum(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	size_t i, used;

	for (i = 0; k->names[i] != NULL; i++) {
		if (strcmp(val, k->names[i]) == 0) {
			store_uint((char *)base + k->off, k->size, i);
			return 0;
		}
	}
	used = (size_t)snprintf(msg, len, "\"%s\" is not one of ", val);
	for (i = 0; k->names[i] != NULL && used < len; i++)
		used += (size_t)snprintf(msg + used, len - used, "%s%s", i == 0 ? "" : ", ",
					 k->names[i]);
	return -1;
}

/* run.mode: the enum, plus iperf-client (= client, and client.model = iperf in cfg_validate). */
static int
parse_mode(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	struct cfg *cfg = base;

	cfg->run.iperf_client = strcmp(val, "iperf-client") == 0;
	if (cfg->run.iperf_client) {
		val = "client";
		cfg->client.model = CFG_MODEL_IPERF; /* a later client.model still wins */
	}
	return parse_enum(k, base, val, msg, len);
}

static int
parse_str(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	size_t n = strlen(val);

	if (n >= k->size) {
		snprintf(msg, len, "value is %zu characters long, at most %zu", n, k->size - 1);
		return -1;
	}
	memcpy((char *)base + k->off, val, n + 1);
	return 0;
}

/* A name for a label or a directory: letters, digits, '.', '_', '-'. */
static int
parse_name(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	for (const char *p = val; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' && *p != '-') {
			snprintf(msg, len, "'%s': only letters, digits, '.', '_' and '-'", val);
			return -1;
		}
	return parse_str(k, base, val, msg, len);
}

/* "A.B.C.D:PORT" (PORT 1..65535), stored as given; "" = off. */
static int
parse_hostport(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	char host[32];
	const char *colon = strrchr(val, ':');
	uint64_t port;
	uint32_t ip;

	if (val[0] == '\0')
		return parse_str(k, base, val, msg, len);
	if (colon == NULL || (size_t)(colon - val) >= sizeof(host)) {
		snprintf(msg, len, "'%s': expected A.B.C.D:PORT", val);
		return -1;
	}
	memcpy(host, val, (size_t)(colon - val));
	host[colon - val] = '\0';
	if (!parse_ip(host, &ip)) {
		snprintf(msg, len, "'%s': '%s' is not an IPv4 address", val, host);
		return -1;
	}
	if (parse_number(colon + 1, 0, &port) != 0 || port == 0 || port > 65535) {
		snprintf(msg, len, "'%s': port must be 1..65535", val);
		return -1;
	}
	return parse_str(k, base, val, msg, len);
}

static uint64_t
gcd64(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* One fraction at *p: "a/b", "0" or "1"; advances *p. 0, or -1. */
static int
fraction(const char **p, uint64_t *num, uint64_t *den)
{
	char *end;
	uint64_t g;

	if (!isdigit((unsigned char)**p))
		return -1;
	errno = 0;
	*num = strtoull(*p, &end, 10);
	*den = 1;
	if (errno != 0 || *num > CFG_SEGMENT_MAX_DEN)
		return -1;
	if (*end == '/') {
		const char *q = end + 1;

		if (!isdigit((unsigned char)*q))
			return -1;
		*den = strtoull(q, &end, 10);
		if (errno != 0 || *den == 0 || *den > CFG_SEGMENT_MAX_DEN)
			return -1;
	}
	*p = end;
	g = gcd64(*num, *den);
	if (g > 1) {
		*num /= g;
		*den /= g;
	}
	return 0;
}

int
cfg_segment_parse(const char *val, struct cfg_segment *seg, char *msg, size_t len)
{
	const char *p = val;
	uint64_t a, b, c, d;

	if (fraction(&p, &a, &b) != 0)
		goto bad;
	if (*p == '\0') {
		/* i/N: the i-th of N, from 0 */
		const char *slash = strchr(val, '/');
		unsigned long long i, n;

		if (slash == NULL)
			goto bad;
		i = strtoull(val, NULL, 10);
		n = strtoull(slash + 1, NULL, 10);
		if (i >= n) {
			snprintf(msg, len,
				 "\"%s\": segment index %llu is not below the count %llu "
				 "(i/N counts from 0)",
				 val, i, n);
			return -1;
		}
		a = i;
		b = n;
		c = i + 1;
		d = n;
		uint64_t g = gcd64(a, b);
		a /= g ? g : 1;
		b /= g ? g : 1;
		g = gcd64(c, d);
		c /= g;
		d /= g;
	} else {
		if (*p++ != ':' || fraction(&p, &c, &d) != 0 || *p != '\0')
			goto bad;
	}
	/* 0 <= a/b < c/d <= 1 */
	if (a > b || c > d || a * d >= c * b) {
		snprintf(msg, len, "\"%s\": FROM must be below TO, both within 0..1", val);
		return -1;
	}
	*seg = (struct cfg_segment){.from_num = a, .from_den = b, .to_num = c, .to_den = d};
	return 0;
bad:
	snprintf(msg, len,
		 "\"%s\" is not a segment (FROM:TO as fractions such as 1/4:2/4, or i/N; "
		 "denominators 1..%u)",
		 val, CFG_SEGMENT_MAX_DEN);
	return -1;
}

static int
parse_segment(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	return cfg_segment_parse(val, (struct cfg_segment *)((char *)base + k->off), msg, len);
}

/* Digits of a fraction of a second at *p (after '.'): nanoseconds; advances *p. */
static uint64_t
frac_ns(const char **p)
{
	uint64_t ns = 0, scale = 100000000;

	while (isdigit((unsigned char)**p)) {
		ns += (uint64_t)(**p - '0') * scale;
		scale /= 10;
		(*p)++;
	}
	return ns;
}

/*
 * run.start_at: unix seconds with an optional fraction, or RFC 3339
 * (YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)); "0" = at once.
 */
static int
parse_start_at(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	uint64_t *out = (uint64_t *)((char *)base + k->off);
	const char *p = val;
	uint64_t secs, ns = 0;
	char *end;

	if (strcmp(val, "0") == 0) {
		*out = 0;
		return 0;
	}
	if (strlen(val) >= 19 && val[4] == '-' &&
	    (val[10] == 'T' || val[10] == 't' || val[10] == ' ')) {
		struct tm tm;
		long off = 0;

		memset(&tm, 0, sizeof(tm));
		char *e = strptime(val, "%Y-%m-%d", &tm);
		if (e == NULL || (e = strptime(e + 1, "%H:%M:%S", &tm)) == NULL)
			goto bad;
		p = e;
		if (*p == '.') {
			p++;
			if (!isdigit((unsigned char)*p))
				goto bad;
			ns = frac_ns(&p);
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]) &&
			   isdigit((unsigned char)p[2]) && p[3] == ':' &&
			   isdigit((unsigned char)p[4]) && isdigit((unsigned char)p[5])) {
			off = ((p[1] - '0') * 10 + (p[2] - '0')) * 3600 +
			      ((p[4] - '0') * 10 + (p[5] - '0')) * 60;
			if (*p == '-')
				off = -off;
			p += 6;
		} else {
			goto bad;
		}
		if (*p != '\0')
			goto bad;
		time_t t = timegm(&tm);
		if (t == (time_t)-1)
			goto bad;
		secs = (uint64_t)((int64_t)t - off);
	} else {
		if (!isdigit((unsigned char)*p))
			goto bad;
		errno = 0;
		secs = strtoull(p, &end, 10);
		p = end;
		if (errno != 0)
			goto bad;
		if (*p == '.') {
			p++;
			ns = frac_ns(&p);
		}
		if (*p != '\0')
			goto bad;
	}
	if (secs < 946684800 || secs > 4102444800u) {
		snprintf(msg, len,
			 "%s is not a date between 2000 and 2100: give unix seconds or RFC 3339",
			 val);
		return -1;
	}
	*out = secs * 1000000000ull + ns;
	return 0;
bad:
	snprintf(msg, len,
		 "\"%s\" is not a time: unix seconds (1796000000.5) or RFC 3339 "
		 "(2026-12-02T05:00:00Z, 2026-12-02T06:00:00.250+01:00)",
		 val);
	return -1;
}

/* Exactly n hex digits at *p; their value, or -1. */
static int
hex_run(const char **p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		char c = (*p)[i];

		if (!isxdigit((unsigned char)c))
			return -1;
		if (isdigit((unsigned char)c))
			v = v * 16 + (c - '0');
		else
			v = v * 16 + (tolower((unsigned char)c) - 'a' + 10);
	}
	*p += n;
	return v;
}

/* Device arguments after the comma: printable, no blanks. */
static bool
dev_args_ok(const char *p)
{
	if (*p == '\0')
		return true;
	if (*p != ',')
		return false;
	for (p++; *p != '\0'; p++)
		if (!isgraph((unsigned char)*p))
			return false;
	return true;
}

/* DDDD:BB:DD.F or BB:DD.F, then optional ",args". */
static bool
dev_is_pci(const char *s)
{
	const char *p = s;
	int dev, fn;

	if (strlen(s) >= 5 && s[4] == ':' && hex_run(&p, 4) >= 0)
		p++;
	if (hex_run(&p, 2) < 0 || *p++ != ':')
		return false;
	dev = hex_run(&p, 2);
	if (dev < 0 || dev > 0x1f || *p++ != '.')
		return false;
	fn = *p - '0';
	if (fn < 0 || fn > 7)
		return false;
	return dev_args_ok(p + 1);
}

/* net_xxx or eth_xxx (letters, digits, _), then optional ",args". */
static bool
dev_is_vdev(const char *s)
{
	const char *p = s + 4;

	if (strncmp(s, "net_", 4) != 0 && strncmp(s, "eth_", 4) != 0)
		return false;
	if (!isalnum((unsigned char)*p))
		return false;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return dev_args_ok(p);
}

static int
parse_dev(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	const char *p;

	if (strncmp(val, "net_ring:", 9) == 0) {
		for (p = val + 9; *p != '\0'; p++)
			if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
				break;
		if (p == val + 9 || *p != '\0') {
			snprintf(msg, len,
				 "\"%s\" needs a link name of letters, digits, _ and - "
				 "(net_ring:LINK)",
				 val);
			return -1;
		}
	} else if (!dev_is_pci(val) && !dev_is_vdev(val)) {
		snprintf(msg, len,
			 "\"%s\" is not a PCI address (0000:3b:00.0), a vdev (net_xxx,args) "
			 "or net_ring:LINK",
			 val);
		return -1;
	}
	return parse_str(k, base, val, msg, len);
}

static int
parse_ip_prefix(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	const char *slash = strchr(val, '/');
	char addr[INET_ADDRSTRLEN];
	uint64_t prefix;
	uint32_t ip;

	if (val[0] == '\0') {
		store_uint((char *)base + k->off, k->size, 0);
		*((uint8_t *)base + k->off2) = 0;
		return 0;
	}
	if (slash == NULL) {
		if (parse_ip(val, &ip))
			snprintf(msg, len, "\"%s\" needs a prefix length (a.b.c.d/N)", val);
		else
			snprintf(msg, len, "\"%s\" is not an IPv4 address with prefix (a.b.c.d/N)",
				 val);
		return -1;
	}
	if ((size_t)(slash - val) >= sizeof(addr)) {
		snprintf(msg, len, "\"%s\" is not an IPv4 address with prefix (a.b.c.d/N)", val);
		return -1;
	}
	memcpy(addr, val, (size_t)(slash - val));
	addr[slash - val] = '\0';
	if (!parse_ip(addr, &ip)) {
		snprintf(msg, len, "\"%s\" is not an IPv4 address with prefix (a.b.c.d/N)", val);
		return -1;
	}
	if (parse_number(slash + 1, 0, &prefix) == -EINVAL) {
		snprintf(msg, len, "\"%s\" has a prefix length that is not a number", val);
		return -1;
	}
	if (prefix < 1 || prefix > 32) {
		snprintf(msg, len, "\"%s\" has prefix length %s, out of range 1..32", val,
			 slash + 1);
		return -1;
	}
	if (!ip_is_host(ip)) {
		snprintf(msg, len, "\"%s\" is not a usable host address", val);
		return -1;
	}
	store_uint((char *)base + k->off, k->size, ip);
	*((uint8_t *)base + k->off2) = (uint8_t)prefix;
	return 0;
}

static int
parse_ip6_prefix(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	const char *slash = strchr(val, '/');
	char addr[INET6_ADDRSTRLEN];
	uint8_t a[16];
	uint64_t prefix;

	if (val[0] == '\0') {
		memset((char *)base + k->off, 0, 16);
		*((uint8_t *)base + k->off2) = 0;
		return 0;
	}
	if (slash == NULL || (size_t)(slash - val) >= sizeof(addr)) {
		snprintf(msg, len, "\"%s\" is not an IPv6 address with prefix (2001:2::2/64)", val);
		return -1;
	}
	memcpy(addr, val, (size_t)(slash - val));
	addr[slash - val] = '\0';
	if (inet_pton(AF_INET6, addr, a) != 1) {
		snprintf(msg, len, "\"%s\" is not an IPv6 address with prefix (2001:2::2/64)", val);
		return -1;
	}
	if (parse_number(slash + 1, 0, &prefix) == -EINVAL || prefix < 1 || prefix > 128) {
		snprintf(msg, len, "\"%s\" has prefix length %s, not a number in 1..128", val,
			 slash + 1);
		return -1;
	}
	static const uint8_t zero[16], one[16] = {[15] = 1};
	if (a[0] == 0xff || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || memcmp(a, zero, 16) == 0 ||
	    memcmp(a, one, 16) == 0) {
		snprintf(msg, len,
			 "\"%s\" is not a usable unicast address (multicast, link-local -- derived "
			 "from the MAC --, loopback or unspecified)",
			 val);
		return -1;
	}
	memcpy((char *)base + k->off, a, 16);
	*((uint8_t *)base + k->off2) = (uint8_t)prefix;
	return 0;
}

static int
parse_ipv4(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	uint32_t ip = 0;

	if (val[0] != '\0' && !parse_ip(val, &ip)) {
		snprintf(msg, len, "\"%s\" is not an IPv4 address (a.b.c.d)", val);
		return -1;
	}
	if (val[0] != '\0' && !ip_is_host(ip)) {
		snprintf(msg, len, "\"%s\" is not a usable host address", val);
		return -1;
	}
	store_uint((char *)base + k->off, k->size, ip);
	return 0;
}

/*
 * Split a list on commas and blanks into buf (modified in place); the items
 * go to item[], at most max. Returns the count, or -1 if val is too long.
 */
static int
split_list(const char *val, char *buf, size_t buflen, char **item, int max)
{
	char *save = NULL, *tok;
	int n = 0;

	if (strlen(val) >= buflen)
		return -1;
	strcpy(buf, val);
	for (tok = strtok_r(buf, ", \t", &save); tok != NULL; tok = strtok_r(NULL, ", \t", &save)) {
		if (n < max)
			item[n] = tok;
		n++;
	}
	return n;
}

/* One route's SIZES: "4k", "1k:3|64k:1" or "1k-64k". 0 or -1 with msg. */
static int
parse_route_sizes(struct cfg_route *r, char *spec, char *msg, size_t len)
{
	char *dash = strchr(spec, '-'), *save = NULL, *tok;
	uint64_t lo, hi, v, w;

	r->nb_sizes = 0;
	if (dash != NULL) {
		*dash = '\0';
		if (parse_number(spec, CFG_F_BIN, &lo) != 0 ||
		    parse_number(dash + 1, CFG_F_BIN, &hi) != 0 || lo > hi || hi > (1u << 30)) {
			snprintf(msg, len, "size range \"%s-%s\" is not LO-HI with LO <= HI <= 1g",
				 spec, dash + 1);
			return -1;
		}
		unsigned int n = hi - lo + 1 < CFG_MAX_ROUTE_SIZES ? (unsigned int)(hi - lo + 1)
								   : CFG_MAX_ROUTE_SIZES;
		for (unsigned int i = 0; i < n; i++) {
			r->size[i] = (uint32_t)(n == 1 ? lo : lo + (hi - lo) * i / (n - 1));
			r->weight[i] = 1;
		}
		r->nb_sizes = (uint8_t)n;
		return 0;
	}
	for (tok = strtok_r(spec, "|", &save); tok != NULL; tok = strtok_r(NULL, "|", &save)) {
		char *colon = strchr(tok, ':');

		w = 1;
		if (colon != NULL) {
			*colon = '\0';
			if (parse_number(colon + 1, 0, &w) != 0 || w < 1 || w > 1000000) {
				snprintf(msg, len, "weight \"%s\" is not 1..1000000", colon + 1);
				return -1;
			}
		}
		if (parse_number(tok, CFG_F_BIN, &v) != 0 || v > (1u << 30)) {
			snprintf(msg, len, "size \"%s\" is not a size up to 1g", tok);
			return -1;
		}
		if (r->nb_sizes == CFG_MAX_ROUTE_SIZES) {
			snprintf(msg, len, "more than %d sizes in one route", CFG_MAX_ROUTE_SIZES);
			return -1;
		}
		r->size[r->nb_sizes] = (uint32_t)v;
		r->weight[r->nb_sizes++] = (uint32_t)w;
	}
	if (r->nb_sizes == 0) {
		snprintf(msg, len, "a route has no size");
		return -1;
	}
	return 0;
}

/* server.route: "PATH STATUS SIZES [CONTENT-TYPE], ..." */
static int
parse_routes(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	struct cfg *cfg = base;
	char buf[2048], *save = NULL, *elem;

	(void)k;
	cfg->server.nb_routes = 0;
	if (strlen(val) >= sizeof(buf)) {
		snprintf(msg, len, "value is longer than %zu characters", sizeof(buf) - 1);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", val);
	for (elem = strtok_r(buf, ",", &save); elem != NULL; elem = strtok_r(NULL, ",", &save)) {
		char *f[5], *s2 = NULL;
		unsigned int n = 0;
		uint64_t st;
		struct cfg_route *r;

		for (char *t = strtok_r(elem, " \t", &s2); t != NULL && n < 5;
		     t = strtok_r(NULL, " \t", &s2))
			f[n++] = t;
		if (n == 0)
			continue;
		if (n < 3 || n > 4) {
			snprintf(msg, len, "route \"%s\" is not PATH STATUS SIZES [CONTENT-TYPE]",
				 f[0]);
			return -1;
		}
		if (cfg->server.nb_routes == CFG_MAX_ROUTES) {
			snprintf(msg, len, "more than %d routes", CFG_MAX_ROUTES);
			return -1;
		}
		r = &cfg->server.routes[cfg->server.nb_routes];
		memset(r, 0, sizeof(*r));
		if ((f[0][0] != '/' && strcmp(f[0], "*") != 0) || strlen(f[0]) >= sizeof(r->path) ||
		    strpbrk(f[0], "?\"\\") != NULL) {
			snprintf(msg, len,
				 "route path \"%s\" must start with / (or be *), have no ?, and be "
				 "under %zu characters",
				 f[0], sizeof(r->path));
			return -1;
		}
		for (unsigned int i = 1; i <= (unsigned int)cfg->server.nb_routes; i++)
			if (strcmp(cfg->server.routes[i - 1].path, f[0]) == 0) {
				snprintf(msg, len, "route %s is given twice", f[0]);
				return -1;
			}
		snprintf(r->path, sizeof(r->path), "%s", f[0]);
		if (parse_number(f[1], 0, &st) != 0 || st < 200 || st > 599 || st == 204 ||
		    st == 304) {
			snprintf(
				msg, len,
				"route %s: status \"%s\" is not 200..599 (204 and 304 carry no body)",
				f[0], f[1]);
			return -1;
		}
		r->status = (uint16_t)st;
		if (parse_route_sizes(r, f[2], msg, len) < 0)
			return -1;
		if (n == 4) {
			if (strlen(f[3]) >= sizeof(r->ctype) || strchr(f[3], '/') == NULL) {
				snprintf(msg, len,
					 "route %s: content type \"%s\" is not TYPE/SUBTYPE", f[0],
					 f[3]);
				return -1;
			}
			snprintf(r->ctype, sizeof(r->ctype), "%s", f[3]);
		}
		cfg->server.nb_routes++;
	}
	return 0;
}

static int
parse_listen(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	char buf[CFG_LIST_LEN], *item[CFG_MAX_LISTEN];
	uint16_t port[CFG_MAX_LISTEN];
	uint64_t v;
	int n, i, j;

	n = split_list(val, buf, sizeof(buf), item, CFG_MAX_LISTEN);
	if (n < 0) {
		snprintf(msg, len, "list is longer than %d characters", CFG_LIST_LEN - 1);
		return -1;
	}
	if (n > CFG_MAX_LISTEN) {
		snprintf(msg, len, "%d ports given, at most %d", n, CFG_MAX_LISTEN);
		return -1;
	}
	for (i = 0; i < n; i++) {
		int rc = parse_number(item[i], 0, &v);

		if (rc == -EINVAL) {
			snprintf(msg, len, "\"%s\" is not a number", item[i]);
			return -1;
		}
		if (rc == -ERANGE || v < k->min || v > k->max) {
			snprintf(msg, len, "%s is out of range %" PRIu64 "..%" PRIu64, item[i],
				 k->min, k->max);
			return -1;
		}
		port[i] = (uint16_t)v;
		for (j = 0; j < i; j++) {
			if (port[j] == port[i]) {
				snprintf(msg, len, "%s is listed twice", item[i]);
				return -1;
			}
		}
	}
	memcpy((char *)base + k->off, port, (size_t)n * sizeof(port[0]));
	store_uint((char *)base + k->off2, sizeof(uint16_t), (uint64_t)n);
	return 0;
}

static int
parse_port_range(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	char lo_s[32], *dash;
	uint64_t lo, hi;

	if (strlen(val) >= sizeof(lo_s) || (dash = strchr(val, '-')) == NULL) {
		snprintf(msg, len, "\"%s\" is not a port range (LOW-HIGH)", val);
		return -1;
	}
	memcpy(lo_s, val, (size_t)(dash - val));
	lo_s[dash - val] = '\0';
	if (parse_number(lo_s, 0, &lo) != 0 || parse_number(dash + 1, 0, &hi) != 0) {
		snprintf(msg, len, "\"%s\" is not a port range (LOW-HIGH)", val);
		return -1;
	}
	if (lo < k->min || hi > k->max || lo > hi) {
		snprintf(msg, len, "%s is out of range %" PRIu64 "..%" PRIu64 " or LOW > HIGH", val,
			 k->min, k->max);
		return -1;
	}
	store_uint((char *)base + k->off, sizeof(uint16_t), lo);
	store_uint((char *)base + k->off2, sizeof(uint16_t), hi);
	return 0;
}

static int
parse_method(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	for (int i = 0; method_names[i] != NULL; i++) {
		if (strcmp(val, method_names[i]) == 0) {
			snprintf((char *)base + k->off, k->size, "%s", val);
			return 0;
		}
	}
	snprintf(msg, len, "\"%s\" is not one of GET, HEAD, POST, PUT, DELETE, OPTIONS", val);
	return -1;
}

static int
parse_targets(const struct cfg_key *k, void *base, const char *val, char *msg, size_t len)
{
	char buf[CFG_LIST_LEN], *item[CFG_MAX_TARGETS];
	struct cfg_target t[CFG_MAX_TARGETS];
	int n, i;

	n = split_list(val, buf, sizeof(buf), item, CFG_MAX_TARGETS);
	if (n < 0) {
		snprintf(msg, len, "list is longer than %d characters", CFG_LIST_LEN - 1);
		return -1;
	}
	if (n > CFG_MAX_TARGETS) {
		snprintf(msg, len, "%d targets given, at most %d", n, CFG_MAX_TARGETS);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char *colon = strchr(item[i], ':');
		char shown[CFG_LIST_LEN];
		uint64_t port = 80;
		int rc;

		snprintf(shown, sizeof(shown), "%s", item[i]);
		if (colon != NULL) {
			*colon = '\0';
			rc = parse_number(colon + 1, 0, &port);
			if (rc == -EINVAL) {
				snprintf(msg, len, "\"%s\" has a port that is not a number", shown);
				return -1;
			}
			if (rc == -ERANGE || port < k->min || port > k->max) {
				snprintf(msg, len,
					 "\"%s\" has port %s, out of range %" PRIu64 "..%" PRIu64,
					 shown, colon + 1, k->min, k->max);
				return -1;
			}
		}
		if (!parse_ip(item[i], &t[i].ip)) {
			snprintf(msg, len,
				 "\"%s\" is not an IPv4 address (a.b.c.d or a.b.c.d:port)", shown);
			return -1;
		}
		if (!ip_is_host(t[i].ip)) {
			snprintf(msg, len, "\"%s\" is not a usable host address", shown);
			return -1;
		}
		t[i].port = (uint16_t)port;
	}
	memcpy((char *)base + k->off, t, (size_t)n * sizeof(t[0]));
	store_uint((char *)base + k->off2, sizeof(uint16_t), (uint64_t)n);
	return 0;
}

/* ---- applying keys ---- */

static void
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/*
 * "port3" -> 3; -1 if not of the form portN with N a plain decimal number;
 * CFG_MAX_PORTS if N is too large.
 */
static int
port_index(const char *section)
{
	const char *p = section + 4;
	long n = 0;

	if (strncmp(section, "port", 4) != 0 || *p == '\0' || (p[0] == '0' && p[1] != '\0'))
		return -1;
	for (; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		if (n < CFG_MAX_PORTS)
			n = n * 10 + (*p - '0');
	}
	return n < CFG_MAX_PORTS ? (int)n : CFG_MAX_PORTS;
}

static bool
section_known(const char *section)
{
	size_t i;

	for (i = 0; i < CFG_NB_SECTIONS; i++)
		if (strcmp(cfg_sections[i].name, section) == 0 && strcmp(section, "portN") != 0)
			return true;
	return false;
}

/*
 * Resolve a section name: *port = -1 for global sections, 0..7 for [portN].
 * On error fills err (prefixed with origin) and returns -1.
 */
static int
resolve_section(const char *origin, const char *section, int *port, char *err, size_t errlen)
{
	int n = port_index(section);

	if (n == CFG_MAX_PORTS) {
		set_err(err, errlen, "%s:%s: unknown section (ports are [port0]..[port%d])", origin,
			section, CFG_MAX_PORTS - 1);
		return -1;
	}
	if (n < 0 && !section_known(section)) {
		set_err(err, errlen, "%s:%s: unknown section", origin, section);
		return -1;
	}
	*port = n;
	return 0;
}

static void
mark_port(struct cfg *cfg, int port)
{
	cfg->port[port].present = true;
	if (cfg->nb_ports < port + 1)
		cfg->nb_ports = (uint16_t)(port + 1);
}

/* Parse one section.key = val; the key index in *idx. */
static int
apply_key(struct cfg *cfg, const char *origin, const char *section, int port, const char *key,
	  const char *val, size_t *idx, char *err, size_t errlen)
{
	char msg[CFG_MSG_LEN];
	size_t i;

	for (i = 0; i < CFG_NB_KEYS; i++) {
		const struct cfg_key *k = &cfg_keys[i];
		void *base;

		if (strcmp(k->key, key) != 0)
			continue;
		if (port >= 0 ? !key_is_port(k) : strcmp(k->section, section) != 0)
			continue;
		base = port >= 0 ? (void *)&cfg->port[port] : (void *)cfg;
		if (k->parse(k, base, val, msg, sizeof(msg)) != 0) {
			set_err(err, errlen, "%s:%s:%s: %s", origin, section, key, msg);
			return -1;
		}
		*idx = i;
		return 0;
	}
	set_err(err, errlen, "%s:%s:%s: unknown key (see synack --help-config)", origin, section,
		key);
	return -1;
}

void
cfg_defaults(struct cfg *cfg)
{
	char msg[CFG_MSG_LEN];
	size_t i;
	int p;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < CFG_NB_KEYS; i++) {
		const struct cfg_key *k = &cfg_keys[i];

		if (k->dflt == NULL)
			continue;
		if (!key_is_port(k)) {
			k->parse(k, cfg, k->dflt, msg, sizeof(msg));
			continue;
		}
		for (p = 0; p < CFG_MAX_PORTS; p++)
			k->parse(k, &cfg->port[p], k->dflt, msg, sizeof(msg));
	}
}

/* ---- validation ---- */

static const char *
file_origin(const struct cfg *cfg)
{
	return cfg->file[0] != '\0' ? cfg->file : CFG_DEFAULTS;
}

/* Where key (section, key) of port (-1 = global) last came from. */
static const char *
key_origin(const struct cfg *cfg, int port, const char *key)
{
	size_t i;

	for (i = 0; i < CFG_NB_KEYS; i++) {
		if (strcmp(cfg_keys[i].key, key) != 0 || key_is_port(&cfg_keys[i]) != (port >= 0))
			continue;
		if ((cfg->cli_set[port + 1][i / 64] & (UINT64_C(1) << (i % 64))) != 0)
			return "--set";
		break;
	}
	return file_origin(cfg);
}

/* key_origin for a key name that several sections use (listen). */
static const char *
key_origin_in(const struct cfg *cfg, const char *section, const char *key)
{
	for (size_t i = 0; i < CFG_NB_KEYS; i++) {
		if (strcmp(cfg_keys[i].key, key) != 0 || strcmp(cfg_keys[i].section, section) != 0)
			continue;
		if ((cfg->cli_set[0][i / 64] & (UINT64_C(1) << (i % 64))) != 0)
			return "--set";
		break;
	}
	return file_origin(cfg);
}

static const char *
section_origin(const struct cfg *cfg, int port)
{
	if (port >= 0 && cfg->cli_port[port])
		return "--set";
	return file_origin(cfg);
}

/* [portN] ip_count > 1: an address to start from, the range inside ip/N and
 * short of its broadcast address (/31 and /32 have none), without the gateway. */
static int
check_ip_count(const struct cfg *cfg, int i, char *err, size_t errlen)
{
	const struct cfg_port *p = &cfg->port[i];
	uint32_t mask = prefix_mask(p->prefix);
	uint64_t last = (uint64_t)p->ip + p->ip_count - 1;
	uint32_t bcast = (p->ip & mask) | ~mask;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN];

	if (p->ip == 0) {
		set_err(err, errlen,
			"%s:port%d:ip_count: %u given without ip (the addresses start "
			"at ip)",
			key_origin(cfg, i, "ip_count"), i, p->ip_count);
		return -1;
	}
	if (last > UINT32_MAX || ((uint32_t)last & mask) != (p->ip & mask) ||
	    (p->prefix < 31 && (uint32_t)last == bcast)) {
		set_err(err, errlen,
			"%s:port%d:ip_count: %u addresses from %s leave %s/%u (the last usable one "
			"is %s)",
			key_origin(cfg, i, "ip_count"), i, p->ip_count, fmt_ip(a, sizeof(a), p->ip),
			fmt_ip(b, sizeof(b), p->ip & mask), p->prefix,
			fmt_ip(c, sizeof(c), p->prefix < 31 ? bcast - 1 : bcast));
		return -1;
	}
	if (p->gateway != 0 && p->gateway >= p->ip && p->gateway <= (uint32_t)last) {
		set_err(err, errlen,
			"%s:port%d:ip_count: the %u addresses %s-%s include the gateway %s",
			key_origin(cfg, i, "ip_count"), i, p->ip_count, fmt_ip(a, sizeof(a), p->ip),
			fmt_ip(b, sizeof(b), (uint32_t)last), fmt_ip(c, sizeof(c), p->gateway));
		return -1;
	}
	return 0;
}

/* [portN] ip6_count > 1: ip6 given, and ip6 .. ip6 + count - 1 inside ip6/N
 * (the host part of the last address still fits under the prefix). */
static int
check_ip6_count(const struct cfg *cfg, int i, char *err, size_t errlen)
{
	const struct cfg_port *p = &cfg->port[i];
	static const uint8_t zero[16];
	uint8_t last[16];
	char a[INET6_ADDRSTRLEN];

	if (memcmp(p->ip6, zero, 16) == 0) {
		set_err(err, errlen,
			"%s:port%d:ip6_count: %u given without ip6 (the addresses start at ip6)",
			key_origin(cfg, i, "ip6_count"), i, p->ip6_count);
		return -1;
	}
	memcpy(last, p->ip6, 16);
	uint64_t carry = p->ip6_count - 1;
	for (int k = 15; k >= 0 && carry != 0; k--) {
		carry += last[k];
		last[k] = (uint8_t)carry;
		carry >>= 8;
	}
	/* the prefix's bits must be equal in both */
	for (unsigned int b = 0; b < p->prefix6; b++) {
		unsigned int byte = b / 8, bit = 7 - b % 8;

		if (carry != 0 || ((p->ip6[byte] ^ last[byte]) >> bit & 1) != 0) {
			uint8_t net[16];
			char n[INET6_ADDRSTRLEN];

			for (unsigned int k = 0; k < 16; k++) {
				unsigned int keep = p->prefix6 >= 8 * (k + 1) ? 8
						    : p->prefix6 <= 8 * k     ? 0
									      : p->prefix6 - 8 * k;
				net[k] = (uint8_t)(p->ip6[k] & (0xff00u >> keep));
			}
			inet_ntop(AF_INET6, p->ip6, a, sizeof(a));
			inet_ntop(AF_INET6, net, n, sizeof(n));
			set_err(err, errlen,
				"%s:port%d:ip6_count: %u addresses from %s leave %s/%u",
				key_origin(cfg, i, "ip6_count"), i, p->ip6_count, a, n, p->prefix6);
			return -1;
		}
	}
	return 0;
}

/* run.segment, run.segment_from_env and run.segments together. */
static int
validate_segment(const struct cfg *cfg, char *err, size_t errlen)
{
	const struct cfg_run *r = &cfg->run;
	bool whole = r->segment.from_num == 0 && r->segment.to_num == r->segment.to_den;

	if (r->segment_env[0] != '\0' && !whole) {
		set_err(err, errlen,
			"%s:run:segment_from_env: %s names the segment index, and run.segment is "
			"set too: give one of them",
			key_origin(cfg, -1, "segment_from_env"), r->segment_env);
		return -1;
	}
	if (r->segment_env[0] != '\0' && r->segments == 0) {
		set_err(err, errlen,
			"%s:run:segments: run.segment_from_env = %s needs the number of segments "
			"(run.segments = N, the Job's completions)",
			key_origin(cfg, -1, "segments"), r->segment_env);
		return -1;
	}
	if (r->segment_env[0] == '\0' && r->segments != 0) {
		set_err(err, errlen,
			"%s:run:segments: %u segments without run.segment_from_env: use "
			"run.segment = i/%u, or name the variable that holds i",
			key_origin(cfg, -1, "segments"), r->segments, r->segments);
		return -1;
	}
	return 0;
}

int
cfg_validate(const struct cfg *cfg, char *err, size_t errlen)
{
	const char *mode = cfg_mode_name(cfg->run.mode);
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	int i;

	if (validate_segment(cfg, err, errlen) != 0)
		return -1;
	for (i = 1; i < CFG_MAX_PORTS; i++) {
		if (cfg->port[i].present && !cfg->port[i - 1].present) {
			set_err(err, errlen,
				"%s:port%d: section without [port%d] (ports must be numbered "
				"without gaps)",
				section_origin(cfg, i), i, i - 1);
			return -1;
		}
	}
	for (i = 0; i < cfg->nb_ports; i++) {
		const struct cfg_port *p = &cfg->port[i];

		if (p->dev[0] == '\0') {
			set_err(err, errlen, "%s:port%d:dev: missing (every [portN] needs dev)",
				section_origin(cfg, i), i);
			return -1;
		}
		if (p->ip_count > 1 && check_ip_count(cfg, i, err, errlen) != 0)
			return -1;
		if (p->ip6_count > 1 && check_ip6_count(cfg, i, err, errlen) != 0)
			return -1;
		if (p->gateway == 0)
			continue;
		if (p->ip == 0) {
			set_err(err, errlen,
				"%s:port%d:gateway: %s given without ip (the gateway must lie "
				"inside ip/N)",
				key_origin(cfg, i, "gateway"), i, fmt_ip(a, sizeof(a), p->gateway));
			return -1;
		}
		if (((p->gateway ^ p->ip) & prefix_mask(p->prefix)) != 0) {
			set_err(err, errlen, "%s:port%d:gateway: %s is outside %s/%u (port%d.ip)",
				key_origin(cfg, i, "gateway"), i, fmt_ip(a, sizeof(a), p->gateway),
				fmt_ip(b, sizeof(b), p->ip & prefix_mask(p->prefix)), p->prefix, i);
			return -1;
		}
		if (p->gateway == p->ip) {
			set_err(err, errlen, "%s:port%d:gateway: %s is the port's own address",
				key_origin(cfg, i, "gateway"), i, fmt_ip(a, sizeof(a), p->gateway));
			return -1;
		}
	}

	switch (cfg->run.mode) {
	case CFG_MODE_SERVER:
	case CFG_MODE_CLIENT:
		if (cfg->nb_ports == 0) {
			set_err(err, errlen, "%s:port0: missing (mode %s needs at least one port)",
				key_origin(cfg, -1, "mode"), mode);
			return -1;
		}
		break;
	case CFG_MODE_BOTH:
		if (cfg->nb_ports < 2) {
			set_err(err, errlen,
				"%s:port%d: missing (mode both needs [port0] for the client and "
				"[port1] for the server)",
				key_origin(cfg, -1, "mode"), cfg->nb_ports);
			return -1;
		}
		break;
	default:
		set_err(err, errlen, "%s:run:mode: %d is not a mode", file_origin(cfg),
			(int)cfg->run.mode);
		return -1;
	}
	for (i = 0; i < cfg->udp.nb_sink; i++) {
		for (int j = 0; j < cfg->udp.nb_echo; j++) {
			if (cfg->udp.sink[i] == cfg->udp.echo[j]) {
				set_err(err, errlen, "%s:udp:sink: %u is also in udp.echo",
					key_origin(cfg, -1, "sink"), cfg->udp.sink[i]);
				return -1;
			}
		}
	}
	for (i = 0; cfg->server.bulk != 0 && i < cfg->server.nb_listen; i++) {
		if (cfg->server.listen[i] == cfg->server.bulk) {
			set_err(err, errlen, "%s:server:bulk: %u is also in server.listen",
				key_origin(cfg, -1, "bulk"), cfg->server.bulk);
			return -1;
		}
	}
	for (i = 0; cfg->iperf.listen != 0 && i < cfg->server.nb_listen; i++) {
		if (cfg->server.listen[i] == cfg->iperf.listen) {
			set_err(err, errlen, "%s:iperf:listen: %u is also in server.listen",
				key_origin_in(cfg, "iperf", "listen"), cfg->iperf.listen);
			return -1;
		}
	}
	if (cfg->iperf.listen != 0 && cfg->iperf.listen == cfg->server.bulk) {
		set_err(err, errlen, "%s:iperf:listen: %u is also server.bulk",
			key_origin_in(cfg, "iperf", "listen"), cfg->iperf.listen);
		return -1;
	}
	if (cfg->run.mode == CFG_MODE_SERVER)
		return 0;

	if (cfg->port[0].ip == 0) {
		set_err(err, errlen,
			"%s:port0:ip: missing (mode %s needs an address on the client port)",
			key_origin(cfg, 0, "ip"), mode);
		return -1;
	}
	if (cfg->run.mode == CFG_MODE_BOTH && cfg->port[1].ip == 0) {
		set_err(err, errlen,
			"%s:port1:ip: missing (mode both needs an address on the server port)",
			key_origin(cfg, 1, "ip"));
		return -1;
	}
	if (cfg->run.mode == CFG_MODE_BOTH &&
	    (uint64_t)cfg->port[1].ip - cfg->port[0].ip < cfg->port[0].ip_count) {
		set_err(err, errlen,
			"%s:port1:ip: %s is one of port0's %u addresses (port0.ip_count)",
			key_origin(cfg, 1, "ip"), fmt_ip(a, sizeof(a), cfg->port[1].ip),
			cfg->port[0].ip_count);
		return -1;
	}
	if (cfg->client.nb_target == 0) {
		set_err(err, errlen,
			"%s:client:target: missing (mode %s, model %s needs at least one target)",
			key_origin(cfg, -1, "target"), mode, cfg_model_name(cfg->client.model));
		return -1;
	}
	if (cfg->client.model == CFG_MODEL_UDP && cfg->client.payload < 24) {
		set_err(err, errlen,
			"%s:client:payload: %u is below the 24-byte sequence header of model udp "
			"(24..9000)",
			key_origin(cfg, -1, "payload"), cfg->client.payload);
		return -1;
	}
	if (cfg->client.model == CFG_MODEL_UDP &&
	    cfg->client.flows > (uint32_t)cfg->client.port_hi - cfg->client.port_lo + 1) {
		set_err(err, errlen,
			"%s:client:flows: %u is more than the %u ports of client.ports",
			key_origin(cfg, -1, "flows"), cfg->client.flows,
			(uint32_t)cfg->client.port_hi - cfg->client.port_lo + 1);
		return -1;
	}
	if (cfg->run.mode == CFG_MODE_BOTH && cfg->run.lcores > 1 && cfg->run.lcores % 2 != 0) {
		set_err(err, errlen,
			"%s:run:lcores: %u must be even in mode both (half client, half server "
			"workers)",
			key_origin(cfg, -1, "lcores"), cfg->run.lcores);
		return -1;
	}
	return 0;
}

/* ---- the file ---- */

/*
 * Check the file's lines before rte_cfgfile sees them: it refuses some broken
 * lines without saying which, and silently drops a line without '='. Returns
 * true, with the reason in msg, at the first line that is not blank, a
 * comment, a [section] or a key = value inside a section.
 */
static bool
scan_lines(FILE *f, char *msg, size_t len)
{
	char line[CFG_NAME_LEN + CFG_VALUE_LEN + 4];
	bool in_section = false;
	unsigned int lineno = 0;

	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line, *end, *semi;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(msg, len, "line %u is too long", lineno);
			return true;
		}
		semi = strchr(p, ';');
		if (semi != NULL)
			*semi = '\0';
		while (isspace((unsigned char)*p))
			p++;
		end = p + strlen(p);
		while (end > p && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*p == '\0')
			continue;
		if (*p == '[') {
			if (end[-1] != ']') {
				snprintf(msg, len, "line %u: section header without ']'", lineno);
				return true;
			}
			in_section = true;
			continue;
		}
		if (strchr(p, '=') == NULL) {
			snprintf(msg, len, "line %u: expected key = value", lineno);
			return true;
		}
		if (*p == '=') {
			snprintf(msg, len, "line %u: value without a key", lineno);
			return true;
		}
		if (!in_section) {
			snprintf(msg, len, "line %u: key before any [section]", lineno);
			return true;
		}
	}
	return false;
}

/* Apply every section of a loaded file; keys given twice are an error. */
static int
apply_file(struct cfg *cfg, struct rte_cfgfile *cf, const char *file, char *err, size_t errlen)
{
	uint64_t seen[1 + CFG_MAX_PORTS][CFG_SET_WORDS] = {{0}};
	struct rte_cfgfile_entry *e = NULL;
	char section[CFG_NAME_LEN];
	int nsec, s, n, j, port;
	int rc = -1;

	nsec = rte_cfgfile_num_sections(cf, "", 0);
	for (s = 0; s < nsec; s++) {
		n = rte_cfgfile_section_num_entries_by_index(cf, section, s);
		if (n < 0) {
			set_err(err, errlen, "%s: cannot read (section %d)", file, s);
			goto out;
		}
		if (resolve_section(file, section, &port, err, errlen) != 0)
			goto out;
		if (port >= 0)
			mark_port(cfg, port);
		free(e);
		e = calloc((size_t)n + 1, sizeof(*e));
		if (e == NULL) {
			set_err(err, errlen, "%s: cannot read (%s)", file, strerror(ENOMEM));
			goto out;
		}
		n = rte_cfgfile_section_entries_by_index(cf, s, section, e, n);
		for (j = 0; j < n; j++) {
			size_t idx;

			if (apply_key(cfg, file, section, port, e[j].name, e[j].value, &idx, err,
				      errlen) != 0)
				goto out;
			if ((seen[port + 1][idx / 64] & (UINT64_C(1) << (idx % 64))) != 0) {
				set_err(err, errlen, "%s:%s:%s: given twice", file, section,
					e[j].name);
				goto out;
			}
			seen[port + 1][idx / 64] |= UINT64_C(1) << (idx % 64);
		}
	}
	rc = 0;
out:
	free(e);
	return rc;
}

int
cfg_load(struct cfg *cfg, const char *file, char *err, size_t errlen)
{
	struct rte_cfgfile *cf;
	char msg[CFG_MSG_LEN];
	bool bad;
	FILE *f;
	int rc;

	cfg_defaults(cfg);
	snprintf(cfg->file, sizeof(cfg->file), "%s", file);
	f = fopen(file, "r");
	if (f == NULL) {
		set_err(err, errlen, "%s: cannot read (%s)", file, strerror(errno));
		return -1;
	}
	bad = scan_lines(f, msg, sizeof(msg));
	fclose(f);
	if (bad) {
		set_err(err, errlen, "%s: cannot parse (%s)", file, msg);
		return -1;
	}
	/* Empty values allowed: "json =" clears a key, like --set run.json= does. */
	cf = rte_cfgfile_load(file, CFG_FLAG_EMPTY_VALUES);
	if (cf == NULL) {
		set_err(err, errlen, "%s: cannot parse (not an INI file)", file);
		return -1;
	}
	rc = apply_file(cfg, cf, file, err, errlen);
	rte_cfgfile_close(cf);
	if (rc != 0)
		return -1;
	return cfg_validate(cfg, err, errlen);
}

/* Copy [b, e) into dst with surrounding blanks removed; false if it does not fit. */
static bool
copy_trimmed(char *dst, size_t len, const char *b, const char *e)
{
	while (b < e && isspace((unsigned char)*b))
		b++;
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	if ((size_t)(e - b) >= len)
		return false;
	memcpy(dst, b, (size_t)(e - b));
	dst[e - b] = '\0';
	return true;
}

int
cfg_set_novalidate(struct cfg *cfg, const char *assignment, char *err, size_t errlen)
{
	const char *eq = strchr(assignment, '=');
	const char *dot = strchr(assignment, '.');
	char section[CFG_NAME_LEN], key[CFG_NAME_LEN], val[CFG_LIST_LEN];
	size_t idx;
	int port;

	if (eq == NULL || dot == NULL || dot > eq ||
	    !copy_trimmed(section, sizeof(section), assignment, dot) ||
	    !copy_trimmed(key, sizeof(key), dot + 1, eq) ||
	    !copy_trimmed(val, sizeof(val), eq + 1, eq + strlen(eq)) || section[0] == '\0' ||
	    key[0] == '\0') {
		set_err(err, errlen, "--set: \"%s\" is not section.key=value", assignment);
		return -1;
	}
	if (resolve_section("--set", section, &port, err, errlen) != 0)
		return -1;
	if (apply_key(cfg, "--set", section, port, key, val, &idx, err, errlen) != 0)
		return -1;
	if (port >= 0 && !cfg->port[port].present) {
		mark_port(cfg, port);
		cfg->cli_port[port] = true;
	}
	cfg->cli_set[port + 1][idx / 64] |= UINT64_C(1) << (idx % 64);
	return 0;
}

int
cfg_set(struct cfg *cfg, const char *assignment, char *err, size_t errlen)
{
	if (cfg_set_novalidate(cfg, assignment, err, errlen) != 0)
		return -1;
	return cfg_validate(cfg, err, errlen);
}

/* ---- help ---- */

static const char *
default_text(const struct cfg_key *k)
{
	if (k->dflt == NULL)
		return "(none)";
	if (k->dflt[0] == '\0')
		return "\"\"";
	return k->dflt;
}

/* Markdown table cell: escape the column separator. */
static void
md_cell(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			fputc('\\', out);
		fputc(*s, out);
	}
}

static void
print_markdown(FILE *out)
{
	size_t s, i;

	fputs("# synack configuration reference\n"
	      "\n"
	      "<!-- Generated by `synack --help-config --markdown`; do not edit by hand. -->\n"
	      "\n"
	      "synack reads an INI file: `synack -c FILE.ini`. Comments start with `;` anywhere "
	      "on a line.\n"
	      "Every key is optional except `dev` in each `[portN]` section; a key left out "
	      "takes its default.\n"
	      "Any key can be overridden from the command line with `--set section.key=value` "
	      "(repeatable),\n"
	      "for example `--set run.lcores=2 --set port0.ip=198.18.0.1/24`.\n"
	      "\n"
	      "Values: durations take `ms`, `s`, `m`, `h` (a plain number is seconds); booleans "
	      "are `on`/`off`,\n"
	      "`yes`/`no`, `true`/`false` or `1`/`0`; lists are separated by commas or blanks.\n"
	      "An error names its place: `FILE:SECTION:KEY: what is wrong` (FILE is `--set` for "
	      "overrides).\n"
	      "`synack --help-config` prints the same keys as plain text.\n",
	      out);
	for (s = 0; s < CFG_NB_SECTIONS; s++) {
		const struct cfg_section *sec = &cfg_sections[s];

		if (strcmp(sec->name, "portN") == 0)
			fprintf(out, "\n## [port0] .. [port%d]\n\n", CFG_MAX_PORTS - 1);
		else
			fprintf(out, "\n## [%s]\n\n", sec->name);
		fprintf(out, "%s\n\n| key | default | help |\n|-----|---------|------|\n",
			sec->help);
		for (i = 0; i < CFG_NB_KEYS; i++) {
			const struct cfg_key *k = &cfg_keys[i];

			if (strcmp(k->section, sec->name) != 0)
				continue;
			fprintf(out, "| `%s` | ", k->key);
			if (k->dflt == NULL) {
				fputs("(none)", out);
			} else {
				fputc('`', out);
				md_cell(out, default_text(k));
				fputc('`', out);
			}
			fputs(" | ", out);
			md_cell(out, k->help);
			fputs(" |\n", out);
		}
	}
}

void
cfg_print_help(FILE *out, bool markdown)
{
	int wname = 0, wdflt = 0, n;
	char name[2 * CFG_NAME_LEN];
	size_t i;

	if (markdown) {
		print_markdown(out);
		return;
	}
	for (i = 0; i < CFG_NB_KEYS; i++) {
		n = snprintf(name, sizeof(name), "%s.%s", cfg_keys[i].section, cfg_keys[i].key);
		if (n > wname)
			wname = n;
		n = (int)strlen(default_text(&cfg_keys[i]));
		if (n > wdflt)
			wdflt = n;
	}
	for (i = 0; i < CFG_NB_KEYS; i++) {
		snprintf(name, sizeof(name), "%s.%s", cfg_keys[i].section, cfg_keys[i].key);
		fprintf(out, "%-*s = %-*s  ; %s\n", wname, name, wdflt, default_text(&cfg_keys[i]),
			cfg_keys[i].help);
	}
}

const char *
cfg_mode_name(enum cfg_mode m)
{
	if ((unsigned int)m >= sizeof(mode_names) / sizeof(mode_names[0]) - 1)
		return "?";
	return mode_names[m];
}

const char *
cfg_model_name(enum cfg_model m)
{
	if ((unsigned int)m >= sizeof(model_names) / sizeof(model_names[0]) - 1)
		return "?";
	return model_names[m];
}
