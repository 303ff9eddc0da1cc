/*
 * Test program for the Docker client's integration tests, built static and shipped FROM scratch
 * (no shell, no libc in the image). Its argv is a small script run left to right:
 *   out TEXT      write TEXT and a newline to stdout
 *   err TEXT      write TEXT and a newline to stderr
 *   sleep MS      sleep MS milliseconds
 *   exit CODE     exit with CODE now
 *   alloc MB      allocate and touch MB mebibytes, a megabyte at a time (to meet a memory limit)
 *   child-alloc MB  the same in a child process, then print how the child ended ("child killed
 *                 by signal 9" when the OOM killer took it); the container itself lives on
 *   ignore-term   ignore SIGTERM from here on (so a stop must escalate to SIGKILL)
 * By default SIGTERM exits 0 at once: as PID 1 of a container the program gets no default
 * signal handling, so without a handler `docker stop` would always wait for its timeout.
 * At the end of the script it exits 0.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void on_term(int sig)
{
    (void)sig;
    _exit(0);
}

/* write(2) directly, so each line reaches the daemon as one write and the two streams
 * interleave in the order the script gives, with no stdio buffering in between. */
static void write_line(int fd, const char *text)
{
    size_t len = strlen(text);
    char *buf = malloc(len + 1);
    if (buf == NULL) _exit(70);
    memcpy(buf, text, len);
    buf[len] = '\n';
    size_t done = 0;
    while (done < len + 1) {
        ssize_t n = write(fd, buf + done, len + 1 - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) _exit(71);
        done += (size_t)n;
    }
    free(buf);
}

static void alloc_mb(long mb)
{
    for (; mb > 0; mb--) {
        char *block = malloc(1 << 20);
        if (block == NULL) _exit(72);
        memset(block, 1, 1 << 20);
    }
}

/* The OOM killer picks the largest process in the cgroup: the child, not this small PID 1. */
static void child_alloc_mb(long mb)
{
    pid_t child = fork();
    if (child < 0) _exit(73);
    if (child == 0) {
        alloc_mb(mb);
        _exit(0);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    char line[64];
    if (WIFSIGNALED(status)) snprintf(line, sizeof line, "child killed by signal %d", WTERMSIG(status));
    else snprintf(line, sizeof line, "child exited %d", WEXITSTATUS(status));
    write_line(1, line);
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

int main(int argc, char **argv)
{
    signal(SIGTERM, on_term);
    for (int i = 1; i < argc; i++) {
        const char *op = argv[i];
        const char *arg = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(op, "ignore-term") == 0) {
            signal(SIGTERM, SIG_IGN);
            continue;
        }
        if (arg == NULL) {
            write_line(2, "docker-test-app: missing argument");
            return 64;
        }
        i++;
        if (strcmp(op, "out") == 0) write_line(1, arg);
        else if (strcmp(op, "err") == 0) write_line(2, arg);
        else if (strcmp(op, "sleep") == 0) sleep_ms(atol(arg));
        else if (strcmp(op, "exit") == 0) return atoi(arg);
        else if (strcmp(op, "alloc") == 0) alloc_mb(atol(arg));
        else if (strcmp(op, "child-alloc") == 0) child_alloc_mb(atol(arg));
        else {
            write_line(2, "docker-test-app: unknown operation");
            return 64;
        }
    }
    return 0;
}
