/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * [capture]: open the pcapng file once the ports exist (22.11 writes one
 * interface block per port at open) and give each worker its queue; run.c
 * drains it once a ms and closes it when the workers have stopped.
 */
#include <stdio.h>

#include <rte_lcore.h>

#include "app/synack/synack.h"
#include "lib/stack/capture.h"

int
capture_setup(struct synack *s)
{
	const struct cfg_capture *cc = &s->cfg->capture;
	struct capture_conf conf = {
		.file = cc->file,
		.snaplen = cc->snaplen,
		.limit_pkts = cc->limit_packets,
		.limit_bytes = cc->limit_bytes,
		.filter = cc->filter,
		.pool_size = cc->pool,
	};
	int socket[CFG_MAX_LCORES];
	char err[256];

	if (cc->file[0] == '\0')
		return 0;
	for (unsigned int w = 0; w < s->pl.nb_workers; w++)
		socket[w] = (int)rte_lcore_to_socket_id(s->slot[w].lcore);
	s->cap = capture_open(&conf, s->pl.nb_workers, socket, err, sizeof(err));
	if (s->cap == NULL) {
		fprintf(stderr, "synack: %s:capture:file: %s\n", s->cfg->file, err);
		return EXIT_USAGE;
	}
	for (unsigned int w = 0; w < s->pl.nb_workers; w++)
		s->slot[w].w->cap = capture_queue(s->cap, w);
	printf("synack: capture to %s (snaplen %u%s%s)\n", cc->file, cc->snaplen,
	       cc->filter[0] ? ", filter " : "", cc->filter);
	return 0;
}
