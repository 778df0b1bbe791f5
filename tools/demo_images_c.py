#!/usr/bin/env python3
"""Procedural illustrations for the demo edition 2024/017 (part c): victory (two), navigation,
subbotnik, olympiad, fieldwork, interview, hockey.

Deterministic (fixed seeds), Pillow only. JPEG, RGB, 1600 px on the long side,
quality 85. The photo of the article "biblioteka" comes with its Word file and is not
drawn here.

Usage: .venv/bin/python tools/demo_images_c.py
"""
import math
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent.parent / "issues" / "2024" / "017" / "images"
LAND = (1600, 1067)  # 3:2
PORT = (1067, 1600)  # 2:3

KZ_BLUE = (0, 170, 200)
KZ_GOLD = (250, 200, 40)
RED = (196, 30, 36)


# ---------------------------------------------------------------- helpers

def lerp(a, b, t):
    return tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(len(a)))


def vgrad(img, box, top, bottom):
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = box
    for y in range(y0, y1):
        t = (y - y0) / max(1, y1 - y0 - 1)
        d.line([(x0, y), (x1, y)], fill=lerp(top, bottom, t))


def layer(img, fn, blur=0, alpha=1.0):
    """Draw on a transparent RGBA layer, optionally blur it, composite."""
    lay = Image.new("RGBA", img.size, (0, 0, 0, 0))
    fn(ImageDraw.Draw(lay))
    if blur:
        lay = lay.filter(ImageFilter.GaussianBlur(blur))
    if alpha < 1.0:
        lay.putalpha(lay.getchannel("A").point(lambda v: int(v * alpha)))
    img.paste(lay, (0, 0), lay)


def person(d, x, y, h, body, skin=(214, 170, 140), hair=(50, 38, 30), legs=(40, 42, 50)):
    """A simple standing figure; (x, y) is the point between the feet."""
    w = h * 0.26
    head = h * 0.13
    d.rectangle([x - w * 0.35, y - h * 0.47, x - w * 0.05, y], fill=legs)
    d.rectangle([x + w * 0.05, y - h * 0.47, x + w * 0.35, y], fill=legs)
    d.rounded_rectangle([x - w / 2, y - h * 0.84, x + w / 2, y - h * 0.42],
                        radius=int(w * 0.3), fill=body)
    d.ellipse([x - head * 0.45, y - h * 0.84 - head, x + head * 0.45, y - h * 0.84 + head * 0.05],
              fill=skin)
    d.chord([x - head * 0.47, y - h * 0.84 - head * 1.04, x + head * 0.47, y - h * 0.84 - head * 0.35],
            180, 360, fill=hair)


def shadow(img, x, y, h, alpha=100):
    layer(img, lambda l: l.ellipse([x - h * 0.2, y - h * 0.03, x + h * 0.24, y + h * 0.035],
                                   fill=(0, 0, 0, alpha)), blur=max(2, int(h / 40)))


def flag(d, x, top, w, h, kind, wave=0.0):
    """A flag on a pole; the pole's foot is lower than the cloth by 2.2 h."""
    d.line([(x, top), (x, top + h * 2.2)], fill=(120, 100, 70), width=max(3, int(w / 40)))
    pts_top = [(x + w * k / 8, top + math.sin(k / 8 * math.pi * 1.6 + wave) * h * 0.07) for k in range(9)]
    pts_bot = [(px, py + h) for px, py in pts_top]
    colour = {"kz": KZ_BLUE, "red": RED, "white": (244, 244, 240)}[kind]
    d.polygon(pts_top + pts_bot[::-1], fill=colour)
    if kind == "kz":  # the sun and, under it, a hint of the eagle
        cx, cy = x + w * 0.5, top + h * 0.42
        r = h * 0.17
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=KZ_GOLD)
        d.arc([cx - r * 2.2, cy + r * 0.6, cx + r * 2.2, cy + r * 2.2], 200, 340, fill=KZ_GOLD,
              width=max(2, int(h / 14)))
        d.rectangle([x + w * 0.04, top + h * 0.1, x + w * 0.1, top + h * 0.9], fill=KZ_GOLD)
    elif kind == "red":
        d.polygon([(x + w * 0.12, top + h * 0.15), (x + w * 0.16, top + h * 0.28), (x + w * 0.08, top + h * 0.22),
                   (x + w * 0.2, top + h * 0.22), (x + w * 0.12, top + h * 0.28)], fill=KZ_GOLD)


def finish(img, seed, grain=14, soften=1.0, vignette=0.3):
    w, h = img.size
    img = img.filter(ImageFilter.GaussianBlur(soften))
    rnd = random.Random(seed)
    noise = Image.frombytes("L", img.size, rnd.randbytes(w * h))
    noise = noise.filter(ImageFilter.GaussianBlur(0.9))
    k = grain / 80.0
    noise = noise.point(lambda v: max(0, min(255, int(round(128 + (v - 128) * k)))))
    img = ImageChops.add(img, Image.merge("RGB", (noise,) * 3), 1.0, -128)
    if vignette:
        mask = Image.new("L", img.size, 0)
        ImageDraw.Draw(mask).ellipse([-w * 0.18, -h * 0.2, w * 1.18, h * 1.2], fill=255)
        mask = mask.filter(ImageFilter.GaussianBlur(min(w, h) // 6))
        dark = img.point(lambda v: int(v * (1 - vignette)))
        img = Image.composite(img, dark, mask)
    return img


def save(img, name):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    img.convert("RGB").save(path, "JPEG", quality=85, optimize=True)
    size = path.stat().st_size
    print(f"{path.relative_to(OUT.parents[3])}  {img.size[0]}x{img.size[1]}  {size // 1024} KB")
    assert size < 350 * 1024, f"{name} is too big"


def birch(d, x, base, h, rnd, crown=(120, 160, 80)):
    d.rectangle([x - h * 0.02, base - h, x + h * 0.02, base], fill=(236, 234, 226))
    for k in range(int(h / 25)):
        yy = base - rnd.uniform(0, h)
        d.line([(x - h * 0.02, yy), (x + h * 0.005, yy)], fill=(40, 40, 40), width=3)
    return [(x + rnd.uniform(-h * 0.18, h * 0.18), base - h * rnd.uniform(0.55, 1.05), h * rnd.uniform(0.1, 0.17))
            for _ in range(9)]


# ---------------------------------------------------------------- victory: procession with flags

def victory():
    rnd = random.Random(1701)
    W, H = LAND
    img = Image.new("RGB", LAND)
    vgrad(img, (0, 0, W, 560), (104, 150, 206), (208, 222, 234))
    layer(img, lambda l: [l.ellipse([x, y, x + rnd.randint(220, 380), y + rnd.randint(40, 70)],
                                    fill=(255, 255, 255, 170))
                          for x, y in [(80, 70), (520, 40), (980, 110), (1280, 50)]], blur=20)
    d = ImageDraw.Draw(img)
    # a long Soviet-era administrative building with columns
    d.rectangle([180, 250, 1420, 560], fill=(222, 210, 186))
    d.rectangle([160, 230, 1440, 262], fill=(236, 228, 210))
    for k in range(16):
        x = 240 + k * 74
        d.rectangle([x, 270, x + 26, 540], fill=(240, 236, 224))
        d.rectangle([x + 30, 300, x + 64, 360], fill=(120, 140, 160))
        d.rectangle([x + 30, 410, x + 64, 470], fill=(120, 140, 160))
    # fir trees in front of it
    for x in range(40, W, 130):
        hh = rnd.randint(170, 240)
        d.polygon([(x, 560 - hh), (x - 48, 570), (x + 48, 570)], fill=(44, 76, 56))
    # square
    vgrad(img, (0, 560, W, H), (150, 146, 140), (104, 100, 96))
    d = ImageDraw.Draw(img)
    for k in range(12):  # paving joints in perspective
        d.line([(W / 2 + (k - 6) * 60, 560), (W / 2 + (k - 6) * 320, H)], fill=(132, 128, 122), width=2)
    # the procession: rows receding to the left
    jackets = [(30, 36, 52), (58, 60, 66), (110, 34, 38), (24, 60, 100), (70, 70, 76), (230, 230, 226),
               (40, 70, 60), (160, 140, 110), (196, 60, 60)]
    rows = []
    for r in range(6):
        y = 640 + r * 64
        n = 7 + r
        for k in range(n):
            x = 150 + r * 20 + k * (1250 - r * 20) / (n - 1) + rnd.uniform(-18, 18)
            rows.append((x, y + rnd.uniform(-6, 6)))
    rows.sort(key=lambda p: p[1])
    for x, y in rows:
        hh = 120 + (y - 640) * 0.62
        shadow(img, x, y, hh, 80)
        d = ImageDraw.Draw(img)
        person(d, x, y, hh, rnd.choice(jackets),
               hair=rnd.choice([(40, 30, 24), (90, 80, 70), (170, 170, 170), (120, 80, 40)]))
        roll = rnd.random()
        if roll < 0.16:
            flag(d, x + hh * 0.12, y - hh * 1.55, hh * 0.5, hh * 0.3, rnd.choice(["kz", "kz", "red"]),
                 wave=rnd.uniform(0, 3))
        elif roll < 0.4:  # a portrait on a stick
            px, py = x + hh * 0.12, y - hh * 1.08
            d.line([(px, py), (px, y - hh * 0.6)], fill=(110, 90, 60), width=max(2, int(hh / 60)))
            d.rectangle([px - hh * 0.08, py - hh * 0.22, px + hh * 0.08, py], fill=(245, 244, 236))
            d.rectangle([px - hh * 0.06, py - hh * 0.19, px + hh * 0.06, py - hh * 0.03], fill=(120, 110, 100))
            d.ellipse([px - hh * 0.03, py - hh * 0.17, px + hh * 0.03, py - hh * 0.09], fill=(190, 180, 166))
        elif roll < 0.52:  # red carnations
            d.ellipse([x + hh * 0.1, y - hh * 0.72, x + hh * 0.17, y - hh * 0.65], fill=RED)
    # a long red banner carried by the first row
    ybase = 640 + 5 * 64
    d.rectangle([470, ybase - 250, 1130, ybase - 190], fill=RED)
    d.line([(470, ybase - 250), (470, ybase - 100)], fill=(110, 90, 60), width=6)
    d.line([(1130, ybase - 250), (1130, ybase - 100)], fill=(110, 90, 60), width=6)
    for k in range(6):
        d.rectangle([510 + k * 104, ybase - 232, 570 + k * 104, ybase - 208], fill=(236, 200, 90))
    # balloons
    layer(img, lambda l: [l.ellipse([x, y, x + 46, y + 56], fill=c + (235,))
                          for x, y, c in [(300, 330, RED), (340, 300, (250, 250, 250)), (1300, 320, KZ_BLUE),
                                          (1340, 350, RED), (1260, 290, KZ_GOLD)]], blur=1)
    return finish(img, 1701)


# ---------------------------------------------------------------- navigation: motor ship at the pier

def navigation():
    rnd = random.Random(1702)
    W, H = LAND
    img = Image.new("RGB", LAND)
    hor = 450
    vgrad(img, (0, 0, W, hor), (84, 140, 206), (214, 228, 236))
    layer(img, lambda l: [l.ellipse([x, y, x + rnd.randint(260, 420), y + rnd.randint(40, 80)],
                                    fill=(255, 255, 255, 190))
                          for x, y in [(60, 80), (460, 150), (900, 60), (1240, 170)]], blur=22)
    d = ImageDraw.Draw(img)
    # far (left) bank: low willow bush and a sandy strip
    for x in range(0, W, 22):
        r = rnd.randint(14, 30)
        d.ellipse([x - r, hor - 24 - r, x + r, hor - 24 + r], fill=(92, 120, 78))
    d.rectangle([0, hor - 24, W, hor - 6], fill=(92, 120, 78))
    d.rectangle([0, hor - 6, W, hor + 4], fill=(214, 196, 150))
    # the river
    vgrad(img, (0, hor + 4, W, H), (110, 140, 156), (54, 80, 96))
    d = ImageDraw.Draw(img)
    for _ in range(340):
        y = rnd.randint(hor + 10, H)
        x = rnd.randint(-40, W)
        L = 12 + (y - hor) * 0.22
        d.line([(x, y), (x + L, y)], fill=(176, 196, 206) if rnd.random() < 0.5 else (48, 70, 86), width=2)
    # motor ship, side view, bow to the left
    sx, sy = 180, 720  # waterline, left end
    sw = 1000
    hull = [(sx, sy - 120), (sx + sw, sy - 130), (sx + sw - 30, sy), (sx + 70, sy)]
    d.polygon(hull, fill=(246, 246, 244))
    d.polygon([(sx + 40, sy - 40), (sx + sw - 14, sy - 46), (sx + sw - 30, sy), (sx + 70, sy)], fill=(36, 66, 120))
    d.line([(sx + 20, sy - 80), (sx + sw - 10, sy - 88)], fill=(196, 30, 36), width=10)
    # decks and windows
    d.rectangle([sx + 160, sy - 240, sx + sw - 60, sy - 126], fill=(250, 250, 248))
    d.rectangle([sx + 260, sy - 330, sx + sw - 180, sy - 236], fill=(250, 250, 248))
    d.rectangle([sx + 160, sy - 248, sx + sw - 50, sy - 238], fill=(170, 176, 184))
    for k in range(13):
        x = sx + 190 + k * 58
        d.rounded_rectangle([x, sy - 214, x + 38, sy - 166], radius=8, fill=(60, 84, 110))
    for k in range(8):
        x = sx + 290 + k * 62
        d.rounded_rectangle([x, sy - 306, x + 40, sy - 262], radius=8, fill=(60, 84, 110))
    d.rectangle([sx + 300, sy - 380, sx + 460, sy - 326], fill=(246, 246, 244))  # wheelhouse
    d.rectangle([sx + 312, sy - 370, sx + 448, sy - 346], fill=(40, 60, 80))
    for k in range(9):  # railings on the top deck
        d.line([(sx + 270 + k * 60, sy - 330), (sx + 270 + k * 60, sy - 356)], fill=(150, 150, 150), width=3)
    d.line([(sx + 260, sy - 356), (sx + sw - 180, sy - 356)], fill=(150, 150, 150), width=3)
    d.line([(sx + 380, sy - 380), (sx + 380, sy - 470)], fill=(90, 90, 90), width=5)  # mast with flags
    d.line([(sx + 380, sy - 470), (sx + 40, sy - 120)], fill=(120, 120, 120), width=2)
    d.line([(sx + 380, sy - 470), (sx + sw - 40, sy - 130)], fill=(120, 120, 120), width=2)
    for k in range(9):
        t = (k + 1) / 10
        fx, fy = sx + 380 - 340 * t, sy - 470 + 350 * t
        d.polygon([(fx, fy), (fx + 16, fy + 4), (fx + 6, fy + 22)], fill=[RED, KZ_GOLD, KZ_BLUE][k % 3])
    flag(d, sx + sw - 40, sy - 230, 70, 44, "kz", wave=1.0)
    # passengers on the top deck
    for k in range(10):
        x = sx + 290 + k * 52 + rnd.uniform(-8, 8)
        person(d, x, sy - 332, 70, rnd.choice([(200, 40, 50), (40, 60, 120), (240, 240, 240), (60, 60, 60)]))
    # pier (debarcader) in the foreground on the right, gangway
    d.polygon([(1040, 820), (W, 790), (W, 930), (1040, 930)], fill=(70, 76, 84))
    d.polygon([(1040, 760), (W, 720), (W, 800), (1040, 826)], fill=(226, 220, 206))
    d.rectangle([1100, 620, W, 770], fill=(244, 240, 230))
    d.polygon([(1080, 620), (W, 590), (W, 620), (1080, 640)], fill=(90, 110, 130))
    for k in range(5):
        d.rectangle([1140 + k * 95, 660, 1200 + k * 95, 720], fill=(90, 120, 150))
    d.polygon([(sx + sw - 120, sy - 136), (1100, 740), (1100, 756), (sx + sw - 120, sy - 120)], fill=(150, 150, 150))
    for k in range(6):
        person(d, 1120 + k * 70 + rnd.uniform(-10, 10), 800 + rnd.uniform(-4, 6), 150,
               rnd.choice([(120, 30, 40), (30, 40, 70), (70, 100, 70), (210, 170, 80), (240, 240, 240)]))
    # reflection of the ship
    refl = img.crop((sx, sy - 260, sx + sw, sy)).transpose(Image.FLIP_TOP_BOTTOM)
    refl = refl.filter(ImageFilter.GaussianBlur(6)).point(lambda v: int(v * 0.65))
    mask = Image.new("L", refl.size, 0)
    vm = ImageDraw.Draw(mask)
    for y in range(refl.size[1]):
        vm.line([(0, y), (refl.size[0], y)], fill=int(120 * (1 - y / refl.size[1])))
    img.paste(refl, (sx, sy), mask)
    # gulls
    d = ImageDraw.Draw(img)
    for x, y in [(700, 120), (760, 150), (1330, 90), (420, 200)]:
        d.arc([x - 22, y, x, y + 16], 200, 340, fill=(60, 60, 60), width=3)
        d.arc([x, y, x + 22, y + 16], 200, 340, fill=(60, 60, 60), width=3)
    return finish(img, 1702)


# ---------------------------------------------------------------- subbotnik: planting trees

def subbotnik():
    rnd = random.Random(1703)
    W, H = LAND
    img = Image.new("RGB", LAND)
    hor = 470
    vgrad(img, (0, 0, W, hor), (130, 174, 220), (226, 234, 238))
    d = ImageDraw.Draw(img)
    # nine-storey blocks of flats
    for i, x in enumerate([40, 360, 760, 1180]):
        bw = rnd.randint(300, 360)
        top = hor - rnd.randint(240, 300)
        d.rectangle([x, top, x + bw, hor], fill=[(214, 206, 192), (196, 200, 204), (226, 214, 196), (200, 196, 190)][i])
        for r in range(9):
            for c in range(bw // 40):
                yy = top + 14 + r * ((hor - top - 20) / 9)
                d.rectangle([x + 12 + c * 40, yy, x + 32 + c * 40, yy + 14],
                            fill=rnd.choice([(110, 130, 150), (130, 150, 170), (90, 110, 130)]))
    # young grass and ploughed strip
    vgrad(img, (0, hor, W, H), (150, 170, 96), (96, 124, 60))
    d = ImageDraw.Draw(img)
    d.polygon([(0, 700), (W, 620), (W, 740), (0, 860)], fill=(112, 86, 60))
    # row of saplings with stakes, receding to the right
    for k in range(10):
        t = k / 9
        x = 140 + t * 1320
        base = 790 - t * 130
        hh = 260 - t * 150
        d.line([(x + hh * 0.08, base), (x + hh * 0.08, base - hh * 0.9)], fill=(170, 140, 100), width=max(2, int(hh / 40)))
        d.line([(x, base), (x, base - hh)], fill=(100, 80, 60), width=max(2, int(hh / 50)))
        for b in range(5):
            a = -math.pi / 2 + rnd.uniform(-0.9, 0.9)
            r = hh * rnd.uniform(0.2, 0.35)
            y0 = base - hh * rnd.uniform(0.55, 0.95)
            d.line([(x, y0), (x + math.cos(a) * r, y0 + math.sin(a) * r)], fill=(100, 80, 60), width=2)
        layer(img, lambda l, x=x, base=base, hh=hh: [
            l.ellipse([x - hh * 0.25 + rnd.uniform(-8, 8), base - hh * rnd.uniform(0.7, 1.1),
                       x + hh * 0.25, base - hh * 0.55], fill=(140, 190, 90, 120))], blur=4)
        d = ImageDraw.Draw(img)
        d.ellipse([x - hh * 0.18, base - hh * 0.04, x + hh * 0.18, base + hh * 0.05], fill=(84, 62, 44))
    # volunteers: one digging, one holding a sapling, buckets
    for x, y, c, spade in [(520, 960, (230, 100, 30), True), (760, 980, (40, 90, 160), False),
                           (300, 900, (200, 40, 50), True), (1150, 860, (240, 240, 236), False),
                           (1320, 820, (60, 110, 70), True)]:
        hh = 330 + (y - 820) * 1.4
        shadow(img, x, y, hh)
        d = ImageDraw.Draw(img)
        person(d, x, y, hh, c, hair=rnd.choice([(40, 30, 24), (120, 80, 40), (30, 30, 30)]))
        if spade:
            d.line([(x + hh * 0.16, y - hh * 0.75), (x + hh * 0.3, y - hh * 0.05)], fill=(140, 100, 60),
                   width=max(4, int(hh / 40)))
            d.polygon([(x + hh * 0.26, y - hh * 0.1), (x + hh * 0.36, y - hh * 0.12), (x + hh * 0.36, y + hh * 0.04),
                       (x + hh * 0.3, y + hh * 0.06)], fill=(120, 124, 130))
        else:
            d.rectangle([x + hh * 0.14, y - hh * 0.2, x + hh * 0.28, y - hh * 0.02], fill=(60, 110, 170))
    # a pile of saplings with burlap roots in front
    for k in range(5):
        d.ellipse([90 + k * 40, 980, 150 + k * 40, 1030], fill=(176, 150, 110))
        d.line([(120 + k * 40, 1000), (170 + k * 46, 860)], fill=(100, 80, 60), width=4)
    return finish(img, 1703)


# ---------------------------------------------------------------- olympiad: a hall of desks

def olympiad():
    rnd = random.Random(1704)
    W, H = LAND
    img = Image.new("RGB", LAND)
    vgrad(img, (0, 0, W, 560), (236, 232, 214), (220, 214, 194))
    vgrad(img, (0, 560, W, H), (176, 150, 110), (136, 110, 78))
    d = ImageDraw.Draw(img)
    # big windows on the right wall, a clock and a banner
    for k in range(3):
        x = 980 + k * 200
        d.rectangle([x, 60, x + 160, 500], fill=(250, 250, 246))
        d.rectangle([x + 10, 70, x + 150, 490], fill=(196, 222, 242))
        d.line([(x + 80, 70), (x + 80, 490)], fill=(250, 250, 246), width=8)
    layer(img, lambda l: [l.polygon([(980 + k * 200, 500), (1140 + k * 200, 500), (1000 + k * 200, H),
                                     (700 + k * 200, H)], fill=(255, 250, 226, 40)) for k in range(3)], blur=30)
    d = ImageDraw.Draw(img)
    d.ellipse([440, 70, 540, 170], fill=(250, 250, 250), outline=(40, 40, 40), width=6)
    d.line([(490, 120), (490, 84)], fill=(30, 30, 30), width=5)
    d.line([(490, 120), (516, 130)], fill=(30, 30, 30), width=5)
    d.rectangle([120, 210, 860, 300], fill=(30, 90, 160))
    for k in range(9):
        d.rectangle([160 + k * 76, 240, 210 + k * 76, 270], fill=(240, 240, 236))
    # rows of single desks, students seen from behind, writing
    shirts = [(250, 250, 250), (240, 240, 236), (30, 40, 70), (60, 60, 70), (244, 244, 244), (40, 60, 110)]
    for r in range(4):
        y = 560 + r * 140
        s = 0.6 + r * 0.17
        n = 5 - (r // 2)
        for k in range(n):
            x = 160 + k * (1280 / max(1, n - 1)) * (0.8 + r * 0.05) - r * 40 + rnd.uniform(-10, 10)
            if x > W - 80:
                continue
            d.polygon([(x - 120 * s, y), (x + 120 * s, y), (x + 140 * s, y + 50 * s), (x - 140 * s, y + 50 * s)],
                      fill=(206, 176, 130))
            d.rectangle([x - 130 * s, y + 50 * s, x - 120 * s, y + 150 * s], fill=(80, 80, 84))
            d.rectangle([x + 120 * s, y + 50 * s, x + 130 * s, y + 150 * s], fill=(80, 80, 84))
            d.polygon([(x - 40 * s, y + 8 * s), (x + 40 * s, y + 4 * s), (x + 48 * s, y + 38 * s),
                       (x - 32 * s, y + 42 * s)], fill=(250, 250, 250))
            # student: back, head bent over the sheet
            d.rounded_rectangle([x - 70 * s, y + 10 * s, x + 70 * s, y + 170 * s], radius=int(40 * s),
                                fill=rnd.choice(shirts))
            hair = rnd.choice([(30, 24, 20), (60, 40, 26), (20, 20, 20), (110, 80, 50)])
            d.ellipse([x - 40 * s, y - 60 * s, x + 40 * s, y + 30 * s], fill=hair)
            if rnd.random() < 0.4:  # a bow or ponytail
                d.ellipse([x - 16 * s, y - 80 * s, x + 16 * s, y - 50 * s], fill=(250, 250, 250))
    # invigilator standing at the left
    person(d, 120, 1000, 560, (110, 40, 60), hair=(80, 60, 50), legs=(30, 30, 40))
    d.rectangle([150, 700, 210, 780], fill=(240, 240, 236))
    return finish(img, 1704, vignette=0.22)


# ---------------------------------------------------------------- fieldwork: sowing in the evening

def fieldwork():
    rnd = random.Random(1705)
    W, H = LAND
    img = Image.new("RGB", LAND)
    hor = 560
    vgrad(img, (0, 0, W, hor), (120, 150, 196), (246, 206, 150))
    layer(img, lambda l: l.ellipse([220, 380, 380, 540], fill=(255, 236, 190, 255)), blur=8)
    layer(img, lambda l: l.ellipse([60, 240, 560, 700], fill=(255, 210, 150, 90)), blur=70)
    d = ImageDraw.Draw(img)
    # birch groves (kolki) on the horizon
    for gx, gw in [(80, 260), (640, 420), (1260, 300)]:
        for x in range(gx, gx + gw, 12):
            r = rnd.randint(14, 34)
            d.ellipse([x - r, hor - 30 - r, x + r, hor - 30 + r], fill=(96, 110, 74))
        d.rectangle([gx - 10, hor - 30, gx + gw + 10, hor], fill=(96, 110, 74))
    # field: sown part (darker, smooth) and unsown stubble
    vgrad(img, (0, hor, W, H), (150, 120, 84), (108, 80, 54))
    d = ImageDraw.Draw(img)
    d.polygon([(0, hor), (W, hor), (W, 700), (0, 800)], fill=(176, 156, 110))
    for k in range(60):
        y = hor + 4 + k * 4 - k * k * 0.01
        d.line([(0, y + k * 2.2), (W, y)], fill=(160, 140, 96), width=1)
    for i in range(40):  # drill rows in the sown part
        y = 800 + i * 7 + i * i * 0.15
        d.line([(0, y), (W, y - 100 + i * 1.8)], fill=(96, 70, 46), width=2)
    # articulated tractor (side view, to the right) pulling a wide seeder
    tx, ty = 880, 760  # ground under the front wheel
    d.rounded_rectangle([tx - 300, ty - 250, tx + 40, ty - 90], radius=16, fill=(236, 170, 30))
    d.rectangle([tx - 440, ty - 230, tx - 300, ty - 110], fill=(236, 170, 30))
    d.rectangle([tx - 270, ty - 400, tx - 90, ty - 240], fill=(226, 160, 26))
    d.rectangle([tx - 256, ty - 386, tx - 104, ty - 260], fill=(140, 170, 190))
    d.line([(tx - 180, ty - 386), (tx - 180, ty - 260)], fill=(226, 160, 26), width=6)
    d.rectangle([tx - 40, ty - 330, tx - 24, ty - 250], fill=(40, 40, 40))
    d.rectangle([tx - 20, ty - 200, tx + 48, ty - 160], fill=(60, 60, 60))
    for cx in (tx - 60, tx - 380):
        r = 110
        d.ellipse([cx - r, ty - r * 2, cx + r, ty], fill=(26, 26, 28))
        d.ellipse([cx - r * 0.45, ty - r * 1.45, cx + r * 0.45, ty - r * 0.55], fill=(180, 150, 60))
    # seeder: long frame with bins, going back to the left
    d.line([(tx - 480, ty - 120), (tx - 560, ty - 110)], fill=(60, 60, 60), width=10)
    d.rectangle([tx - 860, ty - 230, tx - 560, ty - 110], fill=(40, 110, 60))
    d.rectangle([tx - 840, ty - 280, tx - 580, ty - 230], fill=(50, 130, 70))
    for k in range(10):
        x = tx - 850 + k * 30
        d.line([(x, ty - 110), (x - 8, ty - 40)], fill=(50, 50, 54), width=6)
    for cx in (tx - 820, tx - 600):
        d.ellipse([cx - 44, ty - 100, cx + 44, ty - 12], fill=(30, 30, 32))
    # dust trail and exhaust
    layer(img, lambda l: [l.ellipse([tx - 1000 - k * 120, ty - 170 - k * 30, tx - 640 - k * 60, ty + 20],
                                    fill=(214, 186, 140, 110)) for k in range(5)], blur=40)
    layer(img, lambda l: [l.ellipse([tx - 60 + k * 20, ty - 380 - k * 40, tx + k * 30, ty - 330 - k * 40],
                                    fill=(80, 80, 84, 70)) for k in range(4)], blur=14)
    layer(img, lambda l: l.ellipse([tx - 900, ty - 30, tx + 120, ty + 40], fill=(0, 0, 0, 80)), blur=20)
    return finish(img, 1705, vignette=0.32)


# ---------------------------------------------------------------- interview: search team leader

def interview():
    rnd = random.Random(1706)
    W, H = PORT
    img = Image.new("RGB", PORT)
    vgrad(img, (0, 0, W, H), (190, 206, 214), (120, 140, 110))
    d = ImageDraw.Draw(img)
    # birch wood behind, to be blurred
    crowns = []
    for x in range(-40, W + 80, 110):
        crowns += birch(d, x + rnd.randint(-30, 30), 1500, rnd.randint(1200, 1500), rnd)
    layer(img, lambda l: [l.ellipse([x - r, y - r, x + r, y + r], fill=(130, 170, 90, 150)) for x, y, r in crowns])
    img = img.filter(ImageFilter.GaussianBlur(16))
    d = ImageDraw.Draw(img)
    cx = W // 2 - 10
    skin, skin_d = (198, 150, 118), (168, 122, 94)
    # camouflage field jacket
    d.polygon([(cx - 480, H), (cx - 440, 1200), (cx - 190, 1080), (cx + 190, 1080), (cx + 440, 1200), (cx + 480, H)],
              fill=(92, 104, 72))
    for _ in range(90):
        x = rnd.uniform(cx - 460, cx + 460)
        y = rnd.uniform(1120, H)
        r = rnd.uniform(20, 50)
        d.ellipse([x - r, y - r * 0.6, x + r, y + r * 0.6], fill=rnd.choice([(70, 80, 54), (120, 120, 90),
                                                                           (60, 60, 46)]))
    d.polygon([(cx - 140, 1070), (cx + 140, 1070), (cx + 60, 1200), (cx - 60, 1200)], fill=(60, 66, 50))
    d.polygon([(cx - 70, 1080), (cx + 70, 1080), (cx, 1250)], fill=(226, 222, 210))
    # neck, head, grey hair and beard
    d.rectangle([cx - 90, 900, cx + 90, 1090], fill=skin_d)
    d.ellipse([cx - 185, 480, cx + 185, 960], fill=skin)
    d.ellipse([cx - 210, 660, cx - 156, 790], fill=skin_d)
    d.ellipse([cx + 156, 660, cx + 210, 790], fill=skin_d)
    d.chord([cx - 190, 452, cx + 190, 740], 180, 360, fill=(176, 172, 166))
    d.rectangle([cx - 190, 590, cx - 166, 680], fill=(176, 172, 166))
    d.rectangle([cx + 166, 590, cx + 190, 680], fill=(176, 172, 166))
    d.chord([cx - 182, 700, cx + 182, 1010], 0, 180, fill=(188, 184, 178))  # beard
    d.ellipse([cx - 60, 840, cx + 60, 880], fill=skin_d)  # lips area
    d.arc([cx - 52, 832, cx + 52, 872], 20, 160, fill=(140, 86, 76), width=7)
    layer(img, lambda l: [l.ellipse([cx - 70 + s * 140 - 24, 704, cx - 70 + s * 140 + 24, 726], fill=(50, 40, 36, 230))
                          for s in (0, 1)] + [l.line([(cx - 112 + s * 140, 668), (cx - 28 + s * 140, 672)],
                                                     fill=(150, 146, 140, 230), width=12) for s in (0, 1)], blur=2)
    layer(img, lambda l: l.line([(cx - 4, 720), (cx - 14, 800), (cx + 12, 812)], fill=(150, 104, 82, 200), width=8),
          blur=3)
    layer(img, lambda l: [l.line([(cx - 150, 760 + k * 8), (cx - 100, 780 + k * 8)], fill=(150, 110, 90, 90), width=4)
                          for k in range(3)], blur=2)  # wrinkles
    layer(img, lambda l: l.ellipse([cx - 210, 540, cx - 40, 960], fill=(90, 60, 40, 60)), blur=40)
    # a small badge on the chest
    d = ImageDraw.Draw(img)
    d.rectangle([cx + 230, 1260, cx + 330, 1320], fill=(200, 40, 40))
    d.rectangle([cx + 240, 1270, cx + 320, 1286], fill=(240, 220, 120))
    return finish(img, 1706, soften=1.5)


# ---------------------------------------------------------------- hockey: from behind the goal

def hockey():
    rnd = random.Random(1707)
    W, H = LAND
    img = Image.new("RGB", LAND)
    # far stands, thinly filled (an amateur final)
    vgrad(img, (0, 0, W, 380), (70, 60, 64), (110, 100, 104))
    d = ImageDraw.Draw(img)
    for r in range(8):
        y = 60 + r * 38
        d.rectangle([0, y, W, y + 30], fill=(150, 40, 44) if r % 2 else (140, 36, 40))
    for _ in range(700):
        x = rnd.randint(0, W)
        y = rnd.randint(40, 340)
        c = rnd.choice([(230, 230, 230), (40, 40, 60), (30, 90, 170), (200, 160, 40), (90, 90, 96)])
        d.ellipse([x, y, x + 14, y + 20], fill=c)
    img.paste(img.crop((0, 0, W, 360)).filter(ImageFilter.GaussianBlur(3)), (0, 0))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 360, W, 400], fill=(200, 216, 228))  # glass
    d.rectangle([0, 400, W, 460], fill=(246, 246, 246))  # boards
    for k in range(0, W, 260):
        d.rectangle([k + 24, 410, k + 230, 450], fill=rnd.choice([(30, 90, 170), (220, 130, 30), (30, 120, 80)]))
    d.rectangle([0, 452, W, 462], fill=(250, 200, 40))
    # ice
    vgrad(img, (0, 462, W, H), (206, 220, 232), (238, 244, 248))
    d = ImageDraw.Draw(img)
    d.polygon([(0, 600), (W, 580), (W, 604), (0, 626)], fill=(40, 80, 190))  # blue line
    d.arc([380, 700, 1220, 1260], 180, 360, fill=(200, 40, 44), width=6)  # crease
    for _ in range(300):
        x = rnd.randint(0, W)
        y = rnd.randint(470, H)
        L = rnd.randint(20, 160)
        a = rnd.uniform(-0.3, 0.3)
        d.line([(x, y), (x + L * math.cos(a), y + L * math.sin(a))], fill=(196, 208, 220), width=1)

    def skater(cx, base, s, jersey, trim):
        shadow(img, cx, base, 300 * s, 90)
        dd = ImageDraw.Draw(img)
        dd.polygon([(cx - 34 * s, base - 120 * s), (cx - 6 * s, base - 120 * s), (cx - 26 * s, base),
                    (cx - 52 * s, base)], fill=(30, 30, 34))
        dd.polygon([(cx + 6 * s, base - 120 * s), (cx + 34 * s, base - 120 * s), (cx + 52 * s, base),
                    (cx + 26 * s, base)], fill=(30, 30, 34))
        dd.line([(cx - 60 * s, base), (cx - 18 * s, base)], fill=(160, 166, 172), width=max(2, int(4 * s)))
        dd.line([(cx + 20 * s, base), (cx + 62 * s, base)], fill=(160, 166, 172), width=max(2, int(4 * s)))
        dd.rectangle([cx - 42 * s, base - 150 * s, cx + 42 * s, base - 110 * s], fill=jersey)
        dd.rectangle([cx - 46 * s, base - 190 * s, cx + 46 * s, base - 146 * s], fill=(25, 25, 30))
        dd.rounded_rectangle([cx - 64 * s, base - 310 * s, cx + 64 * s, base - 180 * s], radius=int(30 * s),
                             fill=jersey)
        dd.rectangle([cx - 64 * s, base - 214 * s, cx + 64 * s, base - 200 * s], fill=trim)
        dd.ellipse([cx - 30 * s, base - 368 * s, cx + 30 * s, base - 306 * s], fill=jersey)
        dd.line([(cx + 50 * s, base - 260 * s), (cx + 70 * s, base - 180 * s)], fill=jersey, width=int(24 * s))
        dd.line([(cx + 70 * s, base - 180 * s), (cx + 150 * s, base - 4 * s)], fill=(40, 40, 40),
                width=max(3, int(8 * s)))
        dd.line([(cx + 150 * s, base - 4 * s), (cx + 196 * s, base - 4 * s)], fill=(40, 40, 40),
                width=max(4, int(12 * s)))

    orange, navy, white = (230, 120, 30), (30, 44, 90), (245, 245, 245)
    skater(520, 640, 0.7, orange, white)
    skater(900, 660, 0.74, navy, white)
    skater(1180, 700, 0.86, orange, white)
    skater(300, 720, 0.9, navy, orange)
    d = ImageDraw.Draw(img)
    d.ellipse([760, 690, 784, 700], fill=(15, 15, 15))  # puck
    # our goalie, from behind, big pads
    gx, gy = 800, 990
    for x0 in (gx - 150, gx + 30):  # leg pads
        d.rounded_rectangle([x0, gy - 190, x0 + 120, gy], radius=18, fill=(238, 240, 244), outline=navy, width=6)
        d.line([(x0 + 60, gy - 180), (x0 + 60, gy - 10)], fill=orange, width=8)
    d.rounded_rectangle([gx - 160, gy - 420, gx + 160, gy - 170], radius=60, fill=navy)
    d.rectangle([gx - 160, gy - 300, gx + 160, gy - 280], fill=orange)
    d.text((gx - 10, gy - 380), "1", fill=white)
    d.ellipse([gx - 70, gy - 520, gx + 70, gy - 390], fill=(245, 245, 245))
    d.rectangle([gx + 150, gy - 320, gx + 260, gy - 200], fill=(245, 245, 245))  # blocker
    d.line([(gx - 150, gy - 260), (gx - 60, gy - 10)], fill=(40, 40, 40), width=14)
    d.polygon([(gx - 70, gy - 30), (gx + 40, gy - 30), (gx + 40, gy - 6), (gx - 70, gy - 6)], fill=(40, 40, 40))
    # the goal frame and net in the foreground
    d.line([(200, H), (200, 560)], fill=(200, 30, 36), width=22)
    d.line([(1400, H), (1400, 560)], fill=(200, 30, 36), width=22)
    d.line([(200, 560), (1400, 560)], fill=(200, 30, 36), width=22)
    layer(img, lambda l: [l.line([(x, 560), (x + 40, H)], fill=(255, 255, 255, 110), width=3)
                          for x in range(210, 1400, 44)] +
          [l.line([(200, y), (1400, y)], fill=(255, 255, 255, 110), width=3) for y in range(600, H, 44)], blur=1)
    return finish(img, 1707, grain=12, vignette=0.25)


# ---------------------------------------------------------------- victory: the eternal flame

def eternal_flame():
    rnd = random.Random(1708)
    W, H = LAND
    img = Image.new("RGB", LAND)
    hor = 640
    vgrad(img, (0, 0, W, hor), (150, 180, 214), (224, 230, 234))
    d = ImageDraw.Draw(img)
    # fir trees and birches behind the memorial
    for x in range(-20, W + 60, 95):
        hh = rnd.randint(260, 380)
        d.polygon([(x, hor - hh), (x - 60, hor + 10), (x + 60, hor + 10)], fill=(40, 72, 54))
    crowns = []
    for x in (90, 300, 1290, 1500):
        crowns += birch(d, x, hor + 20, rnd.randint(420, 520), rnd)
    layer(img, lambda l: [l.ellipse([x - r, y - r, x + r, y + r], fill=(150, 186, 110, 170)) for x, y, r in crowns],
          blur=3)
    # granite wall with a relief band and the stele
    d = ImageDraw.Draw(img)
    d.rectangle([380, 330, 1220, hor + 40], fill=(96, 92, 96))
    d.rectangle([380, 318, 1220, 334], fill=(120, 116, 120))
    for k in range(12):  # names on the wall: rows of short light strokes
        for c in range(3):
            x0 = 430 + c * 270
            y0 = 380 + k * 20
            d.line([(x0, y0), (x0 + rnd.randint(120, 200), y0)], fill=(196, 176, 120), width=4)
    d.polygon([(740, 110), (860, 110), (880, hor + 40), (720, hor + 40)], fill=(124, 120, 124))
    d.polygon([(800, 150), (812, 186), (850, 186), (820, 208), (830, 244), (800, 222), (770, 244), (780, 208),
               (750, 186), (788, 186)], fill=(210, 170, 60))
    # paved square in perspective
    vgrad(img, (0, hor + 40, W, H), (176, 170, 164), (124, 118, 112))
    d = ImageDraw.Draw(img)
    for k in range(-10, 11):
        d.line([(W / 2 + k * 70, hor + 40), (W / 2 + k * 260, H)], fill=(150, 144, 138), width=2)
    for k in range(8):
        y = hor + 40 + (H - hor - 40) * (k / 8) ** 1.6
        d.line([(0, y), (W, y)], fill=(150, 144, 138), width=2)
    # the five-pointed star with the flame in the centre
    cx, cy = 800, 860
    pts = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        r = 260 if k % 2 == 0 else 110
        pts.append((cx + math.cos(a) * r, cy + math.sin(a) * r * 0.36))
    d.polygon([(x, y + 30) for x, y in pts], fill=(70, 66, 70))
    d.polygon(pts, fill=(100, 96, 100))
    layer(img, lambda l: l.ellipse([cx - 200, cy - 260, cx + 200, cy + 40], fill=(255, 190, 80, 110)), blur=50)
    layer(img, lambda l: [l.polygon([(cx - 46 + k * 8, cy), (cx + k * 10, cy - 150 - k * 10), (cx + 46 - k * 8, cy)],
                                    fill=c) for k, c in enumerate([(240, 120, 30, 255), (250, 170, 40, 255),
                                                                   (255, 226, 120, 255)])], blur=5)
    # flowers and wreaths laid around the star
    for _ in range(160):
        a = rnd.uniform(0, 2 * math.pi)
        r = rnd.uniform(150, 330)
        x, y = cx + math.cos(a) * r, cy + 20 + math.sin(a) * r * 0.36
        d.line([(x, y), (x + rnd.uniform(-30, 30), y + 12)], fill=(60, 110, 50), width=3)
        d.ellipse([x - 9, y - 9, x + 9, y + 7], fill=rnd.choice([RED, RED, (200, 20, 60), (250, 250, 250)]))
    for wx in (470, 1130):
        d.ellipse([wx - 90, 740, wx + 90, 920], fill=(40, 90, 50))
        d.ellipse([wx - 52, 776, wx + 52, 884], fill=(176, 170, 164))
        for k in range(14):
            a = k / 14 * 2 * math.pi
            d.ellipse([wx + math.cos(a) * 70 - 12, 830 + math.sin(a) * 70 - 12,
                       wx + math.cos(a) * 70 + 12, 830 + math.sin(a) * 70 + 12], fill=RED)
        d.polygon([(wx - 20, 900), (wx + 20, 900), (wx + 40, 1000), (wx - 40, 1000)], fill=(20, 110, 150))
    # a schoolgirl and a schoolboy of the honour guard
    for x, body in [(300, (240, 240, 236)), (1310, (30, 60, 110))]:
        shadow(img, x, 1010, 380)
        d = ImageDraw.Draw(img)
        person(d, x, 1010, 380, body, hair=(40, 30, 24), legs=(30, 30, 40))
        d.rectangle([x - 36, 1010 - 380 * 0.84 - 58, x + 36, 1010 - 380 * 0.84 - 40], fill=(60, 90, 60))
    return finish(img, 1708)


def main():
    for fn, name in [
        (victory, "victory-1.jpg"),
        (eternal_flame, "victory-2.jpg"),
        (navigation, "navigation-1.jpg"),
        (subbotnik, "subbotnik-1.jpg"),
        (olympiad, "olympiad-1.jpg"),
        (fieldwork, "fieldwork-1.jpg"),
        (interview, "interview-1.jpg"),
        (hockey, "hockey-1.jpg"),
    ]:
        save(fn(), name)


if __name__ == "__main__":
    main()
