/* Small helpers shared by the whole core: scope cleanup, allocation, files,
 * a growable string buffer. */
#ifndef CORE_UTILS_H
#define CORE_UTILS_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Cleanup by scope, so an early return leaks no fd and no buffer. */
void cleanup_freep (void *p);
void cleanup_closep (int *fd);
void cleanup_fclosep (FILE **f);
#define _cleanup_free_ __attribute__ ((cleanup (cleanup_freep)))
#define _cleanup_close_ __attribute__ ((cleanup (cleanup_closep)))
#define _cleanup_fclose_ __attribute__ ((cleanup (cleanup_fclosep)))

/* Hands ownership out of a cleanup variable. */
#define steal_pointer(pp) ({ __typeof__ (*(pp)) _p = *(pp); *(pp) = NULL; _p; })
#define steal_fd(fdp) ({ int _fd = *(fdp); *(fdp) = -1; _fd; })

/* Allocation never fails silently: out of memory aborts, as crun does. */
void *xmalloc (size_t size);
void *xzalloc (size_t size);
void *xrealloc (void *p, size_t size);
char *xstrdup (const char *s);
char *xstrndup (const char *s, size_t n);
char *xasprintf (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

/* Whole-file helpers. read_file NUL-terminates the buffer. */
int read_file (const char *path, char **out, size_t *len, error *err);
int read_file_at (int dirfd, const char *path, char **out, size_t *len, error *err);
/* The rest of an open file (a pipe: stdin), path naming it in errors. */
int read_fd (int fd, const char *path, char **out, size_t *len, error *err);
int write_file (const char *path, const void *data, size_t len, error *err);
/* write temp + rename: readers see the old or the new content, never a mix. durable adds an
 * fsync, for records that must outlive a power cut (the runtime's own state is in /run). */
int write_file_atomic (const char *path, const void *data, size_t len, bool durable, error *err);
int mkdir_p (const char *path, mode_t mode, error *err);
/* rm -rf that does not cross mount points. */
int remove_tree (const char *path, error *err);
/* Copies the regular files of directory from into a new directory to (0700), made under a
 * temporary name and renamed: to is whole or absent. EEXIST when to is there already. */
int copy_dir_files (const char *from, const char *to, error *err);

bool file_exists (const char *path);
int write_all (int fd, const void *data, size_t len);
ssize_t read_all (int fd, void *buf, size_t len);
int set_cloexec (int fd, bool on);
/* Closes every descriptor from first up but keep (-1: none), or with only_cloexec marks them
 * close-on-exec: a process of ours holds no descriptor it was handed but does not own (a
 * caller's pipe would keep its reader waiting for as long as we live). close_range(2) where
 * the kernel has it, else one by one from /proc/self/fd. */
int close_fds_from (int first, int keep, bool only_cloexec, error *err);

/* Growable string. */
typedef struct strbuf
{
  char *data;
  size_t len, cap;
} strbuf;
void sb_append (strbuf *sb, const char *s);
void sb_appendn (strbuf *sb, const char *s, size_t n);
void sb_printf (strbuf *sb, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
void sb_json_string (strbuf *sb, const char *s);
char *sb_steal (strbuf *sb);

/* JSON string literal (with quotes) for s; caller frees. */
char *json_escape_string (const char *s);

/* Parses "123" fully into *out; -1 on trailing junk or overflow. */
int parse_int64 (const char *s, int64_t *out);

/* Start time of a process (field 22 of /proc/pid/stat), 0 when it is gone: a pid
 * plus its start time names one process even after the pid is reused. */
unsigned long long process_start_time (pid_t pid);
bool process_alive (pid_t pid, unsigned long long start_time);

/* Current UTC time in RFC 3339 with nanoseconds. */
void format_now_rfc3339 (char *buf, size_t len);

#endif
