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
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
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
/* A screen writing to /dev/null, for tests without a terminal (pitfall 14). */
static inline SCREEN *nc_newterm_null(const char *term) {
    FILE *out = fopen("/dev/null", "w"); FILE *in = fopen("/dev/null", "r");
    if (!out || !in) return NULL;
    return newterm(term, out, in);
}
#endif
