/* SPDX-License-Identifier: BSD-3-Clause */
/* The command line: options, --set overrides, EAL arguments after "--". */
#ifndef SYNACK_CLI_H
#define SYNACK_CLI_H

#include <stdbool.h>

#include "lib/config/config.h"

#define EXIT_DONE   0 /**< the run did what it was asked */
#define EXIT_FAILED 1 /**< the run failed (errors over the threshold, peer unreachable) */
#define EXIT_USAGE  2 /**< bad usage, config or environment */

#define CLI_MAX_SETS 128

struct cli {
	const char *prog; /**< argv[0] */
	const char *cfg_file;
	const char *json;
	const char *sets[CLI_MAX_SETS];
	unsigned int nb_sets;
	bool quiet;
	int eal_argc;	 /**< 0: derive the EAL arguments from the config */
	char **eal_argv; /**< argv[0] then what followed "--" (points into argv) */
};

/**
 * Parse argv into o. Prints help, the version or the config help itself.
 * @return -1 to go on with the run, or the exit code to return now.
 */
int cli_parse(int argc, char **argv, struct cli *o);

/**
 * Load o->cfg_file into cfg, apply the --set overrides, validate, then the
 * command line's --json and --quiet. Prints the error.
 * @return 0, or EXIT_USAGE.
 */
int cli_config(const struct cli *o, struct cfg *cfg);

/** Free what cli_parse allocated. */
void cli_free(struct cli *o);

#endif /* SYNACK_CLI_H */
