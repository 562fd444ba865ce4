// The Mini App: Berita Pilihan, the latest stories, a story, search, settings and the admins'
// page. Data is only ever put in the page as text (textContent via h()), never as HTML: the
// stories come from feeds and are hostile input.
(() => {
  "use strict";
  const tg = (window.Telegram && window.Telegram.WebApp) || null;
  const initData = (tg && tg.initData) || "";
  const inTelegram = initData !== "";
  const view = document.getElementById("view");
  const tabs = document.getElementById("tabs");
  const toastBox = document.getElementById("toast");
  const TABS = ["pilihan", "latest", "search", "settings", "admin"];
  const state = { boot: null, lang: "id", me: null, meLoaded: false, pushed: 0, firstStory: false };

  // ---- text and elements ------------------------------------------------------------------
  function t(key, values) {
    const strings = (state.boot && state.boot.strings) || {};
    let text = (strings[state.lang] || {})[key] ?? (strings.id || {})[key] ?? "";
    for (const [name, value] of Object.entries(values || {})) text = text.split(`{${name}}`).join(String(value));
    return text;
  }

  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Only http(s) links and images; an image also only over https or from this server.
  function safeUrl(raw, image) {
    if (!raw) return null;
    try {
      const url = new URL(raw, location.href);
      if (url.origin === location.origin) return url.href;
      if (url.protocol === "https:") return url.href;
      if (!image && url.protocol === "http:") return url.href;
    } catch (e) { /* not a URL */ }
    return null;
  }

  // The view's content: nested lists flattened, absent parts (null, false) left out.
  function show(...nodes) {
    view.replaceChildren(...nodes.flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false));
  }

  function haptic(kind) {
    const feedback = tg && tg.HapticFeedback;
    if (!feedback || (tg.isVersionAtLeast && !tg.isVersionAtLeast("6.1"))) return;
    try {
      if (kind === "select") feedback.selectionChanged();
      else if (kind === "success" || kind === "error") feedback.notificationOccurred(kind);
      else feedback.impactOccurred("light");
    } catch (e) { /* an older client */ }
  }

  let toastTimer = 0;
  function toast(text) {
    toastBox.textContent = text;
    toastBox.classList.add("show");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => toastBox.classList.remove("show"), 1800);
  }

  // ---- the API ------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, reason, message) { super(reason); this.status = status; this.said = message || ""; }
  }

  // `anonymous`: without initData (the page's strings, needed to explain a refusal).
  async function api(path, body, anonymous) {
    const headers = { Accept: "application/json" };
    if (initData && !anonymous) headers.Authorization = `tma ${initData}`;
    const options = { method: "GET", headers, credentials: "omit", cache: "no-store" };
    if (body !== undefined) {
      options.method = "POST";
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    // The reader's zone once known: answers shared by everyone who asks alike come quicker.
    const zone = state.me ? `&zone=${encodeURIComponent(state.me.settings.zone)}` : "";
    const url = `../api/${path}${path.includes("?") ? "&" : "?"}lang=${state.lang}${zone}`;
    const response = await fetch(url, options);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new ApiError(response.status, data.error || "", data.message);
    return data;
  }

  function failure(error, retry) {
    const key = error && error.status === 401 ? "app.error.unauthorized" : "app.error.load";
    const box = h("div", { class: "note error", "data-error": key }, t(key));
    if (retry && !(error && error.status === 401)) {
      box.append(h("div", {}, h("button", { class: "more", onclick: retry }, t("app.retry"))));
    }
    return box;
  }

  // ---- theme, viewport, back button ----------------------------------------------------------
  function applyTheme() {
    // Outside Telegram its script still answers "light": the system's scheme decides there.
    const dark = inTelegram && tg.colorScheme ? tg.colorScheme === "dark"
      : window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    document.documentElement.dataset.scheme = dark ? "dark" : "light";
  }

  function setBack(visible) {
    if (tg && tg.BackButton && (!tg.isVersionAtLeast || tg.isVersionAtLeast("6.1"))) {
      if (visible) tg.BackButton.show(); else tg.BackButton.hide();
    }
  }

  function goBack() {
    if (state.pushed > 0) { state.pushed -= 1; history.back(); return; }
    navigate("#/pilihan", true);
  }

  // ---- routing ------------------------------------------------------------------------------
  function navigate(hash, replace) {
    if (replace) { history.replaceState(null, "", hash); render(); return; }
    state.pushed += 1;
    location.hash = hash;
  }

  function current() {
    const parts = location.hash.replace(/^#\/?/, "").split("/");
    return { name: parts[0] || "pilihan", arg: decodeURIComponent(parts[1] || "") };
  }

  function drawTabs(active) {
    const shown = TABS.filter((name) => name !== "admin" || (state.me && state.me.admin));
    tabs.replaceChildren(...shown.map((name) => h("button", {
      class: "tab", role: "tab", "data-tab": name, "aria-selected": String(name === active),
      onclick: () => { if (name !== active) { haptic("select"); navigate(`#/${name}`, true); } },
    }, t(`app.tab.${name}`))));
    const selected = tabs.querySelector('[aria-selected="true"]');
    if (selected) selected.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  async function render() {
    const route = current();
    const tab = TABS.includes(route.name) ? route.name : "pilihan";
    drawTabs(route.name === "story" ? null : tab);
    setBack(route.name === "story");
    document.title = t("app.title");
    window.scrollTo(0, 0);
    show(h("div", { class: "skeleton" }));
    try {
      if (route.name === "story" && /^\d+$/.test(route.arg)) await showStory(route.arg);
      else if (tab === "latest") await showLatest(route.arg);
      else if (tab === "search") await showSearch(route.arg);
      else if (tab === "settings") await showSettings();
      else if (tab === "admin") await showAdmin();
      else await showPilihan();
    } catch (error) {
      show(failure(error, render));
      if (error && error.status === 401) haptic("error");
    }
  }

  // ---- story lists ---------------------------------------------------------------------------
  function storyCard(story, rank) {
    const image = safeUrl(story.image, true);
    return h("a", {
      class: "card", href: `#/story/${story.id}`, "data-story": story.id,
      onclick: (event) => { event.preventDefault(); haptic("impact"); navigate(`#/story/${story.id}`); },
    },
    rank ? h("span", { class: "rank" }, rank) : null,
    h("div", { class: "card-body" },
      h("h2", { class: "card-title" }, story.title),
      h("p", { class: "meta" }, [story.outlets, story.time].filter(Boolean).join(" · ")),
      story.summary ? h("p", { class: "snippet" }, story.summary) : null),
    image ? h("img", { class: "thumb", src: image, alt: "", loading: "lazy", referrerpolicy: "no-referrer" }) : null);
  }

  function storyList(stories, ranked) {
    if (!state.firstStory && stories.length) {
      state.firstStory = true;
      requestAnimationFrame(() => performance.mark("first-story"));
    }
    return h("div", { class: "list" }, stories.map((s, i) => storyCard(s, ranked ? i + 1 : 0)));
  }

  function browserNote() {
    return inTelegram ? null : h("p", { class: "note", "data-browser": "1" }, t("app.browser_note"));
  }

  async function showPilihan() {
    const data = await api("pilihan");
    show(
      h("h1", {}, t("app.pilihan.heading", { date: data.date })),
      data.stories.length ? storyList(data.stories, true) : h("p", { class: "note" }, t("app.pilihan.empty")),
      browserNote());
  }

  async function showLatest(topic) {
    const slugs = new Set(state.boot.topics.map((x) => x.slug));
    if (topic && !slugs.has(topic)) topic = "";
    const followed = new Set((state.me && state.me.follows.topics) || []);
    const topics = [...state.boot.topics].sort((a, b) => Number(followed.has(b.slug)) - Number(followed.has(a.slug)));
    const chip = (slug, label) => h("button", {
      class: "chip", "aria-pressed": String(slug === topic), "data-topic": slug,
      onclick: () => { haptic("select"); navigate(slug ? `#/latest/${slug}` : "#/latest", true); },
    }, label);
    const list = h("div", {});
    const more = h("button", { class: "more", hidden: true }, t("app.latest.more"));
    let next = { offset: 0, before: "" };
    async function page() {
      more.disabled = true;
      const query = `stories?offset=${next.offset}&before=${next.before}${topic ? `&topic=${encodeURIComponent(topic)}` : ""}`;
      const data = await api(query);
      if (!data.stories.length && next.offset === 0) list.append(h("p", { class: "note" }, t("app.latest.empty")));
      else list.append(storyList(data.stories, false));
      next = data.next;
      more.hidden = !next;
      more.disabled = false;
    }
    more.addEventListener("click", () => page().catch((error) => list.append(failure(error))));
    const heading = topic ? state.boot.topics.find((x) => x.slug === topic)[state.lang] : t("app.latest.heading");
    const chips = h("div", { class: "chips" }, chip("", t("app.latest.all")), topics.map((x) => chip(x.slug, x[state.lang])));
    show(h("h1", {}, heading), chips, list, more);
    const pressed = chips.querySelector('[aria-pressed="true"]');
    if (pressed) chips.scrollLeft = pressed.offsetLeft - chips.offsetLeft - 8;  // the chosen topic in view
    await page();
  }

  // ---- a story ------------------------------------------------------------------------------
  function openOutlet(event, url) {
    if (tg && tg.openLink) { event.preventDefault(); tg.openLink(url); }
  }

  function figure(image) {
    const url = safeUrl(image.url, true);
    if (!url) return null;
    const caption = [image.caption, image.source ? t("app.story.photo", { source: image.source }) : ""].filter(Boolean).join(" — ");
    return h("figure", {}, h("img", { src: url, alt: image.caption || "", loading: "lazy", referrerpolicy: "no-referrer" }),
      caption ? h("figcaption", {}, caption) : null);
  }

  async function showStory(id) {
    let story;
    try {
      story = await api(`stories/${id}`);
    } catch (error) {
      if (error.status !== 404) throw error;
      show(h("p", { class: "note" }, t("app.story.not_found")));
      return;
    }
    const [lead, ...others] = story.images;
    const text = story.text;
    const outlets = story.outlets.map((o) => {
      const url = safeUrl(o.url, false);
      const inner = [h("span", { class: "outlet-name" }, o.source), " ", h("span", { class: "meta" }, [o.section, o.time].filter(Boolean).join(" · ")),
        h("div", { class: "outlet-title" }, o.title)];
      return h("li", { "data-outlet": o.source }, url
        ? h("a", { class: "outlet-link", href: url, target: "_blank", rel: "noopener noreferrer", onclick: (e) => openOutlet(e, url) }, inner)
        : inner);
    });
    show(h("article", { class: "story" },
      inTelegram ? null : h("button", { class: "back", onclick: goBack }, `‹ ${t("app.back")}`),
      h("h1", {}, story.title),
      h("p", { class: "meta" }, [story.time, t("app.story.outlet_count", { count: story.outlets.length })].join(" · ")),
      story.topics.length ? h("div", { class: "chips topics" }, story.topics.map((x) => h("a", { class: "chip", href: `#/latest/${encodeURIComponent(x.slug)}` }, x.label))) : null,
      story.summary ? h("section", { class: "panel summary" }, h("h2", {}, t("app.story.summary")), h("p", {}, story.summary)) : null,
      lead ? figure(lead) : null,
      h("section", { class: "panel body", "data-body": "1" },
        text ? [h("h2", {}, t("app.story.text_from", { source: text.source })),
          text.author ? h("div", { class: "meta byline" }, t("app.story.by", { author: text.author })) : null,
          text.paragraphs.map((p) => h("p", {}, p))]
          : h("p", { class: "hint" }, t("app.story.no_text"))),
      others.map(figure),
      h("section", { class: "panel", id: "outlets" },
        h("h2", {}, t("app.story.outlets", { count: story.outlets.length })),
        h("ul", { class: "outlets" }, outlets))));
  }

  // ---- search: what /cari finds, best first ------------------------------------------------
  // The query lives in the address (#/search/<words>), so Back from a story returns to it.
  async function showSearch(typed) {
    const input = h("input", {
      type: "search", name: "q", value: typed || "", maxlength: 2000, enterkeyhint: "search",
      placeholder: t("app.search.placeholder"), "aria-label": t("app.search.heading"),
    });
    const form = h("form", {
      class: "panel search", role: "search",
      onsubmit: (event) => {
        event.preventDefault();
        const words = input.value.trim();
        if (!words) return;
        input.blur();
        haptic("select");
        navigate(`#/search/${encodeURIComponent(words)}`, true);
      },
    }, input, h("button", { type: "submit", class: "go" }, t("app.search.button")),
    h("p", { class: "hint" }, t("app.search.hint")));
    const list = h("div", { "data-results": typed ? "1" : null });
    const more = h("button", { class: "more", hidden: true }, t("app.latest.more"));
    show(h("h1", {}, t("app.search.heading")), form, list, more);
    if (!typed) { input.focus(); return; }
    let next = { offset: 0 };
    async function page() {
      more.disabled = true;
      let data;
      try {
        data = await api(`search?q=${encodeURIComponent(typed)}&offset=${next.offset}`);
      } catch (error) {
        if (error.status !== 400 || !error.said) throw error;
        list.append(h("p", { class: "note", "data-refused": error.message }, error.said));
        return;
      }
      if (!data.stories.length && next.offset === 0) list.append(h("p", { class: "note", "data-empty": "1" }, t("app.search.empty", { query: typed })));
      else list.append(storyList(data.stories, false));
      next = data.next;
      more.hidden = !next;
      more.disabled = false;
    }
    more.addEventListener("click", () => page().catch((error) => list.append(failure(error))));
    await page();
  }

  // ---- settings -----------------------------------------------------------------------------
  async function loadMe() {
    if (!inTelegram) return null;
    state.me = await api("me");
    state.meLoaded = true;
    if (state.me.settings.language !== state.lang) { state.lang = state.me.settings.language; document.documentElement.lang = state.lang; }
    return state.me;
  }

  async function save(path, body) {
    try {
      state.me = await api(path, body);
      const lang = state.me.settings.language;
      if (lang !== state.lang) { state.lang = lang; document.documentElement.lang = lang; drawTabs("settings"); }
      haptic("success");
      toast(t("app.settings.saved"));
    } catch (error) {
      haptic("error");
      toast(t(error.status === 400 ? `app.bad.${error.message}` : "app.error.load") || t("app.error.load"));
    }
    const y = window.scrollY;
    drawSettings();
    window.scrollTo(0, y);
  }

  function toggle(id, checked, onchange) {
    return h("input", { type: "checkbox", class: "switch", role: "switch", id, checked, onchange });
  }

  function segmented(values, chosen, labels, onpick) {
    return h("div", { class: "seg" }, values.map((value, i) => h("button", {
      "aria-pressed": String(value === chosen), "data-value": value,
      onclick: () => { if (value !== chosen) onpick(value); },
    }, labels[i])));
  }

  const TIME_PRESETS = [["07:00"], ["07:00", "19:00"], ["12:00"], ["19:00"]];
  const QUIET_PRESETS = ["22:00-06:00", "21:00-05:00", "23:00-07:00"];

  function drawSettings() {
    const me = state.me;
    const s = me.settings;
    const f = me.follows;
    const defaults = state.boot.default_times.join(", ");
    const timeOptions = [h("option", { value: "default", selected: !s.custom_times }, t("app.settings.times_default", { times: defaults }))];
    const presetKeys = TIME_PRESETS.map((p) => p.join(","));
    const mine = s.times.join(",");
    TIME_PRESETS.forEach((p, i) => timeOptions.push(h("option", { value: presetKeys[i], selected: s.custom_times && mine === presetKeys[i] }, p.join(", "))));
    if (s.custom_times && !presetKeys.includes(mine)) timeOptions.push(h("option", { value: mine, selected: true }, s.times.join(", ")));
    const customTimes = h("input", { type: "text", id: "times-custom", inputmode: "numeric", placeholder: "06:30, 18:00", "aria-label": t("app.settings.times_custom") });
    const quietOptions = [h("option", { value: "off", selected: !s.quiet }, t("app.settings.quiet_off"))];
    for (const q of QUIET_PRESETS) quietOptions.push(h("option", { value: q, selected: s.quiet === q }, q.replace("-", "–")));
    if (s.quiet && !QUIET_PRESETS.includes(s.quiet)) quietOptions.push(h("option", { value: s.quiet, selected: true }, s.quiet.replace("-", "–")));
    const keyword = h("input", { type: "text", id: "keyword-new", maxlength: 100, placeholder: t("app.settings.keyword_placeholder"), "aria-label": t("app.settings.keywords") });
    const addKeyword = () => { const value = keyword.value.trim(); if (value) save("me/follow", { kind: "keyword", value, on: true }); };
    keyword.addEventListener("keydown", (e) => { if (e.key === "Enter") addKeyword(); });
    const followed = new Set(f.topics);
    show(
      h("h1", {}, t("app.settings.heading")),
      h("section", { class: "panel" },
        h("div", { class: "row" }, h("label", { for: "pilihan" }, h("b", {}, t("app.settings.pilihan")), h("div", { class: "hint" }, t("app.settings.pilihan_hint", { times: s.times.join(", ") }))),
          toggle("pilihan", f.pilihan, (e) => save("me/follow", { kind: "pilihan", value: "", on: e.target.checked }))),
        h("div", { class: "row stack" }, h("label", { for: "times" }, t("app.settings.times")),
          h("select", { id: "times", onchange: (e) => save("me/settings", { times: e.target.value }) }, timeOptions)),
        h("div", { class: "inline" }, customTimes, h("button", { class: "primary", onclick: () => { if (customTimes.value.trim()) save("me/settings", { times: customTimes.value }); } }, t("app.settings.apply")))),
      h("section", { class: "panel" },
        h("div", { class: "row" }, h("label", { for: "push" }, h("b", {}, t("app.settings.push")), h("div", { class: "hint" }, t("app.settings.push_hint"))),
          toggle("push", s.push, (e) => save("me/settings", { push: e.target.checked }))),
        h("div", { class: "row stack" }, h("label", { for: "quiet" }, t("app.settings.quiet")),
          h("select", { id: "quiet", onchange: (e) => save("me/settings", { quiet: e.target.value }) }, quietOptions)),
        h("div", { class: "row" }, h("span", {}, t("app.settings.zone")),
          segmented(state.boot.zones, s.zone, state.boot.zones, (zone) => save("me/settings", { zone }))),
        h("div", { class: "row" }, h("span", {}, t("app.settings.language")),
          segmented(["id", "en"], s.language, [t("app.language.id"), t("app.language.en")], (language) => save("me/settings", { language })))),
      h("section", { class: "panel" },
        h("h2", {}, t("app.settings.topics")),
        h("div", { class: "chips wrap", id: "topics" }, state.boot.topics.map((x) => h("button", {
          class: "chip", "aria-pressed": String(followed.has(x.slug)), "data-topic": x.slug,
          onclick: () => { haptic("select"); save("me/follow", { kind: "topic", value: x.slug, on: !followed.has(x.slug) }); },
        }, x[state.lang])))),
      h("section", { class: "panel" },
        h("h2", {}, t("app.settings.keywords")),
        f.keywords.length ? h("div", { class: "chips wrap", id: "keywords" }, f.keywords.map((k) => h("button", {
          class: "chip", "aria-label": t("app.settings.remove", { keyword: k }), "data-keyword": k,
          onclick: () => save("me/follow", { kind: "keyword", value: k, on: false }),
        }, `${k} ✕`))) : h("p", { class: "hint" }, t("app.settings.keywords_none")),
        h("div", { class: "inline" }, keyword, h("button", { class: "primary", onclick: addKeyword }, t("app.settings.add")))),
      tastesPanel(me.tastes));
  }

  // What the personal Berita Pilihan learned from the reader's 👍/👎, reads and shares.
  function tastesPanel(tastes) {
    const learned = tastes.more.length + tastes.less.length > 0;
    const group = (names, kind) => names.length ? h("div", { class: "row stack" }, h("span", {}, t(`app.settings.tastes_${kind}`)),
      h("div", { class: "chips wrap" }, names.map((name) => h("span", { class: "chip", "data-taste": kind }, name)))) : null;
    return h("section", { class: "panel", id: "tastes" },
      h("h2", {}, t("app.settings.tastes")),
      h("p", { class: "hint" }, t("app.settings.tastes_hint")),
      learned ? group(tastes.more, "more") : h("p", { class: "hint" }, t("app.settings.tastes_none")),
      learned ? group(tastes.less, "less") : null,
      learned ? h("button", { class: "primary", id: "tastes-reset", onclick: () => save("me/tastes/reset", {}) }, t("app.settings.tastes_reset")) : null);
  }

  async function showSettings() {
    if (!inTelegram) {
      show(h("h1", {}, t("app.settings.heading")), h("p", { class: "note", "data-browser": "1" }, t("app.settings.browser_only")));
      return;
    }
    if (!state.meLoaded) await loadMe();
    drawSettings();
  }

  // ---- admins -------------------------------------------------------------------------------
  function number(value, label) {
    return h("div", { class: "number" }, h("b", {}, value), h("span", {}, label));
  }

  function legend(series) {
    return h("div", { class: "legend" }, series.map((s) => h("span", {}, h("i", { class: `sw ${s.cls}` }), s.label)));
  }

  function chartPanel(title, chart, key, extra) {
    return h("section", { class: "panel", "data-chart": key }, h("h2", {}, title), chart, extra || null);
  }

  // Sent green, failures red, flood control yellow, the chat gone grey: the same in both themes.
  const OUTCOME_COLOURS = { sent: 0, failed: 1, cancelled: 2, migrated: 3, deferred: 4, retried: 5, skipped: 6, blocked: 7, plain_text: 8, chat_not_found: 9 };

  async function showAdmin() {
    if (!inTelegram) { show(failure(new ApiError(401, ""))); return; }
    const data = await api("admin");
    const charts = window.NewsCharts;
    const today = data.today;
    const outcomes = Object.fromEntries(today.outcomes);
    const hourly = data.hourly;
    const bars = hourly.outcomes.map((name) => ({ label: t(`app.outcome.${name}`), values: hourly.counts[name], cls: `s${OUTCOME_COLOURS[name] ?? 9}` }))
      .filter((s) => s.values.some((v) => v > 0));
    const lines = data.followers.series.map((s, i) => ({ label: s.label, values: s.values, cls: `s${(i + 5) % 10}` }));
    const failing = data.sources.filter((s) => s.failures > 0 || s.state === "paused")
      .map((s) => ({ label: s.name, value: s.failures, cls: s.state === "paused" ? "s1" : "s2" }));
    const broadcasts = data.broadcasts.map((b) => {
      const done = b.sent + b.blocked + b.failed + b.cancelled;
      const whole = Math.max(b.total, done + b.remaining, 1);
      const part = (n, cls) => n ? h("i", { class: cls, "data-width": n / whole }) : null;
      return h("li", { "data-broadcast": b.id },
        h("b", {}, `#${b.id}`), " ", h("span", { class: "badge" }, t(`app.status.${b.status}`)), " ",
        h("span", { class: "meta" }, b.started),
        h("div", { class: "progress" }, part(b.sent, "s0 bg"), part(b.blocked, "s7 bg"), part(b.failed, "s1 bg"), part(b.cancelled, "s9 bg")),
        h("div", { class: "meta" }, t("app.admin.broadcast_line", { sent: b.sent, blocked: b.blocked, failed: b.failed, remaining: b.remaining, rate: b.rate })));
    });
    show(
      h("h1", {}, t("app.admin.heading")),
      h("div", { class: "numbers" },
        number(today.active, t("app.admin.active")), number(today.inactive, t("app.admin.inactive")),
        number(today.pilihan, t("app.admin.pilihan")), number(today.stories, t("app.admin.stories")),
        number(outcomes.sent || 0, t("app.outcome.sent")), number(today.pending, t("app.admin.pending"))),
      chartPanel(t("app.admin.hourly"), bars.length ? [charts.stackedBars(hourly.hours, bars, t("app.admin.hourly")), legend(bars)] : h("p", { class: "hint" }, t("app.admin.none")), "hourly",
        today.outcomes.some(([, n]) => n > 0) ? h("p", { class: "meta", "data-today": "outcomes" }, today.outcomes.filter(([, n]) => n > 0).map(([name, n]) => `${t(`app.outcome.${name}`)} ${n}`).join(" · ")) : null),
      chartPanel(t("app.admin.followers"), [charts.lines(data.followers.days, lines, t("app.admin.followers")), legend(lines)], "followers"),
      chartPanel(t("app.admin.failing"), failing.length ? charts.hbars(failing, t("app.admin.failing")) : h("p", { class: "hint" }, t("app.admin.failing_none")), "failing"),
      today.last_error ? h("section", { class: "panel" }, h("h2", {}, t("app.admin.last_error")), h("p", { class: "meta" }, today.last_error)) : null,
      h("section", { class: "panel" }, h("h2", {}, t("app.admin.broadcasts")),
        broadcasts.length ? h("ul", { class: "outlets" }, broadcasts) : h("p", { class: "hint" }, t("app.admin.none"))),
      h("section", { class: "panel" }, h("h2", {}, t("app.admin.sources", { count: data.sources.length })),
        h("ul", { class: "outlets sources" }, data.sources.map((s) => h("li", { "data-source": s.name },
          h("b", {}, s.name), " ", h("span", { class: `badge ${s.state}` }, t(`app.source.${s.state}`, { failures: s.failures })),
          h("div", { class: "meta" }, s.error || (s.last_success ? t("app.admin.last_success", { when: s.last_success }) : "")))))));
    // Widths through the CSSOM: the Content-Security-Policy allows no style attributes.
    for (const bar of view.querySelectorAll("[data-width]")) bar.style.width = `${(Number(bar.dataset.width) * 100).toFixed(2)}%`;
  }

  // ---- start --------------------------------------------------------------------------------
  function startRoute() {
    const params = new URLSearchParams(location.search);
    const start = (tg && tg.initDataUnsafe && tg.initDataUnsafe.start_param) || "";
    const story = params.get("story") || (start.startsWith("story-") ? start.slice(6) : "");
    const wanted = params.get("view") || (TABS.includes(start) ? start : "");
    if (location.hash.startsWith("#/")) return;
    history.replaceState(null, "", `#/${TABS.includes(wanted) ? wanted : "pilihan"}`);
    if (/^\d+$/.test(story)) { history.pushState(null, "", `#/story/${story}`); state.pushed = 1; }
  }

  async function start() {
    applyTheme();
    if (tg) {
      tg.ready();
      if (tg.expand) tg.expand();
      if (tg.onEvent) tg.onEvent("themeChanged", applyTheme);
      if (tg.BackButton) tg.BackButton.onClick(goBack);
    }
    const userLang = (tg && tg.initDataUnsafe && tg.initDataUnsafe.user && tg.initDataUnsafe.user.language_code) || navigator.language || "";
    state.lang = userLang.toLowerCase().startsWith("en") ? "en" : "id";
    startRoute();
    window.addEventListener("hashchange", () => { render(); });
    let meError = null;
    try {
      const [boot] = await Promise.all([
        api("boot", undefined, true),
        inTelegram ? loadMe().catch((error) => { meError = error; }) : null,
      ]);
      state.boot = boot;
    } catch (error) {
      // No strings without the boot answer: a sign and a way to try again.
      show(h("p", { class: "note error" }, "\u26a0 ", h("button", { class: "more", onclick: () => location.reload() }, "\u21bb")));
      return;
    }
    document.documentElement.lang = state.lang;
    if (meError) {
      // initData the server does not accept (or no answer): say so, show nothing else.
      drawTabs(null);
      show(failure(meError, () => location.reload()));
      haptic("error");
      return;
    }
    await render();
  }

  start();
})();
