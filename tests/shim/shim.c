/* SPDX-License-Identifier: BSD-3-Clause */
/* Keeps the shim library non-empty; module shims live beside it. */
int shim_version(void);
int
shim_version(void)
{
	return 1;
}
