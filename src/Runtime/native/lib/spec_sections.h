/* The parsers of config.json's sections, one file each (spec_process.c, spec_mounts.c,
 * spec_hooks.c, spec_linux.c, spec_resources.c, spec_seccomp.c), joined by spec.c. Each
 * frees what it allocated with its free function; the strings belong to the document. */
#ifndef CORE_SPEC_SECTIONS_H
#define CORE_SPEC_SECTIONS_H

#include "spec.h"

/* process */
int spec_parse_process (const json_value *process, spec_process *out, error *err);

/* root and mounts: the container's file system */
int spec_parse_root (const json_value *root_obj, spec *s, error *err);
int spec_parse_mounts (const json_value *root_obj, spec *s, error *err);
void spec_mounts_free (spec *s);

/* hooks */
int spec_parse_hooks (const json_value *root_obj, spec_hooks *out, error *err);
void spec_hooks_free (spec_hooks *hooks);

/* linux: namespaces, id mappings, time offsets, devices, sysctl, masked and read-only
 * paths, rootfs propagation, personality, and its resources and seccomp below */
int spec_parse_linux (const json_value *linux_obj, spec *s, error *err);
void spec_linux_free (spec *s);

/* linux.resources */
int spec_parse_resources (const json_value *resources, spec_resources *out, error *err);

/* linux.seccomp */
int spec_parse_seccomp (const json_value *seccomp, spec_seccomp *out, error *err);
void spec_seccomp_free (spec_seccomp *seccomp);

#endif
