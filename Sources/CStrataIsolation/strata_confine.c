// Confining a worker process (see strata_isolation.h): rlimits, no_new_privs, and a seccomp
// filter kept as data at the top of the file, an allow-list of the system calls a worker makes.
#define _GNU_SOURCE
#include "strata_isolation.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
#define STRATA_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define STRATA_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "strata_confine: no seccomp filter for this architecture"
#endif

/// What a worker may call with any arguments: I/O on descriptors it already has (send/recv on
/// its channel included: it can create no socket, so none can reach elsewhere), memory,
/// threads' plumbing, clocks and sleeps, signals' plumbing, its own resource use, exit.
static const int strata_allowed[] = {
    __NR_read, __NR_write, __NR_readv, __NR_writev, __NR_close, __NR_lseek, __NR_fstat,
#ifdef __NR_newfstatat
    __NR_newfstatat,
#endif
#ifdef __NR_poll
    __NR_poll,
#endif
    __NR_ppoll, __NR_fcntl, __NR_shutdown, __NR_sendto, __NR_recvfrom,
    __NR_mmap, __NR_munmap, __NR_mprotect, __NR_mremap, __NR_madvise, __NR_brk,
    __NR_futex, __NR_set_robust_list, __NR_set_tid_address,
#ifdef __NR_rseq
    __NR_rseq,
#endif
    __NR_clock_gettime, __NR_clock_getres, __NR_clock_nanosleep, __NR_nanosleep, __NR_gettimeofday,
    __NR_getpid, __NR_gettid, __NR_getrandom, __NR_getrusage, __NR_sched_yield, __NR_sched_getaffinity,
    __NR_rt_sigaction, __NR_rt_sigprocmask, __NR_rt_sigreturn, __NR_sigaltstack, __NR_restart_syscall,
    __NR_exit, __NR_exit_group,
};

/// What kills the worker at once: no legitimate worker code path makes these calls.
static const int strata_fatal[] = {
    __NR_execve, __NR_execveat, __NR_ptrace, __NR_process_vm_readv, __NR_process_vm_writev,
};

#define STRATA_ALLOW SECCOMP_RET_ALLOW
#define STRATA_DENY (SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))
#define STRATA_KILL SECCOMP_RET_KILL_PROCESS
#define STRATA_COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define STRATA_ARG_LOW(i) (offsetof(struct seccomp_data, args) + (i) * sizeof(uint64_t))
#define STRATA_ARG_HIGH(i) (STRATA_ARG_LOW(i) + sizeof(uint32_t))

// The filter: architecture check, the fatal list, the allow-list, then the calls allowed with
// some arguments only (threads but not processes, signals to itself, reading rlimits).
static int strata_install_filter(void) {
    struct sock_filter program[256];
    unsigned n = 0;
    _Static_assert(2 * (STRATA_COUNT(strata_allowed) + STRATA_COUNT(strata_fatal)) + 40 <= 256, "filter too long");
#define EMIT(stmt) program[n++] = (struct sock_filter)stmt
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, STRATA_AUDIT_ARCH, 1, 0));
    EMIT(BPF_STMT(BPF_RET | BPF_K, STRATA_KILL));
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
#if defined(__x86_64__)
    // x32 system calls share the architecture value; refuse the whole range.
    EMIT(BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1));
    EMIT(BPF_STMT(BPF_RET | BPF_K, STRATA_KILL));
#endif
    for (unsigned i = 0; i < STRATA_COUNT(strata_fatal); i++) {
        EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)strata_fatal[i], 0, 1));
        EMIT(BPF_STMT(BPF_RET | BPF_K, STRATA_KILL));
    }
    for (unsigned i = 0; i < STRATA_COUNT(strata_allowed); i++) {
        EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)strata_allowed[i], 0, 1));
        EMIT(BPF_STMT(BPF_RET | BPF_K, STRATA_ALLOW));
    }
    // clone: a thread (CLONE_THREAD), never a process. clone3 hides its flags behind a pointer,
    // so it answers ENOSYS and the C library falls back to clone.
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 4));
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, STRATA_ARG_LOW(0)));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_THREAD, 0, 1));
    EMIT(BPF_STMT(BPF_RET | BPF_K, STRATA_ALLOW));
    EMIT(BPF_STMT(BPF_RET | BPF_K, STRATA_DENY));
#ifdef __NR_clone3
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1));
    EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)));
#endif
    // tgkill/tkill: signals to its own threads only (the deadline watchdog, abort).
    uint32_t self = (uint32_t)getpid();
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_tgkill, 0, 4));
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, STRATA_ARG_LOW(0)));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, self, 0, 1));
    EMIT(BPF_STMT(BPF_RET | BPF_K, STRATA_ALLOW));
    EMIT(BPF_STMT(BPF_RET | BPF_K, STRATA_DENY));
    // prlimit64: reading a limit (new_limit NULL), never setting one.
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_prlimit64, 0, 6));
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, STRATA_ARG_LOW(2)));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3));
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, STRATA_ARG_HIGH(2)));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1));
    EMIT(BPF_STMT(BPF_RET | BPF_K, STRATA_ALLOW));
    EMIT(BPF_STMT(BPF_RET | BPF_K, STRATA_DENY));
    EMIT(BPF_STMT(BPF_RET | BPF_K, STRATA_DENY));
#undef EMIT
    struct sock_fprog filter = {.len = (unsigned short)n, .filter = program};
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter) != 0) return errno;
    return 0;
}

static int strata_setlimit(int resource, uint64_t value) {
    struct rlimit limit = {.rlim_cur = (rlim_t)value, .rlim_max = (rlim_t)value};
    if (resource == RLIMIT_CPU) limit.rlim_max = (rlim_t)value + 1;  // SIGXCPU first, SIGKILL a second later
    return setrlimit(resource, &limit) == 0 ? 0 : errno;
}

int strata_confine(const strata_confinement *c, const char **step) {
    int status;
    *step = "core dumps";
    if ((status = strata_setlimit(RLIMIT_CORE, 0)) != 0) return status;
    *step = "address space limit";
    if (c->address_space_bytes && (status = strata_setlimit(RLIMIT_AS, c->address_space_bytes)) != 0) return status;
    *step = "CPU time limit";
    if (c->cpu_seconds && (status = strata_setlimit(RLIMIT_CPU, c->cpu_seconds)) != 0) return status;
    *step = "open files limit";
    if (c->open_files && (status = strata_setlimit(RLIMIT_NOFILE, c->open_files)) != 0) return status;
    *step = "no_new_privs";
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
    *step = "not dumpable";
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return errno;
    *step = "seccomp filter";
    return strata_install_filter();
}

// The probe's child: confine, try each forbidden thing, report what worked in the exit status.
static void strata_probe_child(const strata_confinement *c, int try_exec) {
    const char *step;
    if (strata_confine(c, &step) != 0) _exit(STRATA_PROBE_UNCONFINED);
    if (try_exec) {
        char *const argv[] = {"true", NULL};
        char *const envp[] = {NULL};
        syscall(__NR_execve, "/bin/true", argv, envp);
        _exit(STRATA_PROBE_EXEC);  // only reached when execve failed instead of killing
    }
    int bits = 0;
    long fd = syscall(__NR_openat, AT_FDCWD, "/", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) bits |= STRATA_PROBE_OPEN;
    if (syscall(__NR_socket, AF_INET, SOCK_STREAM, 0) >= 0 || syscall(__NR_socket, AF_UNIX, SOCK_STREAM, 0) >= 0) {
        bits |= STRATA_PROBE_SOCKET;
    }
#ifdef __NR_fork
    long child = syscall(__NR_fork);
#else
    long child = syscall(__NR_clone, SIGCHLD, 0, 0, 0, 0);
#endif
    if (child == 0) _exit(0);
    if (child > 0) bits |= STRATA_PROBE_FORK;
    if (syscall(__NR_kill, getppid(), 0) == 0) bits |= STRATA_PROBE_SIGNAL;
    _exit(bits);
}

int strata_probe_confinement(const strata_confinement *c) {
    int result = 0;
    for (int try_exec = 0; try_exec <= 1; try_exec++) {
        pid_t pid = fork();
        if (pid < 0) return -1;
        if (pid == 0) strata_probe_child(c, try_exec);
        int status = 0;
        while (waitpid(pid, &status, 0) < 0) {
            if (errno != EINTR) return -1;
        }
        if (WIFEXITED(status)) {
            result |= WEXITSTATUS(status);
        } else if (!(try_exec && WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)) {
            return -1;
        }
    }
    return result;
}
