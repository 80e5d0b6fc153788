// Starting a worker process (see strata_isolation.h).
#define _GNU_SOURCE
#include "strata_isolation.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

int strata_spawn_worker(const char *path, char *const argv[], int channel_fd, pid_t *pid) {
    return strata_spawn_worker_with_board(path, argv, channel_fd, -1, pid);
}

int strata_spawn_worker_with_board(const char *path, char *const argv[], int channel_fd, int board_fd, pid_t *pid) {
    // The child's descriptors 3 and 4 are made by dup2 from copies at 10 or above, so that a
    // copy can never be 3 or 4 itself (dup2 onto the same number would leave close-on-exec set).
    int high = fcntl(channel_fd, F_DUPFD_CLOEXEC, 10);
    if (high < 0) return errno;
    int board_high = -1;
    if (board_fd >= 0 && (board_high = fcntl(board_fd, F_DUPFD_CLOEXEC, 10)) < 0) {
        int error = errno;
        close(high);
        return error;
    }
    int first_closed = board_high >= 0 ? STRATA_WORKER_BOARD_FD + 1 : STRATA_WORKER_CHANNEL_FD + 1;
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int status = posix_spawn_file_actions_init(&actions);
    if (status != 0) {
        close(high);
        if (board_high >= 0) close(board_high);
        return status;
    }
    status = posix_spawnattr_init(&attributes);
    if (status != 0) {
        posix_spawn_file_actions_destroy(&actions);
        close(high);
        if (board_high >= 0) close(board_high);
        return status;
    }
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    if ((status = posix_spawn_file_actions_adddup2(&actions, high, STRATA_WORKER_CHANNEL_FD)) == 0 &&
        (board_high < 0 || (status = posix_spawn_file_actions_adddup2(&actions, board_high, STRATA_WORKER_BOARD_FD)) == 0) &&
        (status = posix_spawn_file_actions_addclosefrom_np(&actions, first_closed)) == 0 &&
        (status = posix_spawnattr_setpgroup(&attributes, 0)) == 0 &&
        (status = posix_spawnattr_setsigmask(&attributes, &none)) == 0 &&
        (status = posix_spawnattr_setsigdefault(&attributes, &defaults)) == 0 &&
        (status = posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                                            POSIX_SPAWN_SETSIGDEF)) == 0) {
        status = posix_spawn(pid, path, &actions, &attributes, argv, environ);
    }
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    close(high);
    if (board_high >= 0) close(board_high);
    return status;
}

pid_t strata_thread_id(void) {
    return (pid_t)syscall(SYS_gettid);
}

void strata_spin_forever(void) {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    volatile unsigned long turns = 0;
    for (;;) turns++;
}

void strata_raise_segv(void) {
    signal(SIGSEGV, SIG_DFL);
    raise(SIGSEGV);
}
