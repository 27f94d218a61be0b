// SPDX-License-Identifier: GPL-2.0
/*
 * rgload: the page-table-heavy workload of the realguest bench scenario,
 * run as a real guest's only program (see scripts/realguest/init).
 *
 *   rgload [-w workers] [-s sparse_pages] [-m child_mib] [-r every]
 *
 * Each of the -w workers (default 2) owns -s pages (default 1024) spread
 * 2 MiB apart, so that every page has a guest page table of its own: few
 * MiB of memory, thousands of guest page tables and so of shadow pages.
 * One operation of a worker: vfork + exec of "rgload -c <child_mib>", a
 * child that writes every page of <child_mib> MiB (default 4) of fresh
 * anonymous memory and exits (a new mm, page tables built and torn down),
 * then one read of each of the worker's sparse pages (long-lived page
 * tables: cheap while their shadow pages live, a shadow fault each after a
 * zap).  vfork: a fork would copy and write-protect the sparse page tables.
 *
 * Output on stdout, one line at the start ("ops 0") and one whenever the
 * operations of all workers reach a multiple of -r (default 4):
 *   realguest: ops <operations done by all workers since the start>
 * The host timestamps the lines: the guest needs no working timer (nested
 * under TCG, its timer calibration can go wrong and a sleep last minutes).
 * Exit: only on an error (message on stderr, status 1); a dead worker
 * ends the program.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE		4096UL
#define STRIDE		(2UL << 20)
#define MAX_WORKERS	64

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static long arg(const char *s, long min, long max)
{
	char *e;
	long v = strtol(s, &e, 10);

	if (e == s || *e || v < min || v > max) {
		fprintf(stderr, "rgload: '%s' is not in [%ld, %ld]\n", s, min, max);
		exit(1);
	}
	return v;
}

/* The child: fresh memory written once, then exit. */
static int child(long mib)
{
	size_t len = mib << 20, i;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("rgload: mmap");
	for (i = 0; i < len; i += PAGE)
		p[i] = 1;
	return 0;
}

/* One write per line: the two workers' lines do not interleave. */
static void report(unsigned long ops)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "realguest: ops %lu\n", ops);

	if (write(1, line, n) != n)
		die("rgload: write");
}

static void worker(const char *self, long sparse, const char *mib,
		   long every, unsigned long *ops)
{
	volatile char *area;	/* the reads are the point: keep them */
	unsigned long sum = 0, n;
	long i;
	int st;

	/* Address space only: the touched pages are all that gets memory. */
	area = mmap(NULL, sparse * STRIDE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (area == MAP_FAILED)
		die("rgload: mmap of the sparse area");
	for (i = 0; i < sparse; i++)
		area[i * STRIDE] = 1;
	for (;;) {
		pid_t pid = vfork();

		if (pid < 0)
			die("rgload: vfork");
		if (!pid) {
			execl(self, self, "-c", mib, (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "rgload: child failed (status 0x%x)\n", st);
			exit(1);
		}
		for (i = 0; i < sparse; i++)
			sum += area[i * STRIDE];
		n = __atomic_add_fetch(ops, 1, __ATOMIC_RELAXED);
		if (n % every == 0)
			report(n);
	}
}

int main(int argc, char **argv)
{
	long workers = 2, sparse = 1024, every = 4, i;
	const char *mib = "4";
	unsigned long *ops;
	int opt;

	while ((opt = getopt(argc, argv, "w:s:m:r:c:")) != -1) {
		switch (opt) {
		case 'w':
			workers = arg(optarg, 1, MAX_WORKERS);
			break;
		case 's':
			sparse = arg(optarg, 1, 1 << 20);
			break;
		case 'm':
			arg(optarg, 1, 1024);
			mib = optarg;
			break;
		case 'r':
			every = arg(optarg, 1, 1000000);
			break;
		case 'c':
			return child(arg(optarg, 1, 1024));
		default:
			fputs("usage: rgload [-w workers] [-s sparse_pages]\n"
			      "              [-m child_mib] [-r every]\n", stderr);
			return 1;
		}
	}
	ops = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ops == MAP_FAILED)
		die("rgload: mmap of the counter");
	printf("rgload: %ld workers x %ld sparse pages, children of %s MiB, report every %ld\n",
	       workers, sparse, mib, every);
	fflush(stdout);
	report(0);
	for (i = 0; i < workers; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("rgload: fork");
		if (!pid) {
			worker(argv[0], sparse, mib, every, ops);
			return 1;
		}
	}
	/* A worker that died ends the run: the host sees the guest go. */
	wait(NULL);
	fprintf(stderr, "rgload: a worker died\n");
	return 1;
}
