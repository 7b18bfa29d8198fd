#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <langinfo.h>
#include <string.h>
#include <stdlib.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif
#if __has_include(<ncursesw/term.h>)
#include <ncursesw/term.h>
#else
#include <term.h>
#endif
static inline WINDOW *nc_stdscr(void) { return stdscr; }
static inline int nc_lines(void) { return LINES; }
static inline int nc_cols(void) { return COLS; }
static inline int nc_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline attr_t nc_a_bold(void) { return A_BOLD; }
static inline attr_t nc_a_reverse(void) { return A_REVERSE; }
static inline attr_t nc_a_dim(void) { return A_DIM; }
static inline attr_t nc_a_underline(void) { return A_UNDERLINE; }
static inline attr_t nc_a_normal(void) { return A_NORMAL; }
static inline int nc_colors(void) { return COLORS; }
/* Added for ConsoleTUI. */
static inline int nc_set_attr(WINDOW *w, attr_t attrs, int pair) { return wattr_set(w, attrs, (short)pair, NULL); }
static inline int nc_is_utf8(void) { const char *c = nl_langinfo(CODESET); return c && (strcmp(c, "UTF-8") == 0 || strcmp(c, "utf8") == 0); }
static inline int nc_can_change_pairs(void) { return COLOR_PAIRS; }
static inline void nc_atexit_endwin_handler(void) { if (!isendwin()) endwin(); }
static inline void nc_install_atexit_endwin(void) { static int done = 0; if (!done) { done = 1; atexit(nc_atexit_endwin_handler); } }
static inline SCREEN *nc_newterm_stdio(void) { return newterm(NULL, stdout, stdin); }
/* Mouse: the button masks (macros in curses.h), and turning reports on with no click delay. */
static inline mmask_t nc_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t nc_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t nc_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t nc_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline int nc_enable_mouse(void) {
    mouseinterval(0);
    return mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL) != 0;
}
/* The last mouse report: 1 and its button state and cell, or 0. */
static inline int nc_get_mouse(unsigned long *state, int *x, int *y) {
    MEVENT e;
    if (getmouse(&e) != OK) return 0;
    *state = (unsigned long)e.bstate; *x = e.x; *y = e.y;
    return 1;
}
/* Whether the terminal can draw a full-screen console: cursor addressing and clearing, not a
   hard-copy or generic (dumb) terminal. Call after newterm. */
static inline int nc_terminal_can_draw(void) {
    const char *cup = tigetstr("cup"), *clear = tigetstr("clear");
    int generic = tigetflag("gn") > 0, hardcopy = tigetflag("hc") > 0;
    return cup && cup != (char *)-1 && clear && clear != (char *)-1 && !generic && !hardcopy;
}
/* Whether TERM names a terminal in the terminfo database (1) or not (0). Writes nothing. */
static inline int nc_terminfo_known(void) {
    int err = 0;
    if (setupterm(NULL, STDOUT_FILENO, &err) != OK) return 0;
    del_curterm(cur_term);
    return 1;
}
/* A screen writing to /dev/null, for tests without a terminal (pitfall 14). */
static inline SCREEN *nc_newterm_null(const char *term) {
    FILE *out = fopen("/dev/null", "w"); FILE *in = fopen("/dev/null", "r");
    if (!out || !in) return NULL;
    return newterm(term, out, in);
}
/* Crash restore: if the process dies of a fault or abort while curses holds the terminal, put
   the terminal back (leave the alternate screen, show the cursor, reset modes, restore the
   termios saved before curses started) before the default or runtime handler prints anything.
   Only async-signal-safe calls (write, tcsetattr, sigaction, raise). */
/* State lives in function-local statics: Swift's importer does not emit a header's globals. */
static inline struct termios *nc_crash_termios(void) { static struct termios t; return &t; }
static inline int *nc_crash_have_termios(void) { static int have = 0; return &have; }
static inline struct sigaction *nc_crash_old(void) { static struct sigaction old[32]; return old; }
static void nc_crash_handler(int sig, siginfo_t *info, void *ctx) {
    (void)info; (void)ctx;
    static const char reset[] = "\033[?2004l\033[?1006l\033[?1002l\033[?1000l\033[0m\033[?25h\033[?1049l\r\n";
    ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1); (void)ignored;
    if (*nc_crash_have_termios()) tcsetattr(STDIN_FILENO, TCSANOW, nc_crash_termios());
    if (sig > 0 && sig < 32) sigaction(sig, &nc_crash_old()[sig], NULL);
    raise(sig); /* delivered to the previous handler once this one returns */
}
static inline void nc_install_crash_restore(void) {
    static const int nc_crash_signals[] = { SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE };
    *nc_crash_have_termios() = tcgetattr(STDIN_FILENO, nc_crash_termios()) == 0;
    for (unsigned i = 0; i < 6; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = nc_crash_handler;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        sigaction(nc_crash_signals[i], &sa, &nc_crash_old()[nc_crash_signals[i]]);
    }
}
static inline void nc_remove_crash_restore(void) {
    static const int nc_crash_signals[] = { SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE };
    for (unsigned i = 0; i < 6; i++)
        sigaction(nc_crash_signals[i], &nc_crash_old()[nc_crash_signals[i]], NULL);
}
#endif
