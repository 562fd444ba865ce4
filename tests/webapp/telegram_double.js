// Tests only: a stand-in for https://telegram.org/js/telegram-web-app.js (which is not reachable
// offline). Like Telegram's script it reads the launch parameters from the URL's hash
// (tgWebAppData, tgWebAppThemeParams, tgWebAppVersion, tgWebAppPlatform), keeps them for
// reloads in sessionStorage, sets the --tg-theme-* and inset CSS variables on <html> and offers
// WebApp's API. It also records what the page asked of Telegram in `__calls`, and
// `__pressBack()` is the user tapping Telegram's back button.
(() => {
  const KEY = "__tg_double_params";
  const hash = location.hash.slice(1);
  let params = new URLSearchParams(hash.includes("tgWebAppData") ? hash : "");
  try {
    if (params.has("tgWebAppData")) sessionStorage.setItem(KEY, params.toString());
    else params = new URLSearchParams(sessionStorage.getItem(KEY) || "");
  } catch (e) { /* data: pages have no storage */ }
  const initData = params.get("tgWebAppData") || "";
  let theme = {};
  try { theme = JSON.parse(params.get("tgWebAppThemeParams") || "{}"); } catch (e) { theme = {}; }
  const unsafe = {};
  for (const [key, value] of new URLSearchParams(initData)) {
    try { unsafe[key] = ["user", "receiver", "chat"].includes(key) ? JSON.parse(value) : value; }
    catch (e) { unsafe[key] = value; }
  }
  const calls = [];
  const backHandlers = [];
  const events = {};
  const version = params.get("tgWebAppVersion") || "8.0";
  function dark(color) {
    const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color || "");
    if (!m) return false;
    const [r, g, b] = m.slice(1).map((x) => parseInt(x, 16));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 120;
  }
  function applyVars() {
    const root = document.documentElement;
    if (!root) return;
    for (const [key, value] of Object.entries(theme)) {
      root.style.setProperty(`--tg-theme-${key.replace(/_/g, "-")}`, value);
    }
    root.style.setProperty("--tg-viewport-height", `${window.innerHeight}px`);
    root.style.setProperty("--tg-viewport-stable-height", `${window.innerHeight}px`);
    for (const side of ["top", "bottom", "left", "right"]) {
      root.style.setProperty(`--tg-safe-area-inset-${side}`, "0px");
      root.style.setProperty(`--tg-content-safe-area-inset-${side}`, "0px");
    }
  }
  applyVars();
  document.addEventListener("readystatechange", applyVars);
  const atLeast = (wanted) => {
    const a = version.split(".").map(Number);
    const b = String(wanted).split(".").map(Number);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) > (b[i] || 0);
    }
    return true;
  };
  const backButton = {
    isVisible: false,
    show() { this.isVisible = true; calls.push("BackButton.show"); return this; },
    hide() { this.isVisible = false; calls.push("BackButton.hide"); return this; },
    onClick(fn) { backHandlers.push(fn); return this; },
    offClick(fn) { const i = backHandlers.indexOf(fn); if (i >= 0) backHandlers.splice(i, 1); return this; },
  };
  const WebApp = {
    initData,
    initDataUnsafe: unsafe,
    version,
    platform: params.get("tgWebAppPlatform") || "unknown",
    colorScheme: dark(theme.bg_color) ? "dark" : "light",
    themeParams: theme,
    isExpanded: false,
    viewportHeight: window.innerHeight,
    viewportStableHeight: window.innerHeight,
    safeAreaInset: { top: 0, bottom: 0, left: 0, right: 0 },
    contentSafeAreaInset: { top: 0, bottom: 0, left: 0, right: 0 },
    BackButton: backButton,
    HapticFeedback: {
      impactOccurred(style) { calls.push(`haptic.impact.${style}`); return this; },
      notificationOccurred(type) { calls.push(`haptic.notification.${type}`); return this; },
      selectionChanged() { calls.push("haptic.selection"); return this; },
    },
    isVersionAtLeast: atLeast,
    ready() { calls.push("ready"); applyVars(); },
    expand() { this.isExpanded = true; calls.push("expand"); },
    close() { calls.push("close"); },
    openLink(url) { calls.push(`openLink ${url}`); },
    openTelegramLink(url) { calls.push(`openTelegramLink ${url}`); },
    setHeaderColor(color) { calls.push(`setHeaderColor ${color}`); },
    setBackgroundColor(color) { calls.push(`setBackgroundColor ${color}`); },
    onEvent(name, fn) { (events[name] = events[name] || []).push(fn); },
    offEvent(name, fn) { const list = events[name] || []; const i = list.indexOf(fn); if (i >= 0) list.splice(i, 1); },
    __calls: calls,
    __pressBack() { for (const fn of backHandlers.slice()) fn(); },
  };
  window.Telegram = { WebApp };
})();
