/* `udig events`: the event table in the exact layout of `sysdig -L`. */
#include <stdio.h>
#include <string.h>
#include <udig/event.h>
#include "../cli.h"

int cmd_events(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: udig events\n  the event table, in the layout of sysdig -L\n");
		return 0;
	}
	if (argc > 1) {
		cli_error("events takes no arguments");
		return 2;
	}
	for (uint16_t t = 0; t < UDIG_EVENT_MAX; t++) {
		const struct udig_event_info *e = udig_event_info(t);
		if (!udig_event_is_listed(t))
			continue;
		printf("%c %s(", udig_event_is_enter(t) ? '>' : '<', e->name);
		for (uint32_t i = 0; i < e->nparams; i++)
			printf("%s%s %s", i ? ", " : "", udig_param_type_name(e->params[i].type), e->params[i].name);
		printf(")\n");
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
