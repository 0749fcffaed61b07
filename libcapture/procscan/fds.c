/*
 * One process's open fds from /proc/<pid>/fd, typed the way libscap types
 * them: regular files and devices as FILE_V2 (open flags from fdinfo,
 * translated to PPM_O_*, and the device number), directories, FIFOs,
 * sockets resolved by inode through the /proc/<pid>/net tables, the known
 * anonymous inodes, and anything else as UNSUPPORTED with its link text.
 *
 * dev: the driver reports new_encode_dev(inode->i_sb->s_dev); stat(2)
 * returns st_dev in that same encoding (and libscap's makedev() of the
 * mountinfo major:minor gives the same number), so the low 32 bits of
 * st_dev are stored as they are.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "procscan-int.h"

/* Linux open flags -> PPM_O_* (access mode handled separately).  A flag
 * matches when any of its bits is set, as in libscap; O_LARGEFILE is left
 * out: the kernel sets it on every 64-bit open and neither libscap (whose
 * x86-64 O_LARGEFILE is 0) nor the driver reports it. */
static const struct { unsigned long linux_flag; uint32_t ppm; } open_flag_map[] = {
	{ O_CREAT, UDIG_O_CREAT },
	{ __O_TMPFILE, UDIG_O_TMPFILE },
	{ O_APPEND, UDIG_O_APPEND },
	{ O_DSYNC, UDIG_O_DSYNC },
	{ O_EXCL, UDIG_O_EXCL },
	{ O_NONBLOCK, UDIG_O_NONBLOCK },
	{ O_SYNC, UDIG_O_SYNC },
	{ O_TRUNC, UDIG_O_TRUNC },
	{ O_DIRECT, UDIG_O_DIRECT },
	{ O_DIRECTORY, UDIG_O_DIRECTORY },
	{ O_CLOEXEC, UDIG_O_CLOEXEC },
};

static uint32_t open_flags_to_ppm(unsigned long f)
{
	uint32_t r;
	size_t i;
	switch (f & O_ACCMODE) {
	case O_WRONLY: r = UDIG_O_WRONLY; break;
	case O_RDWR: r = UDIG_O_RDWR; break;
	default: r = UDIG_O_RDONLY; break;
	}
	for (i = 0; i < sizeof open_flag_map / sizeof open_flag_map[0]; i++)
		if (f & open_flag_map[i].linux_flag)
			r |= open_flag_map[i].ppm;
	return r;
}

/* fdinfo "flags:\t0NNNNN" (octal). */
static uint32_t fd_open_flags(const char *dir, const char *fdname)
{
	char path[384], buf[512];
	const char *s;
	snprintf(path, sizeof path, "%sfdinfo/%s", dir, fdname);
	if (ps_read(path, buf, sizeof buf) <= 0 || !(s = strstr(buf, "flags:")))
		return UDIG_O_NONE;
	return open_flags_to_ppm(strtoul(s + 6, NULL, 8));
}

/* Anonymous inodes libscap recognises by their link text; their names are
 * left empty, as libscap leaves them. */
static const struct { const char *link; int8_t type; } anon_types[] = {
	{ "anon_inode:[eventfd]", UDIG_FD_EVENT },
	{ "anon_inode:[signalfd]", UDIG_FD_SIGNALFD },
	{ "anon_inode:[eventpoll]", UDIG_FD_EVENTPOLL },
	{ "anon_inode:inotify", UDIG_FD_INOTIFY },
	{ "anon_inode:[timerfd]", UDIG_FD_TIMERFD },
};

static void classify_other(struct udig_fdinfo *fi, const char *link)
{
	size_t i;
	fi->type = UDIG_FD_UNSUPPORTED;
	fi->name = (char *)link;
	for (i = 0; i < sizeof anon_types / sizeof anon_types[0]; i++)
		if (strcmp(link, anon_types[i].link) == 0) {
			fi->type = anon_types[i].type;
			fi->name = (char *)"";
		}
}

int pscan_fds(struct pscan_ctx *cx, struct udig_tables *t, const char *dir, int64_t pid)
{
	char fddir[96], path[384], link[PS_MAX_PATH + 1], nsl[64];
	uint64_t netns = 0;
	struct dirent *de;
	int any = 0; /* an fd link of this process read */
	DIR *d;

	snprintf(fddir, sizeof fddir, "%sfd", dir);
	d = opendir(fddir);
	if (!d)
		return 0; /* another user's process, or gone */
	snprintf(path, sizeof path, "%sns/net", dir);
	if (ps_readlink(path, nsl, sizeof nsl) > 0)
		sscanf(nsl, "net:[%lu]", &netns);

	while ((de = readdir(d)) != NULL) {
		struct udig_fdinfo fi;
		struct stat st;
		char *end;
		long long fd;
		uint64_t ino;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd = strtoll(de->d_name, &end, 10);
		if (*end)
			continue;
		if (pid == cx->self_pid && (fd == dirfd(d) || fd == cx->proc_dirfd))
			continue; /* the scanner's own directory streams */
		snprintf(path, sizeof path, "%s/%s", fddir, de->d_name);
		if (ps_readlink(path, link, sizeof link) <= 0) {
			/* The kernel checks our right to read a process's fd
			 * links per process (ptrace access), after letting us
			 * list them: refused for the first, refused for all —
			 * a few hundred failed calls saved per such process.
			 * (The link, not stat: stat asks the file's own
			 * filesystem too, which may refuse one file.) */
			if (!any && (errno == EACCES || errno == EPERM))
				break;
			continue; /* closed meanwhile */
		}
		any = 1;
		if (stat(path, &st) != 0)
			continue;

		memset(&fi, 0, sizeof fi);
		fi.fd = fd;
		fi.ino = st.st_ino;
		fi.name = link;
		switch (st.st_mode & S_IFMT) {
		case S_IFIFO:
			fi.type = UDIG_FD_FIFO;
			break;
		case S_IFREG:
		case S_IFBLK:
		case S_IFCHR:
		case S_IFLNK:
			fi.type = UDIG_FD_FILE_V2;
			fi.open_flags = fd_open_flags(dir, de->d_name);
			fi.dev = (uint32_t)st.st_dev;
			break;
		case S_IFDIR:
			fi.type = UDIG_FD_DIRECTORY;
			break;
		case S_IFSOCK: {
			const struct udig_fdinfo *s;
			if (sscanf(link, "socket:[%lu]", &ino) != 1) {
				fi.type = UDIG_FD_UNSUPPORTED;
				break;
			}
			s = pscan_net_lookup(cx, dir, netns, ino);
			if (!s)
				continue; /* not in any table we read: left out, as by libscap */
			fi = *s;
			fi.fd = fd;
			fi.ino = ino;
			break;
		}
		default:
			classify_other(&fi, link);
			break;
		}
		if (!tables_fd_add(t, pid, &fi)) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}
