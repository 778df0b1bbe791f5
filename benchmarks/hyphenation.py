"""Benchmark: what hyphenation costs in a WeasyPrint render.

Builds one HTML document of about eight A3 pages of Russian text set in five columns and renders
it (``write_pdf`` into memory) three ways, interleaved, keeping the best of N runs of each:

(a) no hyphenation (``hyphens: none``);
(b) ``hyphens: auto`` with the layout's rules installed by :func:`typeset.typography.install`;
(c) soft hyphens pre-inserted by :meth:`Hyphenator.mark`, ``hyphens: manual``;
(d) the demo layout's own settings: (b) with ``hyphenate-limit-chars: 7 3 2`` and
     ``hyphenate-limit-zone: 1.3em``, as layouts/weekly-a3/css/base.css sets them;
(b') as (b) with ``hyphenate-limit-zone`` (default 1.3em): WeasyPrint then skips trying to
     hyphenate at line ends with less room than the narrowest "xx-" (1.39em in DejaVu Serif), which
     cannot succeed, so the page is the same and the render cheaper.

It prints the times, the page counts and the ratios b/a and c/a. The text is generated here from
sentences written for this benchmark and typeset with :func:`typeset_text`.

Run from the repository root::

    .venv/bin/python benchmarks/hyphenation.py            # best of 3
    .venv/bin/python benchmarks/hyphenation.py --runs 5 --paragraphs 300
"""

from __future__ import annotations

import argparse
import gc
import io
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from weasyprint import HTML

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from typeset.typography import Hyphenator, install, typeset_text  # noqa: E402

FOLDER = ROOT / "layouts" / "weekly-a3" / "hyphenation"

SENTENCES = """\
Павлодарская область остаётся ключевым внешнеторговым партнёром, сообщили в акимате.
Делегация промышленников обсудила строительство дороги и модернизацию вокзала.
Сельскохозяйственные предприятия завершили весенне-полевые работы раньше запланированного срока.
Машиностроительная отрасль получила поддержку на приобретение оборудования.
Электроприборостроение и нефтехимия остаются основой экономики северного региона.
Объявление о конкурсе опубликовано на официальном интернет-ресурсе городской администрации.
Подъезд жилого дома отремонтировали за счёт программы модернизации жилищно-коммунального хозяйства.
Специалисты проверили качество питьевой воды в отдалённых населённых пунктах.
Интеллектуальная собственность защищается законом, напомнили участники международной конференции.
Цифровизация государственных услуг позволила сократить очереди в центрах обслуживания населения.
Транспортная инфраструктура развивается благодаря частно-государственному партнёрству.
Экспертная комиссия рассмотрела предложения предпринимателей о налоговом регулировании.
Покрытие мобильной связи расширится: операторы установят базовые станции вдоль трассы.
Учащиеся общеобразовательных школ приняли участие в республиканской олимпиаде по математике.
Благотворительная акция собрала жителей, которые передали вещи малообеспеченным семьям.
Областная библиотека подготовила выставку, посвящённую творчеству писателей и поэтов края.
Метеорологи предупреждают о сильном ветре, гололедице и понижении температуры до -25 °C.
Ветераны встретились со школьниками и рассказали о событиях военных лет 1941-1945 гг.
Спортсмены завоевали золотые и серебряные медали на чемпионате, который проходил в столице.
Разъяснительная работа среди населения продолжится в течение всего отопительного сезона.
Безопасность дорожного движения обеспечивают сотрудники полиции и добровольные помощники.
Въезд грузового транспорта в центральную часть города ограничат на время ремонта.
Предприятие выпускает высококачественную продукцию, востребованную на рынках соседних государств.
Строительство пятиэтажного дома с подземной автостоянкой завершится в следующем году.
Взаимодействие с общественностью и подотчётность остаются приоритетами руководства.
Художественная самодеятельность, народные промыслы и ремёсла представлены на ярмарке.
Медицинские работники провели профилактический осмотр детей дошкольного возраста.
Обязательное социальное медицинское страхование распространяется на всех граждан.
Землепользователи должны своевременно оформлять правоустанавливающие документы на участки.
Прогнозируемый урожай зерновых превышает прошлогодний показатель на 12 %.
Сотрудничество университетов позволяет студентам проходить стажировку за рубежом.
Противопожарные мероприятия включают опашку территорий и расчистку минерализованных полос.
Бюджет программы составил 279,4 млн тенге, из них 35 млн направят на ремонт школ.
- Мы ознакомились с документами и готовы продолжить работу, - сказал аким района.
Как отметил руководитель управления, "цифровые сервисы должны быть понятны каждому".
Площадь нового парка превысит 12 га, а протяжённость велодорожек составит 5 км.
По данным статистики, численность населения области достигла 1234567 человек.
Приём граждан проводится по адресу: г. Павлодар, ул. Академика Сатпаева, д. 49.
Заседание маслихата состоится 25 апреля в 10:00 в здании областной администрации.
Жители микрорайона благодарят коммунальные службы за оперативное устранение аварии.
"""


def paragraphs(count: int, seed: int = 2024) -> list[str]:
    """``count`` paragraphs of three to six sentences, typeset."""
    sentences = [s for s in SENTENCES.splitlines() if s]
    rng = random.Random(seed)
    return [
        typeset_text(" ".join(rng.sample(sentences, rng.randint(3, 6)))) for _ in range(count)
    ]


CSS = """
@page { size: A3; margin: 12mm; }
html { font: 9pt/11pt "DejaVu Serif", serif; }
body { column-count: 5; column-gap: 5mm; column-fill: auto; margin: 0; }
p { margin: 0; text-indent: 1.2em; text-align: justify; hyphens: %s;
    hyphenate-character: "-"; hyphenate-limit-zone: %s; hyphenate-limit-chars: %s; }
"""


def document(texts: list[str], hyphens: str, limit_zone: str = "0",
             limit_chars: str = "auto") -> str:
    body = "".join(f"<p>{text}</p>" for text in texts)
    return (f'<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><style>'
            f"{CSS % (hyphens, limit_zone, limit_chars)}</style></head><body>{body}</body></html>")


def render(html: str) -> tuple[float, int]:
    """CPU seconds to lay out and write the PDF of ``html``, and its page count."""
    gc.collect()
    start = time.process_time()
    rendered = HTML(string=html).render()
    rendered.write_pdf(io.BytesIO())
    return time.process_time() - start, len(rendered.pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each variant (best is kept)")
    parser.add_argument("--paragraphs", type=int, default=200, help="paragraphs in the document")
    parser.add_argument("--limit-zone", default="1.3em",
                        help="CSS hyphenate-limit-zone of variant b' (default 1.3em)")
    args = parser.parse_args(argv)

    hyphenator = Hyphenator.from_folder(FOLDER)
    install(hyphenator)
    texts = paragraphs(args.paragraphs)
    variants: dict[str, Callable[[], str]] = {
        "a: no hyphenation": lambda: document(texts, "none"),
        "b: hyphens: auto": lambda: document(texts, "auto"),
        "c: soft hyphens": lambda: document([hyphenator.mark(t) for t in texts], "manual"),
        "b': auto, limit zone": lambda: document(texts, "auto", args.limit_zone),
        "d: layout settings": lambda: document(texts, "auto", "1.3em", "7 3 2"),
    }
    best = dict.fromkeys(variants, float("inf"))
    pages = dict.fromkeys(variants, 0)
    names = list(variants)
    for run in range(args.runs):
        shift = run % len(names)
        for name in names[shift:] + names[:shift]:  # rotate the order each run
            seconds, count = render(variants[name]())
            best[name] = min(best[name], seconds)
            pages[name] = count
            print(f"run {run + 1}: {name:20} {seconds:6.2f} s  {count} pages", flush=True)
    a, b, c, b_zone, d = (best[name] for name in names)
    print()
    for name in names:
        print(f"best {name:20} {best[name]:6.2f} s  {pages[name]} pages")
    print(f"ratio b/a (hyphens: auto)     {b / a:.3f}")
    print(f"ratio c/a (soft hyphens)      {c / a:.3f}")
    print(f"ratio b'/a (auto, limit zone) {b_zone / a:.3f}")
    print(f"ratio d/a (layout settings)   {d / a:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
