#ifndef CGD_H
#define CGD_H
// libgd, loaded on first use with dlopen rather than linked.
//
// Linking libgd pulls in about 50 shared libraries (HEIF, AVIF, TIFF, WebP codecs and their own
// dependencies) whose loading and constructors cost every process about 16 ms at start-up, charts or
// not. Commands that draw nothing (ingest, info) should not pay that, so the functions the chart module
// uses are reached through pointers resolved from libgd.so.3 on first use.
#include <gd.h>

/// Loads libgd once. Returns NULL when it is usable, or a message saying why not.
const char *cgd_load(void);

// The libgd functions used by SFT Atlas, under a cgd_ prefix. Call cgd_load first: these abort with
// cgd_load's message if libgd could not be loaded.
gdImagePtr cgd_ImageCreateTrueColor(int sx, int sy);
void cgd_ImageDestroy(gdImagePtr im);
void cgd_ImageAlphaBlending(gdImagePtr im, int blending);
void cgd_ImageSaveAlpha(gdImagePtr im, int save);
void cgd_ImageSetThickness(gdImagePtr im, int thickness);
void cgd_ImageLine(gdImagePtr im, int x1, int y1, int x2, int y2, int color);
void cgd_ImageRectangle(gdImagePtr im, int x1, int y1, int x2, int y2, int color);
void cgd_ImageFilledRectangle(gdImagePtr im, int x1, int y1, int x2, int y2, int color);
void cgd_ImageFilledEllipse(gdImagePtr im, int cx, int cy, int w, int h, int color);
char *cgd_ImageStringFT(gdImagePtr im, int *brect, int fg, const char *fontlist, double ptsize, double angle,
                        int x, int y, const char *string);
void *cgd_ImagePngPtrEx(gdImagePtr im, int *size, int level);
gdImagePtr cgd_ImageCreateFromPngPtr(int size, void *data);
int cgd_ImagePaletteToTrueColor(gdImagePtr src);
void cgd_Free(void *m);

// Glyphs loaded one at a time with FreeType (also loaded on first use), so that a caller can keep each
// glyph and set strings from them as libgd does. libgd runs FreeType's hinting for every glyph of every
// string, twice (once at 300 dpi for positions, once at 96 dpi for pixels).

/// A font file at one size and resolution. Kept for the process's life.
typedef struct cgd_font cgd_font;

/// One glyph. `advance` and `bearing` (the left edge's offset from the pen) are 26.6 fixed point at the
/// font's resolution. When rendered, its 8-bit coverage is `width` × `rows`, with its top-left corner
/// `left` pixels right of the pen and `top` pixels above the baseline.
typedef struct {
    unsigned index;
    long advance, bearing;
    int width, rows, left, top;
} cgd_glyph;

/// Opens `path` at `ptsize` points and `dpi` dots per inch. NULL if the file or FreeType cannot be loaded.
cgd_font *cgd_FontOpen(const char *path, double ptsize, unsigned dpi);
/// Fills `glyph` for the character `codepoint`, hinted as libgd hints it. With `render`, returns the
/// coverage (malloc'd, for the caller to free), or NULL when the glyph has no pixels (a space).
unsigned char *cgd_FontGlyph(cgd_font *font, unsigned codepoint, int render, cgd_glyph *glyph);
/// The kerning between two glyph indices, in 26.6 fixed point (grid-fitted); 0 where libgd applies none.
long cgd_FontKerning(cgd_font *font, unsigned left, unsigned right);

#endif
