/* Live ring consumer — placeholder until the ring reader lands. */
#include "capture-int.h"
udig_capture *ring_live_open(const struct udig_live_opts *o, char *err)
{
	(void)o;
	udig_errf(err, "live capture is not built yet");
	return NULL;
}
