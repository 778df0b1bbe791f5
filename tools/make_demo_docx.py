#!/usr/bin/env python3
"""The Word file of the demo edition 2024/017: issues/2024/017/incoming/biblioteka.docx.

An article as a journalist sends it: a rubric in a custom «Рубрика» style, Title and Subtitle,
Heading 2 subheads, a Quote, a dash-started line of direct speech, a bulleted list, bold and
italic, a fact box in a custom «Врезка» style, one picture with its caption and credit under it,
a byline at the end. The text is typed as journalists type (straight quotes, hyphens for
dashes): typography is applied by typeset at build time.

Deterministic: the picture is drawn from a fixed seed, the core properties carry fixed dates and
the ZIP entries a fixed time, so the same Pillow and python-docx give the same bytes.

Usage: .venv/bin/python tools/make_demo_docx.py        (python-docx comes with .[test])
Then:  .venv/bin/typeset import issues/2024/017/incoming/biblioteka.docx issues/2024/017
"""
import datetime as dt
import io
import random
import re
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Pt, RGBColor
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "issues" / "2024" / "017" / "incoming" / "biblioteka.docx"
WHEN = dt.datetime(2024, 5, 1, 9, 30)

RUBRIC = "Культура"
TITLE = "Библиотека открыла читальный зал для студентов"
SUBTITLE = ("В областной библиотеке заработал коворкинг на сорок мест: с быстрым интернетом, "
            "лампой и розеткой у каждого стола и учебниками под рукой")
CAPTION = ("В новом читальном зале у каждого рабочего места своя лампа и розетка. "
           "Фото автора")
BYLINE = "Айгерим САПАРОВА"

# (kind, text): p = paragraph, h = subhead, q = quote, li = bullet, fact = the fact box,
# pic = the picture; **bold** and *italic* spans are marked as in Markdown
BODY = [
    ("p", "В областной библиотеке Павлодара 30 апреля открылся новый читальный зал - "
          "коворкинг для студентов. Бывшее книгохранилище на втором этаже, где десятилетиями "
          "стояли стеллажи с подшивками газет, превратилось в светлое пространство с длинными "
          "столами, лампами над каждым рабочим местом и стеной учебной литературы в открытом "
          "доступе. Заниматься здесь можно **бесплатно, ежедневно с 9 до 21 часа** - нужен "
          "только читательский билет."),
    ("p", "Идея появилась два года назад, когда сотрудники заметили: студенты приходят в "
          "библиотеку не столько за книгами, сколько за тишиной и розеткой. Во время сессии "
          "мест в общем читальном зале не хватало, а к компьютерам с утра выстраивалась "
          "очередь."),
    ("pic", CAPTION),
    ("h", "Вместо книгохранилища - коворкинг"),
    ("p", "Ремонт занял пять месяцев и обошёлся в 38 млн. тенге из областного бюджета. "
          "Подшивки газет переехали в оцифрованный фонд, а освободившиеся 260 квадратных "
          "метров разделили на три зоны: общий зал, две переговорные комнаты для групповых "
          "проектов и \"тихую\" комнату, где не принято разговаривать даже шёпотом."),
    ("q", "Мы давно перестали быть только хранилищем книг. Библиотека должна быть местом, "
          "куда хочется прийти после пар: спокойно подготовиться к экзамену, поспорить над "
          "курсовой с одногруппниками и заодно найти книгу, о которой ты даже не знал, - "
          "говорит директор библиотеки Гульнара Сейткалиева."),
    ("p", "В зале есть:"),
    ("li", "40 рабочих мест с настольными лампами и розетками;"),
    ("li", "бесплатный Wi-Fi со скоростью до 500 Мбит/с;"),
    ("li", "две переговорные комнаты, которые можно забронировать на два часа;"),
    ("li", "стеллажи с 4 500 учебниками и справочниками."),
    ("p", "Учебники подбирали вместе с преподавателями павлодарских вузов: в открытом доступе "
          "стоят издания, которых больше всего ждали на абонементе, - от сопромата до "
          "казахского языка для начинающих."),
    ("h", "Первые посетители"),
    ("p", "В первый же день в новый зал записались 126 человек. Студентка третьего курса "
          "*Дана Жумабаева* готовится здесь к государственным экзаменам."),
    ("p", "- Дома у меня двое младших братьев, сосредоточиться невозможно. А здесь тихо, "
          "светло, и если нужен учебник, его не надо заказывать заранее - встаёшь и берёшь с "
          "полки, - рассказала она."),
    ("p", "На открытии первым посетителям подарили часы бесплатной брони переговорных, а "
          "волонтёры книжного клуба провели экскурсию по фонду: показали, где стоят словари, "
          "редкие издания по истории Прииртышья и новинки художественной литературы."),
    ("p", "Сотрудники признаются, что опасаются пустого зала летом, когда студенты "
          "разъезжаются по домам. Поэтому с июня коворкинг откроют и для школьников, которые "
          "готовятся к ЕНТ, а по субботам здесь будут проходить бесплатные консультации по "
          "оформлению курсовых и дипломных работ."),
    ("h", "Как записаться"),
    ("p", "Чтобы заниматься в зале, достаточно оформить читательский билет: это займёт пять "
          "минут, понадобится удостоверение личности. Переговорную комнату бронируют по "
          "телефону или на сайте библиотеки не позднее чем за сутки. *Свои книги и ноутбуки "
          "приносить можно, еду и напитки - нельзя*, кроме воды."),
    ("fact", "**В цифрах**"),
    ("fact", "260 кв. метров - площадь нового зала."),
    ("fact", "38 млн. тенге стоил ремонт."),
    ("fact", "40 рабочих мест и 2 переговорные комнаты."),
    ("fact", "126 читателей записались в первый день."),
    ("p", "Следующим шагом библиотека хочет открыть такие же залы в районных филиалах. "
          "Первыми в очереди стоят Экибастуз и Аксу: там, по словам Гульнары Сейткалиевой, "
          "помещения уже нашли, осталось найти деньги на ремонт."),
]


# --- the picture: a reading room with shelves and lamps -------------------------------------

def draw_reading_room(size: tuple[int, int] = (1600, 1067), seed: int = 17) -> bytes:
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size)
    d = ImageDraw.Draw(image)
    floor = int(height * 0.72)
    for y in range(floor):  # warm wall, lighter towards the lamps
        t = y / floor
        d.line([(0, y), (width, y)], fill=(int(226 - 40 * t), int(208 - 42 * t),
                                           int(178 - 44 * t)))
    for y in range(floor, height):  # wooden floor
        t = (y - floor) / (height - floor)
        d.line([(0, y), (width, y)], fill=(int(128 - 40 * t), int(88 - 30 * t),
                                           int(58 - 22 * t)))
    for x in range(-200, width + 200, 90):  # floor boards in perspective
        d.line([(width / 2 + (x - width / 2) * 0.35, floor), (x, height)], fill=(96, 64, 42))
    palette = [(120, 40, 38), (38, 70, 110), (52, 96, 64), (176, 142, 64), (90, 60, 96),
               (150, 84, 44), (60, 60, 64), (188, 176, 150), (30, 90, 96), (140, 40, 70)]
    for left in (70, 560, 1050):  # three shelving units on the back wall
        right, top = left + 440, 120
        d.rectangle([left - 14, top - 14, right + 14, floor + 6], fill=(92, 58, 36))
        d.rectangle([left, top, right, floor - 6], fill=(58, 38, 26))
        shelf_h = (floor - 6 - top) // 5
        for row in range(5):
            base = top + (row + 1) * shelf_h
            d.rectangle([left, base - 10, right, base], fill=(110, 72, 44))
            x = left + 6
            while x < right - 12:
                w = rng.randint(12, 30)
                h = rng.randint(int(shelf_h * 0.55), shelf_h - 18)
                lean = rng.random() < 0.06
                color = tuple(max(0, min(255, c + rng.randint(-18, 18)))
                              for c in rng.choice(palette))
                if lean:
                    d.polygon([(x, base - 10), (x + w, base - 10), (x + w + 12, base - 10 - h),
                               (x + 12, base - 10 - h)], fill=color)
                    x += w + 16
                    continue
                d.rectangle([x, base - 10 - h, x + w, base - 10], fill=color)
                d.line([(x + 3, base - 10 - h + 8), (x + w - 3, base - 10 - h + 8)],
                       fill=(230, 210, 150), width=2)
                x += w + rng.randint(1, 3)
            if rng.random() < 0.5:  # a gap with a leaning bookend
                gap = rng.randint(left + 60, right - 80)
                d.rectangle([gap, base - 10 - 24, gap + 40, base - 10], fill=(58, 38, 26))
    glow = Image.new("L", size, 0)
    g = ImageDraw.Draw(glow)
    lamps = [160 + i * 215 for i in range(7)]
    for x in lamps:  # pendant lamps over the long table
        g.ellipse([x - 150, 190, x + 150, 520], fill=120)
    glow = glow.filter(ImageFilter.GaussianBlur(70))
    warm = Image.new("RGB", size, (255, 214, 140))
    image = Image.composite(warm, image, glow.point(lambda v: int(v * 0.55)))
    d = ImageDraw.Draw(image)
    for x in lamps:
        d.line([(x, 0), (x, 250)], fill=(40, 36, 32), width=3)
        d.polygon([(x - 46, 300), (x + 46, 300), (x + 22, 250), (x - 22, 250)],
                  fill=(42, 66, 58))
        d.ellipse([x - 20, 292, x + 20, 312], fill=(255, 244, 200))
    top = floor + 30  # the long table with desk lamps and laptops
    d.polygon([(90, top + 70), (width - 90, top + 70), (width - 260, top), (260, top)],
              fill=(176, 128, 82))
    d.rectangle([90, top + 70, width - 90, top + 86], fill=(120, 82, 50))
    for leg in (120, width - 130, 520, width - 540):
        d.rectangle([leg, top + 86, leg + 16, height], fill=(84, 56, 36))
    for i, x in enumerate(range(300, width - 300, 250)):
        if i % 2 == 0:  # a laptop
            d.polygon([(x, top + 50), (x + 110, top + 50), (x + 100, top + 38),
                       (x + 10, top + 38)], fill=(70, 72, 78))
            d.polygon([(x + 10, top + 38), (x + 100, top + 38), (x + 96, top - 30),
                       (x + 14, top - 30)], fill=(52, 54, 60))
            d.polygon([(x + 18, top + 32), (x + 92, top + 32), (x + 89, top - 24),
                       (x + 21, top - 24)], fill=(150, 190, 214))
        else:  # a stack of books and a desk lamp
            for k in range(3):
                color = rng.choice(palette)
                d.rectangle([x + 6 * k, top + 40 - 14 * (k + 1), x + 96 - 4 * k,
                             top + 40 - 14 * k], fill=color)
            d.line([(x + 130, top + 40), (x + 150, top - 30), (x + 190, top - 40)],
                   fill=(30, 30, 30), width=5)
            d.polygon([(x + 176, top - 58), (x + 214, top - 44), (x + 200, top - 20),
                       (x + 170, top - 34)], fill=(40, 90, 70))
    for chair in range(160, width - 160, 250):  # chair backs in the foreground
        d.rounded_rectangle([chair, height - 150, chair + 120, height + 40], radius=18,
                            fill=(52, 40, 34))
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    noise = Image.effect_noise(size, 10).convert("RGB")
    image = Image.blend(image, noise, 0.04)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


# --- the Word file -------------------------------------------------------------------------

def add_text(paragraph: "docx.text.paragraph.Paragraph", text: str) -> None:
    """Runs of a paragraph from **bold** and *italic* marks."""
    for part in re.split(r"(\*\*[^*]+\*\*|\*[^*]+\*)", text):
        if part.startswith("**"):
            paragraph.add_run(part[2:-2]).bold = True
        elif part.startswith("*"):
            paragraph.add_run(part[1:-1]).italic = True
        elif part:
            paragraph.add_run(part)


def make_document() -> bytes:
    document = docx.Document()
    rubric = document.styles.add_style("Рубрика", WD_STYLE_TYPE.PARAGRAPH)
    rubric.base_style = document.styles["Normal"]
    rubric.font.all_caps, rubric.font.bold, rubric.font.size = True, True, Pt(10)
    rubric.font.color.rgb = RGBColor(0x9C, 0x27, 0x2B)
    fact = document.styles.add_style("Врезка", WD_STYLE_TYPE.PARAGRAPH)
    fact.base_style = document.styles["Normal"]
    fact.font.size = Pt(10)
    fact.paragraph_format.left_indent = Cm(1)
    document.add_paragraph(RUBRIC, style="Рубрика")
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(SUBTITLE, style="Subtitle")
    for kind, text in BODY:
        if kind == "pic":
            document.add_picture(io.BytesIO(draw_reading_room()), width=Cm(15))
            document.add_paragraph(text)
        elif kind == "h":
            document.add_heading(text, level=2)
        else:
            style = {"q": "Quote", "li": "List Bullet", "fact": "Врезка"}.get(kind)
            add_text(document.add_paragraph(style=style), text)
    document.add_paragraph(BYLINE)
    core = document.core_properties
    core.author = core.last_modified_by = "Айгерим Сапарова"
    core.title, core.language, core.revision = TITLE, "ru-RU", 1
    core.created = core.modified = core.last_printed = WHEN
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip(out.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same package with every entry dated ``WHEN`` (python-docx stamps the time of day)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=WHEN.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(make_document())
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
