#!/usr/bin/env python3
"""Procedural illustrations for edition 2024/016 (part b): roads, theatre,
local-history, hockey. Deterministic (fixed seeds). Pillow only.

Usage: .venv/bin/python tools/demo_images_b.py
"""
import math
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

OUT = Path(__file__).resolve().parent.parent / "issues" / "2024" / "016" / "images"
W, H = 1600, 1067  # 3:2


def lerp(a, b, t):
    return tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))


def vgradient(img, box, top, bottom):
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = box
    for y in range(y0, y1):
        t = (y - y0) / max(1, y1 - y0 - 1)
        d.line([(x0, y), (x1, y)], fill=lerp(top, bottom, t))


def overlay(img, draw_fn, alpha=255, blur=0):
    """Draw on a transparent layer and composite it (for light and shadows)."""
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw_fn(ImageDraw.Draw(layer))
    if blur:
        layer = layer.filter(ImageFilter.GaussianBlur(blur))
    if alpha < 255:
        a = layer.getchannel("A").point(lambda v: v * alpha // 255)
        layer.putalpha(a)
    img.paste(layer, (0, 0), layer)


def finish(img, seed, grain=0.16, soften=0.9, vignette=0.35):
    img = img.filter(ImageFilter.GaussianBlur(soften))
    rnd = random.Random(seed)
    noise = Image.frombytes("L", img.size, rnd.randbytes(img.size[0] * img.size[1]))
    noise = noise.filter(ImageFilter.GaussianBlur(0.9))
    noise = noise.point(lambda v: int(128 + (v - 128) * grain * 1.6))
    img = ImageChops.add(img, Image.merge("RGB", (noise,) * 3), 1.0, -128)
    if vignette:
        mask = Image.new("L", img.size, 0)
        md = ImageDraw.Draw(mask)
        md.ellipse([-W * 0.15, -H * 0.2, W * 1.15, H * 1.2], fill=255)
        mask = mask.filter(ImageFilter.GaussianBlur(180))
        dark = ImageOps.autocontrast(img).point(lambda v: int(v * (1 - vignette)))
        img = Image.composite(img, dark, mask)
    return img


def save(img, name):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    img.convert("RGB").save(path, "JPEG", quality=85, optimize=True)
    print(path, img.size, path.stat().st_size // 1024, "KB")


# --------------------------------------------------------------- roads
def roads():
    rnd = random.Random(1601)
    img = Image.new("RGB", (W, H))
    horizon = 560
    vgradient(img, (0, 0, W, horizon), (122, 168, 214), (222, 230, 236))
    d = ImageDraw.Draw(img)
    # city skyline
    x = -20
    while x < W:
        bw = rnd.randint(70, 170)
        bh = rnd.randint(120, 330)
        shade = rnd.randint(120, 165)
        col = (shade, shade + 6, shade + 16)
        d.rectangle([x, horizon - bh, x + bw, horizon], fill=col)
        for wy in range(horizon - bh + 14, horizon - 12, 22):
            for wx in range(x + 8, x + bw - 10, 18):
                if rnd.random() < 0.8:
                    c = rnd.randint(shade + 20, shade + 60)
                    d.rectangle([wx, wy, wx + 9, wy + 12], fill=(c, c + 4, c + 10))
        x += bw + rnd.randint(4, 30)
    # trees along the street
    for i in range(22):
        tx = rnd.randint(0, W)
        ty = horizon - rnd.randint(0, 30)
        r = rnd.randint(30, 60)
        g = rnd.randint(90, 130)
        d.ellipse([tx - r, ty - 2 * r, tx + r, ty], fill=(70, g, 60))
        d.rectangle([tx - 4, ty - 8, tx + 4, ty + 12], fill=(80, 64, 50))
    # ground: sidewalks + road in perspective
    vgradient(img, (0, horizon, W, H), (150, 148, 140), (120, 118, 112))
    vx = W * 0.52
    road = [(vx - 40, horizon), (vx + 40, horizon), (W + 400, H), (-400, H)]
    d.polygon(road, fill=(112, 110, 108))
    # fresh asphalt on left lane (darker), old cracked on right
    fresh = [(vx - 40, horizon), (vx, horizon), (W * 0.52, H), (-400, H)]
    d.polygon(fresh, fill=(46, 46, 50))
    for i in range(60):
        y = rnd.randint(horizon + 10, H)
        t = (y - horizon) / (H - horizon)
        xl = vx + t * (W * 0.52 - vx) + rnd.randint(10, 400) * t
        d.line([(xl, y), (xl + rnd.randint(10, 60) * t, y + rnd.randint(-8, 8))],
               fill=(84, 82, 80), width=2)
    # kerb lines
    d.line([(vx - 40, horizon), (-400, H)], fill=(205, 205, 198), width=8)
    d.line([(vx + 40, horizon), (W + 400, H)], fill=(205, 205, 198), width=8)
    # traffic cones along the lane border
    for k in range(1, 9):
        t = (k / 9) ** 1.6
        cx = vx + t * (W * 0.52 - vx) + 6
        cy = horizon + t * (H - horizon)
        s = 8 + 60 * t
        d.polygon([(cx, cy - s * 1.6), (cx - s * 0.5, cy), (cx + s * 0.5, cy)], fill=(236, 110, 30))
        d.rectangle([cx - s * 0.28, cy - s * 0.85, cx + s * 0.28, cy - s * 0.6], fill=(240, 240, 240))
        d.rectangle([cx - s * 0.65, cy - s * 0.12, cx + s * 0.65, cy], fill=(60, 60, 60))
    # asphalt paver (yellow)
    px, py = 260, 760
    d.rectangle([px, py - 150, px + 360, py], fill=(226, 182, 40))
    d.rectangle([px + 200, py - 250, px + 330, py - 150], fill=(210, 170, 36))
    d.rectangle([px + 215, py - 235, px + 315, py - 170], fill=(160, 190, 210))
    d.rectangle([px - 90, py - 60, px, py + 20], fill=(70, 70, 70))
    d.rectangle([px, py - 20, px + 360, py + 30], fill=(40, 40, 40))
    for wx in range(px + 20, px + 360, 60):
        d.ellipse([wx, py - 5, wx + 50, py + 45], fill=(30, 30, 30))
    d.text((px + 30, py - 120), "ДОРСТРОЙ-П", fill=(40, 40, 40))
    # roller
    rx, ry = 760, 700
    d.rectangle([rx, ry - 130, rx + 210, ry - 30], fill=(236, 196, 50))
    d.rectangle([rx + 60, ry - 220, rx + 180, ry - 130], outline=(40, 40, 40), width=8)
    d.rectangle([rx + 68, ry - 212, rx + 172, ry - 138], fill=(150, 180, 200))
    d.rounded_rectangle([rx - 70, ry - 80, rx + 70, ry + 30], 30, fill=(90, 90, 92))
    d.rounded_rectangle([rx + 150, ry - 80, rx + 290, ry + 30], 30, fill=(90, 90, 92))
    # steam from hot asphalt
    overlay(img, lambda L: [L.ellipse([px - 40 + i * 70, py - 40 - (i % 3) * 30,
                                       px + 80 + i * 70, py + 20 - (i % 3) * 30],
                                      fill=(240, 240, 240, 90)) for i in range(6)], blur=25)
    # workers in orange vests
    for wx, wy, s in [(150, 880, 1.3), (660, 820, 1.0), (1040, 760, 0.8), (1180, 900, 1.4)]:
        d.ellipse([wx - 14 * s, wy - 150 * s, wx + 14 * s, wy - 122 * s], fill=(205, 160, 130))
        d.ellipse([wx - 16 * s, wy - 158 * s, wx + 16 * s, wy - 138 * s], fill=(245, 245, 245))
        d.rectangle([wx - 24 * s, wy - 122 * s, wx + 24 * s, wy - 55 * s], fill=(245, 120, 20))
        d.rectangle([wx - 24 * s, wy - 95 * s, wx + 24 * s, wy - 88 * s], fill=(220, 220, 210))
        d.rectangle([wx - 20 * s, wy - 55 * s, wx - 4 * s, wy], fill=(40, 50, 70))
        d.rectangle([wx + 4 * s, wy - 55 * s, wx + 20 * s, wy], fill=(40, 50, 70))
        d.line([(wx + 24 * s, wy - 100 * s), (wx + 60 * s, wy + 4)], fill=(120, 90, 60), width=int(6 * s))
    save(finish(img, 1602, vignette=0.25), "roads-1.jpg")


# ------------------------------------------------------------- theatre
def theatre():
    rnd = random.Random(1611)
    img = Image.new("RGB", (W, H), (12, 10, 14))
    d = ImageDraw.Draw(img)
    # backdrop screen with river at dawn
    sx0, sy0, sx1, sy1 = 330, 110, 1270, 560
    vgradient(img, (sx0, sy0, sx1, sy0 + 260), (60, 80, 130), (200, 150, 120))
    vgradient(img, (sx0, sy0 + 260, sx1, sy1), (70, 100, 130), (30, 50, 70))
    d.polygon([(sx0, sy0 + 260), (sx0 + 300, sy0 + 235), (sx0 + 600, sy0 + 250),
               (sx1, sy0 + 228), (sx1, sy0 + 262), (sx0, sy0 + 268)], fill=(50, 60, 50))
    for i in range(40):
        y = rnd.randint(sy0 + 275, sy1 - 5)
        x = rnd.randint(sx0, sx1 - 80)
        d.line([(x, y), (x + rnd.randint(30, 120), y)], fill=(130, 150, 170), width=2)
    # stage floor (wooden deck)
    floor_top = 640
    vgradient(img, (0, floor_top, W, H), (70, 46, 28), (30, 20, 14))
    for k in range(-20, 21):
        d.line([(W / 2 + k * 30, floor_top), (W / 2 + k * 160, H)], fill=(44, 28, 18), width=3)
    # pier planks on stage
    d.polygon([(560, 700), (1180, 700), (1260, 800), (480, 800)], fill=(120, 86, 52))
    for k in range(12):
        x = 560 + k * 52
        d.line([(x, 700), (480 + k * 66, 800)], fill=(80, 56, 34), width=3)
    d.rectangle([480, 800, 1260, 822], fill=(70, 48, 30))
    # curtains
    for side in (0, 1):
        for i in range(9):
            x = i * 34 if side == 0 else W - (i + 1) * 34
            shade = 90 + (i % 2) * 40
            d.rectangle([x, 0, x + 34, H], fill=(shade, 14, 22))
    d.rectangle([0, 0, W, 80], fill=(110, 18, 26))
    for i in range(0, W, 40):
        d.ellipse([i, 50, i + 40, 105], fill=(120, 20, 30))
    # spotlight cones
    def cones(L):
        for cx, tx in [(500, 720), (1100, 930), (800, 820)]:
            L.polygon([(cx - 10, 0), (cx + 10, 0), (tx + 170, 800), (tx - 170, 800)],
                      fill=(255, 240, 200, 55))
            L.ellipse([tx - 190, 760, tx + 190, 840], fill=(255, 235, 190, 90))
    overlay(img, cones, blur=18)
    # actors
    for ax, s, coat in [(720, 1.25, (70, 70, 80)), (930, 1.15, (120, 40, 40))]:
        d.ellipse([ax - 22 * s, 470 * 1 - 10, ax + 22 * s, 470 + 44 * s - 10], fill=(220, 180, 150))
        d.polygon([(ax - 40 * s, 520), (ax + 40 * s, 520), (ax + 55 * s, 700), (ax - 55 * s, 700)], fill=coat)
        d.rectangle([ax - 30 * s, 700, ax - 6 * s, 790], fill=(30, 30, 34))
        d.rectangle([ax + 6 * s, 700, ax + 30 * s, 790], fill=(30, 30, 34))
    d.ellipse([700, 448, 742, 470], fill=(200, 200, 205))  # grey hair of the ferryman
    d.line([(770, 560), (860, 600)], fill=(70, 70, 80), width=18)  # reaching arm
    # audience heads in the foreground
    for row, (y, r) in enumerate([(1010, 46), (1070, 54)]):
        x = rnd.randint(-30, 20)
        while x < W + 60:
            d.ellipse([x - r, y - r, x + r, y + r * 1.4], fill=(8 + row * 2, 6, 8))
            d.rectangle([x - r * 1.6, min(H - 1, y + r * 0.9), x + r * 1.6, H], fill=(8, 6, 8))
            x += int(r * 2.4) + rnd.randint(-6, 14)
    save(finish(img, 1612, grain=0.2, vignette=0.3), "theatre-1.jpg")


# ------------------------------------------------------- local history
def local_history():
    rnd = random.Random(1621)
    img = Image.new("RGB", (W, H))
    horizon = 470
    vgradient(img, (0, 0, W, horizon), (200, 200, 200), (235, 235, 235))
    vgradient(img, (0, horizon, W, H), (150, 150, 150), (95, 95, 95))
    d = ImageDraw.Draw(img)
    # far bank
    d.polygon([(0, horizon), (300, horizon - 18), (700, horizon - 8), (1100, horizon - 22),
               (W, horizon - 10), (W, horizon + 8), (0, horizon + 8)], fill=(120, 120, 120))
    # river ripples
    for i in range(140):
        y = rnd.randint(horizon + 12, 760)
        x = rnd.randint(0, W)
        l = 20 + (y - horizon) * 0.4
        d.line([(x, y), (x + l, y)], fill=(200, 200, 200), width=1 + (y > 650))
    # near bank with sand and barns
    d.polygon([(0, 760), (W, 700), (W, H), (0, H)], fill=(205, 195, 175))
    for bx in (1080, 1300):
        d.rectangle([bx, 560, bx + 190, 710], fill=(95, 85, 70))
        d.polygon([(bx - 15, 560), (bx + 95, 500), (bx + 205, 560)], fill=(70, 62, 52))
        for k in range(bx + 10, bx + 190, 16):
            d.line([(k, 565), (k, 708)], fill=(80, 72, 60), width=2)
        d.rectangle([bx + 70, 620, bx + 120, 710], fill=(50, 45, 40))
    # wooden pier on piles
    d.rectangle([560, 640, 1120, 664], fill=(95, 82, 66))
    for k in range(580, 1120, 45):
        d.rectangle([k, 664, k + 10, 760], fill=(70, 60, 50))
    # paddle steamer
    hx, hy = 140, 610
    d.polygon([(hx, hy), (hx + 620, hy), (hx + 580, hy + 50), (hx + 40, hy + 50)], fill=(50, 48, 46))
    d.rectangle([hx + 60, hy - 70, hx + 520, hy], fill=(225, 222, 215))
    for k in range(hx + 80, hx + 500, 34):
        d.rectangle([k, hy - 55, k + 18, hy - 30], fill=(70, 68, 64))
    d.rectangle([hx + 140, hy - 110, hx + 400, hy - 70], fill=(210, 207, 200))
    d.rectangle([hx + 360, hy - 230, hx + 395, hy - 110], fill=(40, 38, 36))
    d.chord([hx + 220, hy - 100, hx + 360, hy + 40], 180, 360, fill=(90, 86, 80))
    for a in range(0, 180, 20):
        r = math.radians(180 + a)
        d.line([(hx + 290, hy - 30), (hx + 290 + 70 * math.cos(r), hy - 30 + 70 * math.sin(r))],
               fill=(50, 48, 46), width=3)
    d.line([(hx + 90, hy - 70), (hx + 90, hy - 210)], fill=(40, 38, 36), width=5)
    d.line([(hx + 90, hy - 210), (hx + 360, hy - 230)], fill=(60, 58, 56), width=1)
    overlay(img, lambda L: [L.ellipse([hx + 330 + i * 55, hy - 300 - i * 28, hx + 450 + i * 70,
                                       hy - 210 - i * 24], fill=(60, 60, 60, 120)) for i in range(7)],
            blur=18)
    # people (loaders with sacks) on the pier and bank
    for i in range(16):
        px = rnd.randint(600, 1280)
        py = rnd.choice([640, 720 + rnd.randint(0, 140)])
        s = 0.9 + (py - 640) / 260
        d.ellipse([px - 7 * s, py - 58 * s, px + 7 * s, py - 44 * s], fill=(60, 55, 50))
        d.rectangle([px - 9 * s, py - 44 * s, px + 9 * s, py - 16 * s], fill=(rnd.randint(50, 110),) * 3)
        d.line([(px - 4 * s, py - 16 * s), (px - 6 * s, py)], fill=(40, 38, 36), width=max(2, int(4 * s)))
        d.line([(px + 4 * s, py - 16 * s), (px + 6 * s, py)], fill=(40, 38, 36), width=max(2, int(4 * s)))
        if rnd.random() < 0.5:
            d.ellipse([px - 14 * s, py - 70 * s, px + 10 * s, py - 50 * s], fill=(190, 180, 160))
    # sacks on the bank
    for i in range(25):
        x = 700 + (i % 8) * 34 + rnd.randint(-4, 4)
        y = 900 - (i // 8) * 22
        d.ellipse([x, y, x + 44, y + 30], fill=(180, 170, 150), outline=(120, 110, 95))
    img = finish(img, 1622, grain=0.22, soften=1.3, vignette=0.0)
    # sepia toning, fading and old-print vignette, scratches
    g = ImageOps.grayscale(img)
    g = ImageOps.autocontrast(g, cutoff=1).point(lambda v: int(30 + v * 0.78))
    sep = ImageOps.colorize(g, black=(48, 30, 16), white=(246, 228, 196), mid=(160, 120, 80))
    d = ImageDraw.Draw(sep)
    for i in range(6):
        x = rnd.randint(0, W)
        y0 = rnd.randint(0, 500)
        d.line([(x, y0), (x + rnd.randint(-12, 12), y0 + rnd.randint(120, 420))],
               fill=(214, 196, 164), width=1)
    for i in range(120):
        x, y = rnd.randint(0, W), rnd.randint(0, H)
        r = rnd.randint(1, 3)
        d.ellipse([x, y, x + r, y + r], fill=rnd.choice([(40, 26, 14), (240, 226, 196)]))
    mask = Image.new("L", sep.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle([60, 50, W - 60, H - 50], 120, fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(90))
    dark = sep.point(lambda v: int(v * 0.45))
    save(Image.composite(sep, dark, mask), "local-history-1.jpg")


# --------------------------------------------------------------- hockey
def hockey():
    rnd = random.Random(1631)
    img = Image.new("RGB", (W, H))
    d = ImageDraw.Draw(img)
    # stands with crowd
    vgradient(img, (0, 0, W, 330), (30, 34, 48), (60, 64, 80))
    for i in range(2600):
        x = rnd.randint(0, W)
        y = rnd.randint(20, 300)
        c = rnd.choice([(200, 40, 40), (230, 230, 230), (40, 80, 170), (210, 170, 60), (90, 90, 100),
                        (150, 120, 100)])
        d.ellipse([x, y, x + 9, y + 12], fill=c)
    stands = img.crop((0, 0, W, 300)).filter(ImageFilter.GaussianBlur(2.2))
    img.paste(stands, (0, 0))
    d = ImageDraw.Draw(img)
    # glass + boards
    d.rectangle([0, 300, W, 330], fill=(190, 210, 225))
    d.rectangle([0, 330, W, 380], fill=(245, 245, 245))
    d.rectangle([0, 372, W, 382], fill=(240, 190, 40))
    for k in range(0, W, 220):
        d.rectangle([k + 20, 338, k + 190, 366], fill=rnd.choice([(30, 80, 160), (200, 40, 40), (20, 120, 90)]))
    # ice
    vgradient(img, (0, 382, W, H), (214, 226, 236), (240, 246, 250))
    # markings in perspective
    d.polygon([(700, 382), (740, 382), (820, H), (700, H)], fill=(205, 40, 45))
    d.polygon([(230, 382), (262, 382), (140, H), (70, H)], fill=(40, 80, 190))
    d.polygon([(1200, 382), (1232, 382), (1560, H), (1490, H)], fill=(40, 80, 190))
    d.ellipse([520, 560, 1000, 760], outline=(40, 80, 190), width=6)
    d.ellipse([745, 650, 775, 670], fill=(40, 80, 190))
    # scratches on the ice
    for i in range(260):
        x = rnd.randint(0, W)
        y = rnd.randint(400, H)
        l = rnd.randint(20, 140)
        a = rnd.uniform(-0.4, 0.4)
        d.line([(x, y), (x + l * math.cos(a), y + l * math.sin(a))], fill=(200, 212, 222), width=1)

    def player(cx, base, s, jersey, trim, num, facing=1):
        # shadow
        overlay(img, lambda L: L.ellipse([cx - 70 * s, base - 12 * s, cx + 70 * s, base + 14 * s],
                                         fill=(90, 110, 130, 120)), blur=8)
        dd = ImageDraw.Draw(img)
        # legs / skates
        dd.polygon([(cx - 30 * s, base - 120 * s), (cx - 6 * s, base - 120 * s), (cx - 30 * s, base - 10 * s),
                    (cx - 54 * s, base - 10 * s)], fill=(30, 30, 34))
        dd.polygon([(cx + 6 * s, base - 120 * s), (cx + 30 * s, base - 120 * s), (cx + 50 * s, base - 10 * s),
                    (cx + 26 * s, base - 10 * s)], fill=(30, 30, 34))
        dd.rectangle([cx - 62 * s, base - 12 * s, cx - 22 * s, base - 2 * s], fill=(20, 20, 20))
        dd.rectangle([cx + 20 * s, base - 12 * s, cx + 60 * s, base - 2 * s], fill=(20, 20, 20))
        dd.line([(cx - 64 * s, base), (cx - 20 * s, base)], fill=(170, 175, 180), width=max(2, int(3 * s)))
        dd.line([(cx + 18 * s, base), (cx + 62 * s, base)], fill=(170, 175, 180), width=max(2, int(3 * s)))
        # socks and pants
        dd.rectangle([cx - 40 * s, base - 140 * s, cx + 40 * s, base - 100 * s], fill=jersey)
        dd.rectangle([cx - 44 * s, base - 175 * s, cx + 44 * s, base - 135 * s], fill=(25, 25, 30))
        # torso leaning forward
        dd.polygon([(cx - 50 * s, base - 170 * s), (cx + 50 * s, base - 170 * s),
                    (cx + (60 + 30 * facing) * s, base - 280 * s), (cx + (-40 + 30 * facing) * s, base - 290 * s)],
                   fill=jersey)
        dd.rectangle([cx - 50 * s, base - 195 * s, cx + 50 * s, base - 182 * s], fill=trim)
        dd.text((cx - 10 * s + 25 * facing * s, base - 255 * s), num, fill=trim)
        # helmet
        hx = cx + 40 * facing * s
        dd.ellipse([hx - 30 * s, base - 335 * s, hx + 30 * s, base - 280 * s], fill=jersey)
        dd.rectangle([hx - 24 * s + 14 * facing * s, base - 306 * s, hx + 24 * s + 14 * facing * s,
                      base - 288 * s], outline=(200, 200, 200), width=max(1, int(2 * s)))
        # arms + stick
        gx, gy = cx + 80 * facing * s, base - 190 * s
        dd.line([(cx + 10 * facing * s, base - 270 * s), (gx, gy)], fill=jersey, width=int(26 * s))
        dd.ellipse([gx - 16 * s, gy - 16 * s, gx + 16 * s, gy + 16 * s], fill=(30, 30, 30))
        ex, ey = gx + 120 * facing * s, base - 6 * s
        dd.line([(gx, gy), (ex, ey)], fill=(40, 40, 40), width=max(3, int(8 * s)))
        dd.line([(ex, ey), (ex + 46 * facing * s, ey)], fill=(40, 40, 40), width=max(4, int(12 * s)))

    green, white, red = (20, 110, 80), (245, 245, 245), (190, 30, 40)
    player(1240, 700, 0.75, red, white, "14", -1)
    player(330, 760, 0.85, green, white, "9", 1)
    player(980, 1010, 1.25, green, white, "17", 1)
    player(560, 960, 1.05, red, white, "5", -1)
    # puck
    d = ImageDraw.Draw(img)
    d.ellipse([1200, 1010, 1236, 1024], fill=(15, 15, 15))
    # motion blur streak of ice spray
    overlay(img, lambda L: [L.ellipse([860 + i * 18, 990 - i * 6, 940 + i * 18, 1020 - i * 5],
                                      fill=(255, 255, 255, 140)) for i in range(6)], blur=10)
    save(finish(img, 1632, grain=0.14, vignette=0.2), "hockey-1.jpg")


if __name__ == "__main__":
    roads()
    theatre()
    local_history()
    hockey()
