/* SPDX-License-Identifier: BSD-2-Clause */
/* udp-echo ADDR: dom0's UDP echo client for the xl interop run (busybox's
 * nc has no UDP). Sends one datagram of each size in `sizes` to ADDR's
 * echo port (7), each filled with its own pattern, waits up to 2 s for
 * each answer and checks it byte for byte; prints one line per datagram
 * and "udp-echo ADDR: N/M datagrams of 0..1472 bytes came back intact";
 * exits 0 when all did. A static arm64 Linux program with no C library
 * (Debian has no static arm64 libc for the cross compiler): its own
 * system calls, entry point and printing. What comes back is untrusted:
 * only its length and bytes are compared. */
#include <stddef.h>
#include <stdint.h>

#define SYS_WRITE      64
#define SYS_EXIT_GROUP 94
#define SYS_SOCKET     198
#define SYS_SENDTO     206
#define SYS_RECVFROM   207
#define SYS_SETSOCKOPT 208

#define AF_INET     2
#define SOCK_DGRAM  2
#define SOL_SOCKET  1
#define SO_RCVTIMEO 20
#define ECHO_PORT   7
#define MAX_PAYLOAD 1472           /* one 1500-byte frame: IP and UDP off */

struct sockaddr_in {
	uint16_t family;
	uint16_t port;                 /* big-endian */
	uint32_t addr;                 /* big-endian */
	uint8_t zero[8];
};

struct timeval {
	long sec, usec;
};

/* The sizes the guest's own echo test sends too: empty, odd, around a
 * cache line, half a frame, a whole one. */
static const unsigned sizes[] = { 0, 1, 63, 700, MAX_PAYLOAD };

static uint8_t sent[MAX_PAYLOAD], got[MAX_PAYLOAD + 1];

long udp_echo_main(long *sp);

__asm__(".globl _start\n"
	"_start:\n"
	"	mov x0, sp\n"
	"	bl udp_echo_main\n"
	"	mov x8, #94\n"
	"	svc #0\n");

static long syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}

/* The compiler may call these for copies and fills. */
void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

static size_t length(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void put(const char *s)
{
	syscall6(SYS_WRITE, 1, (long)s, (long)length(s), 0, 0, 0);
}

static void put_num(unsigned long v)
{
	char buf[24];
	int i = sizeof(buf) - 1;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i > 0);
	put(buf + i);
}

/* "a.b.c.d" into a big-endian address; 0 for anything else. */
static uint32_t parse_ipv4(const char *s)
{
	uint32_t addr = 0;

	for (int part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;

		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || v > 255 || *s != (part == 3 ? '\0' : '.'))
			return 0;
		s++;
		addr |= (uint32_t)v << (8 * part);   /* network order in memory */
	}
	return addr;
}

/* One datagram of len bytes, pattern seeded by round: whether the same
 * bytes came back. */
static int echo_one(long fd, const struct sockaddr_in *to, unsigned len,
		    unsigned round)
{
	long n;

	for (unsigned i = 0; i < len; i++)
		sent[i] = (uint8_t)(i * 7 + round * 31 + 1);
	if (syscall6(SYS_SENDTO, fd, (long)sent, len, 0, (long)to,
		     sizeof(*to)) != (long)len) {
		put("udp-echo: sendto failed\n");
		return 0;
	}
	/* Anything else on the socket would be the guest's answer too:
	 * compare what arrives, and one byte more than sent shows a long one. */
	n = syscall6(SYS_RECVFROM, fd, (long)got, sizeof(got), 0, 0, 0);
	put("udp-echo: ");
	put_num(len);
	if (n < 0) {
		put(" bytes: no answer within 2 s\n");
		return 0;
	}
	if ((unsigned long)n != len) {
		put(" bytes: ");
		put_num((unsigned long)n);
		put(" came back\n");
		return 0;
	}
	for (unsigned i = 0; i < len; i++)
		if (got[i] != sent[i]) {
			put(" bytes: byte ");
			put_num(i);
			put(" differs\n");
			return 0;
		}
	put(" bytes: intact\n");
	return 1;
}

long udp_echo_main(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	struct sockaddr_in to = { .family = AF_INET,
				  .port = (uint16_t)(ECHO_PORT << 8) };
	struct timeval wait = { .sec = 2 };
	unsigned count = sizeof(sizes) / sizeof(sizes[0]), intact = 0;
	long fd;

	if (argc != 2 || !(to.addr = parse_ipv4(argv[1]))) {
		put("usage: udp-echo A.B.C.D\n");
		return 2;
	}
	fd = syscall6(SYS_SOCKET, AF_INET, SOCK_DGRAM, 0, 0, 0, 0);
	if (fd < 0 || syscall6(SYS_SETSOCKOPT, fd, SOL_SOCKET, SO_RCVTIMEO,
			       (long)&wait, sizeof(wait), 0) != 0) {
		put("udp-echo: cannot make a UDP socket\n");
		return 1;
	}
	for (unsigned i = 0; i < count; i++)
		intact += (unsigned)echo_one(fd, &to, sizes[i], i);
	put("udp-echo ");
	put(argv[1]);
	put(": ");
	put_num(intact);
	put("/");
	put_num(count);
	put(" datagrams of 0..");
	put_num(MAX_PAYLOAD);
	put(" bytes came back intact\n");
	return intact == count ? 0 : 1;
}
