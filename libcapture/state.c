/* State engine — placeholder until it lands. */
#include "capture-int.h"
void state_apply(udig_capture *c, const struct udig_evt *ev)
{
	(void)c;
	(void)ev;
}
