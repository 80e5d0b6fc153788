// Differential check of Sources/CStrataLua/strata_pattern.c against Lua 5.4's own string.find,
// match, gmatch and gsub, plus kill and speed checks. Built and run by run.sh; the cases live in
// pattern_check.lua (path given as argv[1]). Exit status: 0 when every comparison agreed.
#define _POSIX_C_SOURCE 200809L

#include "strata_lua.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// MARK: - Kill stub (the real one lives in the guard code)

static atomic_int g_kill;            // set by the timer thread or after g_kill_after polls
static long long g_polls;            // polls since the last reset
static long long g_kill_after = -1;  // kill at this poll count; -1: never
static int g_timing;                 // record the largest gap between polls
static double g_last_poll, g_max_gap;

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void strata_checkkilled(lua_State *L) {
    g_polls++;
    if (g_timing) {
        double t = now_seconds();
        if (g_last_poll > 0 && t - g_last_poll > g_max_gap) g_max_gap = t - g_last_poll;
        g_last_poll = t;
    }
    if (g_kill_after >= 0 && g_polls >= g_kill_after) atomic_store(&g_kill, 1);
    if (atomic_exchange(&g_kill, 0)) luaL_error(L, "killed");
}

// MARK: - Helpers for the Lua script (table `check`)

static int l_now(lua_State *L) {
    lua_pushnumber(L, now_seconds());
    return 1;
}

static int l_polls(lua_State *L) {
    lua_pushinteger(L, g_polls);
    return 1;
}

// Resets counters and disarms every kill.
static int l_reset(lua_State *L) {
    (void)L;
    g_polls = 0;
    g_kill_after = -1;
    atomic_store(&g_kill, 0);
    g_timing = 0;
    g_last_poll = g_max_gap = 0;
    return 0;
}

static int l_kill_after_polls(lua_State *L) {
    g_kill_after = luaL_checkinteger(L, 1);
    return 0;
}

static void *timer_thread(void *arg) {
    double ms = *(double *)arg;
    free(arg);
    struct timespec ts = {(time_t)(ms / 1000), (long)((ms - 1000 * (double)(time_t)(ms / 1000)) * 1e6)};
    nanosleep(&ts, NULL);
    atomic_store(&g_kill, 1);  // what the watchdog does
    return NULL;
}

// Sets the kill flag from another thread after the given milliseconds.
static int l_kill_after_ms(lua_State *L) {
    double *ms = malloc(sizeof *ms);
    *ms = luaL_checknumber(L, 1);
    pthread_t t;
    if (pthread_create(&t, NULL, timer_thread, ms) != 0) return luaL_error(L, "pthread_create failed");
    pthread_detach(t);
    return 0;
}

static int l_timing(lua_State *L) {
    g_timing = lua_toboolean(L, 1);
    g_last_poll = g_max_gap = 0;
    return 0;
}

static int l_max_gap(lua_State *L) {
    lua_pushnumber(L, g_max_gap);
    return 1;
}

// Runs the function at 1 in a forked child for at most `seconds` (2); returns whether it finished
// and the elapsed time. Shows how long Lua's own matcher runs, without a way to stop it here.
static int l_run_child(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    unsigned seconds = (unsigned)luaL_optinteger(L, 2, 2);
    fflush(stdout);
    double t0 = now_seconds();
    pid_t pid = fork();
    if (pid < 0) return luaL_error(L, "fork failed");
    if (pid == 0) {
        alarm(seconds);  // default action of SIGALRM: terminate
        lua_pushvalue(L, 1);
        _exit(lua_pcall(L, 0, 0, 0) == LUA_OK ? 0 : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    lua_pushboolean(L, WIFEXITED(status) && WEXITSTATUS(status) == 0);
    lua_pushnumber(L, now_seconds() - t0);
    return 2;
}

static const luaL_Reg check_functions[] = {
    {"now", l_now},
    {"polls", l_polls},
    {"reset", l_reset},
    {"kill_after_polls", l_kill_after_polls},
    {"kill_after_ms", l_kill_after_ms},
    {"timing", l_timing},
    {"max_gap", l_max_gap},
    {"run_child", l_run_child},
    {NULL, NULL},
};

// MARK: - Main

// strata_openpatterns must accept relative and absolute indices and leave the stack as it was.
static int check_registration(lua_State *L) {
    int failures = 0;
    for (int variant = 0; variant < 3; variant++) {
        lua_newtable(L);  // stack: [t]
        lua_pushinteger(L, 1);
        lua_pushinteger(L, 2);  // stack: [t, 1, 2]
        int top = lua_gettop(L);
        int index = variant == 0 ? -3 : variant == 1 ? top - 2 : -1;
        if (variant == 2) lua_rotate(L, -3, -1);  // stack: [1, 2, t]
        strata_openpatterns(L, index);
        if (lua_gettop(L) != top) failures++;
        int t = variant == 2 ? top : top - 2;
        const char *names[] = {"find", "match", "gmatch", "gsub"};
        for (int i = 0; i < 4; i++) {
            if (lua_getfield(L, t, names[i]) != LUA_TFUNCTION) failures++;  // stack: [..., fn]
            lua_pop(L, 1);
        }
        lua_settop(L, top - 3);
    }
    printf("registration (relative/absolute index, stack balance): %s\n", failures ? "FAILED" : "ok");
    return failures;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);  // progress shows up even when piped
    const char *script = argc > 1 ? argv[1] : "tools/pattern-check/pattern_check.lua";
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    int failures = check_registration(L);

    lua_newtable(L);  // stack: [mine]
    strata_openpatterns(L, -1);
    lua_setglobal(L, "mine");  // stack: []
    luaL_newlib(L, check_functions);  // stack: [check]
    lua_setglobal(L, "check");  // stack: []

    if (luaL_loadfile(L, script) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
        fprintf(stderr, "pattern_check: %s\n", lua_tostring(L, -1));
        lua_close(L);
        return 2;
    }
    failures += (int)lua_tointeger(L, -1);
    lua_close(L);
    printf("%s\n", failures ? "FAILED" : "ALL OK");
    return failures ? 1 : 0;
}
