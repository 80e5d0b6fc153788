// The C side of process isolation: starting a worker process with its channel on a known file
// descriptor, and confining a worker once it has started (rlimits, no_new_privs, a seccomp
// filter). Swift calls these; nothing here calls back into Swift.
#ifndef STRATA_ISOLATION_H
#define STRATA_ISOLATION_H

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The file descriptor a worker finds its channel to the engine on.
#define STRATA_WORKER_CHANNEL_FD 3
/// The file descriptor a worker that hosts instances finds its call board on (see below).
#define STRATA_WORKER_BOARD_FD 4

/// Starts `path` with `argv` (NULL-terminated) and the current environment in a process group of
/// its own, with `channel_fd` as its descriptor 3 and 0–2 inherited; every other descriptor is
/// closed in the child. Returns 0 and sets `*pid`, or an errno value.
int strata_spawn_worker(const char *path, char *const argv[], int channel_fd, pid_t *pid);
/// Like ``strata_spawn_worker``, and `board_fd` (when not -1) becomes the child's descriptor 4.
int strata_spawn_worker_with_board(const char *path, char *const argv[], int channel_fd, int board_fd, pid_t *pid);

/// A page shared by a worker that hosts instances and the engine that supervises it: the worker
/// writes which instance it is calling into before each call and clears it after, so that when
/// the worker dies or wedges the engine knows whose call it was without a word from the worker.
/// One writer (the worker's script thread), one reader (the engine).
typedef struct strata_call_board {
    uint64_t sequence;  ///< counts calls begun and ended (odd while a call runs)
    int64_t slot;       ///< the instance slot of the call under way, or -1
    uint64_t budget_ns; ///< the deadline of the call under way
} strata_call_board;
/// Creates an anonymous shared board (memfd) for a new worker: returns its descriptor and maps
/// it at `*board`, or returns -1 (errno set).
int strata_board_create(strata_call_board **board);
/// Maps the board a worker was given on `fd` (and closes `fd`); NULL on failure.
strata_call_board *strata_board_map(int fd);
/// Unmaps a board.
void strata_board_unmap(strata_call_board *board);
/// The worker marks the start of a call for `slot` with its deadline.
void strata_board_begin(strata_call_board *board, int64_t slot, uint64_t budget_ns);
/// The worker marks the end of the call under way.
void strata_board_end(strata_call_board *board);
/// The engine reads the board: the sequence, and the slot and budget of the call under way.
uint64_t strata_board_read(const strata_call_board *board, int64_t *slot, uint64_t *budget_ns);

/// What a worker gives up once it has started (0 leaves a limit as it is).
typedef struct strata_confinement {
    uint64_t address_space_bytes;  ///< RLIMIT_AS
    uint64_t cpu_seconds;          ///< RLIMIT_CPU (SIGXCPU, then SIGKILL at +1 s)
    uint64_t open_files;           ///< RLIMIT_NOFILE
} strata_confinement;

/// Confines the calling process for good: no core dumps, the given rlimits, no_new_privs, and a
/// seccomp filter that allows only what a worker needs (reading and writing its open
/// descriptors, memory, threads, clocks, signals to itself, exit). Any other system call fails
/// with EPERM; exec, ptrace and the like kill the process. Returns 0, or an errno value with
/// `*step` naming what failed.
int strata_confine(const strata_confinement *confinement, const char **step);

/// What a confined process could still do, from ``strata_probe_confinement`` (bits).
#define STRATA_PROBE_OPEN 1         ///< open("/")
#define STRATA_PROBE_SOCKET 2       ///< socket(AF_INET) or socket(AF_UNIX)
#define STRATA_PROBE_FORK 4         ///< fork()
#define STRATA_PROBE_SIGNAL 8       ///< kill(parent, 0)
#define STRATA_PROBE_UNCONFINED 16  ///< strata_confine itself failed
#define STRATA_PROBE_EXEC 32        ///< execve survived (the process was not killed)

/// Confines a forked child as a worker is confined and tries what a worker must not do; the
/// child only makes system calls (safe after fork in a threaded process). Returns the bits of
/// what succeeded (0: the confinement holds), or -1 when the probe itself could not run.
int strata_probe_confinement(const strata_confinement *confinement);

/// The calling thread's kernel id (gettid).
pid_t strata_thread_id(void);

/// Blocks every signal it can and spins forever in C (a worker's fault injection for tests: a
/// call stuck where no hook reaches).
void strata_spin_forever(void);

/// Raises SIGSEGV in the calling process (a worker's fault injection for tests).
void strata_raise_segv(void);

#ifdef __cplusplus
}
#endif

#endif
