// SPDX-License-Identifier: GPL-2.0
/*
 * overcommit: memory overcommit that makes the kernel reclaim (kswapd,
 * direct reclaim, so shrink_slab and the x86-mmu shrinker) without going
 * OOM: set up a zram swap device, then run
 *   stress-ng --vm N --vm-bytes B --vm-keep --vm-method M
 * until SIGTERM/SIGINT or -d seconds.  B (split over N workers) is sized
 * so that the anonymous memory wanted, what is in use already (the VM under
 * test included) plus stress-ng's, is -p percent of MemTotal:
 *   B = MemAvailable - MemTotal * (100 - p) / 100      (at start)
 * The default method zero-one writes same-filled pages, which zram stores
 * in almost no memory, so swapping them out really frees memory.
 *
 * zram: if /dev/zram0 is not already in /proc/swaps, reset it, set its
 * disksize (-z, default 50% of MemTotal), mkswap (busybox) and swapon.  The
 * swap stays on at exit (the recovery phase swaps pages back in on demand);
 * -Z only sets it up and exits; -z 0 uses whatever swap exists.
 *
 * An OOM kill (oom_kill in /proc/vmstat rising) is an error: exit 1.
 *
 * CSV (-o, every -i ms): t_ms,memfree_kb,memavail_kb,swapfree_kb,pswpin,
 *   pswpout,pgscan_kswapd,pgscan_direct,slabs_scanned,oom_kill
 * Summary: overcommit: stress-ng ... , deltas of the /proc/vmstat counters,
 *   peak swap use, OOM kills.
 */
#include <sys/swap.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "tool.h"

static const char usage[] =
	"usage: overcommit [-p pct] [-z size|pct%|0] [-Z] [-n workers] [-m method]\n"
	"                  [-d seconds] [-i interval_ms] [-o csv]\n"
	"  -p  anonymous demand in % of MemTotal, stress-ng included (default 110)\n"
	"  -z  zram swap size, e.g. 512M or 50% of MemTotal (default 50%); 0: no setup\n"
	"  -Z  only set up the zram swap and exit\n"
	"  -n  stress-ng vm workers (default 1)\n"
	"  -m  stress-ng --vm-method (default zero-one)\n"
	"  -d  stop after this many seconds (default: until SIGTERM)\n"
	"  -i  CSV sampling interval in ms (default 1000)\n"
	"  -o  CSV file: t_ms,memfree_kb,memavail_kb,swapfree_kb,pswpin,pswpout,\n"
	"      pgscan_kswapd,pgscan_direct,slabs_scanned,oom_kill\n";

static const char *const vmstat_keys[] = {
	"pswpin", "pswpout", "pgscan_kswapd", "pgscan_direct", "slabs_scanned", "oom_kill",
};
#define NR_KEYS (sizeof(vmstat_keys) / sizeof(vmstat_keys[0]))

static void vmstat(long long *v)
{
	size_t i;

	for (i = 0; i < NR_KEYS; i++)
		v[i] = tool_kv("/proc/vmstat", vmstat_keys[i]);
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
	double pct = 110, dur = -1, interval = 1000, zpct = 50, next;
	unsigned long long zbytes = 0;
	const char *csv = NULL, *method = "zero-one";
	long long total_kb, avail_kb, hog, per, swap_mb = 0, swapfree0, swap_peak = 0;
	long long v0[NR_KEYS], v1[NR_KEYS];
	int opt, workers = 1, setup_only = 0, st = 0, early = 0;
	char sbytes[32], sworkers[16], stimeout[32];
	pid_t pid;
	FILE *f;
	size_t i;

	tool_init("overcommit");
	while ((opt = getopt(argc, argv, "p:z:Zn:m:d:i:o:h")) != -1) {
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
		case 'n':
			workers = atoi(optarg);
			if (workers < 1 || workers > 64)
				tool_usage(usage, "-n: '%s' is not in [1, 64]", optarg);
			break;
		case 'm':
			method = optarg;
			break;
		case 'd':
			dur = tool_num(optarg);
			if (dur < 0)
				tool_usage(usage, "-d: '%s' is not a number of seconds", optarg);
			break;
		case 'i':
			interval = tool_num(optarg);
			if (interval < 10)
				tool_usage(usage, "-i: '%s' is not a number of ms >= 10", optarg);
			break;
		case 'o':
			csv = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			tool_usage(usage, NULL);
		}
	}
	if (optind < argc)
		tool_usage(usage, "unexpected argument '%s'", argv[optind]);

	total_kb = tool_kv("/proc/meminfo", "MemTotal");
	if (total_kb <= 0)
		tool_die("no MemTotal in /proc/meminfo");
	if (zpct > 0)
		zbytes = (unsigned long long)(total_kb * 1024.0 * zpct / 100) & ~4095ULL;
	if (zbytes)
		swap_mb = setup_zram(zbytes);
	if (setup_only) {
		printf("overcommit: swap on /dev/zram0, %lld MiB\n", swap_mb);
		return 0;
	}

	avail_kb = tool_kv("/proc/meminfo", "MemAvailable");
	hog = (avail_kb - (long long)(total_kb * (100 - pct) / 100)) * 1024;
	per = hog / workers / 4096 * 4096;
	if (per < (1 << 20))
		tool_die("nothing to hog: MemAvailable %lld MiB, MemTotal %lld MiB, -p %.0f%%",
			 avail_kb >> 10, total_kb >> 10, pct);
	swapfree0 = tool_kv("/proc/meminfo", "SwapFree");
	vmstat(v0);
	f = tool_csv(csv, "t_ms,memfree_kb,memavail_kb,swapfree_kb,pswpin,pswpout,"
		     "pgscan_kswapd,pgscan_direct,slabs_scanned,oom_kill");

	snprintf(sbytes, sizeof(sbytes), "%lld", per);
	snprintf(sworkers, sizeof(sworkers), "%d", workers);
	snprintf(stimeout, sizeof(stimeout), "%.0f", dur > 0 ? dur + 1 : 86400);
	pid = fork();
	if (pid < 0)
		tool_die("fork: %s", strerror(errno));
	if (!pid) {
		execlp("stress-ng", "stress-ng", "--vm", sworkers, "--vm-bytes", sbytes,
		       "--vm-keep", "--vm-method", method, "--timeout", stimeout,
		       "--log-brief", (char *)NULL);
		fprintf(stderr, "overcommit: cannot run stress-ng: %s\n", strerror(errno));
		_exit(127);
	}

	for (next = 0; !tool_stop && (dur < 0 || tool_ms() < dur * 1000); ) {
		long long used = swapfree0 - tool_kv("/proc/meminfo", "SwapFree");

		if (used > swap_peak)
			swap_peak = used;
		if (f) {
			vmstat(v1);
			fprintf(f, "%.1f,%lld,%lld,%lld", tool_ms(),
				tool_kv("/proc/meminfo", "MemFree"),
				tool_kv("/proc/meminfo", "MemAvailable"),
				tool_kv("/proc/meminfo", "SwapFree"));
			for (i = 0; i < NR_KEYS; i++)
				fprintf(f, ",%lld", v1[i]);
			fprintf(f, "\n");
		}
		if (waitpid(pid, &st, WNOHANG) == pid) {
			early = 1;
			break;
		}
		next += interval;
		if (next < tool_ms())
			next = tool_ms();
		if (dur >= 0 && next > dur * 1000)
			next = dur * 1000;
		tool_sleep_until(next);
	}
	if (!early) {
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
	if (f)
		fclose(f);
	printf("overcommit: stress-ng --vm %d x %lld MiB (%s, %.0f%% of MemTotal %lld MiB), "
	       "swap %lld MiB on zram0, %.1f s, stress-ng %s %d%s; swap used peak %lld MiB",
	       workers, per >> 20, method, pct, total_kb >> 10, swap_mb, tool_ms() / 1000,
	       WIFEXITED(st) ? "exit" : "signal",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st),
	       early ? " (before the end)" : "", swap_peak >> 10);
	for (i = 0; i < NR_KEYS; i++)
		printf(", %s +%lld", vmstat_keys[i], v1[i] - v0[i]);
	printf("\n");
	if (v1[NR_KEYS - 1] > v0[NR_KEYS - 1]) {
		fprintf(stderr, "overcommit: %lld OOM kill(s) happened\n",
			v1[NR_KEYS - 1] - v0[NR_KEYS - 1]);
		return 1;
	}
	if (early && (!WIFEXITED(st) || WEXITSTATUS(st)))
		return 1;
	return 0;
}
