#!/usr/bin/env python3
"""Five demo advertisements for edition 2024/017, made with the project's own tools.

Four vector ads are small HTML/CSS layouts rendered by WeasyPrint with the layout's own OFL
fonts, in device-cmyk() colours only; pikepdf then normalises what WeasyPrint draws in RGB
(typeset's own normalise: RGB greys become K), sets the TrimBox to the module's size and drops
the metadata that would make the bytes differ from run to run; the ad preflight then confirms
that nothing RGB is left and every font is embedded. The fifth is a grey JPEG: the same kind of
layout rasterised by PDFium at 300 ppi. The advertisers, their addresses and their telephone
numbers are fictional (numbers of the form 8 (7182) 00-…, which no subscriber has).

Module sizes come from the layout's grid (layouts/weekly-a3/layout.toml): a module is its
columns' widths plus the gutters between them wide, and as tall as booked. auto.pdf is
delivered with 3 mm of bleed, as many agencies send ads: its TrimBox is the module.

Usage: .venv/bin/python tools/make_demo_ads.py [OUT_DIR]   (default: issues/2024/017/ads/)
"""

from __future__ import annotations

import hashlib
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pypdfium2 as pdfium
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from typeset.core.units import PT_PER_MM
from typeset.pdf.ad_preflight import AdPreflight
from typeset.pdf.content import normalise
from typeset.source.fonts import unexpected_fonts
from typeset.source.layouts import Layout, load_layout
from typeset.source.manifest import load_newspaper

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = "weekly-a3"
RASTER_PPI = 300
JPEG_QUALITY = 90


@dataclass(frozen=True)
class DemoAd:
    file: str
    columns: int
    height_mm: float
    html: str
    css: str
    bleed_mm: float = 0.0


# Colours: device-cmyk() only. K-only for all small text, so that misregistration cannot blur it.
BASE_CSS = """
html { color: device-cmyk(0 0 0 1); font-family: "TS Sans"; hyphens: manual; }
body { margin: 0; }
* { box-sizing: border-box; }
p, h1, h2, h3, ul { margin: 0; padding: 0; }
.ad { position: relative; overflow: hidden; }
.fine { font-size: 6.5pt; line-height: 1.25; color: device-cmyk(0 0 0 1); }
"""

BANK = DemoAd("bank.pdf", 2, 80, """
<div class="ad">
  <div class="band"><span class="mark">ИК</span><span class="name">Иртыш Кредит</span></div>
  <div class="body">
    <h2>Вклад «Весенний»</h2>
    <p class="rate">до 14,5&nbsp;%<sup>*</sup></p>
    <p class="sub">годовых в тенге, на срок от 3 до 12 месяцев</p>
    <div class="row">
      <ul>
        <li>пополнение и частичное снятие</li>
        <li>открытие онлайн и в отделениях</li>
        <li>вклады гарантирует КФГД</li>
      </ul>
      <p class="contact">ул. Академика Сатпаева, 50<br><b>8 (7182) 00-15-15</b></p>
    </div>
  </div>
  <p class="fine">* Годовая эффективная ставка вознаграждения по вкладу на 12 месяцев. Условия —
    в отделениях банка. АО «Иртыш Кредит», лицензия АРРФР на проведение банковских операций.</p>
</div>""", """
.ad { background: device-cmyk(0 0 0 0); border: 1pt solid device-cmyk(1 0.55 0 0.2); }
.band { background: device-cmyk(1 0.55 0 0.2); color: device-cmyk(0 0 0 0); height: 14mm;
        display: flex; align-items: center; padding: 0 4mm; }
.mark { font-family: "TS Display"; font-weight: 700; font-size: 12pt; border: 1.2pt solid
        device-cmyk(0 0 0 0); border-radius: 50%; width: 9mm; height: 9mm; display: flex;
        align-items: center; justify-content: center; margin-right: 3mm; }
.name { font-family: "TS Display"; font-weight: 700; font-size: 18pt; letter-spacing: 0.01em; }
.body { padding: 3mm 4mm 0; }
h2 { font-family: "TS Display"; font-weight: 700; font-size: 14pt; line-height: 1.2; }
.rate { font-weight: 700; font-size: 30pt; line-height: 1.1; color: device-cmyk(0 0.9 0.85 0.1); }
.rate sup { font-size: 14pt; }
.sub { font-size: 9pt; line-height: 1.3; }
.row { display: flex; justify-content: space-between; align-items: flex-end; margin-top: 2.5mm;
       padding-top: 2mm; border-top: 0.5pt solid device-cmyk(1 0.55 0 0.2); }
ul { list-style: none; font-size: 8pt; line-height: 1.4; }
li::before { content: "— "; }
.contact { font-size: 8pt; line-height: 1.4; text-align: right; }
.contact b { font-size: 11pt; }
.fine { position: absolute; left: 4mm; right: 4mm; bottom: 2.5mm; }
""")

FURNITURE = DemoAd("furniture.pdf", 5, 60, """
<div class="ad">
  <div class="left">
    <p class="maker">Фабрика в Павлодаре с 2006 года</p>
    <h1>Мебель Прииртышья</h1>
    <p class="what">Кухни · шкафы-купе · прихожие · детские — по вашим размерам</p>
  </div>
  <div class="offer">
    <p class="big">–15&nbsp;%</p>
    <p class="on">на кухни до 31 мая</p>
  </div>
  <div class="right">
    <p>Бесплатный замер и дизайн-проект</p>
    <p>Изготовление — от 14 дней</p>
    <p>Доставка и сборка по городу</p>
    <p class="shop">Салон: ул. Камзина, 41/1, 2-й этаж<br>ежедневно с 10:00 до 19:00</p>
    <p class="phone">8 (7182) 00-47-47</p>
  </div>
  <p class="fine">ТОО «Мебель Прииртышья». Скидка действует при заключении договора с 1 по 31 мая
    2024 года и не суммируется с другими акциями.</p>
</div>""", """
.ad { background: device-cmyk(0 0.04 0.12 0.02); border-top: 3pt solid device-cmyk(0 0.45 0.9 0.35);
      border-bottom: 3pt solid device-cmyk(0 0.45 0.9 0.35); display: flex; padding: 5mm 6mm 9mm; }
.left { width: 112mm; }
.maker { font-size: 9pt; letter-spacing: 0.08em; text-transform: uppercase;
         color: device-cmyk(0 0.45 0.9 0.35); }
h1 { font-family: "TS Display"; font-weight: 700; font-size: 34pt; line-height: 1.05;
     margin: 2mm 0 3mm; }
.what { font-family: "TS Serif"; font-style: italic; font-size: 12pt; line-height: 1.3; }
.offer { width: 62mm; background: device-cmyk(0 0.85 0.9 0); color: device-cmyk(0 0 0 0);
         border-radius: 3mm; display: flex; flex-direction: column; align-items: center;
         justify-content: center; margin: 0 6mm; }
.big { font-weight: 700; font-size: 46pt; line-height: 1; }
.on { font-weight: 700; font-size: 12pt; }
.right { flex: 1; font-size: 9.5pt; line-height: 1.4; }
.right p::before { content: "•\\00a0"; color: device-cmyk(0 0.85 0.9 0); }
.right p.shop::before, .right p.phone::before { content: none; }
.shop { margin-top: 2mm; font-size: 8.5pt; }
.phone { font-weight: 700; font-size: 15pt; margin-top: 1mm; }
.fine { position: absolute; left: 6mm; right: 6mm; bottom: 3mm; }
""")

DENTIST = DemoAd("dentist.pdf", 1, 120, """
<div class="ad">
  <div class="pearl"></div>
  <p class="kind">Стоматология</p>
  <h1>«Жемчуг»</h1>
  <ul>
    <li>Лечение под микроскопом</li>
    <li>Имплантация</li>
    <li>Брекеты и элайнеры</li>
    <li>Детский приём</li>
  </ul>
  <p class="free">Консультация — бесплатно</p>
  <p class="where">ул. Естая, 99<br>пн–сб 8:00–20:00</p>
  <p class="phone">8 (7182) 00-32-32</p>
  <p class="fine">ТОО «Жемчуг-Дент». Имеются противопоказания. Необходима консультация
    специалиста.</p>
</div>""", """
.ad { border: 1pt solid device-cmyk(0.75 0 0.3 0); padding: 3.5mm 3mm; text-align: center; }
.pearl { width: 12mm; height: 12mm; margin: 1mm auto 2.5mm; border-radius: 50%;
         background: device-cmyk(0.35 0 0.12 0); border: 2pt solid device-cmyk(0.75 0 0.3 0); }
.kind { font-size: 8.5pt; letter-spacing: 0.1em; text-transform: uppercase; }
h1 { font-family: "TS Display"; font-weight: 700; font-size: 20pt; margin: 0.5mm 0 3mm;
     color: device-cmyk(0.75 0 0.3 0.25); }
ul { list-style: none; font-size: 8.5pt; line-height: 1.25; text-align: left; }
li { padding: 1mm 0; border-top: 0.5pt solid device-cmyk(0.75 0 0.3 0); }
.free { margin: 3mm 0 2.5mm; padding: 1.5mm 1mm; font-weight: 700; font-size: 9.5pt;
        line-height: 1.25; background: device-cmyk(0.75 0 0.3 0.25); color: device-cmyk(0 0 0 0); }
.where { font-size: 8pt; line-height: 1.35; }
.phone { font-weight: 700; font-size: 11.5pt; margin-top: 1mm; }
.fine { position: absolute; left: 3mm; right: 3mm; bottom: 2.5mm; }
""")

AUTO = DemoAd("auto.pdf", 3, 100, """
<div class="ad">
  <div class="sky"></div>
  <div class="road"></div>
  <p class="salon">Автосалон</p>
  <h1>«Степной»</h1>
  <p class="sale">Весенняя распродажа</p>
  <div class="car">
    <div class="cabin"></div><div class="wheel w1"></div><div class="wheel w2"></div>
  </div>
  <div class="facts">
    <p><b>Автокредит от 4&nbsp;%*</b> без первого взноса</p>
    <p><b>Трейд-ин:</b> оценка вашего автомобиля за 30 минут</p>
    <p><b>Тест-драйв</b> в день обращения</p>
  </div>
  <p class="phone">8 (7182) 00-90-90</p>
  <p class="where">Павлодар, Северная промзона, Автомобильный проезд, 3</p>
  <p class="fine">* Годовая эффективная ставка вознаграждения — от 4,9 %. Кредит предоставляют
    банки-партнёры. ТОО «Степной Авто».</p>
</div>""", """
.ad { background: device-cmyk(0 0 0 0); color: device-cmyk(0 0 0 1); }
.sky { position: absolute; left: 0; right: 0; top: 0; height: 62mm;
       background: device-cmyk(0.55 0.1 0 0); }
.road { position: absolute; left: 0; right: 0; top: 62mm; height: 10mm;
        background: device-cmyk(0 0 0 0.75); border-top: 1.5pt solid device-cmyk(0 0.15 1 0); }
.salon { position: absolute; left: 6mm; top: 6mm; font-size: 11pt; letter-spacing: 0.12em;
         text-transform: uppercase; color: device-cmyk(0 0 0 0); }
h1 { position: absolute; left: 6mm; top: 11mm; font-family: "TS Display"; font-weight: 700;
     font-size: 36pt; color: device-cmyk(0 0 0 0); }
.sale { position: absolute; left: 6mm; top: 29mm; padding: 1mm 3mm; font-weight: 700;
        font-size: 14pt; background: device-cmyk(0 0.15 1 0); color: device-cmyk(0 0 0 1); }
.car { position: absolute; left: 92mm; top: 43mm; width: 62mm; height: 15mm; border-radius: 4mm;
       background: device-cmyk(0 0.95 0.9 0.05); }
.cabin { position: absolute; left: 14mm; top: -9mm; width: 30mm; height: 10mm;
         border-radius: 5mm 7mm 0 0; background: device-cmyk(0 0.95 0.9 0.05); }
.wheel { position: absolute; top: 10mm; width: 11mm; height: 11mm; border-radius: 50%;
         background: device-cmyk(0 0 0 1); border: 2.5pt solid device-cmyk(0 0 0 0.3); }
.w1 { left: 8mm; } .w2 { left: 44mm; }
.facts { position: absolute; left: 6mm; top: 75mm; width: 98mm; font-size: 9pt; line-height: 1.35; }
.phone { position: absolute; right: 6mm; top: 75mm; font-weight: 700; font-size: 17pt; }
.where { position: absolute; right: 6mm; top: 83mm; width: 50mm; text-align: right;
         font-size: 8pt; line-height: 1.3; }
.fine { position: absolute; left: 6mm; right: 6mm; bottom: 2.5mm; }
""", bleed_mm=3.0)

CLASSIFIEDS = DemoAd("classifieds.jpg", 2, 50, """
<div class="ad">
  <h2>Частные объявления</h2>
  <div class="cols">
    <p><b>Продаю</b> дачу в СТ «Энергетик», 6 соток, домик, скважина. 8 (7182) 00-41-07</p>
    <p><b>Продаю</b> картофель из Щербакты, мешок 40 кг, доставка. 8 (7182) 00-63-18</p>
    <p><b>Куплю</b> гараж в районе Усольского, недорого. 8 (7182) 00-27-90</p>
    <p><b>Сдаю</b> 1-комнатную квартиру у ПГУ, на длительный срок. 8 (7182) 00-55-12</p>
    <p><b>Ремонт</b> холодильников и стиральных машин на дому. 8 (7182) 00-84-33</p>
    <p><b>Отдам</b> в добрые руки котят, приучены к лотку. 8 (7182) 00-19-46</p>
  </div>
  <p class="how">Объявления принимаются в редакции: ул. Торайгырова, 64, офис 12</p>
</div>""", """
.ad { border: 0.75pt solid device-cmyk(0 0 0 1); padding: 2.5mm 3mm; }
h2 { font-family: "TS Display"; font-weight: 700; font-size: 13pt; text-align: center;
     padding-bottom: 1mm; border-bottom: 1.5pt solid device-cmyk(0 0 0 1); margin-bottom: 1.5mm; }
.cols { columns: 2; column-gap: 4mm; column-rule: 0.5pt solid device-cmyk(0 0 0 0.5);
        font-family: "TS Serif"; font-size: 7.5pt; line-height: 1.22; }
.cols p { margin-bottom: 1mm; break-inside: avoid; }
.how { position: absolute; left: 3mm; right: 3mm; bottom: 2mm; text-align: center;
       font-size: 7pt; padding: 0.8mm; background: device-cmyk(0 0 0 0.15); }
""")

ADS = (BANK, FURNITURE, DENTIST, AUTO, CLASSIFIEDS)
BLEED_COLOUR = "device-cmyk(0.55 0.1 0 0)"
"""The bleed of an ad delivered with bleed: it must not print (the module shows the trim)."""


def render(ad: DemoAd, width: float, height: float, layout: Layout) -> bytes:
    """The ad as WeasyPrint renders it with the layout's fonts: the module (with its bleed) as
    one page."""
    bleed = f" bleed: {ad.bleed_mm}mm; background: {BLEED_COLOUR};" if ad.bleed_mm else ""
    page = (f"@page {{ size: {width:.4f}pt {height:.4f}pt; margin: 0;{bleed} }}\n"
            f".ad {{ width: {width:.4f}pt; height: {height:.4f}pt; }}\n")
    font_config = FontConfiguration()
    fonts = CSS(filename=str(layout.folder / "css" / "fonts.css"), font_config=font_config)
    style = CSS(string=page + BASE_CSS + ad.css, font_config=font_config)
    body = ad.html.replace("8 (7182) ", "8\u00a0(7182)\u00a0")  # a number never breaks
    html = ("<!DOCTYPE html><html lang='ru'><head><meta charset='utf-8'></head>"
            f"<body>{body}</body></html>")
    return HTML(string=html).write_pdf(stylesheets=[fonts, style], font_config=font_config,
                                       pdf_identifier=ad.file.encode())


def retag_fonts(pdf: pikepdf.Pdf) -> None:
    """Subset tags of the ad's own: WeasyPrint tags a subset by its font file, so two ads set in
    the same face would carry two different subsets under one name, which some RIPs take for
    one font."""
    for font in pdf.pages[0].obj.Resources.get("/Font", pikepdf.Dictionary()).values():
        descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = descendant.FontDescriptor
        data = descriptor.FontFile2.read_raw_bytes() if "/FontFile2" in descriptor else b""
        name = str(font.BaseFont).lstrip("/").split("+", 1)[-1]
        digest = hashlib.sha256(name.encode() + data).digest()
        tagged = pikepdf.Name("/" + "".join(chr(65 + b % 26) for b in digest[:6]) + "+" + name)
        font.BaseFont = descendant.BaseFont = descriptor.FontName = tagged


def finish(data: bytes, width: float, height: float) -> bytes:
    """RGB greys to K, fonts tagged apart, TrimBox = the module, no varying metadata;
    deterministic bytes."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        normalise(pdf)
        retag_fonts(pdf)
        page = pdf.pages[0]
        x, y = 0, 0  # WeasyPrint puts the trimmed page's corner at the origin
        page.obj.TrimBox = pikepdf.Array([x, y, round(width, 4), round(height, 4)])
        if "/BleedBox" not in page.obj:
            page.obj.BleedBox = page.obj.MediaBox
        pdf.docinfo = pdf.make_indirect(pikepdf.Dictionary(
            Producer=pikepdf.String("typeset tools/make_demo_ads.py")))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
        return out.getvalue()


def check(data: bytes, file: str, paper: object, layout: Layout) -> None:
    """The ad preflight typeset runs on every booked ad (nothing RGB, every font embedded, no
    hairline, no small text in several inks), and only the layout's fonts."""
    preflight = AdPreflight(SimpleNamespace(paper=paper))  # type: ignore[arg-type]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        preflight.check(pdf)
    problems = sorted(preflight.rgb) + [f"font {name} not embedded"
                                        for name, ok in preflight.fonts.items() if not ok]
    problems += [f"font {name} is not the layout's" for name in unexpected_fonts(
        preflight.fonts, layout.font_files, layout.families)]
    if problems or preflight.hairlines or preflight.multi_ink_text:
        raise SystemExit(f"{file}: {'; '.join(problems)} hairlines {preflight.hairlines} "
                         f"small multi-ink text {preflight.multi_ink_text}")


def rasterise(data: bytes, ppi: int) -> bytes:
    """A grey JPEG of the ad's page at ``ppi``."""
    document = pdfium.PdfDocument(data)
    try:
        bitmap = document[0].render(scale=ppi / 72)
        image = bitmap.to_pil().convert("L")
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, dpi=(ppi, ppi), optimize=False)
    return out.getvalue()


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "issues" / "2024" / "017" / "ads"
    layout = load_layout(ROOT, LAYOUT)
    paper, problems = load_newspaper(ROOT)
    if paper is None:
        raise SystemExit("\n".join(map(str, problems)))
    out.mkdir(parents=True, exist_ok=True)
    for ad in ADS:
        width = layout.grid.width(ad.columns)
        height = ad.height_mm * PT_PER_MM
        data = finish(render(ad, width, height, layout), width, height)
        check(data, ad.file, paper, layout)
        if ad.file.endswith(".jpg"):
            data = rasterise(data, RASTER_PPI)
        (out / ad.file).write_bytes(data)
        print(f"{out / ad.file}: {ad.columns} columns × {ad.height_mm:g} mm "
              f"= {width / PT_PER_MM:.1f} × {ad.height_mm:.1f} mm, {len(data) // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
