// SPDX-License-Identifier: GPL-2.0
/*
 * overcommit: memory overcommit that makes the kernel reclaim (kswapd,
 * direct reclaim, so shrink_slab and the x86-mmu shrinker) without going
 * OOM.  It sets up a zram swap device, then allocates B bytes until
 * SIGTERM/SIGINT or -d seconds, sized so that the anonymous memory wanted,
 * what is in use already (the VM under test included) plus B, is -p
 * percent of MemTotal:
 *   B = MemAvailable - MemTotal * (100 - p) / 100      (at start)
 *
 * Engines (-e):
 *   hog (default)  one mapping of B bytes (MADV_NOHUGEPAGE), made resident
 *                  4 MiB at a time with MADV_POPULATE_WRITE, over and over:
 *                  the first pass allocates, later passes fault back in what
 *                  reclaim swapped out, so reclaim goes on for as long as it
 *                  runs.  The pages are zero-filled, which zram stores in
 *                  almost no memory, so swapping them out really frees
 *                  memory.  The kernel clears the pages, which is fast under
 *                  TCG.  It sleeps 10 ms after each full pass, but
 *                  otherwise uses a CPU, like any memory hog.
 *                  Back-off (-s): under TCG, with zram, a fixed overcommit
 *                  ends in an OOM kill about 10 s after memory runs out
 *                  (seen at 105% and 110%, 512M and 1G guests: all anon on
 *                  the active list, kswapd gives up).  So every 250 ms the
 *                  hog reads the "full" memory stall time of
 *                  /proc/pressure/memory; if it grew by more than -s percent
 *                  of the window (default 20), the hog gives back its top
 *                  16 MiB (MADV_DONTNEED) and does not grow for 1 s; then
 *                  it grows back by 16 MiB a second up to B, so the system
 *                  stays at the edge of reclaim.  Without PSI there is no
 *                  back-off.
 *   stress-ng      stress-ng --vm N --vm-bytes B --vm-keep --vm-method M
 *                  (stress-ng gives each of the N workers B/N bytes)
 *                  (default zero-one, same-filled pages too).  Under TCG its
 *                  guest instruction loops fill only ~10 MB/s while vCPUs
 *                  share the CPU: a 10 s phase does not get to overcommit.
 *                  -P adds --vm-populate: mmap() faults the whole mapping
 *                  in at kernel speed, so the overcommit is there at once
 *                  and the loops then rewrite (and swap back in) what
 *                  reclaim took.
 *
 * zram: if /dev/zram0 is not already in /proc/swaps, reset it, set its
 * disksize (-z, default 50% of MemTotal), mkswap (busybox) and swapon.  The
 * swap stays on at exit (the recovery phase swaps pages back in on demand);
 * -Z only sets it up and exits; -z 0 uses whatever swap exists.
 *
 * OOM kills are counted with oom_kill of /proc/vmstat, or, on a kernel
 * without CONFIG_VM_EVENT_COUNTERS, with the "oom-kill:" lines of the kernel
 * log (klogctl).  Any OOM kill is an error (exit 1) but, with stress-ng,
 * one whose victims (the log's "Killed process" lines) are all stress-ng
 * processes: stress-ng makes its workers the first choice and restarts
 * them, so that is its overcommit at work.
 *
 * CSV (-o, every -i ms): t_ms,memfree_kb,memavail_kb,swapfree_kb,
 *   psi_some_us,psi_full_us,hog_mb,resident_mb,backoffs,pswpin,pswpout,
 *   pgscan_kswapd,pgscan_direct,slabs_scanned,oom_kills
 *   psi_* = total memory stall time from /proc/pressure/memory (-1 without
 *   PSI); hog_mb = the hog's current size (B less its back-offs);
 *   resident_mb = MiB the hog has made resident so far (counting re-faults);
 *   backoffs = back-offs so far; the vmstat counters are -1 without
 *   CONFIG_VM_EVENT_COUNTERS.
 * Summary: overcommit: engine and size, swap, peak swap use, PSI stall
 *   deltas, vmstat deltas where available, OOM kills.
 */
#include <limits.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/swap.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "tool.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#define CHUNK (4UL << 20)

static const char usage[] =
	"usage: overcommit [-p pct] [-z size|pct%|0] [-Z] [-e hog|stress-ng] [-s stall_pct]\n"
	"                  [-n workers] [-m method] [-P] [-d seconds] [-i interval_ms] [-o csv]\n"
	"  -p  anonymous demand in % of MemTotal, ours included (default 110)\n"
	"  -z  zram swap size, e.g. 512M or 50% of MemTotal (default 50%); 0: no setup\n"
	"  -Z  only set up the zram swap and exit\n"
	"  -e  engine: hog (built in, default) or stress-ng\n"
	"  -s  hog back-off: memory full-stall % per 250 ms window (default 20; 0: never)\n"
	"  -n  stress-ng vm workers (default 1)\n"
	"  -m  stress-ng --vm-method (default zero-one)\n"
	"  -P  stress-ng --vm-populate: the kernel faults the mapping in at once\n"
	"  -d  stop after this many seconds (default: until SIGTERM)\n"
	"  -i  CSV sampling interval in ms (default 1000)\n"
	"  -o  CSV file: t_ms,memfree_kb,memavail_kb,swapfree_kb,psi_some_us,psi_full_us,\n"
	"      hog_mb,resident_mb,backoffs,pswpin,pswpout,pgscan_kswapd,pgscan_direct,\n"
	"      slabs_scanned,oom_kills\n";

static const char *const vmstat_keys[] = {
	"pswpin", "pswpout", "pgscan_kswapd", "pgscan_direct", "slabs_scanned",
};
#define NR_KEYS (sizeof(vmstat_keys) / sizeof(vmstat_keys[0]))

static void vmstat(long long *v)
{
	size_t i;

	for (i = 0; i < NR_KEYS; i++)
		v[i] = tool_kv("/proc/vmstat", vmstat_keys[i]);
}

/* The kernel log, NUL-terminated, or NULL. */
static const char *klog(void)
{
	static char *log;
	static int size;
	int len;

	if (!log) {
		size = klogctl(10, NULL, 0);	/* SYSLOG_ACTION_SIZE_BUFFER */
		if (size <= 0 || !(log = malloc(size + 1)))
			return NULL;
	}
	len = klogctl(3, log, size);		/* SYSLOG_ACTION_READ_ALL */
	if (len < 0)
		return NULL;
	log[len] = 0;
	return log;
}

/* oom_kill of /proc/vmstat, else the "oom-kill:" lines of the kernel log. */
static long long oom_kills(void)
{
	long long n = tool_kv("/proc/vmstat", "oom_kill");
	const char *p;

	if (n >= 0)
		return n;
	p = klog();
	if (!p)
		return -1;
	for (n = 0; (p = strstr(p, "oom-kill:")); p++)
		n++;
	return n;
}

/*
 * OOM victims in the kernel log that are not stress-ng's own processes:
 * stress-ng gives its workers oom_score_adj 1000, so that they are taken
 * first, and restarts them.
 */
static long long oom_others(void)
{
	const char *p = klog(), *c;
	long long n = 0;

	if (!p)
		return -1;
	for (; (p = strstr(p, "Killed process ")); p++) {
		c = strchr(p, '(');
		if (c && strncmp(c + 1, "stress-ng", 9))
			n++;
	}
	return n;
}

/* "total=" of the some/full lines of /proc/pressure/memory, -1 if none. */
static void psi(long long *some, long long *full)
{
	char buf[512], *p;

	*some = *full = -1;
	if (tool_read("/proc/pressure/memory", buf, sizeof(buf)) <= 0)
		return;
	if ((p = strstr(buf, "some")) && (p = strstr(p, "total=")))
		*some = atoll(p + 6);
	if ((p = strstr(buf, "full")) && (p = strstr(p, "total=")))
		*full = atoll(p + 6);
}

/* Built-in engine: make one chunk of [0, size) resident; returns bytes. */
static size_t hog_chunk(char *base, size_t size, size_t *pos)
{
	size_t len, off;

	if (*pos >= size)
		*pos = 0;
	len = size - *pos < CHUNK ? size - *pos : CHUNK;
	char *a = base + *pos;

	if (madvise(a, len, MADV_POPULATE_WRITE)) {
		if (errno != EINVAL)
			tool_die("MADV_POPULATE_WRITE: %s", strerror(errno));
		for (off = 0; off < len; off += 4096)	/* old kernel */
			((volatile char *)a)[off] = 0;
	}
	*pos = *pos + len >= size ? 0 : *pos + len;
	return len;
}

static int run(char *const argv[])
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		tool_die("fork: %s", strerror(errno));
	if (!pid) {
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

/* Returns the swap size in MiB in use on zram0, set up if needed. */
static long long setup_zram(unsigned long long bytes)
{
	char buf[4096], num[32];
	int r;

	if (tool_read("/proc/swaps", buf, sizeof(buf)) >= 0 && strstr(buf, "/dev/zram0"))
		return tool_kv("/proc/meminfo", "SwapTotal") >> 10;
	if (access("/sys/block/zram0", F_OK) &&
	    tool_read("/sys/class/zram-control/hot_add", buf, sizeof(buf)) < 0)
		tool_die("no /sys/block/zram0 and no zram-control: kernel without CONFIG_ZRAM?");
	if (access("/sys/block/zram0", F_OK))
		tool_die("zram hot_add did not create zram0 (got '%s')", buf);
	tool_write("/sys/block/zram0/reset", "1");
	snprintf(num, sizeof(num), "%llu", bytes);
	if ((r = tool_write("/sys/block/zram0/disksize", num)))
		tool_die("write %s to /sys/block/zram0/disksize: %s", num, strerror(-r));
	if (access("/dev/zram0", F_OK))
		tool_die("/dev/zram0 missing (devtmpfs not mounted?)");
	r = run((char *const[]){ "mkswap", "/dev/zram0", NULL });
	if (!WIFEXITED(r) || WEXITSTATUS(r))
		tool_die("mkswap /dev/zram0 failed (status 0x%x)", r);
	if (swapon("/dev/zram0", 0))
		tool_die("swapon /dev/zram0: %s", strerror(errno));
	return bytes >> 20;
}

int main(int argc, char *argv[])
{
	double pct = 110, dur = -1, interval = 1000, zpct = 50, next, stall_pct = 20;
	double win_t = 0, hold_until = 0, regrow_t = 0;
	long long win_full = -1, cur_size, min_size = LLONG_MAX;
	unsigned long backoffs = 0;
	unsigned long long zbytes = 0;
	const char *csv = NULL, *method = "zero-one";
	long long total_kb, avail_kb, hog, per, swap_mb = 0, swapfree0, swap_peak = 0;
	long long v0[NR_KEYS], v1[NR_KEYS], oom0, oom1, s0, f0, s1, f1;
	long long others0, others1;
	int opt, workers = 1, setup_only = 0, st = 0, early = 0, use_sng = 0;
	int populate = 0;
	unsigned long long resident = 0;
	char sbytes[32], sworkers[16], stimeout[32];
	char *base = NULL;
	size_t pos = 0, high = 0;	/* high: end of what was ever populated */
	pid_t pid = 0;
	FILE *f;
	size_t i;

	tool_init("overcommit");
	while ((opt = getopt(argc, argv, "p:z:Ze:s:n:m:Pd:i:o:h")) != -1) {
		switch (opt) {
		case 'p':
			pct = tool_num(optarg);
			if (pct <= 0 || pct > 1000)
				tool_usage(usage, "-p: '%s' is not a percentage in (0, 1000]", optarg);
			break;
		case 'z': {
			size_t n = strlen(optarg);

			if (n && optarg[n - 1] == '%') {
				char tmp[64];

				snprintf(tmp, sizeof(tmp), "%.*s", (int)n - 1, optarg);
				zpct = tool_num(tmp);
				if (zpct <= 0 || zpct > 1000)
					tool_usage(usage, "-z: '%s' is not a size or pct%%", optarg);
			} else if (!strcmp(optarg, "0")) {
				zpct = 0;
			} else {
				zbytes = tool_size(optarg);
				if (!zbytes)
					tool_usage(usage, "-z: '%s' is not a size or pct%%", optarg);
				zpct = -1;
			}
			break;
		}
		case 'Z':
			setup_only = 1;
			break;
		case 'e':
			if (!strcmp(optarg, "stress-ng"))
				use_sng = 1;
			else if (strcmp(optarg, "hog"))
				tool_usage(usage, "-e: '%s' is not hog or stress-ng", optarg);
			break;
		case 's':
			stall_pct = tool_num(optarg);
			if (stall_pct < 0 || stall_pct > 100)
				tool_usage(usage, "-s: '%s' is not a percentage", optarg);
			break;
		case 'n':
			workers = atoi(optarg);
			if (workers < 1 || workers > 64)
				tool_usage(usage, "-n: '%s' is not in [1, 64]", optarg);
			break;
		case 'm':
			method = optarg;
			break;
		case 'P':
			populate = 1;
			break;
		default:
			tool_opt(opt, usage, &dur, &csv, &interval);
		}
	}
	tool_no_operands(argc, argv, usage);
	if (!use_sng)
		workers = 1;

	total_kb = tool_kv("/proc/meminfo", "MemTotal");
	if (total_kb <= 0)
		tool_die("no MemTotal in /proc/meminfo");
	if (zpct > 0)
		zbytes = (unsigned long long)(total_kb * 1024.0 * zpct / 100) & ~4095ULL;
	if (zbytes)
		swap_mb = setup_zram(zbytes);
	else
		swap_mb = tool_kv("/proc/meminfo", "SwapTotal") >> 10;
	if (setup_only) {
		printf("overcommit: swap on /dev/zram0, %lld MiB\n", swap_mb);
		return 0;
	}

	avail_kb = tool_kv("/proc/meminfo", "MemAvailable");
	hog = (avail_kb - (long long)(total_kb * (100 - pct) / 100)) * 1024;
	per = hog / workers / 4096 * 4096;
	if (per < (1 << 20))
		tool_die("nothing to allocate: MemAvailable %lld MiB, MemTotal %lld MiB, -p %.0f%%",
			 avail_kb >> 10, total_kb >> 10, pct);
	swapfree0 = tool_kv("/proc/meminfo", "SwapFree");
	vmstat(v0);
	oom0 = oom_kills();
	others0 = oom_others();
	psi(&s0, &f0);
	f = tool_csv(csv, "t_ms,memfree_kb,memavail_kb,swapfree_kb,psi_some_us,psi_full_us,"
		     "hog_mb,resident_mb,backoffs,pswpin,pswpout,pgscan_kswapd,pgscan_direct,"
		     "slabs_scanned,oom_kills");
	cur_size = per;

	if (use_sng) {
		/* stress-ng divides --vm-bytes among its vm instances. */
		snprintf(sbytes, sizeof(sbytes), "%lld", per * workers);
		snprintf(sworkers, sizeof(sworkers), "%d", workers);
		snprintf(stimeout, sizeof(stimeout), "%.0f", dur > 0 ? dur + 1 : 86400);
		pid = fork();
		if (pid < 0)
			tool_die("fork: %s", strerror(errno));
		if (!pid) {
			execlp("stress-ng", "stress-ng", "--vm", sworkers, "--vm-bytes", sbytes,
			       "--vm-keep", "--vm-method", method, "--timeout", stimeout,
			       "--log-brief", populate ? "--vm-populate" : (char *)NULL,
			       (char *)NULL);
			fprintf(stderr, "overcommit: cannot run stress-ng: %s\n", strerror(errno));
			_exit(127);
		}
	} else {
		base = mmap(NULL, per, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (base == MAP_FAILED)
			tool_die("mmap %lld MiB: %s", per >> 20, strerror(errno));
		madvise(base, per, MADV_NOHUGEPAGE);
	}

	for (next = 0; tool_running(dur); ) {
		long long used = swapfree0 - tool_kv("/proc/meminfo", "SwapFree");

		if (used > swap_peak)
			swap_peak = used;
		if (tool_ms() >= next) {
			if (f) {
				psi(&s1, &f1);
				vmstat(v1);
				fprintf(f, "%.1f,%lld,%lld,%lld,%lld,%lld,%lld,%llu,%lu", tool_ms(),
					tool_kv("/proc/meminfo", "MemFree"),
					tool_kv("/proc/meminfo", "MemAvailable"),
					tool_kv("/proc/meminfo", "SwapFree"), s1, f1,
					use_sng ? per >> 20 : cur_size >> 20, resident >> 20,
					backoffs);
				for (i = 0; i < NR_KEYS; i++)
					fprintf(f, ",%lld", v1[i]);
				fprintf(f, ",%lld\n", oom_kills());
				fflush(f);
			}
			next += interval;
			if (next < tool_ms())
				next = tool_ms();
		}
		if (use_sng) {
			if (waitpid(pid, &st, WNOHANG) == pid) {
				early = 1;
				break;
			}
			tool_sleep_until(dur >= 0 && next > dur * 1000 ? dur * 1000 : next);
		} else {
			double t = tool_ms();

			/* Back-off: full stall over the last 250 ms window. */
			if (stall_pct > 0 && t - win_t >= 250) {
				long long some, full;

				psi(&some, &full);
				if (full >= 0 && win_full >= 0 &&
				    (full - win_full) / 1000.0 > (t - win_t) * stall_pct / 100 &&
				    cur_size > (long long)(4 * CHUNK)) {
					cur_size -= 4 * CHUNK;
					if (high > (size_t)cur_size)
						high = cur_size;
					madvise(base + cur_size, 4 * CHUNK, MADV_DONTNEED);
					backoffs++;
					hold_until = t + 1000;
					if (cur_size < min_size)
						min_size = cur_size;
				}
				win_full = full;
				win_t = t;
			}
			/* After a hold, grow back 16 MiB a second: a sawtooth. */
			if (t >= hold_until && cur_size < per && t - regrow_t >= 1000) {
				cur_size = cur_size + 4 * (long long)CHUNK < per ?
					   cur_size + 4 * (long long)CHUNK : per;
				regrow_t = t;
			}
			/* Holding: no growth past high, only re-touch below it. */
			if (t < hold_until && pos >= high)
				pos = 0;
			if (pos >= high)
				high = pos + CHUNK;
			resident += hog_chunk(base, cur_size, &pos);
			if (!pos)	/* a full pass: let the CPU breathe */
				usleep(10000);
		}
	}
	if (use_sng && !early) {
		double t = tool_ms();

		kill(pid, SIGTERM);
		while (waitpid(pid, &st, WNOHANG) != pid) {
			if (tool_ms() - t > 10000) {
				kill(pid, SIGKILL);
				waitpid(pid, &st, 0);
				break;
			}
			usleep(20000);
		}
	}
	vmstat(v1);
	oom1 = oom_kills();
	psi(&s1, &f1);
	if (f)
		fclose(f);
	if (use_sng)
		printf("overcommit: stress-ng --vm %d x %lld MiB (%s), stress-ng %s %d%s",
		       workers, per >> 20, method, WIFEXITED(st) ? "exit" : "signal",
		       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st),
		       early ? " (before the end)" : "");
	else
		printf("overcommit: hog %lld MiB (%lu back-offs of 16 MiB, min %lld, end %lld MiB), "
		       "%llu MiB made resident", per >> 20, backoffs,
		       (min_size == LLONG_MAX ? per : min_size) >> 20, cur_size >> 20,
		       resident >> 20);
	printf(" = %.0f%% of MemTotal %lld MiB, %.1f s, swap %lld MiB used peak %lld MiB, "
	       "PSI memory stall some +%.1f ms full +%.1f ms", pct, total_kb >> 10,
	       tool_ms() / 1000, swap_mb, swap_peak >> 10,
	       s0 < 0 ? -1.0 : (s1 - s0) / 1000.0, f0 < 0 ? -1.0 : (f1 - f0) / 1000.0);
	for (i = 0; i < NR_KEYS; i++)
		if (v0[i] >= 0)
			printf(", %s +%lld", vmstat_keys[i], v1[i] - v0[i]);
	printf(", OOM kills %s%lld\n", oom1 < 0 ? "unknown " : "+", oom1 < 0 ? 0 : oom1 - oom0);
	others1 = oom_others();
	if (oom1 > oom0 && use_sng && others0 >= 0 && others1 <= others0) {
		printf("overcommit: %lld OOM kill(s), all of stress-ng workers, which it restarts\n",
		       oom1 - oom0);
	} else if (oom1 > oom0) {
		fprintf(stderr, "overcommit: %lld OOM kill(s) happened\n", oom1 - oom0);
		return 1;
	}
	if (early && (!WIFEXITED(st) || WEXITSTATUS(st)))
		return 1;
	return 0;
}
