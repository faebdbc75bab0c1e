/* cgroup v2 has no devices.allow: device access is an eBPF program attached to
 * the cgroup. This builds one from linux.resources.devices. */
#ifndef CORE_DEVICE_FILTER_H
#define CORE_DEVICE_FILTER_H

#include "error.h"
#include "spec.h"

#include <linux/bpf.h>
#include <stddef.h>

/* Builds the program; the last matching rule wins, as with v1's allow/deny files.
 * Returns the number of instructions written to out (capacity max). */
int device_filter_build (const spec_device_rule *rules, size_t count, struct bpf_insn *out, size_t max, error *err);

/* Loads the program and attaches it to the cgroup directory, replacing any
 * program this runtime attached before. */
int device_filter_attach (const char *cgroup_dir, const spec_device_rule *rules, size_t count, error *err);

#endif
