/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * synack merge: the summary of the whole from the --json files of the
 * processes (segments) of one run. Counters summed, latency histograms
 * merged bucket by bucket and the percentiles taken from the merged
 * histogram (never averaged), interval series aligned by wall-clock second
 * and summed, and a warning for overlapping segments or source ranges and
 * for configs that differ. The management side only: files in, files out.
 */
#ifndef SYNACK_MERGE_H
#define SYNACK_MERGE_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Merge the files paths[0..n) into the JSON lines file json_out (NULL =
 * none: the text summary only), the text summary to out (NULL = none),
 * warnings and errors to errf.
 * @return 0 merged, 1 merged and some segment's run failed (its status),
 *         2 a file cannot be read or is not a synack --json file.
 */
int merge_files(const char *const *paths, unsigned int n, const char *json_out, FILE *out,
		FILE *errf);

/** The subcommand: synack merge A.jsonl B.jsonl ... [--json OUT] [-q]. */
int merge_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_MERGE_H */
