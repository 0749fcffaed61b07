/*
 * Opening the udig shm objects — one copy for both sides of the ring (the
 * producer's ring writer and libcapture's live reader compile it).  Uses
 * libc freely: it runs before interception is armed / in the consumer.
 */
#ifndef UDIG_RING_SHM_H
#define UDIG_RING_SHM_H

#include <stddef.h>
#include <sys/types.h>

#define UDIG_SHM_HIDDEN __attribute__((visibility("hidden")))

/* given if non-NULL and non-empty, else $env_var if set and non-empty, else dflt. */
UDIG_SHM_HIDDEN const char *udig_shm_pick_name(const char *given, const char *env_var, const char *dflt);

/* The mask object's shm name ("<descs>.mask", without leading '/') and its
 * path in /dev/shm.  Return 0, or -1 if it does not fit in size bytes. */
UDIG_SHM_HIDDEN int udig_shm_mask_name(const char *descs_name, char *out, size_t size);
UDIG_SHM_HIDDEN int udig_shm_path(const char *shm_name, char *out, size_t size);

/*
 * Maps the object `name` read-write and shared, creating it with exactly
 * `mode` (umask defeated) if absent.  Either side may create; a create race
 * is resolved by O_EXCL plus retrying the plain open, and an object another
 * process created but has not sized yet is waited for (then sized here).
 * An object of any other size is refused: the reference consumer hard-wires
 * the sizes.  Returns the mapping (size bytes), or NULL with a message in
 * err (UDIG_ERRBUF_SIZE bytes).  *created tells whether we made it.
 */
UDIG_SHM_HIDDEN void *udig_shm_attach(const char *name, size_t size, mode_t mode, int *created, char *err);

#endif
