// SPDX-License-Identifier: GPL-2.0
/*
 * mmu_reclaim_perf: guest memory-access throughput and KVM MMU statistics
 * across four timed phases, with an optional memory-pressure command run
 * during the third one.  Used to measure what the x86-mmu shrinker (and
 * reclaim in general) costs a running guest.  The phases, the pressure
 * command and the output files are reclaim_phases.h's, shared with
 * mmu_realguest_perf (a real guest instead of this program's VM).
 *
 * Phases, in order:
 *   warmup    at least -W seconds AND until every vCPU has finished its
 *             first pass (which writes every page: populate);
 *   steady    -S seconds, the baseline;
 *   pressure  -P seconds; the -p command runs during exactly this phase;
 *   recovery  -R seconds.
 *
 * Guest: vCPU i owns its own -b bytes at GVA 0xc0000000 + i * b.  One pass
 * ("iteration", numbered from 1) touches one 8-byte word group of every 4K
 * page of the pass's page set, then does GUEST_SYNC.  The page set is:
 *   - without -H: all pages of the vCPU;
 *   - with -H h:  pass k touches all pages if (k - 1) % C == 0 (C = -C,
 *                 default 8; so passes 1, 1+C, 1+2C, ...), and otherwise
 *                 only the hot set = the first max(1, pages * h / 100)
 *                 pages of the vCPU's memory.
 * Order (-a): seq = ascending; rand = every page of the set exactly once,
 * in the order (j * stride + offset) % n, stride coprime with n, offset
 * random per pass.  Pass 1 writes every page; later passes write a page
 * with probability -w percent and read it otherwise.  A write stores
 * w0 = gva ^ TAG_A, w2 = gva ^ iter ^ TAG_B, w1 = iter.  A read checks that
 * 1 <= w1 < iter, w0 == gva ^ TAG_A and w2 == gva ^ w1 ^ TAG_B, and counts
 * mismatches (reported to the host with each GUEST_SYNC).  At the end the
 * host checks the same words in every page of every vCPU.
 *
 * Host: one thread per vCPU loops on KVM_RUN; each GUEST_SYNC is one
 * iteration, timestamped with CLOCK_MONOTONIC.  lat_us is the time from
 * the previous iteration's end (or the start of the run) to this one's.
 * The main thread drives the phases and samples statistics every -i ms
 * (and once at the start of every phase and at the very end).
 *
 * Statistics: KVM_GET_STATS_FD of the VM and its vCPUs (pf_* summed over
 * the vCPUs).  run.txt has, besides reclaim_phases.h's keys, the VM's shape
 * (vcpus, bytes_per_vcpu, access, write_pct, hot_pct, cold_every,
 * nr_mmu_pages), random_seed, guest/host verification error counts and
 * memory_verified=ok|FAILED.
 *
 * Exit: 0 pass, 1 failure (bad arguments, not enough memory, memory
 * verification failed, pressure command failed, a vCPU made no progress in
 * the steady phase), 4 (KSFT_SKIP) without KVM.
 */
#include <pthread.h>

#include "kvm_util.h"
#include "test_util.h"
#include "processor.h"
#include "ucall_common.h"
#include "reclaim_phases.h"

#define TEST_MEM_SLOT		1
#define TEST_MEM_GVA		0xc0000000UL
#define TAG_A			0x6d6d7572636c6d41UL	/* "mmurclmA" */
#define TAG_B			0x6d6d7572636c6d42UL

#define DEFAULT_VCPUS		2
/*
 * 32M per vCPU: under TCG (one L1 CPU) a fully zapped 2 x 32M guest refaults
 * in about 5 s, so the default recovery phase shows the whole rebuild.
 */
#define DEFAULT_MEM		(32UL << 20)
#define DEFAULT_WRITE_PCT	50
#define DEFAULT_COLD_EVERY	8

/* Shared with the guest (synced before the vCPUs start). */
struct perf_vcpu_args {
	uint64_t gva;
	uint64_t pages;
	uint64_t hot_pages;
};

struct perf_args {
	uint32_t write_pct;
	uint32_t random;
	uint32_t hot_pct;	/* 0: no hot/cold mode */
	uint32_t cold_every;
	struct perf_vcpu_args vcpu[KVM_MAX_VCPUS];
};

static struct perf_args perf_args;

/* ---- guest ---------------------------------------------------------- */

static uint64_t guest_gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static void guest_code(uint32_t idx)
{
	struct perf_vcpu_args *a = &perf_args.vcpu[idx];
	struct guest_random_state rs = new_guest_random_state(guest_random_seed + idx);
	uint64_t errors = 0, first_bad = 0, iter;

	for (iter = 1;; iter++) {
		bool all = !perf_args.hot_pct ||
			   (iter - 1) % perf_args.cold_every == 0;
		uint64_t n = all ? a->pages : a->hot_pages;
		uint64_t stride = 1, offset = 0, j;

		if (perf_args.random && n > 1) {
			/* Odd start near n * 0.618, bumped until coprime with n. */
			stride = (n * 618 / 1000) | 1;
			while (guest_gcd(stride, n) != 1)
				stride += 2;
			offset = guest_random_u32(&rs) % n;
		}
		for (j = 0; j < n; j++) {
			uint64_t page = perf_args.random ? (j * stride + offset) % n : j;
			uint64_t gva = a->gva + page * GUEST_PAGE;
			volatile uint64_t *p = (volatile uint64_t *)gva;

			if (iter == 1 ||
			    __guest_random_bool(&rs, perf_args.write_pct)) {
				p[0] = gva ^ TAG_A;
				p[2] = gva ^ iter ^ TAG_B;
				p[1] = iter;
			} else {
				uint64_t w1 = p[1];

				if (w1 < 1 || w1 >= iter || p[0] != (gva ^ TAG_A) ||
				    p[2] != (gva ^ w1 ^ TAG_B)) {
					if (!errors)
						first_bad = gva;
					errors++;
				}
			}
		}
		GUEST_SYNC4(iter, errors, first_bad, n);
	}
}

/* ---- host ----------------------------------------------------------- */

struct vcpu_state {
	struct kvm_vcpu *vcpu;
	pthread_t thread;
	int idx;
	struct iter_log *log;
	uint64_t guest_errors;
	uint64_t guest_first_bad;
	bool done;
	/* stats fd cache */
	int stats_fd;
	struct kvm_stats_header hdr;
	struct kvm_stats_desc *desc;
};

static struct kvm_vm *vm;
static struct vcpu_state *vcpus;
static int nr_vcpus = DEFAULT_VCPUS;
static volatile bool go, stop;

static void kick_handler(int sig)
{
	(void)sig;
}

static void *vcpu_thread(void *data)
{
	struct vcpu_state *vs = data;
	struct kvm_vcpu *vcpu = vs->vcpu;
	double prev;
	struct ucall uc;
	int r;

	while (!READ_ONCE(go))
		;
	prev = now_ms();
	while (!READ_ONCE(stop)) {
		r = __vcpu_run(vcpu);
		if (r == -1 && errno == EINTR)
			continue;	/* kicked: re-check stop */
		TEST_ASSERT(!r, KVM_IOCTL_ERROR(KVM_RUN, r));
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC: {
			double t = now_ms();

			vs->guest_errors = uc.args[1];
			if (uc.args[1] && !vs->guest_first_bad)
				vs->guest_first_bad = uc.args[2];
			WRITE_ONCE(vs->log->last_iter, uc.args[0]);
			add_rec(vs->log, t, uc.args[0], t - prev);
			prev = t;
			break;
		}
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		default:
			TEST_FAIL("vCPU %d: unexpected exit %s, ucall %lu", vs->idx,
				  exit_reason_str(vcpu->run->exit_reason), uc.cmd);
		}
	}
	WRITE_ONCE(vs->done, true);
	return NULL;
}

/* vCPU statistics: cache the descriptors once per vCPU. */
static uint64_t vcpu_stat(struct vcpu_state *vs, const char *name)
{
	size_t size_desc;
	uint64_t data = 0;
	uint32_t i;

	if (!vs->desc) {
		vs->stats_fd = vcpu_get_stats_fd(vs->vcpu);
		read_stats_header(vs->stats_fd, &vs->hdr);
		vs->desc = read_stats_descriptors(vs->stats_fd, &vs->hdr);
	}
	size_desc = get_stats_descriptor_size(&vs->hdr);
	for (i = 0; i < vs->hdr.num_desc; i++) {
		struct kvm_stats_desc *d = (void *)vs->desc + i * size_desc;

		if (!strcmp(d->name, name)) {
			read_stat_data(vs->stats_fd, &vs->hdr, d, &data, 1);
			return data;
		}
	}
	TEST_FAIL("no vCPU stat '%s'", name);
	return 0;
}

static void source_sample(struct stat_sample *s)
{
	int i;

	s->zapped = vm_get_stat(vm, "mmu_shadow_zapped");
	s->recycled = vm_get_stat(vm, "mmu_recycled");
	s->cache_miss = vm_get_stat(vm, "mmu_cache_miss");
	s->pages_4k = vm_get_stat(vm, "pages_4k");
	for (i = 0; i < nr_vcpus; i++) {
		s->pf_taken += vcpu_stat(&vcpus[i], "pf_taken");
		s->pf_fixed += vcpu_stat(&vcpus[i], "pf_fixed");
		s->pf_spurious += vcpu_stat(&vcpus[i], "pf_spurious");
	}
}

/* Warmup lasts until every vCPU has finished its first pass. */
static bool phase_more(struct run *r, int p, double t, double end)
{
	int i;

	if (t < end)
		return true;
	for (i = 0; p == WARMUP && i < nr_vcpus; i++)
		if (READ_ONCE(vcpus[i].log->last_iter) < 1)
			return true;
	return false;
}

static bool phase_begin(struct run *r, int p)
{
	if (p == WARMUP)
		WRITE_ONCE(go, true);
	return false;
}

/* ---- arguments ------------------------------------------------------ */

static void help(const char *name)
{
	printf("usage: %s [-h] [-v vcpus] [-b bytes] [-a seq|rand] [-w write_pct]\n"
	       "          [-H hot_pct [-C N]] [-n nr_mmu_pages] [-W s] [-S s] [-P s] [-R s]\n"
	       "          [-p 'pressure command'] [-i interval_ms] [-o dir]\n", name);
	printf(" -v: vCPUs, each with its own memory. Default: %d\n", DEFAULT_VCPUS);
	printf(" -b: guest memory per vCPU, e.g. 64M or 1G. Default: 32M\n");
	printf(" -a: access order within a pass: seq (ascending) or rand (every\n"
	       "     page once, scrambled, new order every pass). Default: seq\n");
	printf(" -w: percent of page touches that write (0-100); the first pass\n"
	       "     always writes every page. Default: %d\n", DEFAULT_WRITE_PCT);
	printf(" -H: hot/cold mode: the hot set is the first hot_pct %% (1-100) of\n"
	       "     each vCPU's memory and is touched every pass; the rest only in\n"
	       "     passes 1, 1+N, 1+2N, ... Default: off\n");
	printf(" -C: N for -H. Default: %d\n", DEFAULT_COLD_EVERY);
	printf(" -n: KVM_SET_NR_MMU_PAGES limit (>= 64) set before the run.\n"
	       "     Default: KVM's automatic sizing\n");
	run_help("at least until each vCPU's first pass is done");
	printf("A real guest instead of this VM: mmu_realguest_perf.\n");
	printf("Exit: 0 pass, 1 failure, 4 skip (no KVM).\n");
}

/* ---- main ----------------------------------------------------------- */

/* Host-side check of every page's words; the number of bad pages. */
static uint64_t host_check(int i, uint64_t pages)
{
	uint64_t j, last_it = vcpus[i].log->last_iter, bad = 0;

	for (j = 0; j < pages; j++) {
		uint64_t gva = perf_args.vcpu[i].gva + j * GUEST_PAGE;
		uint64_t *w = addr_gva2hva(vm, gva);

		/*
		 * The interrupted pass (last_it + 1) may have written,
		 * and the vCPU may have been stopped between its
		 * stores of w2 and w1: a torn page of that pass.
		 */
		if (w[1] <= last_it && w[0] == (gva ^ TAG_A) &&
		    w[2] == (gva ^ (last_it + 1) ^ TAG_B))
			continue;
		if ((last_it >= 1 && w[1] < 1) || w[1] > last_it + 1 ||
		    (w[1] && (w[0] != (gva ^ TAG_A) ||
			      w[2] != (gva ^ w[1] ^ TAG_B))))
			bad++;
	}
	if (bad)
		pr_info("vCPU %d: host check found %lu bad pages\n", i, bad);
	return bad;
}

int main(int argc, char *argv[])
{
	const char *name = argv[0];
	uint64_t bytes = DEFAULT_MEM, pages, vm_pages, gpa, host_errors = 0, guest_errors = 0;
	long write_pct = DEFAULT_WRITE_PCT, hot_pct = 0, cold_every = DEFAULT_COLD_EVERY;
	long nr_mmu_pages = 0;
	bool random = false;
	struct kvm_vcpu **vcpu_arr;
	struct sigaction sa;
	long long avail_kb;
	struct run run;
	char buf[256];
	FILE *f;
	int opt, i;

	run_init(&run);
	while ((opt = getopt(argc, argv, "hv:b:a:w:H:C:n:W:S:P:R:p:i:o:")) != -1) {
		if (run_option(&run, name, opt))
			continue;
		switch (opt) {
		case 'v':
			nr_vcpus = parse_long(name, "-v", optarg, 1, KVM_MAX_VCPUS);
			break;
		case 'b':
			bytes = parse_bytes(name, optarg, 0);
			break;
		case 'a':
			if (!strcmp(optarg, "seq"))
				random = false;
			else if (!strcmp(optarg, "rand"))
				random = true;
			else
				usage_error(name, "-a: '%s' is not seq or rand", optarg);
			break;
		case 'w':
			write_pct = parse_long(name, "-w", optarg, 0, 100);
			break;
		case 'H':
			hot_pct = parse_long(name, "-H", optarg, 1, 100);
			break;
		case 'C':
			cold_every = parse_long(name, "-C", optarg, 1, 1000000);
			break;
		case 'n':
			nr_mmu_pages = parse_long(name, "-n", optarg, 64, LONG_MAX);
			break;
		default:
			help_or_usage(name, opt);
		}
	}
	run_options_done(&run, name, argc, argv);

	pages = bytes / GUEST_PAGE;
	avail_kb = meminfo_kb("MemAvailable");
	if (avail_kb < 0)
		avail_kb = meminfo_kb("MemFree");
	if (avail_kb >= 0 && (nr_vcpus * bytes) / 1024 > (uint64_t)avail_kb) {
		fprintf(stderr, "%s: %d vCPUs x %lu MiB = %lu MiB of guest memory is more "
			"than MemAvailable (%lld MiB)\n", name, nr_vcpus, bytes >> 20,
			(nr_vcpus * bytes) >> 20, avail_kb >> 10);
		exit(KSFT_FAIL);
	}

	/* Skips (exit 4) when /dev/kvm is missing. */
	close(open_kvm_dev_path_or_exit());

	vcpu_arr = calloc(nr_vcpus, sizeof(*vcpu_arr));
	vcpus = calloc(nr_vcpus, sizeof(*vcpus));
	run.logs = calloc(nr_vcpus, sizeof(*run.logs));
	run.nr_logs = nr_vcpus;
	TEST_ASSERT(vcpu_arr && vcpus && run.logs, "out of memory");

	/* VM: test memory at the top of the guest physical address space. */
	vm_pages = pages * nr_vcpus;
	vm = __vm_create_with_vcpus(VM_SHAPE_DEFAULT, nr_vcpus, vm_pages, guest_code,
				    vcpu_arr);
	TEST_ASSERT(vm_pages < vm->max_gfn, "guest memory too large for the guest address space");
	gpa = (vm->max_gfn - vm_pages) * GUEST_PAGE;
	gpa = align_down(gpa, 2UL << 20);
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, gpa, TEST_MEM_SLOT,
				    vm_pages, 0);
	virt_map(vm, TEST_MEM_GVA, gpa, vm_pages);

	perf_args.write_pct = write_pct;
	perf_args.random = random;
	perf_args.hot_pct = hot_pct;
	perf_args.cold_every = cold_every;
	for (i = 0; i < nr_vcpus; i++) {
		perf_args.vcpu[i].gva = TEST_MEM_GVA + i * bytes;
		perf_args.vcpu[i].pages = pages;
		perf_args.vcpu[i].hot_pages = hot_pct ? pages * hot_pct / 100 : pages;
		if (!perf_args.vcpu[i].hot_pages)
			perf_args.vcpu[i].hot_pages = 1;
		vcpu_args_set(vcpu_arr[i], 1, i);
		vcpus[i].vcpu = vcpu_arr[i];
		vcpus[i].idx = i;
		vcpus[i].log = &run.logs[i];
	}
	sync_global_to_guest(vm, perf_args);

	if (nr_mmu_pages)
		vm_ioctl(vm, KVM_SET_NR_MMU_PAGES, (void *)nr_mmu_pages);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler;	/* no SA_RESTART: KVM_RUN returns EINTR */
	sigaction(SIGUSR1, &sa, NULL);

	read_param("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		   buf, sizeof(buf));
	if (strstr(buf, "jiffies"))
		pr_info("WARNING: clocksource %s: timestamps and latencies have jiffy "
			"resolution (4 ms at HZ=250); boot with tsc=reliable\n", buf);
	pr_info("mmu_reclaim_perf: %d vCPUs x %lu MiB, %s, %ld%% writes", nr_vcpus,
		bytes >> 20, random ? "rand" : "seq", write_pct);
	if (hot_pct)
		pr_info(", hot %ld%% (%lu pages) every pass, cold every %ld passes",
			hot_pct, perf_args.vcpu[0].hot_pages, cold_every);
	if (nr_mmu_pages)
		pr_info(", nr_mmu_pages %ld", nr_mmu_pages);
	pr_info("\n");

	for (i = 0; i < nr_vcpus; i++)
		pthread_create(&vcpus[i].thread, NULL, vcpu_thread, &vcpus[i]);

	run_phases(&run);

	/* Stop the vCPUs: kick them out of KVM_RUN until they notice. */
	WRITE_ONCE(stop, true);
	for (i = 0; i < nr_vcpus; i++) {
		while (!READ_ONCE(vcpus[i].done)) {
			pthread_kill(vcpus[i].thread, SIGUSR1);
			sleep_ms(1);
		}
		pthread_join(vcpus[i].thread, NULL);
	}

	for (i = 0; i < nr_vcpus; i++) {
		host_errors += host_check(i, pages);
		guest_errors += vcpus[i].guest_errors;
	}

	run_outputs(&run);
	if (guest_errors || host_errors)
		run_fail(&run, "guest memory verification failed (guest %lu, host %lu); ",
			 guest_errors, host_errors);
	if (run.idle[STEADY])
		run_fail(&run, "a vCPU completed no iteration in the steady phase "
			 "(lengthen -S or shrink -b); ");

	f = run_txt_open(&run, "mmu_reclaim_perf");
	fprintf(f, "vcpus=%d\nbytes_per_vcpu=%lu\npages_per_vcpu=%lu\n", nr_vcpus,
		bytes, pages);
	fprintf(f, "access=%s\nwrite_pct=%ld\nhot_pct=%ld\nhot_pages_per_vcpu=%lu\n"
		"cold_every=%ld\n", random ? "rand" : "seq", write_pct, hot_pct,
		perf_args.vcpu[0].hot_pages, cold_every);
	if (nr_mmu_pages)
		fprintf(f, "nr_mmu_pages=%ld\n", nr_mmu_pages);
	else
		fprintf(f, "nr_mmu_pages=auto\n");
	fprintf(f, "random_seed=0x%x\n", guest_random_seed);
	run_txt_phases(&run, f);
	for (i = 0; i < nr_vcpus; i++) {
		fprintf(f, "guest_verify_errors_vcpu%d=%lu\n", i, vcpus[i].guest_errors);
		if (vcpus[i].guest_errors)
			fprintf(f, "guest_first_bad_gva_vcpu%d=0x%lx\n", i,
				vcpus[i].guest_first_bad);
	}
	fprintf(f, "host_verify_errors=%lu\n", host_errors);
	fprintf(f, "memory_verified=%s\n", guest_errors || host_errors ? "FAILED" : "ok");
	kvm_vm_free(vm);
	return run_result(&run, f);
}
