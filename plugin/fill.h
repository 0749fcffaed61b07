/*
 * Parameters of the current layout that udig's 2022 records lack but that
 * can still be known when the event is converted, moments after it
 * happened: the inode of an opened file (from a stat whose device must be
 * the record's dev, so a replaced name is never reported as the file that
 * was opened) and, for execve/clone, what the driver reads from the task
 * (trusted exe path, capabilities, exe inode and times, euid/egid, pgid).
 * Those come from /proc/<tid> and are given only while that thread still
 * runs the image the record describes (its comm matches the record's);
 * otherwise the parameter stays empty, shown as <NA> — never a guess.
 */
#ifndef UDIG_PLUGIN_FILL_H
#define UDIG_PLUGIN_FILL_H
#include <stddef.h>
#include <stdint.h>
#include <udig/capture.h>

enum fill_id {
	FILL_NONE = 0,
	FILL_INO,
	FILL_TRUSTED_EXEPATH,
	FILL_CAP_INHERITABLE,
	FILL_CAP_PERMITTED,
	FILL_CAP_EFFECTIVE,
	FILL_EXE_INO,
	FILL_EXE_INO_CTIME,
	FILL_EXE_INO_MTIME,
	FILL_EUID,
	FILL_EGID,
	FILL_PGID,
};

/* The filler for parameter `param` of the current layout's event `event`
 * (both names as the table spells them), or FILL_NONE. */
enum fill_id fill_find(const char *event, const char *param);

/* Writes the value (at most cap bytes) and returns its length, or -1 when
 * it cannot be known: the parameter is then left empty. */
int fill_value(enum fill_id id, const struct udig_evt *ev, uint8_t *out, size_t cap);

#endif
