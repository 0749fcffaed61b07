/* The process tree of a capture (`udig tree`, `udig run --tree`): every
 * process with its execs (argv, cwd), exit status or signal and duration. */
#ifndef UDIG_PROC_TREE_H
#define UDIG_PROC_TREE_H
#include <stdio.h>
#include <udig/capture.h>

struct proc_tree;
/* NULL when out of memory. */
struct proc_tree *proc_tree_new(void);
/* Feeds one event; call right after udig_next() (the thread table must
 * match the event).  Returns 0, or -1 when out of memory. */
int proc_tree_add(struct proc_tree *t, udig_capture *c, const struct udig_evt *ev);
/* Text (an indented tree) or one JSON document; 0, or -1 when writing failed. */
int proc_tree_print(struct proc_tree *t, FILE *out, int json);
void proc_tree_free(struct proc_tree *t);

#endif
