/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the memory-pressure tools in mm/ (each tool is one .c
 * file, built static by mm/Makefile).  Conventions of every tool:
 *   - runs until SIGTERM/SIGINT or until -d seconds have passed;
 *   - prints one summary line "<tool>: ..." on stdout at exit;
 *   - -o file writes a CSV with a header line;
 *   - exit 0 on a normal stop, 1 on an error (message on stderr), 2 on a
 *     usage error.
 */
#ifndef MM_TOOL_H
#define MM_TOOL_H

#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t tool_stop;
static struct timespec tool_t0;
static const char *tool_name = "tool";

static void tool_on_signal(int sig)
{
	(void)sig;
	tool_stop = 1;
}

/* Start the clock; SIGTERM/SIGINT set tool_stop and interrupt sleeps. */
static inline void tool_init(const char *name)
{
	struct sigaction sa;

	tool_name = name;
	clock_gettime(CLOCK_MONOTONIC, &tool_t0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tool_on_signal;	/* no SA_RESTART */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* Milliseconds since tool_init(). */
static inline double tool_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec - tool_t0.tv_sec) * 1e3 +
	       (ts.tv_nsec - tool_t0.tv_nsec) / 1e6;
}

static inline double tool_us_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1e6 + (b.tv_nsec - a->tv_nsec) / 1e3;
}

/* Sleep until tool_ms() == ms; returns early (tool_stop set) on a signal. */
static inline void tool_sleep_until(double ms)
{
	struct timespec ts;
	double abs_ns = (double)tool_t0.tv_sec * 1e9 + tool_t0.tv_nsec + ms * 1e6;

	if (ms <= tool_ms())
		return;
	ts.tv_sec = (time_t)(abs_ns / 1e9);
	ts.tv_nsec = (long)(abs_ns - (double)ts.tv_sec * 1e9);
	if (ts.tv_nsec < 0)
		ts.tv_nsec = 0;
	if (ts.tv_nsec > 999999999)
		ts.tv_nsec = 999999999;
	while (!tool_stop &&
	       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static inline void __attribute__((noreturn, format(printf, 1, 2)))
tool_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static inline void __attribute__((noreturn, format(printf, 2, 3)))
tool_usage(const char *usage, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fprintf(stderr, "%s: ", tool_name);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fputs(usage, stderr);
	exit(2);
}

/* Read a whole (small) file; returns bytes read or -errno. */
static inline int tool_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, off = 0;

	if (fd < 0)
		return -errno;
	while ((size_t)off < len - 1 && (n = read(fd, buf + off, len - 1 - off)) > 0)
		off += n;
	buf[off] = 0;
	close(fd);
	return off;
}

/* Write a string to a file (sysfs/procfs/cgroupfs); returns 0 or -errno. */
static inline int tool_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int err = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		err = -errno;
	close(fd);
	return err;
}

/* "key value" line of /proc/meminfo ("MemFree") or /proc/vmstat; -1 if none. */
static inline long long tool_kv(const char *file, const char *key)
{
	char buf[16384], *p;
	size_t n = strlen(key);

	if (tool_read(file, buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		if (!strncmp(p, key, n) && (p[n] == ':' || p[n] == ' '))
			return strtoll(p + n + 1, NULL, 10);
	}
	return -1;
}

/* Non-negative number (seconds, rates); -1 on garbage. */
static inline double tool_num(const char *s)
{
	char *e;
	double v;

	errno = 0;
	v = strtod(s, &e);
	if (errno || e == s || *e || !(v >= 0) || v > 1e12)
		return -1;
	return v;
}

/* Size with an optional k/m/g/t suffix (powers of 1024); 0 on garbage. */
static inline unsigned long long tool_size(const char *s)
{
	unsigned long long v;
	char *e;

	if (!isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	v = strtoull(s, &e, 10);
	if (errno)
		return 0;
	switch (tolower((unsigned char)*e)) {
	case 't': v <<= 10; /* fall through */
	case 'g': v <<= 10; /* fall through */
	case 'm': v <<= 10; /* fall through */
	case 'k': v <<= 10; e++; break;
	case 0: break;
	default: return 0;
	}
	return *e ? 0 : v;
}

/* Running min/avg/max of a duration in microseconds. */
struct tool_stat {
	unsigned long n;
	double sum, min, max;
};

static inline void tool_stat_add(struct tool_stat *s, double v)
{
	if (!s->n || v < s->min)
		s->min = v;
	if (!s->n || v > s->max)
		s->max = v;
	s->sum += v;
	s->n++;
}

static inline double tool_stat_avg(const struct tool_stat *s)
{
	return s->n ? s->sum / s->n : 0;
}

/*
 * The options of every tool, for the default branch of its getopt()
 * switch: -d seconds (*dur), -o file (*csv), -h, and -i milliseconds
 * between samples (*interval) for the tools that sample; any other is a
 * usage error.
 */
static inline void tool_opt(int opt, const char *usage, double *dur, const char **csv,
			    double *interval)
{
	switch (opt) {
	case 'i':
		if (!interval)
			tool_usage(usage, NULL);
		*interval = tool_num(optarg);
		if (*interval < 10)
			tool_usage(usage, "-i: '%s' is not a number of ms >= 10", optarg);
		break;
	case 'd':
		*dur = tool_num(optarg);
		if (*dur < 0)
			tool_usage(usage, "-d: '%s' is not a number of seconds", optarg);
		break;
	case 'o':
		*csv = optarg;
		break;
	case 'h':
		fputs(usage, stdout);
		exit(0);
	default:
		tool_usage(usage, NULL);
	}
}

/* After getopt(): the tools take no operands. */
static inline void tool_no_operands(int argc, char **argv, const char *usage)
{
	if (optind < argc)
		tool_usage(usage, "unexpected argument '%s'", argv[optind]);
}

/* The main loop goes on until a signal or -d seconds (dur < 0: none). */
static inline int tool_running(double dur)
{
	return !tool_stop && (dur < 0 || tool_ms() < dur * 1000);
}

/*
 * Advance *next by a period (ms), never behind now (a step longer than
 * the period: no burst), never past the -d end; the time to sleep until.
 */
static inline double tool_pace(double *next, double period, double dur)
{
	*next += period;
	if (*next < tool_ms())
		*next = tool_ms();
	if (dur >= 0 && *next > dur * 1000)
		*next = dur * 1000;
	return *next;
}

static inline FILE *tool_csv(const char *path, const char *header)
{
	FILE *f;

	if (!path)
		return NULL;
	f = fopen(path, "w");
	if (!f)
		tool_die("cannot write %s: %s", path, strerror(errno));
	fprintf(f, "%s\n", header);
	return f;
}

#endif
