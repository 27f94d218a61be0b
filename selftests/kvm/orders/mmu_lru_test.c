// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmu_lru_test: the order in which shadow pages are reclaimed at the page
 * limit (KVM_SET_NR_MMU_PAGES).
 *
 * With shadow paging, every 2 MiB guest region the guest touches needs its
 * own last-level shadow page.  KVM looks a shadow page up again (and only
 * then moves it to the head with LRU order) when it links it under a parent
 * SPTE that is not present: accesses through existing SPTEs are not seen.
 * Each round, the guest
 *
 *  - touches each of the H regions of a hot set through a new alias: a
 *    guest PDE, new in this round, that points to the region's guest page
 *    table.  KVM finds the region's shadow page again and links it under
 *    the new parent SPTE, or rebuilds it if it was zapped (mmu_cache_miss);
 *  - then sweeps K regions of a cold pool of P > limit regions, in turn, so
 *    that every cold touch needs a new shadow page and the VM keeps hitting
 *    its limit: make_mmu_pages_available() zaps from the tail of
 *    active_mmu_pages.
 *
 * With LRU order each hot pass moves the hot set's pages to the head, and
 * a sweep creates fewer pages than fit below them, so the hot set is not
 * rebuilt: at most 2 misses per round during the hot passes on average.
 * Such a miss is not a hot page: the upper-level shadow pages (the PD and
 * PDPT above the hot set) are never looked up while their parent SPTEs are
 * present, so they drift to the tail and are zapped like cold pages, and
 * the next hot pass rebuilds them (one miss each).  With FIFO order the
 * hot set's pages grow old however often they are found again, the sweeps
 * zap them and the hot passes rebuild them.
 *
 * The hot set and a sweep must leave room below the limit for the upper
 * levels and for the batch that reclaim frees at once: -H plus -K may be
 * at most half of the limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "ucall_common.h"

#define HOT_GVA		0x40000000ull	/* 1 GiB: one PD for the hot set */
#define COLD_GVA	0x80000000ull	/* 2 GiB: one PD for the cold pool */
#define REGION		0x200000ull	/* 2 MiB: one last-level shadow page */
#define DATA_SLOT	1
#define DATA_GPA	0x10000000ull
/* Alias of hot region i in round r >= 1, in the hot set's guest PD. */
#define ALIAS(r, i)	(HOT_GVA + (nr_hot * (r) + (i)) * REGION)

#define DEFAULT_LIMIT	128
#define DEFAULT_HOT	16
#define DEFAULT_COLD	48
#define DEFAULT_POOL	256
#define DEFAULT_ROUNDS	12

/* Shared with the guest. */
static uint64_t nr_hot = DEFAULT_HOT;
static uint64_t nr_cold = DEFAULT_COLD;
static uint64_t nr_pool = DEFAULT_POOL;
static uint64_t nr_rounds = DEFAULT_ROUNDS;

static void guest_code(void)
{
	uint64_t r, i, c;

	for (r = 0; r < nr_rounds; r++) {
		/* A new alias of each hot region: a new parent, a lookup. */
		for (i = 0; i < nr_hot; i++)
			WRITE_ONCE(*(uint64_t *)(ALIAS(r, i) + r * PAGE_SIZE), r);
		GUEST_SYNC(1);
		for (i = 0; i < nr_cold; i++) {
			c = (r * nr_cold + i) % nr_pool;
			WRITE_ONCE(*(uint64_t *)(COLD_GVA + c * REGION), r);
		}
		GUEST_SYNC(2);
	}
	GUEST_DONE();
}

static void run_until_sync(struct kvm_vcpu *vcpu, uint64_t stage)
{
	struct ucall uc;

	vcpu_run(vcpu);
	switch (get_ucall(vcpu, &uc)) {
	case UCALL_SYNC:
		TEST_ASSERT(uc.args[1] == stage, "expected stage %lu, got %lu",
			    stage, uc.args[1]);
		return;
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
	default:
		TEST_FAIL("unexpected exit %s", exit_reason_str(vcpu->run->exit_reason));
	}
}

static void help(char *name)
{
	printf("usage: %s [-h] [-n limit] [-H hot] [-K cold] [-P pool] [-r rounds]\n",
	       name);
	printf(" -n: KVM_SET_NR_MMU_PAGES limit, >= 64 (default %d)\n", DEFAULT_LIMIT);
	printf(" -H: hot 2 MiB regions, touched every round (default %d)\n", DEFAULT_HOT);
	printf(" -K: cold regions swept per round (default %d)\n", DEFAULT_COLD);
	printf(" -P: cold pool, regions swept in turn, > limit (default %d)\n", DEFAULT_POOL);
	printf(" -r: rounds, >= 2, with -H x -r <= 512 (default %d)\n", DEFAULT_ROUNDS);
	printf(" -h: print this message\n");
	exit(0);
}

int main(int argc, char *argv[])
{
	uint64_t limit = DEFAULT_LIMIT, hot_miss = 0, cold_miss = 0, m0, m1, m2;
	uint64_t r, i, gpa, recycled;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	int opt;

	while ((opt = getopt(argc, argv, "hn:H:K:P:r:")) != -1) {
		switch (opt) {
		case 'n':
			limit = strtoull(optarg, NULL, 0);
			break;
		case 'H':
			nr_hot = strtoull(optarg, NULL, 0);
			break;
		case 'K':
			nr_cold = strtoull(optarg, NULL, 0);
			break;
		case 'P':
			nr_pool = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			nr_rounds = strtoull(optarg, NULL, 0);
			break;
		case 'h':
		default:
			help(argv[0]);
		}
	}
	TEST_ASSERT(limit >= 64, "-n must be >= 64 (KVM's minimum)");
	TEST_ASSERT(nr_hot >= 1 && nr_hot <= 512 && nr_cold >= 1,
		    "-H must be 1-512, -K >= 1");
	TEST_ASSERT(nr_pool > limit && nr_pool <= 512, "-P must be > limit and <= 512");
	TEST_ASSERT(nr_rounds >= 2 && nr_hot * nr_rounds <= 512,
		    "-r must be >= 2, and -H x -r <= 512 (aliases in one guest PD)");
	TEST_ASSERT(2 * (nr_hot + nr_cold) <= limit,
		    "-H + -K must be at most half of the limit");

	TEST_REQUIRE(!kvm_is_tdp_enabled());

	/*
	 * Memslot 0 gets 2 pages of page tables per 512 extra pages: the
	 * sparse mapping below needs a guest page table per region.
	 */
	vm = __vm_create_with_one_vcpu(&vcpu, (nr_hot * nr_rounds + nr_pool + 8) * 256,
				       guest_code);
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, DATA_GPA, DATA_SLOT,
				    nr_hot * nr_rounds + nr_pool, 0);
	gpa = DATA_GPA;
	for (i = 0; i < nr_hot; i++) {
		for (r = 0; r < nr_rounds; r++, gpa += PAGE_SIZE)
			virt_pg_map(vm, ALIAS(0, i) + r * PAGE_SIZE, gpa);
		sparsebit_set(vm->vpages_valid, ALIAS(0, i) >> vm->page_shift);
	}
	/* Aliases: a PDE (made by mapping a page) copied from the region's. */
	for (r = 1; r < nr_rounds; r++) {
		for (i = 0; i < nr_hot; i++) {
			int level = PG_LEVEL_2M;

			virt_pg_map(vm, ALIAS(r, i), DATA_GPA);
			sparsebit_set(vm->vpages_valid, ALIAS(r, i) >> vm->page_shift);
			*__vm_get_page_table_entry(vm, ALIAS(r, i), &level) =
				*__vm_get_page_table_entry(vm, ALIAS(0, i), &level);
		}
	}
	for (i = 0; i < nr_pool; i++, gpa += PAGE_SIZE)
		virt_pg_map(vm, COLD_GVA + i * REGION, gpa);
	sync_global_to_guest(vm, nr_hot);
	sync_global_to_guest(vm, nr_cold);
	sync_global_to_guest(vm, nr_pool);
	sync_global_to_guest(vm, nr_rounds);
	vm_ioctl(vm, KVM_SET_NR_MMU_PAGES, (void *)limit);

	ksft_print_header();
	ksft_set_plan(2);
	ksft_print_msg("limit %lu pages, hot %lu, cold %lu of %lu per round, %lu rounds\n",
		       limit, nr_hot, nr_cold, nr_pool, nr_rounds);

	for (r = 0; r < nr_rounds; r++) {
		m0 = vm_get_stat(vm, "mmu_cache_miss");
		run_until_sync(vcpu, 1);
		m1 = vm_get_stat(vm, "mmu_cache_miss");
		run_until_sync(vcpu, 2);
		m2 = vm_get_stat(vm, "mmu_cache_miss");
		ksft_print_msg("round %2lu: hot pass +%lu misses, cold sweep +%lu\n",
			       r, m1 - m0, m2 - m1);
		/* Round 0 builds the hot set: not a rebuild. */
		if (r) {
			hot_miss += m1 - m0;
			cold_miss += m2 - m1;
		}
	}
	{
		struct ucall uc;

		vcpu_run(vcpu);
		TEST_ASSERT(get_ucall(vcpu, &uc) == UCALL_DONE, "guest not done");
	}
	recycled = vm_get_stat(vm, "mmu_recycled");
	ksft_print_msg("hot misses: %lu over %lu rounds; cold misses: %lu; recycled: %lu\n",
		       hot_miss, nr_rounds - 1, cold_miss, recycled);

	/* Without reclaim at the limit, the test shows nothing either way. */
	ksft_test_result(recycled > 0 && cold_miss >= (nr_rounds - 1) * nr_cold / 2,
			 "the cold sweeps keep the VM at its limit (%lu recycled)\n",
			 recycled);
	ksft_test_result(hot_miss <= 2 * (nr_rounds - 1),
			 "hot set not rebuilt: %lu hot-pass misses <= %lu (2 per round)\n",
			 hot_miss, 2 * (nr_rounds - 1));

	kvm_vm_free(vm);
	ksft_finished();
}
