#define _GNU_SOURCE
#include "commands.h"
#include "../lib/state.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
command_list (const global_options *g, int argc, char **argv)
{
  static const struct option options[] = { { "format", required_argument, NULL, 'f' }, { "quiet", no_argument, NULL, 'q' },
                                           { NULL, 0, NULL, 0 } };
  const char *format = "table";
  bool quiet = false;
  int c;
  while ((c = getopt_long (argc, argv, "+f:q", options, NULL)) != -1)
    if (c == 'f')
      format = optarg;
    else if (c == 'q')
      quiet = true;
    else
      return command_usage ("list [--format table|json] [--quiet]");
  bool json = strcmp (format, "json") == 0;
  DIR *d = opendir (g->root);
  if (json)
    printf ("[");
  else if (!quiet)
    printf ("%-20s %-8s %-8s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
  int n = 0;
  struct dirent *de;
  while (d && (de = readdir (d)))
    {
      if (de->d_name[0] == '.')
        continue;
      container_state st;
      error err = { 0 };
      if (state_read (g->root, de->d_name, &st, &err) < 0)
        continue; /* being created or deleted */
      const char *status = state_status (g->root, &st);
      if (json)
        {
          char *text = state_to_json (&st, status);
          printf ("%s%s", n ? "," : "", text);
          free (text);
        }
      else if (quiet)
        printf ("%s\n", st.id);
      else
        printf ("%-20s %-8d %-8s %-40s %s\n", st.id, strcmp (status, "stopped") ? st.pid : 0, status, st.bundle, st.created);
      n++;
      state_free (&st);
    }
  if (json)
    printf ("]\n");
  if (d)
    closedir (d);
  return 0;
}
