/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * synack: the one binary.
 *
 *   synack -c FILE.ini [--set section.key=value ...] [--json FILE] [-- EAL args]
 *   synack ss [options]     the connection table of a running synack (ss.c)
 *   synack report FILE.jsonl [...] -o FILE.html
 *
 * Order of work, so that nothing bad reaches a port: the command line and
 * the config, then the plan (every error the config alone decides stops
 * here, before EAL, exit 2), EAL, pools/workers/ports, the applications,
 * the run and its verdict, the teardown. synack.h says which file holds
 * which step.
 *
 * Exit codes: 0 done, 1 the run failed, 2 usage / config / environment.
 */
#include <stdio.h>
#include <string.h>

#include "app/synack/synack.h"

int
main(int argc, char **argv)
{
	static struct cfg cfg;
	static struct synack s;
	char err[CFG_ERR_LEN];
	struct cli o;
	int rc;

	if (argc > 1 && strcmp(argv[1], "merge") == 0)
		return merge_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "ss") == 0)
		return ss_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "report") == 0)
		return htmlreport_main(argc, argv);
	rc = cli_parse(argc, argv, &o);
	if (rc >= 0) /* --help, --help-config, --version, or a usage error: done */
		goto out;
	rc = cli_config(&o, &cfg);
	if (rc != 0)
		goto out;
	s.cfg = &cfg;
	if (plan_build(&cfg, &s.pl, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		rc = EXIT_USAGE;
		goto out;
	}
	rc = setup_eal(&s, &o);
	if (rc == 0)
		rc = setup_ports(&s);
	if (rc == 0)
		rc = setup_apps(&s);
	if (rc == 0)
		rc = capture_setup(&s);
	if (rc == 0)
		rc = report_open(&s);
	if (rc == 0)
		htmlreport_start_line(&s, &o);
	if (rc == 0)
		rc = run(&s);
	if (s.ran && cfg.run.report[0] != '\0' && htmlreport_after_run(&s) != 0 && rc == 0)
		rc = EXIT_FAILED;
	teardown(&s);
out:
	cli_free(&o);
	return rc;
}
