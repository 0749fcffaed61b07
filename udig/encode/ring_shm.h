/*
 * Opening the udig shm objects — one copy for both sides of the ring (the
 * producer's ring writer and libcapture's live reader compile it), and the
 * trust rule both sides apply before the first byte is read or written.
 *
 * The trust rule (README, "Security model"): an object is used only if it
 * is a regular file owned by our effective uid or by root, and — unless the
 * user opted in to a shared ring — has no group or other permission bits.
 * Another user who pre-creates the names therefore never receives a byte,
 * and cannot feed or stall us through a control block of their making.
 */
#ifndef UDIG_RING_SHM_H
#define UDIG_RING_SHM_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#define UDIG_SHM_HIDDEN __attribute__((visibility("hidden")))

/* Opt-in to rings other users may open (e.g. the 0666 objects sysdig -u
 * creates): "UDIG_SHARED_RING=1" for producers, udig_live_opts.shared_ring
 * for consumers.  Ownership is checked all the same. */
#define UDIG_ENV_SHARED_RING "UDIG_SHARED_RING"

/* given if non-NULL and non-empty, else $env_var if set and non-empty, else dflt. */
UDIG_SHM_HIDDEN const char *udig_shm_pick_name(const char *given, const char *env_var, const char *dflt);
/* Is $UDIG_SHARED_RING set to something other than "0"? */
UDIG_SHM_HIDDEN int udig_shm_shared_opt_in(void);

/* The mask object's shm name ("<descs>.mask", without leading '/') and its
 * path in /dev/shm.  Return 0, or -1 if it does not fit in size bytes. */
UDIG_SHM_HIDDEN int udig_shm_mask_name(const char *descs_name, char *out, size_t size);
UDIG_SHM_HIDDEN int udig_shm_path(const char *shm_name, char *out, size_t size);

enum udig_shm_distrust {
	UDIG_SHM_TRUSTED = 0,
	UDIG_SHM_NOT_REGULAR,  /* a directory, device, fifo... */
	UDIG_SHM_FOREIGN_OWNER, /* owned by another user than us and root */
	UDIG_SHM_OPEN_MODE,    /* group/other may open it, and no opt-in */
};
/* The trust rule on an fstat result; pure, so the signal-handler paths
 * (which use raw syscalls) apply the very same rule. */
UDIG_SHM_HIDDEN enum udig_shm_distrust udig_shm_judge(const struct stat *st, uid_t euid, int shared_ok);
/* "NAME belongs to uid N, not to you (uid M) or root" and the like. */
UDIG_SHM_HIDDEN void udig_shm_distrust_msg(enum udig_shm_distrust why, const char *name, const struct stat *st,
					   char *err);

enum udig_shm_create {
	UDIG_SHM_JOIN,           /* the object must exist (a named ring its consumer made) */
	UDIG_SHM_JOIN_OR_CREATE, /* either side may come first (the default ring) */
	UDIG_SHM_CREATE_NEW,     /* it must not exist yet: O_EXCL (private session rings) */
};

struct udig_shm_req {
	const char *name;
	size_t size;
	mode_t mode;               /* of an object we create (umask defeated) */
	enum udig_shm_create create;
	int shared_ok;             /* accept group/other bits on an existing object */
};

/*
 * Maps the object read-write and shared, after the trust rule.  A create
 * race is resolved by O_EXCL plus retrying the plain open, and an object
 * another process created but has not sized yet is waited for (then sized
 * here).  An object of any other size is refused: the reference consumer
 * hard-wires the sizes.  Returns the mapping (size bytes), or NULL with a
 * message in err (UDIG_ERRBUF_SIZE bytes) and errno: ENOENT (absent, JOIN),
 * EEXIST (present, CREATE_NEW), EPERM (distrusted), or the failing call's.
 * *created tells whether we made it.
 */
UDIG_SHM_HIDDEN void *udig_shm_attach(const struct udig_shm_req *r, int *created, char *err);
/* The same checks and mapping for an object already open as fd (inherited
 * across a privilege drop); r->name names it in messages.  fd stays open. */
UDIG_SHM_HIDDEN void *udig_shm_map_fd(int fd, const struct udig_shm_req *r, int created, char *err);

#endif
