/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The wire pieces of iperf3's protocol, no stack involved (the fuzzer and
 * the unit tests use them alone): the control-state machine, the control
 * reader, cookies, the JSON parameters and results (cJSON), the UDP
 * header and the receiver's loss / jitter accounting.
 *
 * Everything here is on the control path (a handful of messages per test)
 * except iperf_udp_hdr_* and iperf_udp_rx_update, which run per datagram
 * and do no allocation.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "iperf.h"

const char *
iperf_state_name(int s)
{
	switch (s) {
	case IPERF_TEST_START:
		return "TEST_START";
	case IPERF_TEST_RUNNING:
		return "TEST_RUNNING";
	case IPERF_TEST_END:
		return "TEST_END";
	case IPERF_PARAM_EXCHANGE:
		return "PARAM_EXCHANGE";
	case IPERF_CREATE_STREAMS:
		return "CREATE_STREAMS";
	case IPERF_SERVER_TERMINATE:
		return "SERVER_TERMINATE";
	case IPERF_CLIENT_TERMINATE:
		return "CLIENT_TERMINATE";
	case IPERF_EXCHANGE_RESULTS:
		return "EXCHANGE_RESULTS";
	case IPERF_DISPLAY_RESULTS:
		return "DISPLAY_RESULTS";
	case IPERF_IPERF_START:
		return "IPERF_START";
	case IPERF_IPERF_DONE:
		return "IPERF_DONE";
	case IPERF_ACCESS_DENIED:
		return "ACCESS_DENIED";
	case IPERF_SERVER_ERROR:
		return "SERVER_ERROR";
	default:
		return "unknown";
	}
}

const char *
iperf_phase_name(enum iperf_phase p)
{
	static const char *const n[] = {"cookie", "params",  "create",	"start", "running",
					"end",	  "results", "display", "done",	 "aborted"};

	return (unsigned int)p < sizeof(n) / sizeof(n[0]) ? n[p] : "?";
}

int
iperf_srv_step(enum iperf_phase cur, int8_t state, enum iperf_phase *next)
{
	if (state == IPERF_CLIENT_TERMINATE) {
		*next = IPERF_PH_ABORTED;
		return -ECONNABORTED;
	}
	if (cur == IPERF_PH_RUNNING && state == IPERF_TEST_END) {
		*next = IPERF_PH_RESULTS; /* we answer EXCHANGE_RESULTS */
		return 0;
	}
	if (cur == IPERF_PH_DISPLAY && state == IPERF_IPERF_DONE) {
		*next = IPERF_PH_DONE;
		return 0;
	}
	return -EPROTO;
}

int
iperf_cli_step(enum iperf_phase cur, int8_t state, enum iperf_phase *next)
{
	switch (state) {
	case IPERF_ACCESS_DENIED:
		*next = IPERF_PH_ABORTED;
		return -EACCES;
	case IPERF_SERVER_ERROR:
	case IPERF_SERVER_TERMINATE:
		*next = IPERF_PH_ABORTED;
		return -ECONNABORTED;
	case IPERF_PARAM_EXCHANGE:
		if (cur != IPERF_PH_COOKIE)
			break;
		*next = IPERF_PH_PARAMS;
		return 0;
	case IPERF_CREATE_STREAMS:
		if (cur != IPERF_PH_PARAMS)
			break;
		*next = IPERF_PH_CREATE;
		return 0;
	case IPERF_TEST_START:
		if (cur != IPERF_PH_CREATE)
			break;
		*next = IPERF_PH_START;
		return 0;
	case IPERF_TEST_RUNNING:
		if (cur != IPERF_PH_START)
			break;
		*next = IPERF_PH_RUNNING;
		return 0;
	case IPERF_EXCHANGE_RESULTS:
		if (cur != IPERF_PH_END)
			break;
		*next = IPERF_PH_RESULTS; /* we send ours, then read theirs */
		return 0;
	case IPERF_DISPLAY_RESULTS:
		if (cur != IPERF_PH_DISPLAY)
			break;
		*next = IPERF_PH_DONE; /* we answer IPERF_DONE */
		return 0;
	default:
		break;
	}
	return -EPROTO;
}

/* ---- reader ---- */

void
iperf_rx_init(struct iperf_rx *r, char *buf, uint32_t cap, enum iperf_msg want)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->cap = cap;
	iperf_rx_expect(r, want);
}

void
iperf_rx_expect(struct iperf_rx *r, enum iperf_msg want)
{
	r->want = want;
	r->have = 0;
	r->hdr_have = 0;
	switch (want) {
	case IPERF_MSG_COOKIE:
		r->need = IPERF_COOKIE_LEN;
		break;
	case IPERF_MSG_STATE:
		r->need = 1;
		break;
	case IPERF_MSG_JSON:
		r->need = 0;
		break; /* from the length */
	case IPERF_MSG_ERRNO:
		r->need = 0;
		break; /* into hdr */
	}
}

static bool
cookie_ok(const char *c)
{
	if (c[IPERF_COOKIE_LEN - 1] != '\0')
		return false;
	for (int i = 0; i < IPERF_COOKIE_LEN - 1; i++)
		if (c[i] < 0x21 || c[i] > 0x7e)
			return false;
	return true;
}

enum iperf_rx_rc
iperf_rx_feed(struct iperf_rx *r, const uint8_t *data, uint32_t len, uint32_t *used)
{
	uint32_t i = 0;

	*used = 0;
	if (r->want == IPERF_MSG_ERRNO) {
		while (i < len && r->hdr_have < 8)
			r->hdr[r->hdr_have++] = data[i++];
		*used = i;
		return r->hdr_have == 8 ? IPERF_RX_OK : IPERF_RX_AGAIN;
	}
	if (r->want == IPERF_MSG_JSON && r->hdr_have < 4) {
		while (i < len && r->hdr_have < 4)
			r->hdr[r->hdr_have++] = data[i++];
		if (r->hdr_have < 4) {
			*used = i;
			return IPERF_RX_AGAIN;
		}
		r->need = (uint32_t)r->hdr[0] << 24 | (uint32_t)r->hdr[1] << 16 |
			  (uint32_t)r->hdr[2] << 8 | r->hdr[3];
		if (r->need == 0 || r->need > IPERF_JSON_MAX || r->need >= r->cap) {
			*used = i;
			return IPERF_RX_ERROR;
		}
	}
	uint32_t take = r->need - r->have;
	if (take > len - i)
		take = len - i;
	if (r->have + take > r->cap)
		return IPERF_RX_ERROR;
	memcpy(r->buf + r->have, data + i, take);
	r->have += take;
	i += take;
	*used = i;
	if (r->have < r->need)
		return IPERF_RX_AGAIN;
	if (r->want == IPERF_MSG_JSON)
		r->buf[r->have] = '\0';
	if (r->want == IPERF_MSG_COOKIE && !cookie_ok(r->buf))
		return IPERF_RX_ERROR;
	return IPERF_RX_OK;
}

void
iperf_cookie_make(char out[IPERF_COOKIE_LEN], uint64_t seed)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
	uint64_t x = seed ? seed : 0x9e3779b97f4a7c15ull;

	for (int i = 0; i < IPERF_COOKIE_LEN - 1; i++) {
		/* xorshift64* */
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		out[i] = alphabet[(x * 0x2545f4914f6cdd1dull) >> 59];
	}
	out[IPERF_COOKIE_LEN - 1] = '\0';
}

/* ---- JSON helpers ---- */

/* A number key: -ENOENT when absent, -EINVAL (message) when not a number or out of range. */
static int
get_num(const cJSON *o, const char *key, double lo, double hi, double *v, char *err, size_t errlen)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	if (j == NULL)
		return -ENOENT;
	if (!cJSON_IsNumber(j)) {
		snprintf(err, errlen, "\"%s\": expected a number", key);
		return -EINVAL;
	}
	if (isnan(j->valuedouble) || j->valuedouble < lo || j->valuedouble > hi) {
		snprintf(err, errlen, "\"%s\": %g is out of range [%.0f, %.0f]", key,
			 j->valuedouble, lo, hi);
		return -EINVAL;
	}
	*v = j->valuedouble;
	return 0;
}

/* A boolean key (iperf3 sends true; accept 0/1 too); absent = false. */
static int
get_bool(const cJSON *o, const char *key, bool *v, char *err, size_t errlen)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	*v = false;
	if (j == NULL)
		return 0;
	if (cJSON_IsBool(j)) {
		*v = cJSON_IsTrue(j);
		return 0;
	}
	if (cJSON_IsNumber(j) && (j->valuedouble == 0 || j->valuedouble == 1)) {
		*v = j->valuedouble == 1;
		return 0;
	}
	snprintf(err, errlen, "\"%s\": expected true or false", key);
	return -EINVAL;
}

int
iperf_params_parse(const char *json, size_t len, struct iperf_params *p, char *err, size_t errlen)
{
	cJSON *o = cJSON_ParseWithLength(json, len);
	bool tcp = false, sctp = false, bidir = false;
	double v;
	int rc = -EINVAL;

	memset(p, 0, sizeof(*p));
	if (o == NULL || !cJSON_IsObject(o)) {
		snprintf(err, errlen, "parameters are not a JSON object");
		goto out;
	}
	if (get_bool(o, "tcp", &tcp, err, errlen) != 0 ||
	    get_bool(o, "udp", &p->udp, err, errlen) != 0 ||
	    get_bool(o, "sctp", &sctp, err, errlen) != 0 ||
	    get_bool(o, "reverse", &p->reverse, err, errlen) != 0 ||
	    get_bool(o, "bidirectional", &bidir, err, errlen) != 0 ||
	    get_bool(o, "udp_counters_64bit", &p->udp_counters_64bit, err, errlen) != 0 ||
	    get_bool(o, "get_server_output", &p->get_server_output, err, errlen) != 0)
		goto out;
	if (sctp) {
		snprintf(err, errlen, "\"sctp\": SCTP is not supported");
		goto out;
	}
	if (bidir) {
		snprintf(err, errlen, "\"bidirectional\": --bidir is not supported");
		goto out;
	}
	if (tcp == p->udp) {
		snprintf(err, errlen, "%s",
			 tcp ? "\"tcp\" and \"udp\" both set"
			     : "missing \"tcp\" or \"udp\": no protocol");
		goto out;
	}
#define NUM(key, lo, hi, dst, def) \
	do { \
		int r_ = get_num(o, key, lo, hi, &v, err, errlen); \
		if (r_ == -EINVAL) \
			goto out; \
		dst = r_ == 0 ? (__typeof__(dst))v : (def); \
	} while (0)
	NUM("time", 0, 86400, p->time_s, 10);
	NUM("omit", 0, 600, p->omit_s, 0);
	NUM("num", 0, 1e15, p->bytes, 0);
	NUM("blockcount", 0, 1e15, p->blockcount, 0);
	NUM("parallel", 1, IPERF_MAX_STREAMS, p->parallel, 1);
	NUM("len", 1, p->udp ? IPERF_MAX_UDP_BLOCK : IPERF_MAX_BLOCK, p->len,
	    p->udp ? 1460 : 128 * 1024);
	NUM("bandwidth", 0, 1e13, p->bandwidth, p->udp ? 1000 * 1000 : 0);
#undef NUM
	if (p->udp && p->len < iperf_udp_hlen(p->udp_counters_64bit)) {
		snprintf(err, errlen, "\"len\": %u is below the UDP header (%u bytes)", p->len,
			 iperf_udp_hlen(p->udp_counters_64bit));
		goto out;
	}
	if (p->time_s == 0 && p->bytes == 0 && p->blockcount == 0) {
		snprintf(err, errlen,
			 "\"time\": 0 with no \"num\" or \"blockcount\": endless test");
		goto out;
	}
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(o, "client_version");
	if (ver != NULL) {
		if (!cJSON_IsString(ver)) {
			snprintf(err, errlen, "\"client_version\": expected a string");
			goto out;
		}
		snprintf(p->client_version, sizeof(p->client_version), "%s", ver->valuestring);
	}
	rc = 0;
out:
	cJSON_Delete(o);
	return rc;
}

char *
iperf_params_build(const struct iperf_params *p)
{
	cJSON *o = cJSON_CreateObject();
	char *s = NULL;

	if (o == NULL)
		return NULL;
	/* the keys in the order iperf3 3.12 sends them */
	cJSON_AddBoolToObject(o, p->udp ? "udp" : "tcp", true);
	cJSON_AddNumberToObject(o, "omit", p->omit_s);
	cJSON_AddNumberToObject(o, "time", p->time_s);
	cJSON_AddNumberToObject(o, "num", (double)p->bytes);
	cJSON_AddNumberToObject(o, "blockcount", (double)p->blockcount);
	cJSON_AddNumberToObject(o, "parallel", p->parallel);
	if (p->reverse)
		cJSON_AddBoolToObject(o, "reverse", true);
	cJSON_AddNumberToObject(o, "len", p->len);
	if (p->bandwidth != 0)
		cJSON_AddNumberToObject(o, "bandwidth", (double)p->bandwidth);
	if (p->udp_counters_64bit)
		cJSON_AddBoolToObject(o, "udp_counters_64bit", true);
	cJSON_AddNumberToObject(o, "pacing_timer", 1000);
	cJSON_AddStringToObject(o, "client_version", "3.12");
	if (!cJSON_HasObjectItem(o, "client_version"))
		goto out;
	s = cJSON_PrintUnformatted(o);
out:
	cJSON_Delete(o);
	return s;
}

int
iperf_results_parse(const char *json, size_t len, struct iperf_results *r, char *err, size_t errlen)
{
	cJSON *o = cJSON_ParseWithLength(json, len);
	const cJSON *streams, *s;
	double v;
	int rc = -EINVAL;

	memset(r, 0, sizeof(*r));
	if (o == NULL || !cJSON_IsObject(o)) {
		snprintf(err, errlen, "results are not a JSON object");
		goto out;
	}
#define NUM(obj, key, lo, hi, dst, def) \
	do { \
		int r_ = get_num(obj, key, lo, hi, &v, err, errlen); \
		if (r_ == -EINVAL) \
			goto out; \
		dst = r_ == 0 ? (__typeof__(dst))v : (def); \
	} while (0)
	NUM(o, "cpu_util_total", -1e9, 1e9, r->cpu_total, 0);
	NUM(o, "cpu_util_user", -1e9, 1e9, r->cpu_user, 0);
	NUM(o, "cpu_util_system", -1e9, 1e9, r->cpu_system, 0);
	/* -1 travels as 2^64 - 1 from iperf3 */
	NUM(o, "sender_has_retransmits", -1, 1.9e19, v, 0);
	r->sender_has_retransmits = v == 1 ? 1 : v == 0 ? 0 : -1;
	const cJSON *cc = cJSON_GetObjectItemCaseSensitive(o, "congestion_used");
	if (cJSON_IsString(cc))
		snprintf(r->congestion, sizeof(r->congestion), "%s", cc->valuestring);
	streams = cJSON_GetObjectItemCaseSensitive(o, "streams");
	if (!cJSON_IsArray(streams)) {
		snprintf(err, errlen, "\"streams\": missing or not an array");
		goto out;
	}
	cJSON_ArrayForEach(s, streams)
	{
		struct iperf_stream_res *x;

		if (r->nb_streams == IPERF_MAX_STREAMS) {
			snprintf(err, errlen, "\"streams\": more than %d", IPERF_MAX_STREAMS);
			goto out;
		}
		if (!cJSON_IsObject(s)) {
			snprintf(err, errlen, "\"streams\"[%u]: not an object", r->nb_streams);
			goto out;
		}
		x = &r->streams[r->nb_streams];
		if (get_num(s, "id", 1, 1e6, &v, err, errlen) != 0) {
			if (!cJSON_HasObjectItem(s, "id"))
				snprintf(err, errlen, "\"streams\"[%u]: missing \"id\"",
					 r->nb_streams);
			goto out;
		}
		x->id = (int32_t)v;
		if (get_num(s, "bytes", 0, 1.8e19, &v, err, errlen) != 0) {
			if (!cJSON_HasObjectItem(s, "bytes"))
				snprintf(err, errlen, "\"streams\"[%u]: missing \"bytes\"",
					 r->nb_streams);
			goto out;
		}
		x->bytes = (uint64_t)v;
		NUM(s, "retransmits", -1, 1.9e19, v, -1);
		x->retransmits = v > 9e18 ? -1 : (int64_t)v;
		NUM(s, "jitter", 0, 1e6, x->jitter, 0);
		NUM(s, "errors", -1e15, 1e15, x->errors, 0);
		NUM(s, "packets", -1e15, 1e15, x->packets, 0);
		NUM(s, "start_time", 0, 1e7, x->start_time, 0);
		NUM(s, "end_time", 0, 1e7, x->end_time, 0);
		r->nb_streams++;
	}
#undef NUM
	rc = 0;
out:
	cJSON_Delete(o);
	return rc;
}

char *
iperf_results_build(const struct iperf_results *r)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	char *s = NULL;

	if (o == NULL)
		return NULL;
	cJSON_AddNumberToObject(o, "cpu_util_total", r->cpu_total);
	cJSON_AddNumberToObject(o, "cpu_util_user", r->cpu_user);
	cJSON_AddNumberToObject(o, "cpu_util_system", r->cpu_system);
	cJSON_AddNumberToObject(o, "sender_has_retransmits", (double)r->sender_has_retransmits);
	if (r->congestion[0] != '\0')
		cJSON_AddStringToObject(o, "congestion_used", r->congestion);
	arr = cJSON_AddArrayToObject(o, "streams");
	if (arr == NULL)
		goto out;
	for (uint32_t i = 0; i < r->nb_streams; i++) {
		const struct iperf_stream_res *x = &r->streams[i];
		cJSON *j = cJSON_CreateObject();

		if (j == NULL)
			goto out;
		cJSON_AddItemToArray(arr, j);
		cJSON_AddNumberToObject(j, "id", x->id);
		cJSON_AddNumberToObject(j, "bytes", (double)x->bytes);
		cJSON_AddNumberToObject(j, "retransmits", (double)x->retransmits);
		cJSON_AddNumberToObject(j, "jitter", x->jitter);
		cJSON_AddNumberToObject(j, "errors", (double)x->errors);
		cJSON_AddNumberToObject(j, "packets", (double)x->packets);
		cJSON_AddNumberToObject(j, "start_time", x->start_time);
		if (cJSON_AddNumberToObject(j, "end_time", x->end_time) == NULL)
			goto out;
	}
	s = cJSON_PrintUnformatted(o);
out:
	cJSON_Delete(o);
	return s;
}

/* ---- UDP ---- */

static inline void
put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static inline uint32_t
get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint32_t
iperf_udp_hdr_encode(uint8_t *buf, uint32_t len, const struct iperf_udp_hdr *h, bool c64)
{
	if (len < iperf_udp_hlen(c64))
		return 0;
	put32(buf, h->sec);
	put32(buf + 4, h->usec);
	if (c64) {
		put32(buf + 8, (uint32_t)(h->count >> 32));
		put32(buf + 12, (uint32_t)h->count);
	} else {
		put32(buf + 8, (uint32_t)h->count);
	}
	return iperf_udp_hlen(c64);
}

int
iperf_udp_hdr_decode(const uint8_t *buf, uint32_t len, bool c64, struct iperf_udp_hdr *h)
{
	if (len < iperf_udp_hlen(c64))
		return -EINVAL;
	h->sec = get32(buf);
	h->usec = get32(buf + 4);
	h->count = c64 ? (uint64_t)get32(buf + 8) << 32 | get32(buf + 12) : get32(buf + 8);
	return 0;
}

void
iperf_udp_rx_update(struct iperf_udp_rx *r, const struct iperf_udp_hdr *h, double now_s,
		    uint32_t len)
{
	double sent = (double)h->sec + (double)h->usec / 1e6;
	double transit = now_s - sent;
	int64_t count = (int64_t)h->count;

	r->bytes += len;
	r->datagrams++;
	if (count >= r->packets + 1) {
		if (count > r->packets + 1)
			r->errors += count - r->packets - 1; /* a gap: lost so far */
		r->packets = count;
	} else {
		/* late (or duplicated): it was counted lost when the gap opened */
		r->outoforder++;
		if (r->errors > 0)
			r->errors--;
	}
	if (r->any) {
		double d = fabs(transit - r->prev_transit);
		r->jitter += (d - r->jitter) / 16.0; /* RFC 3550 6.4.1 */
	}
	r->prev_transit = transit;
	r->any = true;
}
