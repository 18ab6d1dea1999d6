#include "CGD.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// Each entry: return type, name, parameter list, argument list.
#define CGD_FUNCTIONS(X) \
    X(gdImagePtr, ImageCreateTrueColor, (int sx, int sy), (sx, sy)) \
    X(void, ImageDestroy, (gdImagePtr im), (im)) \
    X(void, ImageAlphaBlending, (gdImagePtr im, int blending), (im, blending)) \
    X(void, ImageSaveAlpha, (gdImagePtr im, int save), (im, save)) \
    X(void, ImageSetThickness, (gdImagePtr im, int thickness), (im, thickness)) \
    X(void, ImageLine, (gdImagePtr im, int x1, int y1, int x2, int y2, int color), (im, x1, y1, x2, y2, color)) \
    X(void, ImageRectangle, (gdImagePtr im, int x1, int y1, int x2, int y2, int color), (im, x1, y1, x2, y2, color)) \
    X(void, ImageFilledRectangle, (gdImagePtr im, int x1, int y1, int x2, int y2, int color), (im, x1, y1, x2, y2, color)) \
    X(void, ImageFilledEllipse, (gdImagePtr im, int cx, int cy, int w, int h, int color), (im, cx, cy, w, h, color)) \
    X(char *, ImageStringFT, (gdImagePtr im, int *brect, int fg, const char *fontlist, double ptsize, double angle, \
                              int x, int y, const char *string), (im, brect, fg, fontlist, ptsize, angle, x, y, string)) \
    X(void *, ImagePngPtrEx, (gdImagePtr im, int *size, int level), (im, size, level)) \
    X(gdImagePtr, ImageCreateFromPngPtr, (int size, void *data), (size, data)) \
    X(int, ImagePaletteToTrueColor, (gdImagePtr src), (src)) \
    X(void, Free, (void *m), (m))

#define CGD_POINTER(ret, name, params, args) static ret (*p_##name) params;
CGD_FUNCTIONS(CGD_POINTER)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *failure;
static char message[512];

static void load(void) {
    void *handle = dlopen("libgd.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(message, sizeof message, "libgd could not be loaded (%s); install libgd3 (apt-get install libgd-dev)", dlerror());
        failure = message;
        return;
    }
#define CGD_RESOLVE(ret, name, params, args) \
    if (!(p_##name = (ret (*) params)dlsym(handle, "gd" #name))) { \
        snprintf(message, sizeof message, "libgd.so.3 lacks gd%s", #name); \
        failure = message; \
        return; \
    }
    CGD_FUNCTIONS(CGD_RESOLVE)
    // Font caching must be set up before several threads may draw text (libgd's own advice).
    int (*setup)(void) = (int (*)(void))dlsym(handle, "gdFontCacheSetup");
    if (setup) setup();
}

const char *cgd_load(void) {
    pthread_once(&once, load);
    return failure;
}

static void require(void) {
    const char *why = cgd_load();
    if (why) {
        fprintf(stderr, "sftatlas: %s\n", why);
        abort();
    }
}

#define CGD_WRAPPER(ret, name, params, args) \
    ret cgd_##name params { \
        require(); \
        return p_##name args; \
    }
CGD_FUNCTIONS(CGD_WRAPPER)

// ---- Glyphs with FreeType, loaded the same way (libgd depends on it, so it is present with libgd).

#include <ft2build.h>
#include FT_FREETYPE_H
#include <string.h>

#define CGD_FT_FUNCTIONS(X) \
    X(FT_Error, FT_Init_FreeType, (FT_Library *library)) \
    X(FT_Error, FT_New_Face, (FT_Library library, const char *path, FT_Long index, FT_Face *face)) \
    X(FT_Error, FT_Set_Char_Size, (FT_Face face, FT_F26Dot6 width, FT_F26Dot6 height, FT_UInt hres, FT_UInt vres)) \
    X(FT_UInt, FT_Get_Char_Index, (FT_Face face, FT_ULong code)) \
    X(FT_Error, FT_Load_Glyph, (FT_Face face, FT_UInt index, FT_Int32 flags)) \
    X(FT_Error, FT_Get_Kerning, (FT_Face face, FT_UInt left, FT_UInt right, FT_UInt mode, FT_Vector *kerning))

#define CGD_FT_POINTER(ret, name, params) static ret (*q_##name) params;
CGD_FT_FUNCTIONS(CGD_FT_POINTER)

static pthread_once_t ft_once = PTHREAD_ONCE_INIT;
static FT_Library ft_library;
static const char *ft_failure;
// FreeType's library and faces are not safe to use from several threads at once.
static pthread_mutex_t ft_lock = PTHREAD_MUTEX_INITIALIZER;

static void ft_load(void) {
    void *handle = dlopen("libfreetype.so.6", RTLD_NOW | RTLD_LOCAL);
    if (!handle) { ft_failure = "libfreetype.so.6 could not be loaded"; return; }
#define CGD_FT_RESOLVE(ret, name, params) \
    if (!(q_##name = (ret (*) params)dlsym(handle, #name))) { ft_failure = "libfreetype.so.6 lacks " #name; return; }
    CGD_FT_FUNCTIONS(CGD_FT_RESOLVE)
    if (q_FT_Init_FreeType(&ft_library)) ft_failure = "FreeType could not be initialized";
}

struct cgd_font { FT_Face face; };

cgd_font *cgd_FontOpen(const char *path, double ptsize, unsigned dpi) {
    pthread_once(&ft_once, ft_load);
    if (ft_failure) return NULL;
    pthread_mutex_lock(&ft_lock);
    FT_Face face = NULL;
    cgd_font *font = NULL;
    if (!q_FT_New_Face(ft_library, path, 0, &face) && !q_FT_Set_Char_Size(face, 0, (FT_F26Dot6)(ptsize * 64), dpi, dpi)) {
        font = malloc(sizeof *font);
        if (font) font->face = face;
    }
    pthread_mutex_unlock(&ft_lock);
    return font;
}

unsigned char *cgd_FontGlyph(cgd_font *font, unsigned codepoint, int render, cgd_glyph *glyph) {
    memset(glyph, 0, sizeof *glyph);
    unsigned char *copy = NULL;
    pthread_mutex_lock(&ft_lock);
    FT_Face face = font->face;
    glyph->index = q_FT_Get_Char_Index(face, codepoint);
    // Hinted (FT_LOAD_DEFAULT), as libgd loads glyphs; rendered to 8-bit coverage when asked.
    if (!q_FT_Load_Glyph(face, glyph->index, FT_LOAD_DEFAULT | (render ? FT_LOAD_RENDER : 0))) {
        FT_GlyphSlot slot = face->glyph;
        glyph->advance = slot->metrics.horiAdvance;
        glyph->bearing = slot->metrics.horiBearingX;
        FT_Bitmap *b = &slot->bitmap;
        if (render && b->pixel_mode == FT_PIXEL_MODE_GRAY && b->width > 0 && b->rows > 0) {
            copy = malloc((size_t)b->width * b->rows);
            if (copy) {
                for (unsigned row = 0; row < b->rows; row++) {
                    const unsigned char *src = b->pitch >= 0 ? b->buffer + (size_t)row * b->pitch
                                                             : b->buffer + (size_t)(b->rows - 1 - row) * (size_t)(-b->pitch);
                    memcpy(copy + (size_t)row * b->width, src, b->width);
                }
                glyph->width = (int)b->width;
                glyph->rows = (int)b->rows;
                glyph->left = slot->bitmap_left;
                glyph->top = slot->bitmap_top;
            }
        }
    }
    pthread_mutex_unlock(&ft_lock);
    return copy;
}

long cgd_FontKerning(cgd_font *font, unsigned left, unsigned right) {
    FT_Vector delta = {0, 0};
    pthread_mutex_lock(&ft_lock);
    FT_Face face = font->face;
    if (!FT_HAS_KERNING(face) || FT_IS_FIXED_WIDTH(face) || !left || !right
        || q_FT_Get_Kerning(face, left, right, FT_KERNING_DEFAULT, &delta)) delta.x = 0;
    pthread_mutex_unlock(&ft_lock);
    return delta.x;
}
