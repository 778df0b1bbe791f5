// The proof page of typeset serve: draws the state the server sends (/events) and keeps it up to
// date without a reload. A page image is swapped only when its address changed: the addresses
// name the page's content, so an unchanged page is never fetched again.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  let state = null;
  let viewing = 0;             // the page open at full resolution, 0: none
  let opener = null;           // the button that opened it, focused again on close

  const plural = (n, one, few, many) => {
    const tens = Math.abs(n) % 100, units = tens % 10;
    if (tens > 10 && tens < 20) return many;
    if (units === 1) return one;
    return units >= 2 && units <= 4 ? few : many;
  };
  const lines = (n) => `${n} ${plural(n, "строка", "строки", "строк")}`;
  const clock = (t) => new Date(t * 1000).toLocaleTimeString("ru-RU");
  const secs = (s) => `${s.toLocaleString("ru-RU", {maximumFractionDigits: 1})} с`;
  const SEVERITY = {error: "Ошибка", warning: "Предупреждение", info: "Заметка"};

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "dataset") Object.assign(node.dataset, value);
      else if (key === "class") node.className = value;
      else if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value);
    }
    node.append(...children.flat().filter((c) => c !== null && c !== undefined));
    return node;
  }

  function editionName(s) {
    const e = s.edition;
    if (!e) return s.folder;
    const total = e.total ? ` (${e.total})` : "";
    const date = e.date ? `, ${e.date.split("-").reverse().join(".")}` : "";
    return `${e.title || "Выпуск"} № ${e.number}${total}${date}`;
  }

  // -- status -----------------------------------------------------------------------------------

  function statusText(s) {
    const errors = s.findings.filter((f) => f.severity === "error").length;
    switch (s.status) {
      case "starting": return "Первая сборка…";
      case "building": return "Сборка…" + (s.changed.length ? ` Изменено: ${s.changed.join(", ")}` : "");
      case "current": return "Актуально";
      case "errors": return `Ошибки: ${errors} — выпуск не собран`;
      default: return "Сбой сборки";
    }
  }

  function renderStatus(s) {
    const status = $("status");
    const text = statusText(s);
    if (status.textContent !== text) status.textContent = text;  // aria-live: said once
    status.dataset.status = s.status;
    const parts = [];
    if (s.build) parts.push(`Последняя сборка в ${clock(s.build.finished)} за ${secs(s.build.seconds)}`);
    if (s.shown && s.build && s.shown.finished !== s.build.finished) {
      parts.push(`полосы — от сборки ${clock(s.shown.finished)}`);
    }
    $("built").textContent = parts.join("; ");
    $("pdf").hidden = !s.pdf;
    $("title").textContent = `Вёрстка: ${editionName(s)}`;
    document.title = `${text} — ${editionName(s)}`;
  }

  function renderProblems(s) {
    const errors = s.findings.filter((f) => f.severity === "error");
    $("problems").hidden = errors.length === 0;
    $("problems-title").textContent = `Ошибки: ${errors.length}`;
    $("problems-note").textContent = s.shown
      ? `Выпуск не собран, прежние файлы не тронуты. Ниже — полосы последней удачной сборки (${clock(s.shown.finished)}).`
      : "Выпуск не собран: исправьте ошибки и сохраните файл.";
    $("errors").replaceChildren(...errors.map(finding));
  }

  function finding(f) {
    return el("li", {class: f.severity},
      el("span", {class: "severity"}, `${SEVERITY[f.severity] || f.severity}: `),
      f.where ? el("code", {}, f.where) : null, f.where ? " — " : null, f.message);
  }

  // -- pages ------------------------------------------------------------------------------------

  function swapImage(img, url) {
    if (img.getAttribute("src") === url) return;
    if (!img.getAttribute("src")) { img.src = url; return; }
    const next = new Image();   // load first, then swap: no blank page while it loads
    next.src = url;
    next.decode().catch(() => {}).then(() => { img.src = url; });
  }

  function pageFigure(page) {
    const img = el("img", {alt: `Полоса ${page.number}`, width: page.width, height: page.height});
    const button = el("button", {type: "button", class: "page-button",
      "aria-label": `Полоса ${page.number}: открыть в полном размере`}, img);
    button.addEventListener("click", () => openViewer(page.number, button));
    return el("figure", {class: "page", dataset: {page: page.number}}, button,
      el("figcaption", {}, el("span", {class: "number"}, `Полоса ${page.number}`)));
  }

  function updateFigure(figure, page) {
    figure.classList.toggle("updated", page.updated);
    const button = figure.querySelector(".page-button");
    const img = button.querySelector("img");
    img.width = page.width;
    img.height = page.height;
    swapImage(img, page.small);
    button.querySelectorAll(".mark").forEach((m) => m.remove());
    for (const mark of page.loose_lines.filter((m) => m.box)) {
      const span = el("span", {class: "mark"});
      const [x, y, w, h] = mark.box;
      Object.assign(span.style, {left: `${x}%`, top: `${y}%`, width: `${w}%`, height: `${h}%`});
      button.append(span);
    }
    const caption = figure.querySelector("figcaption");
    caption.replaceChildren(el("span", {class: "number"}, `Полоса ${page.number}`));
    if (page.updated) caption.append(el("span", {class: "badge"}, "обновлена"));
    if (page.ad_share !== null) {
      const who = page.ads.map((a) => a.advertiser).filter(Boolean).join(", ");
      caption.append(el("span", {class: "ads"},
        `Реклама: ${Math.round(page.ad_share * 100)} %${who ? ` (${who})` : ""}`));
    }
    if (page.loose_lines.length) {
      caption.append(el("span", {class: "loose"}, `Жидких строк: ${page.loose_lines.length}`));
    }
  }

  function renderPages(s) {
    $("no-pages").hidden = s.pages.length > 0;
    $("no-pages").textContent = s.status === "starting" || s.status === "building"
      ? "Полос пока нет: идёт первая сборка." : "Полос пока нет: выпуск ещё ни разу не собрался.";
    const holder = $("spreads");
    const layout = JSON.stringify(s.spreads);
    if (holder.dataset.layout !== layout) {   // another page count: lay the spreads out again
      const figures = new Map([...holder.querySelectorAll(".page")].map((f) => [Number(f.dataset.page), f]));
      const byNumber = new Map(s.pages.map((p) => [p.number, p]));
      holder.replaceChildren(...s.spreads.map((numbers, k) => el("div", {
        class: `spread${k === 0 ? " first" : ""}${k > 0 && numbers.length === 1 ? " last" : ""}`,
        "aria-label": numbers.length === 1 ? `Полоса ${numbers[0]}` : `Разворот ${numbers.join("–")}`,
        role: "group"}, numbers.map((n) => figures.get(n) || pageFigure(byNumber.get(n))))));
      holder.dataset.layout = layout;
    }
    for (const page of s.pages) {
      updateFigure(holder.querySelector(`.page[data-page="${page.number}"]`), page);
    }
    const loose = s.pages.flatMap((p) => p.loose_lines.map((m) => ({...m, page: p.number})));
    $("loose-section").hidden = loose.length === 0;
    $("loose").replaceChildren(...loose.map((m) => el("li", {},
      `с. ${m.page}: ${m.article || "?"}, колонка ${m.column ?? "?"}, строка ${m.line ?? "?"}`)));
    if (viewing) showPage(viewing);
  }

  // -- copyfit and warnings ---------------------------------------------------------------------

  function linesCell(row) {
    if (row.overset_lines > 0) return `не входит: ${lines(row.overset_lines)}`;
    if (row.underset_lines > 0) return `свободно: ${lines(row.underset_lines)}`;
    return "в размер";
  }

  function renderCopyfit(s) {
    const rows = s.articles.map((row) => el("tr", {
      class: row.overset_lines > 0 ? "over" : "",
      dataset: {slug: row.slug, over: row.overset_lines, spare: row.underset_lines}},
      el("td", {}, row.title || row.slug, el("span", {class: "slug"}, row.slug)),
      el("td", {class: "pages"}, row.pages.join(", ")),
      el("td", {class: "columns"}, row.columns.join(" + ")),
      el("td", {class: "lines"}, linesCell(row))));
    $("copyfit").tBodies[0].replaceChildren(...rows);
    const over = s.articles.filter((row) => row.overset_lines > 0);
    $("copyfit-summary").dataset.over = over.length;
    $("copyfit-summary").textContent = !s.articles.length ? ""
      : over.length ? `Не входит: ${over.map((r) => `${r.title || r.slug} (${lines(r.overset_lines)})`).join("; ")}`
      : "Все материалы входят.";
    const stale = s.articles_build && s.build && s.articles_build.finished !== s.build.finished;
    $("copyfit-note").hidden = !stale && s.articles.length > 0;
    $("copyfit-note").textContent = stale
      ? `Последняя сборка остановилась раньше; таблица — от сборки ${clock(s.articles_build.finished)}.`
      : "Таблицы пока нет.";
  }

  function renderFindings(s) {
    const others = s.findings.filter((f) => f.severity !== "error");
    $("findings").replaceChildren(...others.map(finding));
    $("no-findings").hidden = others.length > 0;
  }

  function render(s) {
    if (state && s.version < state.version) return;   // an older answer than the one shown
    state = s;
    renderStatus(s);
    renderProblems(s);
    renderPages(s);
    renderCopyfit(s);
    renderFindings(s);
    document.body.dataset.version = s.version;
  }

  // -- one page at full resolution --------------------------------------------------------------

  function showPage(number) {
    const page = state && state.pages.find((p) => p.number === number);
    if (!page) { $("viewer").close(); return; }
    viewing = number;
    $("viewer-title").textContent = `Полоса ${number} из ${state.pages.length}`;
    const img = $("viewer-image");
    img.alt = `Полоса ${number} в полном размере`;
    img.width = page.width * 2;
    img.height = page.height * 2;
    swapImage(img, page.full);
    $("prev").disabled = number <= 1;
    $("next").disabled = number >= state.pages.length;
  }

  function openViewer(number, button) {
    opener = button;
    $("viewer-image").removeAttribute("src");
    showPage(number);
    $("viewer").showModal();
    $("close").focus();
  }

  $("prev").addEventListener("click", () => showPage(viewing - 1));
  $("next").addEventListener("click", () => showPage(viewing + 1));
  $("close").addEventListener("click", () => $("viewer").close());
  $("viewer").addEventListener("keydown", (event) => {
    if (event.key === "ArrowLeft" && viewing > 1) showPage(viewing - 1);
    if (event.key === "ArrowRight" && state && viewing < state.pages.length) showPage(viewing + 1);
  });
  $("viewer").addEventListener("close", () => {
    const page = document.querySelector(`.page[data-page="${viewing}"] .page-button`);
    viewing = 0;
    (page || opener)?.focus();
  });

  // -- live ---------------------------------------------------------------------------------------

  const events = new EventSource("/events");
  events.addEventListener("state", (event) => render(JSON.parse(event.data)));
  events.addEventListener("open", () => { state = state && {...state, version: -1}; });
  events.addEventListener("error", () => {
    const status = $("status");
    status.dataset.status = "offline";
    status.textContent = "Нет связи с сервером: страница не обновляется";
  });
  fetch("/state.json").then((r) => r.json()).then(render).catch(() => {});
})();
