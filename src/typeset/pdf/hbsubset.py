"""Font subsetting with HarfBuzz (libharfbuzz-subset), through a small cffi binding.

fontTools takes about half a second per face to subset a Noto font; HarfBuzz takes milliseconds.
WeasyPrint's own binding does not expose loading a face from bytes, so these few functions are
declared here. :func:`subset` returns None when the library is missing; the caller then falls
back to fontTools.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import cffi

_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_codepoint_t;
typedef uint32_t hb_tag_t;
typedef int hb_bool_t;
typedef enum { HB_MEMORY_MODE_DUPLICATE, HB_MEMORY_MODE_READONLY, HB_MEMORY_MODE_WRITABLE,
               HB_MEMORY_MODE_READONLY_MAY_MAKE_WRITABLE } hb_memory_mode_t;
typedef void (*hb_destroy_func_t) (void *user_data);
hb_blob_t *hb_blob_create (const char *data, unsigned int length, hb_memory_mode_t mode,
                           void *user_data, hb_destroy_func_t destroy);
void hb_blob_destroy (hb_blob_t *blob);
const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
hb_blob_t *hb_face_reference_blob (hb_face_t *face);
void hb_set_add (hb_set_t *set, hb_codepoint_t codepoint);
hb_tag_t hb_tag_from_string (const char *str, int len);
hb_subset_input_t *hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t *hb_subset_input_glyph_set (hb_subset_input_t *input);
hb_set_t *hb_subset_input_set (hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""

RETAIN_GIDS = 0x2
NO_HINTING = 0x1
NOTDEF_OUTLINE = 0x40
PASSTHROUGH_UNRECOGNIZED = 0x20
SETS_DROP_TABLE_TAG = 3
DROP_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"GDEF", b"JSTF",
               b"LTSH", b"PCLT", b"SVG ", b"gasp")


@lru_cache(maxsize=1)
def _libraries() -> tuple[Any, Any, Any] | None:
    ffi = cffi.FFI()
    ffi.cdef(_CDEF)
    try:
        hb = ffi.dlopen("libharfbuzz.so.0")
        hb_subset = ffi.dlopen("libharfbuzz-subset.so.0")
    except OSError:
        return None
    return ffi, hb, hb_subset


def available() -> bool:
    return _libraries() is not None


def subset(font: bytes, gids: set[int]) -> bytes | None:
    """``font`` subset to ``gids`` (glyph ids kept, hinting and layout tables dropped)."""
    libraries = _libraries()
    if libraries is None:
        return None
    ffi, hb, hbs = libraries
    data = ffi.from_buffer(font)
    blob = hb.hb_blob_create(data, len(font), 1, ffi.NULL, ffi.NULL)  # READONLY
    face = hb.hb_face_create(blob, 0)
    request = hbs.hb_subset_input_create_or_fail()
    try:
        if request == ffi.NULL:
            return None
        glyphs = hbs.hb_subset_input_glyph_set(request)
        for gid in sorted(gids | {0}):
            hb.hb_set_add(glyphs, gid)
        drop = hbs.hb_subset_input_set(request, SETS_DROP_TABLE_TAG)
        for tag in DROP_TABLES:
            hb.hb_set_add(drop, hb.hb_tag_from_string(tag, -1))
        hbs.hb_subset_input_set_flags(request, RETAIN_GIDS | NO_HINTING | NOTDEF_OUTLINE
                                      | PASSTHROUGH_UNRECOGNIZED)
        result = hbs.hb_subset_or_fail(face, request)
        if result == ffi.NULL:
            return None
        out_blob = hb.hb_face_reference_blob(result)
        length = ffi.new("unsigned int *")
        pointer = hb.hb_blob_get_data(out_blob, length)
        subsetted = bytes(ffi.buffer(pointer, length[0]))
        hb.hb_blob_destroy(out_blob)
        hb.hb_face_destroy(result)
        return subsetted or None
    finally:
        if request != ffi.NULL:
            hbs.hb_subset_input_destroy(request)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)
