/* /proc scanner — placeholder until it lands. */
#include "capture-int.h"
int procscan_machine(struct udig_machine_info *mi, char *err) { (void)mi; udig_errf(err, "no /proc scanner yet"); return UDIG_FAILURE; }
int procscan_threads(struct udig_tables *t, char *err) { (void)t; udig_errf(err, "no /proc scanner yet"); return UDIG_FAILURE; }
int procscan_users(struct udig_tables *t, char *err) { (void)t; udig_errf(err, "no /proc scanner yet"); return UDIG_FAILURE; }
int procscan_ifaces(struct udig_tables *t, char *err) { (void)t; udig_errf(err, "no /proc scanner yet"); return UDIG_FAILURE; }
