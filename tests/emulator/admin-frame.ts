/**
 * The emulated Shopify admin page that frames the app, like admin.shopify.com/store/<handle>/apps/<app>:
 * it launches the app's URL with Shopify's signed launch parameters and answers the App Bridge
 * stand-in (assets/app-bridge.js) over postMessage: session tokens, navigation menu, title, toasts, and
 * the contextual save bar, which (as in Shopify's admin) holds every way out of the app behind a leave confirmation.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { StaffMember } from "./auth";

/** The app's embedded home; admin paths after /apps/<api key> map below it. */
export const APP_HOME_PATH = "/app";

/** Parameters the admin adds when it opens the app; they never belong in the admin's own URL. */
export const LAUNCH_PARAMS = ["embedded", "hmac", "host", "id_token", "locale", "session", "shop", "timestamp"];

/**
 * The emulated admin's own parameter, never passed to the app: `?staff=<id>` opens the page as that
 * staff member (one of the emulator's), as if they were the one logged in to this browser tab.
 */
export const STAFF_PARAM = "staff";

export function shopHandle(shop: string): string {
  return shop.replace(/\.myshopify\.com$/i, "");
}

export function shopDomain(handle: string): string {
  return `${handle}.myshopify.com`;
}

/** The `host` parameter: standard base64 of the shop's admin location. */
export function hostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shopHandle(shop)}`).toString("base64");
}

/**
 * Shopify's launch/OAuth hmac: every parameter but `hmac`, sorted by key, form-encoded and
 * joined with `&`, hex HMAC-SHA256 with the client secret (what @shopify/shopify-api's
 * validateHmac checks).
 */
export function launchHmac(params: URLSearchParams, secret: string): string {
  const entries = [...params.entries()].filter(([key]) => key !== "hmac");
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const message = new URLSearchParams(entries).toString().replace(/\+/g, "%20");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export interface LaunchUrlInput {
  appUrl: string;
  shop: string;
  apiSecret: string;
  idToken: string;
  locale: string;
  /** The path below the app's home, "" or starting with "/". */
  appPath: string;
  /** Extra query parameters from the admin URL, passed through as Shopify does. */
  query?: URLSearchParams;
}

export function appLaunchUrl(input: LaunchUrlInput): string {
  const params = new URLSearchParams();
  for (const [key, value] of input.query ?? []) {
    if (!LAUNCH_PARAMS.includes(key) && key !== STAFF_PARAM) params.append(key, value);
  }
  params.set("embedded", "1");
  params.set("host", hostParam(input.shop));
  params.set("id_token", input.idToken);
  params.set("locale", input.locale);
  params.set("session", randomBytes(32).toString("hex"));
  params.set("shop", input.shop);
  params.set("timestamp", String(Math.floor(Date.now() / 1000)));
  params.set("hmac", launchHmac(params, input.apiSecret));
  return `${input.appUrl.replace(/\/+$/, "")}${APP_HOME_PATH}${input.appPath}?${params.toString()}`;
}

export function adminBasePath(shop: string, apiKey: string): string {
  return `/store/${encodeURIComponent(shopHandle(shop))}/apps/${encodeURIComponent(apiKey)}`;
}

export interface AdminPageInput extends LaunchUrlInput {
  apiKey: string;
  appName: string;
  shopName: string;
  /** Who is logged in to this page: the emulator's default staff member, or the one the URL chose. */
  staff: StaffMember;
  /** Whether the URL chose them (`?staff=<id>`): the page keeps that in its URL, links and token requests. */
  staffChosen?: boolean;
}

export function renderAdminPage(input: AdminPageInput): string {
  const iframeSrc = appLaunchUrl(input);
  const base = adminBasePath(input.shop, input.apiKey);
  const chosenStaff = input.staffChosen ? String(input.staff.id) : null;
  const sessionTokenPath = `/store/${encodeURIComponent(shopHandle(input.shop))}/session-token`;
  const pageConfig = {
    appOrigin: new URL(input.appUrl).origin,
    appHome: APP_HOME_PATH,
    adminBase: base,
    sessionTokenPath: chosenStaff ? `${sessionTokenPath}?${STAFF_PARAM}=${encodeURIComponent(chosenStaff)}` : sessionTokenPath,
    launchParams: LAUNCH_PARAMS,
    staffParam: STAFF_PARAM,
    chosenStaff,
    user: {
      id: input.staff.id,
      name: `${input.staff.firstName} ${input.staff.lastName}`,
      email: input.staff.email,
      accountAccess: input.staff.accountOwner ? "Account owner" : "Staff",
    },
  };
  const title = `${input.appName} · ${input.shopName} · Local Shopify emulator`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${ADMIN_CSS}</style>
</head>
<body>
<header class="topbar" id="topbar">
  <span class="badge">Local Shopify emulator</span>
  <strong class="shop-name">${escapeHtml(input.shopName)}</strong>
  <span class="shop-domain">${escapeHtml(input.shop)}</span>
  <span class="staff">${escapeHtml(`${input.staff.firstName} ${input.staff.lastName}`)}</span>
  <div class="save-bar" id="save-bar" role="region" aria-label="Unsaved changes" hidden>
    <span class="save-bar-label">Unsaved changes</span>
    <span class="save-bar-actions" id="save-bar-actions"></span>
  </div>
</header>
<div class="loading" id="loading" hidden></div>
<div class="layout">
  <nav class="sidebar" aria-label="App navigation">
    <div class="sidebar-heading">Apps</div>
    <a class="app-name" id="app-home" href="${escapeHtml(base)}">${escapeHtml(input.appName)}</a>
    <ul class="nav-items" id="nav-items"></ul>
  </nav>
  <main class="main">
    <div class="titlebar">
      <a class="breadcrumb" id="breadcrumb" hidden></a>
      <h1 id="page-title">${escapeHtml(input.appName)}</h1>
      <div class="title-actions" id="title-actions"></div>
    </div>
    <iframe name="app-iframe" title="${escapeHtml(input.appName)}" src="${escapeHtml(iframeSrc)}" allow="clipboard-write"></iframe>
  </main>
</div>
<div class="toasts" id="toasts" role="status" aria-live="polite"></div>
<div class="backdrop" id="leave-dialog" hidden>
  <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="leave-title" aria-describedby="leave-text">
    <h2 id="leave-title">Leave page with unsaved changes?</h2>
    <p id="leave-text">Leaving this page will delete all unsaved changes.</p>
    <div class="dialog-actions">
      <button type="button" id="leave-stay">Stay</button>
      <button type="button" id="leave-go" class="critical">Leave page</button>
    </div>
  </div>
</div>
<script type="application/json" id="emulator-config">${jsonForScript(pageConfig)}</script>
<script>${ADMIN_SCRIPT}</script>
</body>
</html>`;
}

export function renderNotFoundPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found · Local Shopify emulator</title></head>
<body><h1>Not found</h1><p>${escapeHtml(message)}</p></body></html>`;
}

export function renderIndexPage(shops: Array<{ domain: string; name: string; adminPath: string }>, appName: string): string {
  const rows = shops
    .map((s) => `<li><a href="${escapeHtml(s.adminPath)}">${escapeHtml(s.name)}</a> <code>${escapeHtml(s.domain)}</code></li>`)
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local Shopify emulator</title></head>
<body><h1>Local Shopify emulator</h1><p>Open ${escapeHtml(appName)} in a shop's emulated admin:</p><ul>${rows}</ul></body></html>`;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that cannot close the surrounding <script> element. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

const ADMIN_CSS = `
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;background:#f1f1f1;color:#303030;height:100vh;display:flex;flex-direction:column}
.topbar{display:flex;align-items:center;gap:12px;padding:8px 16px;background:#1a1a1a;color:#e3e3e3}
.badge{background:#ffd79d;color:#4f2b00;border-radius:6px;padding:2px 8px;font-weight:600;font-size:12px}
.shop-domain{color:#b5b5b5;font-size:12px}
.staff{margin-left:auto;color:#b5b5b5}
.loading{height:3px;background:linear-gradient(90deg,#1a1a1a,#8a8a8a,#1a1a1a);background-size:200% 100%;animation:slide 1s linear infinite}
@keyframes slide{to{background-position:-200% 0}}
.layout{flex:1;display:flex;min-height:0}
.sidebar{width:240px;padding:12px;background:#ebebeb;border-right:1px solid #e0e0e0;overflow:auto}
.sidebar-heading{font-size:12px;color:#616161;margin:4px 8px 8px}
.app-name{display:block;padding:6px 8px;border-radius:8px;font-weight:600;color:#303030;text-decoration:none}
.nav-items{list-style:none;margin:0;padding:0 0 0 12px}
.nav-items a{display:block;padding:6px 8px;border-radius:8px;color:#303030;text-decoration:none}
.nav-items a:hover,.app-name:hover{background:#fafafa}
.nav-items a[aria-current=page],.app-name[aria-current=page]{background:#fff}
.main{flex:1;display:flex;flex-direction:column;min-width:0}
.titlebar{display:flex;align-items:center;gap:12px;padding:8px 16px;min-height:48px}
.titlebar h1{font-size:16px;margin:0}
.breadcrumb{color:#303030}
.title-actions{margin-left:auto;display:flex;gap:8px}
.title-actions button{padding:6px 12px;border-radius:8px;border:1px solid #8a8a8a;background:#fff;cursor:pointer;font:inherit}
.title-actions button.primary{background:#303030;color:#fff;border-color:#303030}
iframe{flex:1;border:0;width:100%;background:#f1f1f1}
.toasts{position:fixed;left:50%;bottom:24px;transform:translateX(-50%);display:flex;flex-direction:column;gap:8px;align-items:center}
.toast{background:#1a1a1a;color:#fff;padding:10px 16px;border-radius:10px;box-shadow:0 4px 12px rgba(0,0,0,.3)}
.toast.error{background:#8e1f0b}
.topbar.unsaved>:not(.save-bar){visibility:hidden}
.topbar{position:relative}
.save-bar{position:absolute;inset:0;display:flex;align-items:center;justify-content:space-between;gap:12px;
padding:0 16px;background:#1a1a1a;color:#fff}
.save-bar-actions{display:flex;gap:8px}
.save-bar button,.dialog button{padding:6px 12px;border-radius:8px;border:1px solid #8a8a8a;background:#fff;
color:#303030;cursor:pointer;font:inherit}
.save-bar button.primary{background:#e3e3e3;color:#1a1a1a}
.save-bar button:disabled{opacity:.6;cursor:default}
.backdrop{position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center}
.dialog{background:#fff;border-radius:12px;padding:16px;max-width:min(480px,92vw);box-shadow:0 8px 32px rgba(0,0,0,.3)}
.dialog h2{font-size:16px;margin:0 0 8px}
.dialog-actions{display:flex;justify-content:flex-end;gap:8px;margin-top:16px}
.dialog button.critical{background:#c70a24;color:#fff;border-color:#c70a24}
`;

/** Runs in the admin page; everything it inserts goes through textContent or attributes. */
const ADMIN_SCRIPT = `
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("emulator-config").textContent);
  const frame = document.querySelector('iframe[name="app-iframe"]');
  const navList = document.getElementById("nav-items");
  const home = document.getElementById("app-home");
  let homeHref = cfg.appHome;
  let navItems = [];
  let currentAppPath = cfg.appHome;

  function reply(message) {
    frame.contentWindow.postMessage(message, cfg.appOrigin);
  }
  function navigate(href) {
    reply({ type: "navigate", href: href });
  }

  // The contextual save bar: while it shows, leaving the app's page asks first, as Shopify's admin does.
  const topbar = document.getElementById("topbar");
  const saveBarEl = document.getElementById("save-bar");
  const saveBarActions = document.getElementById("save-bar-actions");
  let saveBarOpen = false;
  function renderSaveBar(data) {
    saveBarOpen = Boolean(data.open);
    saveBarEl.hidden = !saveBarOpen;
    topbar.classList.toggle("unsaved", saveBarOpen);
    saveBarActions.replaceChildren();
    if (!saveBarOpen) return;
    const buttons = Array.isArray(data.buttons) ? data.buttons : [];
    // Discard first, Save last: the button with variant "primary" is Save, the other Discard.
    const isSave = function (b) { return b.variant === "primary"; };
    const ordered = buttons.filter(function (b) { return !isSave(b); }).concat(buttons.filter(isSave));
    for (const action of ordered) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = String(action.label || "");
      button.disabled = Boolean(action.disabled);
      if (action.loading) button.setAttribute("aria-busy", "true");
      if (action.variant === "primary") button.className = "primary";
      button.addEventListener("click", function () { reply({ type: "saveBarAction", index: action.index }); });
      saveBarActions.appendChild(button);
    }
  }
  function hideSaveBar() {
    renderSaveBar({ open: false });
  }

  const leaveDialog = document.getElementById("leave-dialog");
  const stayButton = document.getElementById("leave-stay");
  const leaveButton = document.getElementById("leave-go");
  let leaveWaiters = null;
  /** One dialog however many ask at once; each asker hears the merchant's one answer. */
  function confirmLeave(waiter) {
    if (leaveWaiters) { leaveWaiters.push(waiter); return; }
    leaveWaiters = [waiter];
    leaveDialog.hidden = false;
    stayButton.focus();
  }
  function answerLeave(leave) {
    const waiters = leaveWaiters || [];
    leaveWaiters = null;
    leaveDialog.hidden = true;
    if (leave) hideSaveBar();
    for (const waiter of waiters) {
      if (leave) waiter.leave();
      else if (waiter.stay) waiter.stay();
    }
  }
  stayButton.addEventListener("click", function () { answerLeave(false); });
  leaveButton.addEventListener("click", function () { answerLeave(true); });
  leaveDialog.addEventListener("keydown", function (event) {
    if (event.key === "Escape") answerLeave(false);
  });
  /** Every way out of the page in the admin's chrome: straight there, or through the leave confirmation. */
  function leaveTo(href) {
    if (!saveBarOpen) { navigate(href); return; }
    confirmLeave({ leave: function () { reply({ type: "navigate", href: href, leave: true }); } });
  }
  function underHome(path) {
    return path === cfg.appHome || path.startsWith(cfg.appHome + "/") || path.startsWith(cfg.appHome + "?") || path.startsWith(cfg.appHome + "#");
  }
  /** /app/tickets?x=1 in the app is <adminBase>/tickets?x=1 in the admin. */
  function adminPathFor(appPath) {
    const url = new URL(appPath, cfg.appOrigin);
    if (!underHome(url.pathname)) return null;
    for (const key of cfg.launchParams) url.searchParams.delete(key);
    // A page opened as another staff member stays theirs through reloads and links.
    url.searchParams.delete(cfg.staffParam);
    if (cfg.chosenStaff) url.searchParams.set(cfg.staffParam, cfg.chosenStaff);
    const query = url.searchParams.toString();
    return cfg.adminBase + url.pathname.slice(cfg.appHome.length) + (query ? "?" + query : "") + url.hash;
  }
  function markCurrent() {
    const path = new URL(currentAppPath, cfg.appOrigin).pathname;
    for (const link of navList.querySelectorAll("a")) {
      const target = new URL(link.dataset.href, cfg.appOrigin).pathname;
      setCurrent(link, target === path);
    }
    setCurrent(home, new URL(homeHref, cfg.appOrigin).pathname === path);
  }
  function setCurrent(link, current) {
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  function renderNav(items) {
    navItems = Array.isArray(items) ? items : [];
    const homeItem = navItems.find(function (i) { return i.rel === "home"; });
    homeHref = homeItem ? homeItem.href : cfg.appHome;
    home.setAttribute("href", adminPathFor(homeHref) || cfg.adminBase);
    navList.replaceChildren();
    for (const item of navItems) {
      if (item === homeItem) continue;
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.textContent = String(item.label || "");
      a.dataset.href = String(item.href || "");
      a.setAttribute("href", adminPathFor(a.dataset.href) || "#");
      a.addEventListener("click", function (event) {
        event.preventDefault();
        leaveTo(a.dataset.href);
      });
      li.appendChild(a);
      navList.appendChild(li);
    }
    markCurrent();
  }
  home.addEventListener("click", function (event) {
    event.preventDefault();
    leaveTo(homeHref);
  });

  const titleEl = document.getElementById("page-title");
  const actionsEl = document.getElementById("title-actions");
  const breadcrumbEl = document.getElementById("breadcrumb");
  const defaultTitle = titleEl.textContent;
  function renderTitle(data) {
    titleEl.textContent = data.title ? String(data.title) : defaultTitle;
    actionsEl.replaceChildren();
    for (const action of Array.isArray(data.actions) ? data.actions : []) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = String(action.label || "");
      button.disabled = Boolean(action.disabled);
      if (action.variant === "primary") button.className = "primary";
      button.addEventListener("click", function () { reply({ type: "titleBarAction", index: action.index }); });
      actionsEl.appendChild(button);
    }
    const crumb = data.breadcrumb;
    breadcrumbEl.hidden = !crumb;
    if (crumb) {
      breadcrumbEl.textContent = String(crumb.label || "Back");
      breadcrumbEl.setAttribute("href", adminPathFor(String(crumb.href || "")) || "#");
      breadcrumbEl.onclick = function (event) { event.preventDefault(); leaveTo(String(crumb.href || "")); };
    }
  }

  const toasts = document.getElementById("toasts");
  const toastById = new Map();
  function showToast(data) {
    const el = document.createElement("div");
    el.className = data.isError ? "toast error" : "toast";
    el.textContent = String(data.message || "");
    toasts.appendChild(el);
    toastById.set(data.id, el);
    setTimeout(function () { el.remove(); toastById.delete(data.id); }, Number(data.duration) || 5000);
  }

  function updateLocation(path) {
    currentAppPath = String(path || cfg.appHome);
    const adminPath = adminPathFor(currentAppPath);
    if (adminPath) history.replaceState(null, "", adminPath);
    markCurrent();
  }

  async function sendIdToken(id) {
    try {
      const response = await fetch(cfg.sessionTokenPath, { method: "POST", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error("session token request failed with HTTP " + response.status);
      const body = await response.json();
      reply({ type: "idToken", id: id, token: body.token });
    } catch (error) {
      reply({ type: "idToken", id: id, error: String(error && error.message || error) });
    }
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== cfg.appOrigin || event.source !== frame.contentWindow) return;
    const data = event.data;
    if (!data || data.source !== "shopify-emulator-app-bridge") return;
    switch (data.type) {
      case "idToken": sendIdToken(data.id); break;
      case "user": reply({ type: "user", id: data.id, user: cfg.user }); break;
      case "nav": renderNav(data.items); break;
      case "title": renderTitle(data); break;
      case "toast": showToast(data); break;
      case "toastHide": { const el = toastById.get(data.id); if (el) el.remove(); break; }
      case "loading": document.getElementById("loading").hidden = !data.on; break;
      case "location": updateLocation(data.path); break;
      case "saveBar": renderSaveBar(data); break;
      case "leaveConfirmation":
        if (!saveBarOpen) { reply({ type: "leaveConfirmation", id: data.id, leave: true }); break; }
        confirmLeave({
          leave: function () { reply({ type: "leaveConfirmation", id: data.id, leave: true }); },
          stay: function () { reply({ type: "leaveConfirmation", id: data.id, leave: false }); },
        });
        break;
      case "redirect": {
        const url = new URL(String(data.url), cfg.appOrigin);
        if (url.protocol === "http:" || url.protocol === "https:") location.href = url.toString();
        break;
      }
    }
  });
})();
`;
