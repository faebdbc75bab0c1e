#define _GNU_SOURCE
#include "state.h"
#include "cgroup.h"
#include "json.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int
state_check_id (const char *id, error *err)
{
  if (id == NULL || id[0] == '\0')
    return fail (err, EINVAL, "a container id is required");
  if (strcmp (id, ".") == 0 || strcmp (id, "..") == 0 || strchr (id, '/') || strlen (id) > 1024)
    return fail (err, EINVAL, "invalid container id `%s`", id);
  return 0;
}

char *
state_dir (const char *root, const char *id)
{
  return xasprintf ("%s/%s", root, id);
}

int
state_write (const char *root, const container_state *st, error *err)
{
  strbuf sb = { 0 };
  sb_append (&sb, "{\"id\":");
  sb_json_string (&sb, st->id);
  sb_printf (&sb, ",\"pid\":%d,\"startTime\":%llu,\"bundle\":", st->pid, st->start_time);
  sb_json_string (&sb, st->bundle);
  sb_append (&sb, ",\"rootfs\":");
  sb_json_string (&sb, st->rootfs);
  sb_append (&sb, ",\"created\":");
  sb_json_string (&sb, st->created);
  sb_append (&sb, ",\"cgroupPath\":");
  sb_json_string (&sb, st->cgroup_path);
  sb_append (&sb, ",\"annotations\":");
  sb_append (&sb, st->annotations_json ? st->annotations_json : "{}");
  sb_printf (&sb, ",\"rootfsMountId\":%d}\n", st->rootfs_mount_id);
  _cleanup_free_ char *dir = state_dir (root, st->id);
  _cleanup_free_ char *path = xasprintf ("%s/state.json", dir);
  int ret = write_file_atomic (path, sb.data, sb.len, false, err);
  free (sb.data);
  return ret;
}

static char *
dup_string (const json_value *obj, const char *key)
{
  const json_value *v = json_get (obj, key);
  return v && v->type == JSON_STRING ? xstrdup (v->string.chars) : xstrdup ("");
}

/* Re-serialises a flat string map (annotations). */
static char *
string_map_json (const json_value *v)
{
  strbuf sb = { 0 };
  sb_append (&sb, "{");
  if (v && v->type == JSON_OBJECT)
    for (size_t i = 0; i < v->object.count; i++)
      {
        if (v->object.values[i]->type != JSON_STRING)
          continue;
        if (sb.len > 1)
          sb_append (&sb, ",");
        sb_json_string (&sb, v->object.keys[i]);
        sb_append (&sb, ":");
        sb_json_string (&sb, v->object.values[i]->string.chars);
      }
  sb_append (&sb, "}");
  return sb_steal (&sb);
}

int
state_read (const char *root, const char *id, container_state *st, error *err)
{
  memset (st, 0, sizeof *st);
  if (state_check_id (id, err) < 0)
    return -1;
  _cleanup_free_ char *dir = state_dir (root, id);
  _cleanup_free_ char *path = xasprintf ("%s/state.json", dir);
  _cleanup_free_ char *text = NULL;
  size_t len;
  error ignored = { 0 };
  if (read_file (path, &text, &len, &ignored) < 0)
    return fail (err, ENOENT, "container `%s` does not exist", id);
  _cleanup_json_ json_document *doc = json_parse (text, len, err);
  if (doc == NULL)
    return error_wrap (err, "read the state of container `%s`", id);
  const json_value *r = json_root (doc);
  const json_value *pid = json_get (r, "pid"), *start = json_get (r, "startTime"), *mount_id = json_get (r, "rootfsMountId");
  st->id = xstrdup (id);
  st->pid = pid && pid->type == JSON_NUMBER ? (pid_t) pid->number.integer : 0;
  st->start_time = start && start->type == JSON_NUMBER ? (unsigned long long) start->number.integer : 0;
  st->bundle = dup_string (r, "bundle");
  st->rootfs = dup_string (r, "rootfs");
  st->created = dup_string (r, "created");
  st->cgroup_path = dup_string (r, "cgroupPath");
  st->annotations_json = string_map_json (json_get (r, "annotations"));
  st->rootfs_mount_id = mount_id && mount_id->type == JSON_NUMBER ? (int) mount_id->number.integer : 0;
  return 0;
}

void
state_free (container_state *st)
{
  free (st->id);
  free (st->bundle);
  free (st->rootfs);
  free (st->created);
  free (st->cgroup_path);
  free (st->annotations_json);
  memset (st, 0, sizeof *st);
}

const char *
state_status (const char *root, const container_state *st)
{
  if (!process_alive (st->pid, st->start_time))
    return "stopped";
  _cleanup_free_ char *dir = state_dir (root, st->id);
  _cleanup_free_ char *fifo = xasprintf ("%s/exec.fifo", dir);
  if (file_exists (fifo))
    return "created";
  cgroup cg = { 0 };
  error err = { 0 };
  bool frozen = false;
  if (cgroup_open (&cg, st->cgroup_path, st->id, &err) == 0)
    {
      cg.driver->is_frozen (&cg, &frozen, &err);
      cgroup_close (&cg);
    }
  return frozen ? "paused" : "running";
}

char *
state_to_json (const container_state *st, const char *status)
{
  strbuf sb = { 0 };
  sb_append (&sb, "{\"ociVersion\":\"" OCI_VERSION "\",\"id\":");
  sb_json_string (&sb, st->id);
  sb_printf (&sb, ",\"pid\":%d,\"status\":\"%s\",\"bundle\":", strcmp (status, "stopped") == 0 ? 0 : st->pid, status);
  sb_json_string (&sb, st->bundle);
  sb_append (&sb, ",\"rootfs\":");
  sb_json_string (&sb, st->rootfs);
  sb_append (&sb, ",\"created\":");
  sb_json_string (&sb, st->created);
  sb_append (&sb, ",\"owner\":\"\",\"annotations\":");
  sb_append (&sb, st->annotations_json ? st->annotations_json : "{}");
  sb_append (&sb, "}");
  return sb_steal (&sb);
}

int
state_lock (const char *root, const char *id, error *err)
{
  _cleanup_free_ char *dir = state_dir (root, id);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT ? fail (err, ENOENT, "container `%s` does not exist", id) : fail_errno (err, "open `%s`", dir);
  if (flock (fd, LOCK_EX) < 0)
    {
      int saved = errno;
      close (fd);
      return fail (err, saved, "lock `%s`", dir);
    }
  return fd;
}
