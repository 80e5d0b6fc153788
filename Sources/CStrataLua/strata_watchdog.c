// The deadline watchdog (see strata_watchdog.h). A call is killed once it has run past its
// deadline in wall-clock time and has also used that much CPU time.
#include "strata_watchdog.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#define STRATA_KILL_SIGNAL SIGUSR2

/// One per thread that runs Lua calls; never freed (threads that run strategies live long).
typedef struct strata_slot {
    _Atomic uint64_t word;       ///< 0 when idle; (sequence << 1) | 1 while a call runs
    strata_guard *guard;         ///< the state being called; written before `word`
    uint64_t budget_ns;          ///< written before `word`
    uint64_t sequence;           ///< owner thread only
    pthread_t thread;
    _Atomic uint64_t kill_word;  ///< the call the watchdog wants stopped
    uint64_t killed_at_ns;       ///< watchdog only: when the first kill signal went out
    int stuck_reported;          ///< watchdog only: the stuck handler ran for this call
    uint64_t seen_word;          ///< watchdog only: the call seen at the last scan
    uint64_t seen_at_ns;         ///< watchdog only: when it was first seen
    uint64_t seen_cpu_ns;        ///< watchdog only: the thread's CPU time then
    clockid_t cpu_clock;         ///< the thread's CPU-time clock
    int has_cpu_clock;
    struct strata_slot *next;
} strata_slot;

// initial-exec: the call path reads it on every call; the general model costs a libc call.
static _Thread_local strata_slot *strata_thread_slot __attribute__((tls_model("initial-exec")));
static _Atomic(strata_slot *) strata_slots;
static _Atomic(strata_stuck_handler) strata_stuck;

void strata_setstuckhandler(strata_stuck_handler handler) {
    atomic_store(&strata_stuck, handler);
}

// A killed call that still runs long after the kill: report it once.
static void strata_checkstuck(strata_slot *s, uint64_t now) {
    uint64_t grace = s->budget_ns * 10 > 1000000000ull ? s->budget_ns * 10 : 1000000000ull;
    if (s->stuck_reported || now - s->killed_at_ns < grace) return;
    s->stuck_reported = 1;
    strata_stuck_handler handler = atomic_load(&strata_stuck);
    if (handler) handler(s->guard->phase);
}
static pthread_once_t strata_watchdog_once = PTHREAD_ONCE_INIT;
// 0, or the error number of the step that kept the watchdog from starting.
static _Atomic int strata_watchdog_error;

static uint64_t strata_clock_ns(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) return 0;
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t strata_now_ns(void) {
    return strata_clock_ns(CLOCK_MONOTONIC);
}

// Whether the call has had its budget of CPU: a call that a loaded machine kept waiting is not
// killed for time it did not get (the wall-clock deadline is a floor, never the only test).
static int strata_used_budget(strata_slot *s) {
    if (!s->has_cpu_clock) return 1;
    uint64_t cpu = strata_clock_ns(s->cpu_clock);
    return cpu == 0 || cpu - s->seen_cpu_ns >= s->budget_ns / 10 * 9;
}

// Runs on the thread that runs the overdue call, between any two of its instructions.
static void strata_onkillsignal(int signo) {
    (void)signo;
    int saved_errno = errno;
    strata_slot *slot = strata_thread_slot;
    if (slot) {
        uint64_t word = atomic_load(&slot->word);
        // The call may have ended since the watchdog looked: only the very call it saw is killed.
        if ((word & 1) && word == atomic_load(&slot->kill_word)) {
            strata_armkill(slot->guard, STRATA_KILL_CPU);
        }
    }
    errno = saved_errno;
}

static void *strata_watchdog_main(void *unused) {
    (void)unused;
    struct timespec period = {0, (long)STRATA_WATCHDOG_PERIOD_NS};
    for (;;) {
        nanosleep(&period, NULL);
        uint64_t now = strata_now_ns();
        for (strata_slot *s = atomic_load(&strata_slots); s; s = s->next) {
            uint64_t word = atomic_load(&s->word);
            if (!(word & 1)) continue;
            if (word != s->seen_word) {
                // First sight of this call: it started at most one period ago.
                s->seen_word = word;
                s->seen_at_ns = now;
                s->killed_at_ns = 0;
                s->stuck_reported = 0;
                if (s->has_cpu_clock) s->seen_cpu_ns = strata_clock_ns(s->cpu_clock);
                continue;
            }
            if (now - s->seen_at_ns < s->budget_ns || !strata_used_budget(s)) continue;
            if (s->killed_at_ns == 0) s->killed_at_ns = now;
            strata_checkstuck(s, now);
            atomic_store(&s->kill_word, word);
            pthread_kill(s->thread, STRATA_KILL_SIGNAL);
            // Repeat every 10 periods while the call still runs (it may be in C code that polls late).
            s->seen_at_ns = now - s->budget_ns + 10 * STRATA_WATCHDOG_PERIOD_NS;
        }
    }
    return NULL;
}

static void strata_watchdog_start(void) {
    struct sigaction action = {0};
    action.sa_handler = strata_onkillsignal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (sigaction(STRATA_KILL_SIGNAL, &action, NULL) != 0) {
        atomic_store(&strata_watchdog_error, errno ? errno : EINVAL);
        return;
    }
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    int failed = pthread_create(&thread, &attr, strata_watchdog_main, NULL);
    pthread_attr_destroy(&attr);
    if (failed) atomic_store(&strata_watchdog_error, failed);
}

int strata_watchdog_start_error(void) {
    return atomic_load(&strata_watchdog_error);
}

static strata_slot *strata_slot_forthisthread(void) {
    strata_slot *slot = strata_thread_slot;
    if (slot) return slot;
    pthread_once(&strata_watchdog_once, strata_watchdog_start);
    slot = calloc(1, sizeof *slot);
    if (!slot) return NULL;
    slot->thread = pthread_self();
    slot->has_cpu_clock = pthread_getcpuclockid(slot->thread, &slot->cpu_clock) == 0;
    // Thread pools (Dispatch among them) start their threads with signals blocked.
    sigset_t kill_signal;
    sigemptyset(&kill_signal);
    sigaddset(&kill_signal, STRATA_KILL_SIGNAL);
    pthread_sigmask(SIG_UNBLOCK, &kill_signal, NULL);
    strata_slot *head = atomic_load(&strata_slots);
    do {
        slot->next = head;
    } while (!atomic_compare_exchange_weak(&strata_slots, &head, slot));
    strata_thread_slot = slot;
    return slot;
}

strata_watch_token strata_watch_begin(strata_guard *g, uint64_t budget_ns) {
    strata_watch_token token = {NULL};
    if (budget_ns == 0) return token;
    strata_slot *slot = strata_slot_forthisthread();
    // A call nested in another on this thread runs under the outer call's deadline.
    if (!slot || (atomic_load_explicit(&slot->word, memory_order_relaxed) & 1)) return token;
    slot->guard = g;
    slot->budget_ns = budget_ns;
    slot->sequence++;
    atomic_store_explicit(&slot->word, (slot->sequence << 1) | 1, memory_order_release);
    token.slot = slot;
    return token;
}

void strata_watch_end(strata_watch_token token) {
    if (token.slot) atomic_store_explicit(&token.slot->word, 0, memory_order_release);
}
