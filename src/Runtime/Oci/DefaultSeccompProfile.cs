using System.Runtime.InteropServices;

namespace Container.Runtime.Oci;

/// <summary>
/// The default seccomp policy, built from Docker's (moby's profiles/seccomp) and
/// containers-common's: everything a normal program needs is allowed; the calls the
/// profile knows and refuses fail with EPERM; the calls a capability exists to guard are
/// allowed only when the container holds that capability (so adding CAP_SYS_ADMIN also
/// opens mount, unshare and the namespace flags of clone), EPERM without it. A call the
/// profile does not know (one newer than it, or one libseccomp cannot name) fails with
/// ENOSYS, as containers-common answers it: a libc then falls back to an older call
/// (fchmodat2 to fchmodat) where EPERM would stop the program.
/// </summary>
public static class DefaultSeccompProfile
{
    private const uint EPERM = 1;
    private const uint ENOSYS = 38;
    private const ulong AF_ALG = 38;
    private const ulong AF_VSOCK = 40;
    // CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET
    private static readonly ulong[] NamespaceCloneFlags =
        [0x20000, 0x2000000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000];

    private static readonly string[] Files =
    [
        "access", "chdir", "chmod", "chown", "chown32", "close", "close_range", "copy_file_range", "creat", "dup", "dup2", "dup3",
        "faccessat", "faccessat2", "fadvise64", "fadvise64_64", "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat",
        "fchmodat2", "fchown", "fchown32", "fchownat", "fcntl", "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock",
        "fremovexattr", "fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate", "ftruncate64",
        "futimesat", "getcwd", "getdents", "getdents64", "getxattr", "getxattrat", "inotify_add_watch", "inotify_init",
        "inotify_init1", "inotify_rm_watch", "lchown", "lchown32", "lgetxattr", "link", "linkat", "listmount", "listxattr",
        "listxattrat", "llistxattr", "_llseek", "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64", "mkdir", "mkdirat",
        "mknod", "mknodat", "name_to_handle_at", "newfstatat", "open", "openat", "openat2", "pread64", "preadv", "preadv2",
        "pwrite64", "pwritev", "pwritev2", "read", "readahead", "readlink", "readlinkat", "readv", "removexattr", "removexattrat",
        "rename", "renameat", "renameat2", "rmdir", "sendfile", "sendfile64", "setxattr", "setxattrat", "splice", "stat", "stat64",
        "statfs", "statfs64", "statmount", "statx", "symlink", "symlinkat", "sync", "sync_file_range", "syncfs", "cachestat",
        "tee", "truncate", "truncate64", "umask", "unlink", "unlinkat", "utime", "utimensat", "utimensat_time64", "utimes",
        "vmsplice", "write", "writev",
    ];

    private static readonly string[] Memory =
    [
        "brk", "madvise", "map_shadow_stack", "membarrier", "memfd_create", "memfd_secret", "mincore", "mlock", "mlock2",
        "mlockall", "mmap", "mmap2", "mprotect", "mremap", "mseal", "msync", "munlock", "munlockall", "munmap", "pkey_alloc",
        "pkey_free", "pkey_mprotect", "remap_file_pages",
    ];

    private static readonly string[] Processes =
    [
        "capget", "capset", "execve", "execveat", "exit", "exit_group", "fork", "getcpu", "getegid", "getegid32", "geteuid",
        "geteuid32", "getgid", "getgid32", "getgroups", "getgroups32", "getpgid", "getpgrp", "getpid", "getppid", "getpriority",
        "getrandom", "getresgid", "getresgid32", "getresuid", "getresuid32", "getrlimit", "get_robust_list", "getrusage", "getsid",
        "get_thread_area", "gettid", "getuid", "getuid32", "ioprio_get", "ioprio_set", "landlock_add_rule",
        "landlock_create_ruleset", "landlock_restrict_self", "pidfd_open", "pidfd_send_signal", "prctl", "prlimit64",
        "process_mrelease", "restart_syscall", "rseq", "seccomp", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid",
        "setgid32", "setgroups", "setgroups32", "setpgid", "setpriority", "setregid", "setregid32", "setresgid", "setresgid32",
        "setresuid", "setresuid32", "setreuid", "setreuid32", "setrlimit", "set_robust_list", "setsid", "set_thread_area",
        "set_tid_address", "setuid", "setuid32", "ugetrlimit", "uname", "uretprobe", "vfork", "wait4", "waitid", "waitpid",
        "sysinfo",
    ];

    private static readonly string[] Signals =
    [
        "alarm", "kill", "pause", "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn",
        "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sigaltstack", "signalfd", "signalfd4",
        "sigprocmask", "sigreturn", "tgkill", "tkill",
    ];

    private static readonly string[] Time =
    [
        "adjtimex", "clock_adjtime", "clock_adjtime64", "clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64",
        "clock_nanosleep", "clock_nanosleep_time64", "getitimer", "gettimeofday", "nanosleep", "setitimer", "time", "timer_create",
        "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64",
        "timerfd_create", "timerfd_gettime", "timerfd_gettime64", "timerfd_settime", "timerfd_settime64", "times",
    ];

    private static readonly string[] Waiting =
    [
        "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait",
        "epoll_wait_old", "eventfd", "eventfd2", "futex", "futex_requeue", "futex_time64", "futex_wait", "futex_waitv",
        "futex_wake", "io_cancel", "ioctl", "io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64", "io_setup",
        "io_submit", "_newselect", "pipe", "pipe2", "poll", "ppoll", "ppoll_time64", "pselect6", "pselect6_time64", "select",
    ];

    private static readonly string[] Network =
    [
        "accept", "accept4", "bind", "connect", "getpeername", "getsockname", "getsockopt", "listen", "recv", "recvfrom",
        "recvmmsg", "recvmmsg_time64", "recvmsg", "send", "sendmmsg", "sendmsg", "sendto", "setsockopt", "shutdown", "socketcall",
        "socketpair",
    ];

    private static readonly string[] InterProcess =
    [
        "ipc", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive", "mq_timedreceive_time64", "mq_timedsend",
        "mq_timedsend_time64", "mq_unlink", "msgctl", "msgget", "msgrcv", "msgsnd", "semctl", "semget", "semop", "semtimedop",
        "semtimedop_time64", "shmat", "shmctl", "shmdt", "shmget",
    ];

    private static readonly string[] Scheduling =
    [
        "sched_getaffinity", "sched_getattr", "sched_getparam", "sched_get_priority_max", "sched_get_priority_min",
        "sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_setaffinity", "sched_setattr",
        "sched_setparam", "sched_setscheduler", "sched_yield",
    ];

    /// <summary>
    /// Calls the profile knows and refuses whatever the container holds (EPERM): io_uring
    /// (a way around seccomp itself, blocked by Docker since 2023), the kernel's keyring,
    /// kexec, swap, userfaultfd, and what is obsolete or unimplemented.
    /// </summary>
    private static readonly string[] Refused =
    [
        "io_uring_enter", "io_uring_register", "io_uring_setup", "add_key", "keyctl", "request_key", "kexec_file_load",
        "kexec_load", "swapoff", "swapon", "userfaultfd", "migrate_pages", "move_pages", "pivot_root", "_sysctl", "sysfs", "ustat",
        "uselib", "nfsservctl", "bdflush", "create_module", "get_kernel_syms", "query_module", "vm86", "vm86old", "afs_syscall",
        "tuxcall", "security", "vserver", "getpmsg", "putpmsg", "break", "ftime", "gtty", "stty", "idle", "lock", "mpx", "prof",
        "profil", "ulimit", "nice", "oldfstat", "oldlstat", "oldolduname", "oldstat", "olduname", "readdir", "sgetmask",
        "ssetmask", "sigaction", "signal", "sigpending", "sigsuspend",
    ];

    /// <summary>Calls a capability exists to guard: allowed only with it.</summary>
    private static readonly (string Capability, string[] Calls)[] Guarded =
    [
        ("CAP_SYS_ADMIN", ["bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick", "lookup_dcookie",
            "lsm_get_self_attr", "lsm_list_modules", "lsm_set_self_attr", "mount", "mount_setattr", "move_mount", "open_tree",
            "perf_event_open", "quotactl", "quotactl_fd", "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2",
            "unshare"]),
        ("CAP_DAC_READ_SEARCH", ["open_by_handle_at"]),
        ("CAP_SYS_BOOT", ["reboot"]),
        ("CAP_SYS_CHROOT", ["chroot"]),
        ("CAP_SYS_MODULE", ["delete_module", "init_module", "finit_module"]),
        ("CAP_SYS_PACCT", ["acct"]),
        ("CAP_SYS_PTRACE", ["kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"]),
        ("CAP_SYS_RAWIO", ["iopl", "ioperm"]),
        ("CAP_SYS_TIME", ["settimeofday", "stime", "clock_settime", "clock_settime64"]),
        ("CAP_SYS_TTY_CONFIG", ["vhangup"]),
        ("CAP_SYS_NICE", ["get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"]),
        ("CAP_SYSLOG", ["syslog"]),
        ("CAP_BPF", ["bpf"]),
        ("CAP_PERFMON", ["perf_event_open"]),
    ];

    public static SeccompSpec For(IReadOnlyCollection<string> capabilities)
    {
        var has = capabilities.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var allowed = new List<string>([.. Files, .. Memory, .. Processes, .. Signals, .. Time, .. Waiting, .. Network, .. InterProcess, .. Scheduling]);
        // without CAP_SYS_PTRACE, tracing one's own children stays possible (kernels since 4.8 check it properly)
        allowed.AddRange(["process_vm_readv", "process_vm_writev", "ptrace"]);
        allowed.AddRange(ArchitectureCalls());
        foreach (var (capability, calls) in Guarded)
            if (has.Contains(capability))
                allowed.AddRange(calls);
        var allowedSet = allowed.ToHashSet();
        // clone and clone3 have rules of their own below: an unconditional one would override them
        var refused = Refused.Concat(Guarded.SelectMany(g => g.Calls))
            .Where(call => !allowedSet.Contains(call) && call is not "clone" and not "clone3").Distinct().ToList();

        var rules = new List<SyscallSpec>
        {
            new() { Names = allowed.Distinct().ToList(), Action = "SCMP_ACT_ALLOW" },
            new() { Names = refused, Action = "SCMP_ACT_ERRNO", ErrnoRet = EPERM },
            // every socket family but AF_ALG (the kernel's crypto, attack surface Docker closed) and vsock (a way to the host)
            Allow("socket", new SyscallArgSpec { Index = 0, Value = AF_ALG, Op = "SCMP_CMP_LT" }),
            Allow("socket", new SyscallArgSpec { Index = 0, Value = AF_ALG + 1, Op = "SCMP_CMP_EQ" }),
            Allow("socket", new SyscallArgSpec { Index = 0, Value = AF_VSOCK, Op = "SCMP_CMP_GT" }),
            Refuse("socket", new SyscallArgSpec { Index = 0, Value = AF_ALG, Op = "SCMP_CMP_EQ" }),
            Refuse("socket", new SyscallArgSpec { Index = 0, Value = AF_VSOCK, Op = "SCMP_CMP_EQ" }),
        };
        // personality: only the harmless personas (Linux, Linux32, uname26, ...); others are unknown to the profile
        foreach (var persona in new ulong[] { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff })
            rules.Add(Allow("personality", new SyscallArgSpec { Index = 0, Value = persona, Op = "SCMP_CMP_EQ" }));
        if (!has.Contains("CAP_SYS_ADMIN"))
        {
            // clone for threads and processes, never for new namespaces: EPERM for any namespace flag
            // a loop, not Aggregate: LINQ over ulong is generic code JIT-compiled at a new session's first container
            ulong anyNamespace = 0;
            foreach (var flag in NamespaceCloneFlags)
                anyNamespace |= flag;
            rules.Add(Allow("clone", new SyscallArgSpec { Index = 0, Value = anyNamespace, ValueTwo = 0, Op = "SCMP_CMP_MASKED_EQ" }));
            foreach (var flag in NamespaceCloneFlags)
                rules.Add(Refuse("clone", new SyscallArgSpec { Index = 0, Value = flag, ValueTwo = flag, Op = "SCMP_CMP_MASKED_EQ" }));
            // clone3 hides its flags in memory a filter cannot read: ENOSYS makes libcs fall back to clone
            rules.Add(new SyscallSpec { Names = ["clone3"], Action = "SCMP_ACT_ERRNO", ErrnoRet = ENOSYS });
        }
        return new SeccompSpec
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            DefaultErrnoRet = ENOSYS,
            Architectures = Architectures(),
            Syscalls = rules,
        };
    }

    private static SyscallSpec Allow(string call, SyscallArgSpec condition) =>
        new() { Names = [call], Action = "SCMP_ACT_ALLOW", Args = [condition] };

    private static SyscallSpec Refuse(string call, SyscallArgSpec condition) =>
        new() { Names = [call], Action = "SCMP_ACT_ERRNO", ErrnoRet = EPERM, Args = [condition] };

    private static List<string> Architectures() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.Arm64 => ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"],
        Architecture.X64 => ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        _ => [],
    };

    private static string[] ArchitectureCalls() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => ["arch_prctl", "modify_ldt"],
        Architecture.Arm64 => ["arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush", "set_tls"],
        _ => [],
    };
}
