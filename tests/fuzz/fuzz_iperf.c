/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for lib/iperf's control-message parser: the reader that
 * splits a control connection into cookie / state bytes / length-prefixed
 * JSON, and the two JSON parsers (parameters, results) behind it.
 *
 * The first input byte picks the sequence of messages expected (as the
 * server: cookie, JSON, then states and JSON as iperf_srv_step() moves; or
 * as the client: states, JSON after EXCHANGE_RESULTS); the rest is the byte
 * stream, fed in pieces whose sizes come from the second byte. Per call:
 * *used <= len; AGAIN uses every byte; an OK message is whole (a cookie is
 * NUL-terminated, a JSON body NUL-terminated at have <= IPERF_JSON_MAX);
 * every JSON body goes through both parsers, which must either succeed with
 * values in range or fail with a message. The whole body is also parsed as
 * JSON directly, so the parsers see arbitrary text too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/iperf/iperf.h"

#define FUZZ_ASSERT(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, \
				#cond); \
			abort(); \
		} \
	} while (0)

static char rxbuf[IPERF_JSON_MAX + 1];
static struct iperf_results res;

static void
parse_json(const char *s, size_t len)
{
	struct iperf_params p;
	char err[200];

	err[0] = '\0';
	if (iperf_params_parse(s, len, &p, err, sizeof(err)) == 0) {
		FUZZ_ASSERT(p.parallel >= 1 && p.parallel <= IPERF_MAX_STREAMS);
		FUZZ_ASSERT(p.len >= 1 && p.len <= IPERF_MAX_BLOCK);
		FUZZ_ASSERT(p.time_s != 0 || p.bytes != 0 || p.blockcount != 0);
		FUZZ_ASSERT(memchr(p.client_version, '\0', sizeof(p.client_version)) != NULL);
		char *b = iperf_params_build(&p);
		if (b != NULL) {
			struct iperf_params q;
			FUZZ_ASSERT(iperf_params_parse(b, strlen(b), &q, err, sizeof(err)) == 0);
			FUZZ_ASSERT(q.parallel == p.parallel && q.len == p.len && q.udp == p.udp);
			free(b);
		}
	} else {
		FUZZ_ASSERT(err[0] != '\0');
	}
	err[0] = '\0';
	if (iperf_results_parse(s, len, &res, err, sizeof(err)) == 0) {
		FUZZ_ASSERT(res.nb_streams <= IPERF_MAX_STREAMS);
		char *b = iperf_results_build(&res);
		free(b);
	} else {
		FUZZ_ASSERT(err[0] != '\0');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iperf_rx rx;
	bool server;
	enum iperf_phase ph;
	uint32_t piece;

	if (size < 2)
		return 0;
	server = data[0] & 1;
	piece = 1u + data[1] % 64u;
	data += 2;
	size -= 2;
	parse_json((const char *)data, size);

	iperf_rx_init(&rx, rxbuf, sizeof(rxbuf), server ? IPERF_MSG_COOKIE : IPERF_MSG_STATE);
	ph = IPERF_PH_COOKIE;
	while (size > 0) {
		uint32_t len = size < piece ? (uint32_t)size : piece, used;
		enum iperf_rx_rc rc = iperf_rx_feed(&rx, data, len, &used);

		FUZZ_ASSERT(used <= len);
		if (rc == IPERF_RX_ERROR)
			return 0;
		if (rc == IPERF_RX_AGAIN)
			FUZZ_ASSERT(used == len);
		data += used;
		size -= used;
		if (rc != IPERF_RX_OK)
			continue;
		enum iperf_phase next = ph;
		switch (rx.want) {
		case IPERF_MSG_COOKIE:
			FUZZ_ASSERT(rx.have == IPERF_COOKIE_LEN &&
				    rx.buf[IPERF_COOKIE_LEN - 1] == 0);
			next = IPERF_PH_PARAMS;
			break;
		case IPERF_MSG_JSON:
			FUZZ_ASSERT(rx.have >= 1 && rx.have <= IPERF_JSON_MAX);
			FUZZ_ASSERT(rx.buf[rx.have] == '\0');
			parse_json(rx.buf, rx.have);
			next = server ? (ph == IPERF_PH_PARAMS ? IPERF_PH_RUNNING
							       : IPERF_PH_DISPLAY)
				      : IPERF_PH_DISPLAY;
			break;
		case IPERF_MSG_STATE:
			if (server)
				(void)iperf_srv_step(ph, (int8_t)rx.buf[0], &next);
			else if (iperf_cli_step(ph, (int8_t)rx.buf[0], &next) != 0)
				next = IPERF_PH_ABORTED;
			else if (next == IPERF_PH_RUNNING)
				next = IPERF_PH_END; /* the client ends the test itself */
			break;
		case IPERF_MSG_ERRNO:
			break;
		}
		FUZZ_ASSERT(iperf_phase_name(next) != NULL);
		if (next == IPERF_PH_ABORTED || next == IPERF_PH_DONE)
			return 0;
		ph = next;
		iperf_rx_expect(&rx, ph == IPERF_PH_PARAMS && server ? IPERF_MSG_JSON
				     : ph == IPERF_PH_RESULTS	     ? IPERF_MSG_JSON
								     : IPERF_MSG_STATE);
	}
	return 0;
}
