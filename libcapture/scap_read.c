/* .scap reader — placeholder until the reader lands. */
#include <unistd.h>
#include "capture-int.h"
udig_capture *scap_file_open(int fd, const char *name, char *err)
{
	close(fd);
	udig_errf(err, "%s: .scap reading is not built yet", name ? name : "capture");
	return NULL;
}
