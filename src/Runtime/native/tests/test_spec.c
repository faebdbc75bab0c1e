#include "check.h"
#include "spec.h"
#include "utils.h"

#include <sys/mount.h>
#include <sys/resource.h>

static spec *
parse (const char *text, error *err)
{
  *err = (error){ 0 };
  return spec_parse (text, strlen (text), err);
}

#define MINIMAL_PREFIX "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"}"

int
main (void)
{
  error err;
  spec *s = parse ("{\"ociVersion\":\"1.2.0\",\"unknownField\":{\"x\":1},\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
                   "\"hostname\":\"h\",\"process\":{\"terminal\":false,\"user\":{\"uid\":1000,\"gid\":100,\"additionalGids\":[5,6],\"umask\":18},"
                   "\"args\":[\"sh\",\"-c\",\"true\"],\"env\":[\"A=1\"],\"cwd\":\"/work\","
                   "\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_KILL\"],\"effective\":[\"CAP_KILL\"],\"ambient\":[\"CAP_NOT_A_THING\"]},"
                   "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":100,\"hard\":200}],\"noNewPrivileges\":true,\"oomScoreAdj\":100},"
                   "\"mounts\":[{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"/tmp\",\"options\":[\"rbind\",\"ro\",\"nosuid\",\"rslave\"]},"
                   "{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"shm\",\"options\":[\"nosuid\",\"mode=1777\",\"size=64k\"]}],"
                   "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"},{\"type\":\"uts\"},{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"}],"
                   "\"cgroupsPath\":\"/test/x\",\"resources\":{\"memory\":{\"limit\":67108864,\"swap\":-1},\"cpu\":{\"shares\":512,\"quota\":50000,\"period\":100000,\"cpus\":\"0\"},"
                   "\"pids\":{\"limit\":64},\"blockIO\":{\"weight\":500,\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":1048576}]},"
                   "\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rw\"}]},"
                   "\"maskedPaths\":[\"/proc/kcore\"],\"readonlyPaths\":[\"/proc/sys\"],\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"},"
                   "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
                   "\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}}}",
                   &err);
  if (s == NULL)
    fprintf (stderr, "parse failed: %s\n", err.message);
  CHECK (s != NULL);
  if (s)
    {
      CHECK (s->root_readonly);
      CHECK_STR (s->hostname, "h");
      CHECK (s->process.uid == 1000 && s->process.gid == 100 && s->process.additional_gids_count == 2);
      CHECK (s->process.has_umask && s->process.umask == 18);
      CHECK (s->process.args.count == 3);
      CHECK (s->process.capabilities.bounding == ((1ULL << 0) | (1ULL << 5)));
      CHECK (s->process.capabilities.ambient == 0); /* unknown capability ignored with a warning */
      CHECK (s->process.rlimits_count == 1 && s->process.rlimits[0].resource == RLIMIT_NOFILE && s->process.rlimits[0].hard == 200);
      CHECK (s->process.no_new_privileges && s->process.oom_score_adj == 100);
      CHECK (s->mounts_count == 2);
      CHECK (s->mounts[0].is_bind && (s->mounts[0].flags & MS_REC) && (s->mounts[0].flags & MS_RDONLY));
      CHECK (s->mounts[0].propagation == (MS_SLAVE | MS_REC));
      CHECK_STR (s->mounts[1].data, "mode=1777,size=64k");
      CHECK (s->namespaces[NS_PID].requested && !s->namespaces[NS_PID].path);
      CHECK_STR (s->namespaces[NS_NETWORK].path, "/proc/1/ns/net");
      CHECK (!s->namespaces[NS_USER].requested);
      CHECK (s->resources.memory_limit.has && s->resources.memory_limit.value == 67108864);
      CHECK (s->resources.memory_swap.value == -1);
      CHECK (s->resources.cpu_shares.value == 512 && s->resources.cpu_quota.value == 50000);
      CHECK_STR (s->resources.cpu_cpus, "0");
      CHECK (s->resources.pids_limit.value == 64);
      CHECK (s->resources.throttle_read_bps_count == 1 && s->resources.throttle_read_bps[0].rate == 1048576);
      CHECK (s->resources.devices_count == 2 && !s->resources.devices[0].allow && s->resources.devices[0].type == 'a');
      CHECK (s->resources.devices[1].major == 1 && s->resources.devices[1].minor == 3);
      CHECK (s->sysctl_count == 1);
      CHECK (s->seccomp.present && s->seccomp.syscalls_count == 1 && s->seccomp.syscalls[0].args[0].op == 4);
      spec_free (s);
    }

  /* invalid fields are named */
  CHECK (parse ("{\"ociVersion\":\"2.0.0\",\"root\":{\"path\":\"r\"}}", &err) == NULL);
  CHECK_CONTAINS (err.message, "ociVersion");
  CHECK (parse ("{\"ociVersion\":\"1.0.0\"}", &err) == NULL);
  CHECK_CONTAINS (err.message, "root.path");
  CHECK (parse (MINIMAL_PREFIX ",\"hostname\":5}", &err) == NULL);
  CHECK_CONTAINS (err.message, "hostname: expected a string");
  CHECK (parse ("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"sh\", 3],\"cwd\":\"/\"}}", &err) == NULL);
  CHECK_CONTAINS (err.message, "process.args[1]");
  CHECK (parse ("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"relative\"}}", &err) == NULL);
  CHECK_CONTAINS (err.message, "process.cwd");
  CHECK (parse (MINIMAL_PREFIX ",\"linux\":{\"namespaces\":[{\"type\":\"bogus\"}]}}", &err) == NULL);
  CHECK_CONTAINS (err.message, "linux.namespaces[0].type");
  CHECK (parse (MINIMAL_PREFIX ",\"linux\":{\"resources\":{\"memory\":{\"limit\":\"lots\"}}}}", &err) == NULL);
  CHECK_CONTAINS (err.message, "linux.resources.memory.limit");
  CHECK (parse (MINIMAL_PREFIX ",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"rlimits\":[{\"type\":\"RLIMIT_BOGUS\"}]}}", &err) == NULL);
  CHECK_CONTAINS (err.message, "RLIMIT_BOGUS");
  CHECK (parse (MINIMAL_PREFIX ",\"hostname\":\"x\"}", &err) == NULL);
  CHECK_CONTAINS (err.message, "uts");
  CHECK (parse (MINIMAL_PREFIX ",\"linux\":{\"namespaces\":[{\"type\":\"user\"}]}}", &err) == NULL);
  CHECK_CONTAINS (err.message, "uidMappings");
  CHECK (parse (MINIMAL_PREFIX ",\"mounts\":[{\"destination\":\"/x\"}]}", &err) == NULL);
  CHECK_CONTAINS (err.message, "mounts[0].type");
  CHECK (parse (MINIMAL_PREFIX ",\"hooks\":{\"prestart\":[{\"path\":\"relative\"}]}}", &err) == NULL);
  CHECK_CONTAINS (err.message, "hooks.prestart[0].path");
  CHECK (parse (MINIMAL_PREFIX ",\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_NOPE\"}}}", &err) == NULL);
  CHECK_CONTAINS (err.message, "linux.seccomp.defaultAction");
  CHECK (parse (MINIMAL_PREFIX ",\"linux\":{\"resources\":{\"unified\":{\"../x\":\"1\"}}}}", &err) == NULL);
  CHECK_CONTAINS (err.message, "unified");
  CHECK (parse (MINIMAL_PREFIX ",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"env\":[\"NOEQUALS\"]}}", &err) == NULL);
  CHECK_CONTAINS (err.message, "process.env[0]");
  /* (uid_t)-1 and every id above 2147483647: refused, as runc refuses them */
  const char *bad_ids[] = { "\"uid\":4294967295,\"gid\":0", "\"uid\":0,\"gid\":2147483648", "\"uid\":0,\"gid\":0,\"additionalGids\":[4294967295]" };
  const char *bad_paths[] = { "process.user.uid", "process.user.gid", "process.user.additionalGids[0]" };
  for (size_t i = 0; i < 3; i++)
    {
      char text[256];
      snprintf (text, sizeof text, MINIMAL_PREFIX ",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{%s}}}", bad_ids[i]);
      CHECK (parse (text, &err) == NULL);
      CHECK_CONTAINS (err.message, bad_paths[i]);
      CHECK_CONTAINS (err.message, "must be in range 0-2147483647");
    }
  spec *highest = parse (MINIMAL_PREFIX ",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":2147483647,\"gid\":2147483647}}}", &err);
  CHECK (highest != NULL && highest->process.uid == 2147483647U);
  spec_free (highest);

  /* accepted versions */
  const char *versions[] = { "1.0.0", "1.0.2-dev", "1.1.0", "1.2.1", "1.3.0" };
  for (size_t i = 0; i < 5; i++)
    {
      char text[256];
      snprintf (text, sizeof text, "{\"ociVersion\":\"%s\",\"root\":{\"path\":\"r\"}}", versions[i]);
      spec *v = parse (text, &err);
      CHECK (v != NULL);
      spec_free (v);
    }
  return failures;
}
