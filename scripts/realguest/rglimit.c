// SPDX-License-Identifier: GPL-2.0
/*
 * rglimit.so: give the realguest's VM a shadow page limit.  QEMU has no
 * option for KVM_SET_NR_MMU_PAGES, and another process cannot issue it
 * (KVM's VM ioctls fail with EIO outside the VM's mm), so run-guest
 * preloads this into QEMU when RG_NR_MMU_PAGES is set: the ioctl() below
 * passes every call through and, right after KVM_CREATE_VM, sets the new
 * VM's limit.  A requested limit also keeps KVM from resizing it on later
 * memslot changes.  One line on stderr (QEMU's, so the guest log) says what
 * was set; a failed set kills QEMU with status 1 before it runs the guest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kvm.h>

static void set_limit(int vm_fd)
{
	const char *s = getenv("RG_NR_MMU_PAGES");
	unsigned long n;
	char *end;

	if (!s || !*s)
		return;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n < 64) {
		fprintf(stderr, "rglimit: RG_NR_MMU_PAGES='%s' is not a limit >= 64\n", s);
		_exit(1);
	}
	if (syscall(SYS_ioctl, vm_fd, KVM_SET_NR_MMU_PAGES, n)) {
		fprintf(stderr, "rglimit: KVM_SET_NR_MMU_PAGES %lu failed: %s\n", n,
			strerror(errno));
		_exit(1);
	}
	fprintf(stderr, "rglimit: KVM_SET_NR_MMU_PAGES %lu on VM fd %d\n", n, vm_fd);
}

/* Every ioctl takes at most one argument, an integer or a pointer. */
int ioctl(int fd, unsigned long req, ...)
{
	unsigned long arg;
	va_list ap;
	long r;

	va_start(ap, req);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	r = syscall(SYS_ioctl, fd, req, arg);
	if (req == KVM_CREATE_VM && r >= 0)
		set_limit(r);
	return r;
}
