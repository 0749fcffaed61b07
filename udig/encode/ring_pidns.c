/* Ids across PID namespaces (see ring_pidns.h). */
#include "ring_pidns.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include "sys.h"

/* linux/nsfs.h of Linux 6.11; Debian 12's headers predate them. */
#define UDIG_NSIO 0xb7
#define UDIG_NS_GET_PID_FROM_PIDNS _IOR(UDIG_NSIO, 0x6, int)
#define UDIG_NS_GET_TGID_FROM_PIDNS _IOR(UDIG_NSIO, 0x7, int)
#define UDIG_NS_GET_PID_IN_PIDNS _IOR(UDIG_NSIO, 0x8, int)
#define UDIG_NS_GET_TGID_IN_PIDNS _IOR(UDIG_NSIO, 0x9, int)

static int ref_fd = -1;

int udig_pidns_fd(void)
{
	return __atomic_load_n(&ref_fd, __ATOMIC_ACQUIRE);
}

int udig_pidns_use(int fd)
{
	if (fd < 0) {
		__atomic_store_n(&ref_fd, -1, __ATOMIC_RELEASE);
		return 0;
	}
	/* Ourselves, translated: a kernel without the ioctls says ENOTTY, a
	 * descriptor of another namespace type EINVAL. */
	long me = udig_sys0(SYS_gettid);
	long r = udig_sys3(SYS_ioctl, fd, UDIG_NS_GET_PID_IN_PIDNS, me);
	if (r < 0)
		return (int)r;
	if (r == 0)
		return -ESRCH;
	__atomic_store_n(&ref_fd, fd, __ATOMIC_RELEASE);
	return 0;
}

int32_t udig_pidns_out(int32_t local, int tgid)
{
	int fd = udig_pidns_fd();
	if (fd < 0 || local <= 0)
		return -1;
	long r = udig_sys3(SYS_ioctl, fd, tgid ? UDIG_NS_GET_TGID_IN_PIDNS : UDIG_NS_GET_PID_IN_PIDNS, local);
	return r > 0 ? (int32_t)r : -1;
}

int32_t udig_pidns_in(int32_t ref, int tgid)
{
	int fd = udig_pidns_fd();
	if (fd < 0 || ref <= 0)
		return 0;
	long r = udig_sys3(SYS_ioctl, fd, tgid ? UDIG_NS_GET_TGID_FROM_PIDNS : UDIG_NS_GET_PID_FROM_PIDNS, ref);
	return r > 0 ? (int32_t)r : 0;
}
