/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the programs of selftests/kvm/perf/ (the bench
 * workload mmu_reclaim_perf and the stress program mmu_reclaim_stress):
 * option parsing that fails through the program's help(), sleeping, and
 * reading /proc/meminfo and module parameters.  scripts/selftests-overlay.sh
 * copies it to the KVM selftests' include directory; it is header-only so
 * that only the two programs that include it carry it.
 *
 * The program defines help(name), its usage text.
 */
#ifndef SELFTEST_KVM_RECLAIM_UTIL_H
#define SELFTEST_KVM_RECLAIM_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"
#include "test_util.h"

#define GUEST_PAGE		4096UL

static void help(const char *name);

/* Sleep ms milliseconds, through signals. */
static inline void sleep_ms(double ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)((ms - ts.tv_sec * 1000.0) * 1e6);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* A bad option: the message (fmt with one %s, arg), the help, exit 1. */
static inline void usage_error(const char *name, const char *fmt,
			       const char *arg)
{
	fprintf(stderr, "%s: ", name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	help(name);
	exit(KSFT_FAIL);
}

/* The last cases of the getopt() switch: -h, and any unknown option. */
static inline void help_or_usage(const char *name, int opt)
{
	help(name);
	exit(opt == 'h' ? KSFT_PASS : KSFT_FAIL);
}

/* After getopt(): the programs take no operands. */
static inline void no_operands(const char *name, int argc, char **argv)
{
	if (optind < argc)
		usage_error(name, "unexpected argument '%s'", argv[optind]);
}

static inline long parse_long(const char *name, const char *opt,
			      const char *s, long min, long max)
{
	char *e;
	long v;

	errno = 0;
	v = strtol(s, &e, 10);
	if (errno || e == s || *e || v < min || v > max) {
		char msg[128];

		snprintf(msg, sizeof(msg),
			 "%s: '%%s' is not an integer in [%ld, %ld]",
			 opt, min, max);
		usage_error(name, msg, s);
	}
	return v;
}

/* -b: a size like 64M or 1G, a multiple of 4K, at most max GiB-aligned (0: any). */
static inline uint64_t parse_bytes(const char *name, const char *s,
				   uint64_t max)
{
	size_t digits = strspn(s, "0123456789");
	uint64_t v;

	/* parse_size() asserts on garbage: check the shape first. */
	if (!digits || digits > 15 ||
	    (s[digits] && (s[digits + 1] || !strchr("tgmkbTGMKB", s[digits]))))
		usage_error(name, "-b: '%s' is not a size like 64M or 1G", s);
	v = parse_size(s);
	if (!v || v % GUEST_PAGE || (max && v > max)) {
		char msg[128] = "-b: '%s' must be a non-zero multiple of 4K";
		size_t n = strlen(msg);

		if (max)
			snprintf(msg + n, sizeof(msg) - n, ", at most %lluG",
				 (unsigned long long)(max >> 30));
		usage_error(name, msg, s);
	}
	return v;
}

/* A /proc/meminfo field in kB, -1 if there is none. */
static inline long long meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	size_t n = strlen(key);
	long long v = -1;
	char line[256];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, n) && line[n] == ':') {
			v = strtoll(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/* The first line of a file (a module parameter), "n/a" if it cannot be read. */
static inline void read_param(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	snprintf(buf, len, "n/a");
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

#endif /* SELFTEST_KVM_RECLAIM_UTIL_H */
