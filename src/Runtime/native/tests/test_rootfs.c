#define _GNU_SOURCE
#include "check.h"
#include "rootfs.h"
#include "utils.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int
main (void)
{
  char root[] = "/tmp/rootfs-test-XXXXXX";
  CHECK (mkdtemp (root) != NULL);
  error err = { 0 };
  char *p = NULL;
  char *sub = xasprintf ("%s/etc", root);
  mkdir (sub, 0755);
  char *abs_link = xasprintf ("%s/abs", root), *rel_link = xasprintf ("%s/etc/up", root), *loop = xasprintf ("%s/loop", root);
  CHECK (symlink ("/etc", abs_link) == 0);          /* absolute: must stay in root */
  CHECK (symlink ("../../../../", rel_link) == 0);  /* climbing: stops at root */
  CHECK (symlink ("loop", loop) == 0);

  char *want = xasprintf ("%s/etc/passwd", root);
  CHECK (resolve_in_root (root, "/abs/passwd", &p, &err) == 0);
  CHECK_STR (p, want);
  free (p);
  CHECK (resolve_in_root (root, "/../../etc/passwd", &p, &err) == 0);
  CHECK_STR (p, want);
  free (p);
  char *want_root_x = xasprintf ("%s/x", root);
  CHECK (resolve_in_root (root, "/etc/up/x", &p, &err) == 0);
  CHECK_STR (p, want_root_x);
  free (p);
  CHECK (resolve_in_root (root, "/loop/x", &p, &err) < 0);
  CHECK (err.errnum == ELOOP);

  /* creation follows links inside the root only */
  err = (error){ 0 };
  CHECK (create_in_root (root, "/abs/new/dir", false, &p, &err) == 0);
  char *want_dir = xasprintf ("%s/etc/new/dir", root);
  CHECK_STR (p, want_dir);
  struct stat st;
  CHECK (stat (want_dir, &st) == 0 && S_ISDIR (st.st_mode));
  free (p);
  CHECK (create_in_root (root, "/etc/up/file", true, &p, &err) == 0);
  char *want_file = xasprintf ("%s/file", root);
  CHECK_STR (p, want_file);
  CHECK (stat (want_file, &st) == 0 && S_ISREG (st.st_mode));
  free (p);

  remove_tree (root, &err);
  free (sub); free (abs_link); free (rel_link); free (loop); free (want); free (want_root_x); free (want_dir); free (want_file);
  return failures;
}
