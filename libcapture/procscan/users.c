/*
 * Users and groups of this machine through the NSS enumeration functions
 * (getpwent/getgrent), as libscap builds its user list.  A later scan
 * replaces the earlier lists.
 */
#include <grp.h>
#include <pwd.h>
#include "procscan-int.h"

int procscan_users(struct udig_tables *t, char *err)
{
	struct passwd *pw;
	struct group *gr;
	int rc = UDIG_OK;

	tables_users_clear(t);
	tables_groups_clear(t);
	setpwent();
	while (rc == UDIG_OK && (pw = getpwent()) != NULL) {
		struct udig_user u = { pw->pw_uid, pw->pw_gid, pw->pw_name, pw->pw_dir, pw->pw_shell };
		if (tables_user_add(t, &u))
			rc = UDIG_FAILURE;
	}
	endpwent();
	setgrent();
	while (rc == UDIG_OK && (gr = getgrent()) != NULL) {
		struct udig_group g = { gr->gr_gid, gr->gr_name };
		if (tables_group_add(t, &g))
			rc = UDIG_FAILURE;
	}
	endgrent();
	if (rc != UDIG_OK)
		udig_errf(err, "out of memory reading the user list");
	return rc;
}
