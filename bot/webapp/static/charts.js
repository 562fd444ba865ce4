// Charts drawn as inline SVG, by hand: no library, nothing loaded from elsewhere. Every label is
// set with textContent; colours come from CSS classes (s0…s9) that follow Telegram's theme.
(() => {
  "use strict";
  const NS = "http://www.w3.org/2000/svg";
  const W = 340;

  function el(tag, attrs, text) {
    const node = document.createElementNS(NS, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function frame(height, label) {
    const svg = el("svg", {
      viewBox: `0 0 ${W} ${height}`, class: "chart", role: "img", "aria-label": label,
    });
    svg.append(el("title", {}, label));
    return svg;
  }

  function niceMax(value) {
    if (!(value > 0)) return 4;
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= value) return Math.max(m * power, 4);
    return 10 * power;
  }

  function short(value) {
    if (value >= 10000) return `${Math.round(value / 1000)}k`;
    if (value >= 1000) return `${Math.round(value / 100) / 10}k`;
    return String(Math.round(value * 10) / 10);
  }

  // Horizontal grid lines with their values, bottom (y0) to top (y1).
  function grid(svg, max, left, right, y0, y1) {
    for (let i = 0; i <= 4; i++) {
      const y = y0 - ((y0 - y1) * i) / 4;
      svg.append(el("line", { x1: left, x2: right, y1: y, y2: y, class: "axis" }));
      svg.append(el("text", { x: left - 4, y: y + 3, "text-anchor": "end" }, short((max * i) / 4)));
    }
  }

  // Bars stacked by series: series = [{label, values, cls}], one value per label.
  function stackedBars(labels, series, label) {
    const H = 180, L = 34, R = 4, T = 8, B = 20;
    const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] || 0), 0));
    const max = niceMax(Math.max(0, ...totals));
    const svg = frame(H, label);
    grid(svg, max, L, W - R, H - B, T);
    const slot = (W - L - R) / Math.max(labels.length, 1);
    const width = Math.max(2, slot * 0.72);
    const step = Math.ceil(labels.length / 8);
    labels.forEach((name, i) => {
      const x = L + i * slot + (slot - width) / 2;
      let y = H - B;
      for (const s of series) {
        const value = s.values[i] || 0;
        if (!value) continue;
        const height = ((H - B - T) * value) / max;
        y -= height;
        const bar = el("rect", {
          x: x.toFixed(1), y: y.toFixed(1), width: width.toFixed(1),
          height: Math.max(height, 0.5).toFixed(1), class: s.cls,
        });
        bar.append(el("title", {}, `${name} · ${s.label}: ${value}`));
        svg.append(bar);
      }
      const last = labels.length - 1;
      if ((i % step === 0 && last - i >= step / 2) || i === last) {
        svg.append(el("text", { x: (x + width / 2).toFixed(1), y: H - 6, "text-anchor": "middle" }, name));
      }
    });
    return svg;
  }

  // Lines over days: series = [{label, values (null: no data that day), cls}].
  function lines(labels, series, label) {
    const H = 190, L = 34, R = 8, T = 8, B = 20;
    const all = series.flatMap((s) => s.values.filter((v) => v !== null));
    const max = niceMax(Math.max(0, ...all));
    const svg = frame(H, label);
    grid(svg, max, L, W - R, H - B, T);
    const span = Math.max(labels.length - 1, 1);
    const xOf = (i) => L + ((W - L - R) * i) / span;
    const yOf = (v) => H - B - ((H - B - T) * v) / max;
    for (const s of series) {
      let d = "";
      s.values.forEach((value, i) => {
        if (value === null) return;
        const joined = i > 0 && s.values[i - 1] !== null;
        d += `${joined ? "L" : "M"}${xOf(i).toFixed(1)},${yOf(value).toFixed(1)}`;
        const alone = !joined && (i === s.values.length - 1 || s.values[i + 1] === null);
        if (alone) {
          const dot = el("circle", { cx: xOf(i).toFixed(1), cy: yOf(value).toFixed(1), r: 3, class: s.cls });
          dot.append(el("title", {}, `${labels[i]} · ${s.label}: ${value}`));
          svg.append(dot);
        }
      });
      if (d.includes("L")) {
        const path = el("path", { d, class: `line ${s.cls}` });
        path.append(el("title", {}, s.label));
        svg.append(path);
      }
    }
    labels.forEach((name, i) => {
      const last = labels.length - 1;
      if ((i % 7 === 0 && last - i >= 4) || i === last) {
        const anchor = i === 0 ? "start" : i === last ? "end" : "middle";
        svg.append(el("text", { x: xOf(i).toFixed(1), y: H - 6, "text-anchor": anchor }, name));
      }
    });
    return svg;
  }

  // One horizontal bar per item: items = [{label, value, cls}].
  function hbars(items, label) {
    const row = 22, L = 120, R = 30, T = 4;
    const H = T * 2 + row * Math.max(items.length, 1);
    const max = niceMax(Math.max(0, ...items.map((item) => item.value)));
    const svg = frame(H, label);
    items.forEach((item, i) => {
      const y = T + i * row;
      const name = item.label.length > 20 ? `${item.label.slice(0, 19)}…` : item.label;
      svg.append(el("text", { x: L - 6, y: y + 15, "text-anchor": "end", class: "value" }, name));
      const width = Math.max(((W - L - R) * item.value) / max, 1);
      const bar = el("rect", { x: L, y: y + 4, width: width.toFixed(1), height: row - 8, rx: 3, class: item.cls });
      bar.append(el("title", {}, `${item.label}: ${item.value}`));
      svg.append(bar);
      svg.append(el("text", { x: (L + width + 4).toFixed(1), y: y + 15, class: "value" }, item.value));
    });
    return svg;
  }

  window.NewsCharts = { stackedBars, lines, hbars };
})();
