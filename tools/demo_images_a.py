#!/usr/bin/env python3
"""Procedural illustrations for the demo editions 2024/016 (part a: delegation,
harvest, interview, school, clinic) and 2024/015 (ice-drift, concert, football).

Deterministic (fixed seeds), Pillow only. JPEG, RGB, 1600 px on the long side,
quality 85.

Usage: .venv/bin/python tools/demo_images_a.py
"""
import math
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent / "issues" / "2024"
LAND = (1600, 1067)  # 3:2
PORT = (1067, 1600)  # 2:3


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


def finish(img, seed, grain=14, soften=1.0, vignette=0.3):
    w, h = img.size
    img = img.filter(ImageFilter.GaussianBlur(soften))
    rnd = random.Random(seed)
    noise = Image.frombytes("L", img.size, rnd.randbytes(w * h))
    noise = noise.filter(ImageFilter.GaussianBlur(0.9))
    k = grain / 80.0  # blurred uniform noise has sigma ~30, so grain 14 -> sigma ~5
    noise = noise.point(lambda v: max(0, min(255, int(round(128 + (v - 128) * k)))))
    img = ImageChops.add(img, Image.merge("RGB", (noise,) * 3), 1.0, -128)
    if vignette:
        mask = Image.new("L", img.size, 0)
        ImageDraw.Draw(mask).ellipse([-w * 0.18, -h * 0.2, w * 1.18, h * 1.2], fill=255)
        mask = mask.filter(ImageFilter.GaussianBlur(min(w, h) // 6))
        dark = img.point(lambda v: int(v * (1 - vignette)))
        img = Image.composite(img, dark, mask)
    return img


def save(img, edition, name):
    out = ROOT / edition / "images"
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    img.convert("RGB").save(path, "JPEG", quality=85, optimize=True)
    size = path.stat().st_size
    print(f"{path.relative_to(ROOT.parent.parent)}  {img.size[0]}x{img.size[1]}  {size // 1024} KB")
    assert size < 350 * 1024, f"{name} is too big"


# ---------------------------------------------------------------- 016

def delegation():
    rnd = random.Random(1601)
    W, H = LAND
    img = Image.new("RGB", LAND)
    vgrad(img, (0, 0, W, 620), (118, 160, 205), (214, 226, 236))
    vgrad(img, (0, 620, W, H), (168, 160, 140), (120, 112, 98))
    d = ImageDraw.Draw(img)
    # far plant: chimneys, columns, tanks
    for i in range(7):
        x = 80 + i * 210 + rnd.randint(-30, 30)
        bw, bh = rnd.randint(140, 200), rnd.randint(120, 220)
        d.rectangle([x, 620 - bh, x + bw, 620], fill=lerp((150, 156, 166), (120, 126, 138), rnd.random()))
        for r in range(3):
            for c in range(bw // 30):
                d.rectangle([x + 10 + c * 30, 620 - bh + 20 + r * 35, x + 24 + c * 30, 620 - bh + 36 + r * 35],
                            fill=(96, 104, 118))
    for x, hgt in [(300, 420), (360, 380), (980, 450), (1360, 360)]:
        d.polygon([(x - 18, 620), (x + 18, 620), (x + 11, 620 - hgt), (x - 11, 620 - hgt)], fill=(170, 168, 166))
        for s in range(3):
            yy = 620 - hgt + 30 + s * 40
            d.rectangle([x - 16, yy, x + 16, yy + 12], fill=(190, 60, 50))
    layer(img, lambda l: [l.ellipse([x - 60 + k * 40, 140 - k * 45 - (x % 7) * 4, x + 70 + k * 70, 230 - k * 40],
                                    fill=(240, 240, 240, 150))
                          for x in (300, 980) for k in range(4)], blur=25)
    for i in range(5):  # columns with platforms
        x = 560 + i * 60
        d.rectangle([x, 300 + i * 12, x + 26, 620], fill=(184, 186, 190))
        d.rectangle([x - 8, 380 + i * 12, x + 34, 386 + i * 12], fill=(120, 120, 120))
    for i in range(4):  # tanks
        cx = 1080 + i * 120
        d.rectangle([cx - 50, 520, cx + 50, 620], fill=(226, 228, 230))
        d.ellipse([cx - 50, 505, cx + 50, 535], fill=(236, 238, 240))
    d.line([(0, 600), (W, 600)], fill=(90, 92, 96), width=6)
    d.line([(0, 585), (W, 585)], fill=(110, 112, 118), width=4)
    # asphalt area and fence
    d.polygon([(0, 760), (W, 700), (W, H), (0, H)], fill=(92, 92, 96))
    for x in range(0, W, 48):
        d.line([(x, 640), (x, 700)], fill=(70, 80, 74), width=3)
    d.line([(0, 650), (W, 650)], fill=(70, 80, 74), width=3)
    d.line([(0, 690), (W, 690)], fill=(70, 80, 74), width=3)
    # group of visitors
    jackets = [(30, 36, 52), (58, 60, 66), (110, 34, 38), (24, 60, 100), (70, 70, 76),
               (210, 120, 40), (30, 30, 34), (90, 80, 64), (40, 70, 60)]
    group = sorted([(rnd.randint(250, 1350), rnd.randint(880, 1010)) for _ in range(11)], key=lambda p: p[1])
    for x, y in group:
        hgt = 300 + (y - 880) * 0.9
        layer(img, lambda l, x=x, y=y, hgt=hgt: l.ellipse([x - hgt * 0.2, y - 14, x + hgt * 0.22, y + 12],
                                                           fill=(0, 0, 0, 110)), blur=8)
        d = ImageDraw.Draw(img)
        person(d, x, y, hgt, rnd.choice(jackets), hair=rnd.choice([(40, 30, 24), (80, 70, 60), (150, 150, 150)]))
        if rnd.random() < 0.45:  # hard hat
            hh = hgt * 0.13
            d.chord([x - hh * 0.6, y - hgt * 0.84 - hh * 1.15, x + hh * 0.6, y - hgt * 0.84 - hh * 0.25],
                    180, 360, fill=(245, 245, 240))
    return finish(img, 1601)


def harvest():
    rnd = random.Random(1602)
    W, H = LAND
    img = Image.new("RGB", LAND)
    hor = 430
    vgrad(img, (0, 0, W, hor), (96, 150, 214), (226, 232, 228))
    layer(img, lambda l: l.ellipse([1180, 70, 1330, 220], fill=(255, 248, 220, 255)), blur=6)
    layer(img, lambda l: l.ellipse([1080, -30, 1430, 320], fill=(255, 240, 200, 90)), blur=60)
    layer(img, lambda l: [l.ellipse([x, y, x + rnd.randint(180, 320), y + rnd.randint(30, 60)],
                                    fill=(255, 255, 255, 170))
                          for x, y in [(100, 90), (380, 60), (640, 140), (900, 80), (200, 210)]], blur=18)
    d = ImageDraw.Draw(img)
    # treeline (shelter belt)
    for x in range(0, W, 14):
        r = rnd.randint(14, 28)
        d.ellipse([x - r, hor - 22 - r, x + r, hor - 22 + r], fill=(66, 88, 58))
    d.rectangle([0, hor - 22, W, hor], fill=(66, 88, 58))
    # field: furrows converging to a vanishing point
    vgrad(img, (0, hor, W, H), (140, 118, 88), (96, 72, 50))
    d = ImageDraw.Draw(img)
    vx = W * 0.62
    for i in range(-40, 70):
        xb = vx + i * 60
        d.line([(vx + i * 3, hor), (xb, H)], fill=(84, 64, 46), width=3)
    # stubble strip at the left
    d.polygon([(0, hor + 40), (380, hor), (0, hor)], fill=(186, 166, 112))
    # tractor with seeder
    tx, ty = 520, 820
    d.polygon([(tx - 420, ty - 20), (tx - 40, ty - 40), (tx - 40, ty + 20), (tx - 420, ty + 40)], fill=(176, 40, 34))
    for k in range(12):
        xx = tx - 400 + k * 30
        d.line([(xx, ty + 30 - k * 1.5), (xx - 6, ty + 80 - k * 1.5)], fill=(50, 50, 54), width=6)
    d.rounded_rectangle([tx, ty - 190, tx + 330, ty + 20], radius=18, fill=(40, 110, 56))
    d.rectangle([tx + 190, ty - 330, tx + 330, ty - 180], fill=(36, 96, 50))
    d.rectangle([tx + 205, ty - 315, tx + 318, ty - 200], fill=(170, 200, 214))
    d.line([(tx + 262, ty - 315), (tx + 262, ty - 200)], fill=(36, 96, 50), width=6)
    d.rectangle([tx + 40, ty - 270, tx + 56, ty - 190], fill=(40, 40, 40))
    for cx, cy, r in [(tx + 260, ty + 40, 120), (tx + 70, ty + 60, 80)]:
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(28, 28, 30))
        d.ellipse([cx - r * 0.45, cy - r * 0.45, cx + r * 0.45, cy + r * 0.45], fill=(200, 170, 50))
    layer(img, lambda l: l.ellipse([tx - 460, ty + 20, tx + 420, ty + 200], fill=(0, 0, 0, 70)), blur=30)
    layer(img, lambda l: [l.ellipse([tx - 520 - k * 90, ty - 110 - k * 25, tx - 300 - k * 60, ty + 10],
                                    fill=(200, 178, 140, 90)) for k in range(4)], blur=35)
    return finish(img, 1602)


def interview_portrait():
    W, H = PORT
    img = Image.new("RGB", PORT)
    vgrad(img, (0, 0, W, 700), (150, 186, 214), (210, 222, 226))
    vgrad(img, (0, 700, W, H), (110, 140, 150), (70, 96, 108))
    layer(img, lambda l: [l.ellipse([x, 560, x + 260, 760], fill=(70, 100, 66, 255))
                          for x in range(-100, W, 170)], blur=0)
    layer(img, lambda l: [l.ellipse([x, y, x + 60, y + 60], fill=(255, 255, 255, 60))
                          for x, y in [(120, 900), (300, 980), (760, 940), (900, 1010), (520, 860)]], blur=6)
    img = img.filter(ImageFilter.GaussianBlur(14))  # out-of-focus background
    d = ImageDraw.Draw(img)
    cx = W // 2 + 20
    skin, skin_d = (206, 160, 128), (176, 128, 100)
    # jacket and shirt
    d.polygon([(cx - 470, H), (cx - 420, 1180), (cx - 200, 1060), (cx + 200, 1060), (cx + 420, 1180), (cx + 470, H)],
              fill=(36, 52, 70))
    d.polygon([(cx - 120, 1060), (cx + 120, 1060), (cx, 1330)], fill=(224, 232, 238))
    d.polygon([(cx - 22, 1110), (cx + 22, 1110), (cx + 34, 1380), (cx, 1420), (cx - 34, 1380)], fill=(110, 34, 40))
    d.polygon([(cx - 200, 1060), (cx - 110, 1060), (cx - 10, 1380), (cx - 150, 1200)], fill=(28, 42, 58))
    d.polygon([(cx + 200, 1060), (cx + 110, 1060), (cx + 10, 1380), (cx + 150, 1200)], fill=(28, 42, 58))
    # neck and head
    d.rectangle([cx - 90, 880, cx + 90, 1080], fill=skin_d)
    d.ellipse([cx - 190, 470, cx + 190, 960], fill=skin)
    d.ellipse([cx - 215, 660, cx - 160, 790], fill=skin_d)
    d.ellipse([cx + 160, 660, cx + 215, 790], fill=skin_d)
    d.chord([cx - 196, 440, cx + 196, 760], 180, 360, fill=(60, 56, 54))
    d.rectangle([cx - 196, 590, cx - 170, 700], fill=(60, 56, 54))
    d.rectangle([cx + 170, 590, cx + 196, 700], fill=(60, 56, 54))
    layer(img, lambda l: [l.ellipse([cx - 70 + s * 140 - 26, 698, cx - 70 + s * 140 + 26, 722], fill=(50, 40, 36, 230))
                          for s in (0, 1)] + [l.line([(cx - 110 + s * 140, 665), (cx - 30 + s * 140, 660)],
                                                     fill=(70, 60, 56, 220), width=10) for s in (0, 1)], blur=2)
    layer(img, lambda l: l.line([(cx - 6, 720), (cx - 16, 800), (cx + 10, 810)], fill=(160, 112, 88, 200), width=8),
          blur=3)
    layer(img, lambda l: l.arc([cx - 70, 800, cx + 70, 880], 20, 160, fill=(150, 90, 80, 220), width=8), blur=2)
    layer(img, lambda l: l.ellipse([cx + 40, 560, cx + 200, 940], fill=(90, 60, 40, 60)), blur=40)  # side shade
    return finish(img, 1603, soften=1.6)


def interview_flood():
    rnd = random.Random(1604)
    W, H = LAND
    img = Image.new("RGB", LAND)
    hor = 470
    vgrad(img, (0, 0, W, hor), (120, 150, 190), (222, 226, 230))
    layer(img, lambda l: [l.ellipse([x, y, x + rnd.randint(250, 420), y + rnd.randint(50, 90)],
                                    fill=(240, 242, 246, 180))
                          for x, y in [(50, 60), (420, 120), (820, 40), (1150, 130), (600, 250)]], blur=24)
    vgrad(img, (0, hor, W, H), (176, 188, 196), (86, 104, 118))
    d = ImageDraw.Draw(img)
    # far bank with village
    d.polygon([(0, hor), (0, hor - 24), (W, hor - 12), (W, hor)], fill=(96, 110, 88))
    for i in range(16):
        x = 900 + i * 40 + rnd.randint(-6, 6)
        d.rectangle([x, hor - 40, x + 28, hor - 16], fill=rnd.choice([(200, 196, 186), (170, 120, 90), (210, 210, 200)]))
        d.polygon([(x - 4, hor - 40), (x + 14, hor - 56), (x + 32, hor - 40)], fill=(110, 70, 60))
    # ripples
    for _ in range(260):
        y = rnd.randint(hor + 5, H)
        x = rnd.randint(0, W)
        L = 10 + (y - hor) * 0.25
        d.line([(x, y), (x + L, y)], fill=(200, 210, 218) if rnd.random() < 0.5 else (80, 96, 110), width=2)
    # half-submerged willows
    for bx in [120, 330, 560, 1240, 1450]:
        by = hor + 140 + rnd.randint(-30, 60)
        d.line([(bx, by), (bx - 10, by - 160)], fill=(60, 52, 44), width=10)
        d.line([(bx - 6, by - 100), (bx + 40, by - 180)], fill=(60, 52, 44), width=6)
        layer(img, lambda l, bx=bx, by=by: [l.ellipse([bx - 90 + k * 30, by - 300 + (k % 2) * 30, bx + 10 + k * 30,
                                                       by - 160], fill=(110, 130, 78, 230)) for k in range(4)],
              blur=6)
        layer(img, lambda l, bx=bx, by=by: l.rectangle([bx - 80, by + 4, bx + 80, by + 120], fill=(60, 70, 50, 60)),
              blur=14)
        d = ImageDraw.Draw(img)
    # dacha fence in water
    for k in range(10):
        x = 700 + k * 34
        d.rectangle([x, 700, x + 10, 770], fill=(110, 88, 66))
    d.line([(690, 720), (1050, 720)], fill=(110, 88, 66), width=6)
    return finish(img, 1604)


def school():
    rnd = random.Random(1605)
    W, H = LAND
    img = Image.new("RGB", LAND)
    vgrad(img, (0, 0, W, 640), (232, 226, 206), (214, 206, 184))
    vgrad(img, (0, 640, W, H), (170, 130, 90), (126, 92, 62))
    d = ImageDraw.Draw(img)
    # blackboard and windows
    d.rectangle([440, 120, 1160, 440], fill=(120, 90, 60))
    d.rectangle([456, 136, 1144, 424], fill=(40, 70, 58))
    layer(img, lambda l: [l.line([(500 + k * 90, 200 + (k % 3) * 40), (560 + k * 90, 180 + (k % 2) * 60)],
                                 fill=(230, 236, 230, 160), width=4) for k in range(7)], blur=1)
    d = ImageDraw.Draw(img)
    for x in (60, 1260):
        d.rectangle([x, 110, x + 280, 540], fill=(250, 250, 246))
        d.rectangle([x + 14, 124, x + 266, 526], fill=(206, 228, 244))
        d.line([(x + 140, 124), (x + 140, 526)], fill=(250, 250, 246), width=10)
        d.line([(x + 14, 300), (x + 266, 300)], fill=(250, 250, 246), width=10)
    layer(img, lambda l: [l.polygon([(x, 540), (x + 280, 540), (x + 420, H), (x - 160, H)],
                                    fill=(255, 250, 220, 50)) for x in (60, 1260)], blur=30)
    d = ImageDraw.Draw(img)
    # desk with the robot in front
    d.polygon([(180, 760), (1420, 760), (1560, 960), (40, 960)], fill=(196, 164, 118))
    d.rectangle([40, 960, 1560, 990], fill=(150, 120, 84))
    # robot: orange body on tracks
    rx, ry = 720, 800
    d.rounded_rectangle([rx - 20, ry + 40, rx + 300, ry + 120], radius=40, fill=(40, 40, 44))
    for k in range(9):
        d.ellipse([rx + 6 + k * 32, ry + 64, rx + 34 + k * 32, ry + 96], fill=(110, 110, 116))
    d.rounded_rectangle([rx + 20, ry - 90, rx + 260, ry + 50], radius=16, fill=(236, 120, 30))
    d.rectangle([rx + 100, ry - 150, rx + 180, ry - 90], fill=(60, 60, 66))
    d.ellipse([rx + 118, ry - 140, rx + 162, ry - 100], fill=(120, 200, 240))
    d.rectangle([rx + 40, ry - 60, rx + 90, ry - 30], fill=(30, 110, 60))
    for k in range(4):
        d.ellipse([rx + 120 + k * 30, ry - 40, rx + 136 + k * 30, ry - 24],
                  fill=[(240, 40, 40), (60, 220, 80), (250, 210, 60), (80, 140, 250)][k])
    # laptop
    d.polygon([(300, 860), (560, 860), (600, 900), (260, 900)], fill=(70, 72, 78))
    d.polygon([(320, 700), (540, 700), (560, 860), (300, 860)], fill=(40, 42, 48))
    d.polygon([(334, 714), (528, 714), (546, 846), (314, 846)], fill=(60, 120, 170))
    # kids behind the desk
    for x, shirt in [(560, (40, 70, 140)), (1130, (180, 40, 50)), (1330, (240, 240, 240)), (360, (30, 30, 36))]:
        hgt = 620
        d.rounded_rectangle([x - 90, 760 - 200, x + 90, 760], radius=50, fill=shirt)
        d.ellipse([x - 52, 760 - 320, x + 52, 760 - 190], fill=(212, 168, 134))
        d.chord([x - 56, 760 - 330, x + 56, 760 - 240], 180, 360, fill=(30, 24, 22))
    return finish(img, 1605)


def clinic():
    rnd = random.Random(1606)
    W, H = LAND
    img = Image.new("RGB", LAND)
    vgrad(img, (0, 0, W, 720), (226, 236, 240), (206, 220, 226))
    vgrad(img, (0, 720, W, H), (180, 196, 200), (150, 166, 172))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 560, W, 590], fill=(120, 170, 190))  # wall stripe
    # window with blinds
    d.rectangle([1060, 90, 1500, 520], fill=(246, 248, 250))
    d.rectangle([1076, 106, 1484, 504], fill=(214, 232, 242))
    for y in range(110, 500, 18):
        d.line([(1076, y), (1484, y)], fill=(236, 240, 242), width=8)
    # cabinet with glass doors
    d.rectangle([120, 200, 460, 720], fill=(240, 242, 244))
    for r in range(4):
        d.line([(130, 310 + r * 100), (450, 310 + r * 100)], fill=(190, 200, 206), width=4)
        for k in range(6):
            d.rectangle([150 + k * 48, 270 + r * 100, 176 + k * 48, 306 + r * 100],
                        fill=rnd.choice([(250, 250, 250), (180, 210, 230), (230, 180, 170)]))
    d.line([(290, 210), (290, 710)], fill=(200, 206, 210), width=4)
    # couch and table
    d.rectangle([560, 620, 920, 700], fill=(230, 234, 236))
    d.rectangle([560, 700, 920, 740], fill=(120, 150, 160))
    d.rectangle([980, 640, 1400, 660], fill=(250, 250, 250))
    d.rectangle([1000, 660, 1020, 860], fill=(190, 196, 200))
    d.rectangle([1360, 660, 1380, 860], fill=(190, 196, 200))
    d.rectangle([1050, 600, 1110, 640], fill=(240, 240, 240))
    d.ellipse([1180, 610, 1240, 640], fill=(90, 150, 210))
    # nurse in white coat and patient
    person(d, 880, 1010, 640, (248, 250, 250), hair=(70, 50, 40), legs=(210, 220, 226))
    d.rectangle([870, 1010 - 640 * 0.84 + 10, 890, 1010 - 640 * 0.5], fill=(110, 170, 200))
    person(d, 1240, 1030, 600, (160, 60, 70), hair=(160, 160, 160), legs=(50, 54, 70))
    layer(img, lambda l: l.rectangle([0, 0, W, H], fill=(255, 255, 255, 20)))
    layer(img, lambda l: l.ellipse([960, 20, 1620, 620], fill=(255, 255, 250, 70)), blur=80)
    return finish(img, 1606, vignette=0.22)


# ---------------------------------------------------------------- 015

def ice_drift():
    rnd = random.Random(1501)
    W, H = LAND
    img = Image.new("RGB", LAND)
    hor = 400
    vgrad(img, (0, 0, W, hor), (140, 164, 196), (226, 230, 236))
    d = ImageDraw.Draw(img)
    # far bank with city skyline
    for i in range(34):
        x = i * 48 + rnd.randint(-8, 8)
        bh = rnd.randint(30, 120)
        d.rectangle([x, hor - bh, x + rnd.randint(30, 46), hor], fill=(120, 128, 140))
    d.rectangle([0, hor - 8, W, hor], fill=(100, 108, 96))
    vgrad(img, (0, hor, W, H), (120, 136, 150), (58, 72, 86))
    d = ImageDraw.Draw(img)
    # ice floes: polygons, larger towards the viewer
    for _ in range(240):
        y = rnd.uniform(hor + 6, H - 150)
        s = 10 + (y - hor) * 0.32
        x = rnd.uniform(-50, W + 50)
        pts = []
        for k in range(rnd.randint(5, 8)):
            a = k / 7 * 2 * math.pi + rnd.uniform(-0.3, 0.3)
            r = s * rnd.uniform(0.6, 1.2)
            pts.append((x + math.cos(a) * r * 1.8, y + math.sin(a) * r * 0.45))
        c = rnd.randint(196, 240)
        d.polygon(pts, fill=(c, c + 6 if c < 249 else 255, min(255, c + 12)))
        d.line(pts[:len(pts) // 2 + 1], fill=(150, 164, 178), width=2)
    # embankment parapet and railing in the foreground
    d.rectangle([0, H - 130, W, H], fill=(170, 164, 154))
    d.rectangle([0, H - 136, W, H - 124], fill=(200, 196, 188))
    d.line([(0, H - 250), (W, H - 250)], fill=(40, 44, 48), width=10)
    for x in range(20, W, 90):
        d.rectangle([x, H - 250, x + 10, H - 130], fill=(40, 44, 48))
    for x in range(65, W, 90):
        d.line([(x - 30, H - 230), (x + 30, H - 150)], fill=(40, 44, 48), width=4)
        d.line([(x + 30, H - 230), (x - 30, H - 150)], fill=(40, 44, 48), width=4)
    # spectators
    for x, c in [(300, (120, 30, 30)), (360, (40, 50, 70)), (1180, (60, 80, 60)), (1240, (200, 140, 40))]:
        person(d, x, H - 70, 300, c)
    return finish(img, 1501)


def concert():
    rnd = random.Random(1502)
    W, H = LAND
    img = Image.new("RGB", LAND)
    vgrad(img, (0, 0, W, 620), (18, 14, 24), (44, 30, 36))
    vgrad(img, (0, 620, W, H), (120, 74, 40), (70, 40, 24))
    d = ImageDraw.Draw(img)
    # organ pipes / back wall panels
    for i in range(28):
        x = 280 + i * 38
        top = 120 + abs(i - 13.5) * 12
        d.rectangle([x, top, x + 24, 420], fill=(130, 110, 70))
    # spotlights
    for sx in (320, 800, 1280):
        layer(img, lambda l, sx=sx: l.polygon([(sx - 20, 0), (sx + 20, 0), (sx + 260, 860), (sx - 260, 860)],
                                              fill=(255, 236, 190, 55)), blur=40)
    d = ImageDraw.Draw(img)
    # risers
    for r in range(3):
        d.rectangle([150 - r * 50, 560 + r * 90, W - 150 + r * 50, 580 + r * 90], fill=(96, 58, 34))
    # musicians: dark suits, chairs, music stands
    for r, (y, n) in enumerate([(600, 16), (690, 14), (790, 12)]):
        for k in range(n):
            x = 230 + r * 40 + k * (1140 - r * 80) / (n - 1) + rnd.randint(-8, 8)
            s = 0.55 + r * 0.15
            d.rounded_rectangle([x - 34 * s, y - 150 * s, x + 34 * s, y], radius=int(18 * s), fill=(14, 14, 18))
            d.ellipse([x - 20 * s, y - 196 * s, x + 20 * s, y - 146 * s], fill=(200, 158, 128))
            d.line([(x + 40 * s, y), (x + 40 * s, y - 110 * s)], fill=(30, 30, 30), width=3)
            d.rectangle([x + 20 * s, y - 140 * s, x + 70 * s, y - 108 * s], fill=(230, 226, 210))
            if r == 2 and k % 3 == 0:  # violin bows
                d.line([(x - 50 * s, y - 150 * s), (x + 40 * s, y - 60 * s)], fill=(200, 180, 140), width=3)
    # conductor on a podium
    d.rectangle([740, 930, 860, 990], fill=(50, 30, 20))
    person(d, 800, 930, 380, (10, 10, 14), skin=(190, 190, 192), hair=(200, 200, 200), legs=(10, 10, 14))  # seen from behind
    d.line([(840, 640), (950, 560)], fill=(240, 240, 240), width=4)
    layer(img, lambda l: l.rectangle([0, 0, W, 80], fill=(0, 0, 0, 160)), blur=40)
    return finish(img, 1502, vignette=0.45, grain=16)


def football():
    rnd = random.Random(1503)
    W, H = LAND
    img = Image.new("RGB", LAND)
    vgrad(img, (0, 0, W, 200), (130, 160, 200), (200, 214, 228))
    d = ImageDraw.Draw(img)
    # stands with crowd
    d.polygon([(0, 150), (W, 110), (W, 360), (0, 380)], fill=(70, 74, 84))
    for _ in range(4200):
        x = rnd.uniform(0, W)
        ytop = 150 - x * 40 / W
        ybot = 380 - x * 20 / W
        y = rnd.uniform(ytop + 6, ybot - 6)
        c = rnd.choice([(30, 80, 160), (240, 240, 240), (200, 40, 40), (220, 180, 40), (40, 40, 44), (190, 150, 120)])
        d.ellipse([x - 4, y - 4, x + 4, y + 4], fill=c)
    d.rectangle([0, 370, W, 400], fill=(30, 90, 150))  # advertising boards
    for k in range(8):
        d.rectangle([30 + k * 200, 376, 170 + k * 200, 394], fill=(240, 240, 240))
    # floodlight masts
    for x in (120, 1480):
        d.rectangle([x - 6, 0, x + 6, 160], fill=(90, 90, 96))
        d.rectangle([x - 40, 0, x + 40, 30], fill=(230, 230, 220))
    # pitch with mowing stripes in perspective
    vgrad(img, (0, 400, W, H), (70, 140, 60), (50, 120, 44))
    d = ImageDraw.Draw(img)
    vx = W / 2
    for i in range(-12, 13, 2):
        d.polygon([(vx + i * 70, 400), (vx + (i + 1) * 70, 400), (vx + (i + 1) * 260, H), (vx + i * 260, H)],
                  fill=(62, 132, 54))
    d.line([(0, 470), (W, 460)], fill=(236, 240, 236), width=5)
    d.line([(980, 400), (1240, H)], fill=(236, 240, 236), width=5)
    d.arc([300, 520, 1100, 760], 200, 340, fill=(236, 240, 236), width=5)
    # players
    home, away = (250, 250, 250), (200, 30, 40)
    for x, y, team in [(520, 760, home), (640, 700, away), (760, 820, home), (900, 680, away), (1100, 740, away),
                       (330, 640, home), (1300, 640, home), (1200, 880, away)]:
        h = 200 + (y - 600) * 1.2
        layer(img, lambda l, x=x, y=y, h=h: l.ellipse([x - h * 0.16, y - 10, x + h * 0.3, y + 14],
                                                       fill=(0, 0, 0, 90)), blur=6)
        d = ImageDraw.Draw(img)
        person(d, x, y, h, team, legs=(30, 40, 90) if team == home else (240, 240, 240))
    d.ellipse([820, 832, 846, 858], fill=(250, 250, 250))
    d.ellipse([828, 838, 836, 846], fill=(30, 30, 30))
    return finish(img, 1503)


def main():
    for fn, ed, name in [
        (delegation, "016", "delegation-1.jpg"),
        (harvest, "016", "harvest-1.jpg"),
        (interview_portrait, "016", "interview-1.jpg"),
        (interview_flood, "016", "interview-2.jpg"),
        (school, "016", "school-1.jpg"),
        (clinic, "016", "clinic-1.jpg"),
        (ice_drift, "015", "ice-drift-1.jpg"),
        (concert, "015", "concert-1.jpg"),
        (football, "015", "football-1.jpg"),
    ]:
        save(fn(), ed, name)


if __name__ == "__main__":
    main()
