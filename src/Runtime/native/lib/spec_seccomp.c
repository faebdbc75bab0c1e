/* config.json's linux.seccomp: the syscall filter, compiled by seccomp_filter.c. */
#define _GNU_SOURCE
#include "seccomp_filter.h"
#include "spec_fields.h"
#include "spec_sections.h"

#include <stdlib.h>

static int
parse_syscall_arg (const json_value *item, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_syscall_arg *arg = element;
  char *op = NULL;
  uint32_t arg_index = 0;
  bool has_index = false;
  opt_u64 value = { 0 }, value_two = { 0 };
  if (field_u32 (item, "index", path, &arg_index, &has_index, err) < 0 || field_u64 (item, "value", path, &value, err) < 0
      || field_u64 (item, "valueTwo", path, &value_two, err) < 0 || field_string (item, "op", path, &op, err) < 0)
    return -1;
  if (!has_index || arg_index > 5)
    return fail (err, 0, "%s.index: required, 0..5", path);
  if (op == NULL || (arg->op = seccomp_operator_from_name (op)) < 0)
    return fail (err, 0, "%s.op: unknown operator `%s`", path, op ? op : "");
  arg->index = arg_index;
  arg->value = value.value;
  arg->value_two = value_two.value;
  return 0;
}

static int
parse_syscall (const json_value *item, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_syscall *call = element;
  char *action = NULL;
  if (field_strings (item, "names", path, &call->names, err) < 0 || field_string (item, "action", path, &action, err) < 0
      || field_u32 (item, "errnoRet", path, &call->errno_ret, &call->has_errno_ret, err) < 0)
    return -1;
  if (call->names.count == 0)
    return fail (err, 0, "%s.names: at least one name is required", path);
  if (action == NULL || seccomp_action_from_name (action, &call->action) < 0)
    return fail (err, 0, "%s.action: unknown action `%s`", path, action ? action : "");
  return FIELD_OBJECTS (item, "args", path, &call->args, &call->args_count, parse_syscall_arg, NULL, err);
}

int
spec_parse_seccomp (const json_value *sc, spec_seccomp *out, error *err)
{
  const char *S = "linux.seccomp";
  char *default_action = NULL;
  if (sc->type != JSON_OBJECT)
    return field_type_error (err, S, "an object", sc);
  out->present = true;
  if (field_u32 (sc, "defaultErrnoRet", S, &out->default_errno_ret, &out->has_default_errno_ret, err) < 0
      || field_strings (sc, "architectures", S, &out->architectures, err) < 0 || field_strings (sc, "flags", S, &out->flags, err) < 0
      || field_string (sc, "listenerPath", S, &out->listener_path, err) < 0
      || field_required_string (sc, "defaultAction", S, &default_action, err) < 0)
    return -1;
  if (seccomp_action_from_name (default_action, &out->default_action) < 0)
    return fail (err, 0, "%s.defaultAction: unknown action `%s`", S, default_action);
  return FIELD_OBJECTS (sc, "syscalls", S, &out->syscalls, &out->syscalls_count, parse_syscall, NULL, err);
}

void
spec_seccomp_free (spec_seccomp *seccomp)
{
  for (size_t i = 0; i < seccomp->syscalls_count; i++)
    {
      free (seccomp->syscalls[i].names.items);
      free (seccomp->syscalls[i].args);
    }
  free (seccomp->syscalls);
  free (seccomp->architectures.items);
  free (seccomp->flags.items);
}
