/* SPDX-License-Identifier: BSD-2-Clause */
/* A console client for tests, as a user at `xl console` would be: starts
 * xensim (the command after "--"), learns from its stderr where the
 * console is ("xensim: dN console on unix:PATH | tcp:127.0.0.1:PORT |
 * /dev/pts/N"), connects, waits for the guest's prompt line, types LINE,
 * and copies everything the console sends to stdout until xensim closes
 * it; what xensim prints (its console_io lines among it) goes to stderr.
 * Exits with xensim's exit status (or 100 + a reason of its own).
 *
 *   console_client [--reconnect] [--check-busy] [--on TEXT] [--prompt TEXT]
 *                  LINE -- XENSIM ARGS...
 *
 * --reconnect: connect, hang up and connect again before the prompt.
 * --check-busy: once connected, run the same command a second time; it
 * must refuse to take over the live unix socket (exit 1).
 * --on TEXT: the line saying where to connect has TEXT before the place
 * (default " console on "; a channel's: " channel NAME on ").
 * --prompt TEXT: the prompt line to wait for before typing, without its
 * newline (default "console: type a line").
 *
 *   console_client [--prompt TEXT] --connect unix:PATH LINE
 *
 * talks to an xensim someone else started: waits for the socket at PATH to
 * appear, connects, waits for the prompt, types LINE and copies what
 * comes to stdout until the other end closes; exit 0 once it typed.
 *
 *   console_client --make-stale PATH
 *
 * leaves a dead unix socket at PATH (bound, then closed without removal),
 * as a killed server would.
 *
 * No sleeps decide anything: each step waits for what it needs (a line on
 * stderr, the prompt on the console, EOF), each wait bounded by a generous
 * LIMIT_MS so that a broken xensim fails the test instead of hanging it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#define LIMIT_MS 60000
#define PROMPT "console: type a line"

static pid_t child = -1;

static _Noreturn void die(int code, const char *what)
{
	fprintf(stderr, "console_client: %s\n", what);
	if (child > 0)
		kill(child, SIGKILL);
	exit(code);
}

/* Start argv with its stdout and stderr on a pipe (so our stdout is the
 * console stream alone); the pipe's read end. */
static int spawn(char **argv, pid_t *pid)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		die(101, "pipe");
	*pid = fork();
	if (*pid < 0)
		die(101, "fork");
	if (*pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	return p[0];
}

/* Read stderr until the line with `on` (" console on "); copy all of it
 * to our stderr. The place (after `on`) in where. */
static void read_where(int fd, const char *on, char *where, size_t cap)
{
	char buf[4096];
	size_t len = 0;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char *line, *nl;
		ssize_t n;

		if (poll(&p, 1, LIMIT_MS) <= 0)
			die(102, "no \"console on\" line from xensim");
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			die(103, "xensim ended before saying where its console is");
		fwrite(buf + len, 1, (size_t)n, stderr);
		len += (size_t)n;
		buf[len] = '\0';
		line = strstr(buf, on);
		if (line && (nl = strchr(line, '\n'))) {
			*nl = '\0';
			snprintf(where, cap, "%s", line + strlen(on));
			return;
		}
		if (len == sizeof(buf) - 1)
			die(104, "too much on stderr before the console line");
	}
}

static int connect_to(const char *where)
{
	int fd = -1;

	if (strncmp(where, "unix:", 5) == 0) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		if (strlen(where + 5) >= sizeof(sa.sun_path))
			die(105, "socket path too long");
		memcpy(sa.sun_path, where + 5, strlen(where + 5) + 1);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			die(105, "cannot connect to the unix socket");
	} else if (strncmp(where, "tcp:127.0.0.1:", 14) == 0) {
		struct sockaddr_in sa = { .sin_family = AF_INET };

		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sa.sin_port = htons((uint16_t)atoi(where + 14));
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			die(105, "cannot connect to the TCP port");
	} else if (strncmp(where, "/dev/", 5) == 0) {
		struct termios t;

		fd = open(where, O_RDWR | O_NOCTTY);
		if (fd < 0)
			die(105, "cannot open the pty");
		if (tcgetattr(fd, &t) == 0) {
			cfmakeraw(&t);
			tcsetattr(fd, TCSANOW, &t);
		}
	} else {
		die(105, "console place not understood");
	}
	return fd;
}

/* The second xensim with the same arguments must refuse the live socket. */
static void check_busy(char **argv)
{
	pid_t pid;
	int fd = spawn(argv, &pid), status;
	char buf[512];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stderr);
	close(fd);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 1)
		die(106, "a second xensim did not refuse the live socket");
	fprintf(stderr, "console_client: second xensim refused the socket\n");
}

/* --connect: wait (bounded) for the socket, as the xensim that makes it
 * may still be starting: the file appears at bind, and a connect before
 * the listen that follows is refused, so a refusal is waited out too. */
static int connect_when_there(const char *where)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int waited = 0;

	if (strncmp(where, "unix:", 5) != 0)
		die(105, "--connect wants unix:PATH");
	if (strlen(where + 5) >= sizeof(sa.sun_path))
		die(105, "socket path too long");
	memcpy(sa.sun_path, where + 5, strlen(where + 5) + 1);
	for (;;) {
		if (stat(where + 5, &st) == 0 && S_ISSOCK(st.st_mode)) {
			int fd = socket(AF_UNIX, SOCK_STREAM, 0);

			if (fd < 0)
				die(105, "cannot make a unix socket");
			if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
				return fd;
			close(fd);
			if (errno != ECONNREFUSED)
				die(105, "cannot connect to the unix socket");
		}
		if (waited >= LIMIT_MS)
			die(105, "no socket accepted a connection");
		poll(NULL, 0, 50);
		waited += 50;
	}
}

static int make_stale(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (strlen(path) >= sizeof(sa.sun_path))
		die(100, "socket path too long");
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(fd, 1))
		die(100, "cannot make the stale socket");
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	bool busy = false, reconnect = false, prompted = false;
	char where[256], buf[4096], seen[2 * sizeof(buf)], prompt[256];
	size_t seen_len = 0;
	int i = 1, err_fd, fd, status;
	const char *line, *on = " console on ", *connect_place = NULL;

	if (argc == 3 && strcmp(argv[1], "--make-stale") == 0)
		return make_stale(argv[2]);
	if (i < argc && strcmp(argv[i], "--reconnect") == 0) {
		reconnect = true;
		i++;
	}
	if (i < argc && strcmp(argv[i], "--check-busy") == 0) {
		busy = true;
		i++;
	}
	snprintf(prompt, sizeof(prompt), "%s\n", PROMPT);
	if (i + 1 < argc && strcmp(argv[i], "--on") == 0) {
		on = argv[i + 1];
		i += 2;
	}
	if (i + 1 < argc && strcmp(argv[i], "--prompt") == 0) {
		snprintf(prompt, sizeof(prompt), "%s\n", argv[i + 1]);
		i += 2;
	}
	if (i + 1 < argc && strcmp(argv[i], "--connect") == 0) {
		connect_place = argv[i + 1];
		i += 2;
	}
	if (connect_place && argc - i != 1) {
		fprintf(stderr, "usage: console_client [--prompt TEXT] --connect "
			"unix:PATH LINE\n");
		return 100;
	}
	if (!connect_place && (argc - i < 3 || strcmp(argv[i + 1], "--") != 0)) {
		fprintf(stderr, "usage: console_client [--reconnect] [--check-busy] "
			"[--on TEXT] [--prompt TEXT] LINE -- XENSIM ARGS...\n");
		return 100;
	}
	line = argv[i];
	signal(SIGPIPE, SIG_IGN);
	if (connect_place) {
		err_fd = -1;
		fd = connect_when_there(connect_place);
	} else {
		err_fd = spawn(argv + i + 2, &child);
		read_where(err_fd, on, where, sizeof(where));
		fd = connect_to(where);
	}
	if (reconnect) {
		close(fd);
		fd = connect_to(where);
	}
	if (busy)
		check_busy(argv + i + 2);
	for (;;) {
		struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
				       { .fd = err_fd, .events = POLLIN } };
		ssize_t n;

		if (poll(p, err_fd >= 0 ? 2 : 1, LIMIT_MS) <= 0)
			die(107, "the console went quiet without closing");
		if (err_fd >= 0 && p[1].revents) {
			n = read(err_fd, buf, sizeof(buf));
			if (n <= 0) {
				close(err_fd);
				err_fd = -1;
			} else {
				fwrite(buf, 1, (size_t)n, stderr);
			}
		}
		if (!p[0].revents)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;     /* closed (a pty says EIO once the master goes) */
		fwrite(buf, 1, (size_t)n, stdout);
		fflush(stdout);
		if (prompted)
			continue;
		/* Keep the tail of what came (buf is half of seen), to spot
		 * the prompt line even when it arrives in pieces. */
		if (seen_len + (size_t)n > sizeof(seen)) {
			memmove(seen, seen + seen_len - sizeof(buf), sizeof(buf));
			seen_len = sizeof(buf);
		}
		memcpy(seen + seen_len, buf, (size_t)n);
		seen_len += (size_t)n;
		if (memmem(seen, seen_len, prompt, strlen(prompt))) {
			prompted = true;
			if (write(fd, line, strlen(line)) < 0 ||
			    write(fd, "\n", 1) < 0)
				die(108, "cannot type the line");
		}
	}
	close(fd);
	if (connect_place) {
		if (!prompted)
			fprintf(stderr, "console_client: no prompt seen\n");
		return prompted ? 0 : 111;
	}
	if (err_fd >= 0) {
		ssize_t n;

		while ((n = read(err_fd, buf, sizeof(buf))) > 0)
			fwrite(buf, 1, (size_t)n, stderr);
	}
	if (waitpid(child, &status, 0) != child)
		die(109, "lost xensim");
	if (!prompted)
		fprintf(stderr, "console_client: no prompt seen\n");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 110;
}
