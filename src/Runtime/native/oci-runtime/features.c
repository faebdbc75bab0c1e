#include "commands.h"
#include "../lib/spec.h"

#include <stdio.h>

int
command_features (const global_options *g, int argc, char **argv)
{
  (void) g;
  (void) argv;
  if (argc != 1)
    return command_usage ("features");
  printf ("{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"1.3.0\","
          "\"hooks\":[\"prestart\",\"createRuntime\",\"createContainer\",\"startContainer\",\"poststart\",\"poststop\"],"
          "\"mountOptions\":[\"async\",\"atime\",\"bind\",\"defaults\",\"dev\",\"diratime\",\"dirsync\",\"exec\",\"iversion\","
          "\"lazytime\",\"loud\",\"mand\",\"noatime\",\"nodev\",\"nodiratime\",\"noexec\",\"noiversion\",\"nolazytime\",\"nomand\","
          "\"norelatime\",\"nostrictatime\",\"nosuid\",\"private\",\"rbind\",\"relatime\",\"remount\",\"ro\",\"rprivate\",\"rro\","
          "\"rshared\",\"rslave\",\"runbindable\",\"rw\",\"shared\",\"silent\",\"slave\",\"strictatime\",\"suid\",\"sync\","
          "\"unbindable\"],"
          "\"linux\":{\"namespaces\":[\"cgroup\",\"ipc\",\"mount\",\"network\",\"pid\",\"time\",\"user\",\"uts\"],"
          "\"capabilities\":[");
  for (int cap = 0; capability_name (cap); cap++)
    printf ("%s\"%s\"", cap ? "," : "", capability_name (cap));
  printf ("],\"cgroup\":{\"v1\":true,\"v2\":true,\"systemd\":false,\"systemdUser\":false,\"rdma\":false},"
          "\"seccomp\":{\"enabled\":true,\"actions\":[\"SCMP_ACT_ALLOW\",\"SCMP_ACT_ERRNO\",\"SCMP_ACT_KILL\","
          "\"SCMP_ACT_KILL_PROCESS\",\"SCMP_ACT_KILL_THREAD\",\"SCMP_ACT_LOG\",\"SCMP_ACT_TRAP\",\"SCMP_ACT_TRACE\"],"
          "\"operators\":[\"SCMP_CMP_EQ\",\"SCMP_CMP_GE\",\"SCMP_CMP_GT\",\"SCMP_CMP_LE\",\"SCMP_CMP_LT\",\"SCMP_CMP_MASKED_EQ\","
          "\"SCMP_CMP_NE\"],\"archs\":[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X32\",\"SCMP_ARCH_AARCH64\","
          "\"SCMP_ARCH_ARM\"],\"knownFlags\":[\"SECCOMP_FILTER_FLAG_LOG\",\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\","
          "\"SECCOMP_FILTER_FLAG_TSYNC\"],\"supportedFlags\":[\"SECCOMP_FILTER_FLAG_LOG\",\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\","
          "\"SECCOMP_FILTER_FLAG_TSYNC\"]},"
          "\"apparmor\":{\"enabled\":true},\"selinux\":{\"enabled\":true},\"intelRdt\":{\"enabled\":false},"
          "\"mountExtensions\":{\"idmap\":{\"enabled\":false}}},"
          "\"annotations\":{\"org.opencontainers.runtime-spec.features\":\"container-runtime\"}}\n");
  return 0;
}
