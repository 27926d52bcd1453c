/*
 * Local Shopify emulator: a small stand-in for Shopify's App Bridge CDN script
 * (https://cdn.shopify.com/shopifycloud/app-bridge.js). It gives the app the same
 * `window.shopify` surface it uses against the real admin, and talks to the emulated
 * admin page (the parent frame) with postMessage. Plain ES2020, no build step.
 */
(function () {
  "use strict";
  if (window.shopify && window.shopify.emulator) return;

  const SOURCE = "shopify-emulator-app-bridge";
  const script = document.currentScript;
  const adminOrigin = script && script.src ? new URL(script.src).origin : location.origin;
  const embedded = window.parent !== window;
  const params = new URLSearchParams(location.search);

  // ---------------------------------------------------------------- config
  const CONFIG_KEY = "shopify-emulator:app-bridge-config";
  let stored = {};
  try {
    stored = JSON.parse(sessionStorage.getItem(CONFIG_KEY) || "{}");
  } catch (_) {
    stored = {};
  }
  const config = {
    apiKey: (script && script.getAttribute("data-api-key")) || stored.apiKey || "",
    shop: params.get("shop") || stored.shop || "",
    host: params.get("host") || stored.host || "",
    locale: params.get("locale") || stored.locale || "en",
  };
  try {
    sessionStorage.setItem(CONFIG_KEY, JSON.stringify(config));
  } catch (_) {
    /* storage may be unavailable in a third-party frame */
  }

  // ------------------------------------------------------------- messaging
  function post(message) {
    if (embedded) window.parent.postMessage(Object.assign({ source: SOURCE }, message), adminOrigin);
  }

  let nextId = 1;
  const pending = new Map();
  /** A question for the admin; `timeoutMs: 0` waits for as long as the merchant takes to answer. */
  function request(type, extra, timeoutMs) {
    if (!embedded) return Promise.reject(new Error(`App Bridge (emulator): ${type} needs the app to run inside the emulated admin`));
    const id = String(nextId++);
    return new Promise((resolve, reject) => {
      const timer = timeoutMs === 0 ? null : setTimeout(() => {
        pending.delete(id);
        reject(new Error(`App Bridge (emulator): the admin did not answer "${type}"`));
      }, timeoutMs || 10000);
      pending.set(id, { resolve, reject, timer });
      post(Object.assign({ type, id }, extra));
    });
  }

  window.addEventListener("message", (event) => {
    if (event.source !== window.parent || event.origin !== adminOrigin) return;
    const data = event.data || {};
    if (data.id && pending.has(data.id)) {
      const waiter = pending.get(data.id);
      pending.delete(data.id);
      if (waiter.timer) clearTimeout(waiter.timer);
      if (data.error) waiter.reject(new Error(data.error));
      else waiter.resolve(data);
      return;
    }
    if (data.type === "navigate" && typeof data.href === "string") {
      // The merchant confirmed leaving in the admin's dialog: the changes are given up, the bar goes.
      if (data.leave) dismissSaveBars();
      navigateInApp(data.href);
    }
    if (data.type === "titleBarAction") clickTitleBarAction(data.index);
    if (data.type === "saveBarAction") clickSaveBarAction(data.index);
  });

  // -------------------------------------------------------------- idToken
  let cachedToken = null;
  let tokenRequest = null;
  function expiryOf(token) {
    try {
      const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
      return payload.exp * 1000;
    } catch (_) {
      return 0;
    }
  }
  function idToken() {
    // Reuse the token until about 10 s before it expires, as App Bridge does.
    if (cachedToken && expiryOf(cachedToken) - 10000 > Date.now()) return Promise.resolve(cachedToken);
    if (!tokenRequest) {
      tokenRequest = request("idToken")
        .then((reply) => {
          cachedToken = reply.token;
          return cachedToken;
        })
        .finally(() => {
          tokenRequest = null;
        });
    }
    return tokenRequest;
  }

  // ---------------------------------------------------------------- fetch
  // Requests to the app's own origin carry the session token, as with real App Bridge.
  const originalFetch = window.fetch.bind(window);
  window.fetch = async function (input, init) {
    const isRequest = input instanceof Request;
    const url = new URL(isRequest ? input.url : String(input), location.href);
    const headers = new Headers(init && init.headers !== undefined ? init.headers : isRequest ? input.headers : undefined);
    if (url.origin !== location.origin || headers.has("Authorization") || !embedded) return originalFetch(input, init);

    const retryInput = isRequest ? input.clone() : input;
    headers.set("Authorization", `Bearer ${await idToken()}`);
    let response = await originalFetch(input, Object.assign({}, init, { headers }));
    if (response.status === 401 && response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
      cachedToken = null;
      headers.set("Authorization", `Bearer ${await idToken()}`);
      response = await originalFetch(retryInput, Object.assign({}, init, { headers }));
    }
    const reauthorize = response.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
    if (response.status === 401 && reauthorize) redirectTop(new URL(reauthorize, location.href).toString());
    return response;
  };

  function redirectTop(url) {
    post({ type: "redirect", url });
  }

  // ------------------------------------------------------------ navigation
  // @shopify/shopify-app-remix's AppProvider navigates on a `shopify:navigate` event and
  // reads the href from the event's target.
  function navigateInApp(href) {
    const link = document.createElement("a");
    link.setAttribute("href", href);
    link.style.display = "none";
    document.body.appendChild(link);
    link.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
    link.remove();
  }

  function reportLocation() {
    post({ type: "location", path: location.pathname + location.search + location.hash });
  }
  for (const method of ["pushState", "replaceState"]) {
    const original = history[method].bind(history);
    history[method] = function (...args) {
      const result = original(...args);
      reportLocation();
      return result;
    };
  }
  window.addEventListener("popstate", reportLocation);

  // ---------------------------------------------------------------- shopify
  function unsupported(name) {
    return () => Promise.reject(new Error(`shopify.${name} is not available in the local Shopify emulator`));
  }
  function elementById(tag, id) {
    const element = document.getElementById(id);
    if (!element || element.tagName.toLowerCase() !== tag) {
      return Promise.reject(new Error(`No <${tag} id="${id}"> on this page`));
    }
    return Promise.resolve(element);
  }
  let toastCount = 0;

  window.shopify = {
    emulator: true,
    config,
    origin: adminOrigin,
    environment: { embedded, mobile: false, pos: false },
    idToken,
    toast: {
      show(message, options) {
        const id = `toast-${++toastCount}`;
        post({ type: "toast", id, message: String(message), isError: Boolean(options && options.isError), duration: options && options.duration });
        return id;
      },
      hide(id) {
        post({ type: "toastHide", id });
      },
    },
    loading(on) {
      post({ type: "loading", on: Boolean(on) });
    },
    user() {
      return request("user").then((reply) => reply.user);
    },
    modal: {
      show: (id) => elementById("ui-modal", id).then((m) => m.show()),
      hide: (id) => elementById("ui-modal", id).then((m) => m.hide()),
      toggle: (id) => elementById("ui-modal", id).then((m) => m.toggle()),
    },
    saveBar: {
      show: (id) => elementById("ui-save-bar", id).then((s) => s.show()),
      hide: (id) => elementById("ui-save-bar", id).then((s) => s.hide()),
      toggle: (id) => elementById("ui-save-bar", id).then((s) => s.toggle()),
      leaveConfirmation,
    },
    resourcePicker: unsupported("resourcePicker"),
    scopes: { query: unsupported("scopes.query"), request: unsupported("scopes.request"), revoke: unsupported("scopes.revoke") },
  };

  // ------------------------------------------------------- custom elements
  function observe(element, callback) {
    const observer = new MutationObserver(callback);
    observer.observe(element, { childList: true, subtree: true, attributes: true, characterData: true });
    return observer;
  }
  function buttonsOf(element) {
    return Array.from(element.querySelectorAll("button"));
  }
  function describeButton(button, index) {
    return {
      index,
      label: button.textContent.trim(),
      variant: button.getAttribute("variant") || "",
      tone: button.getAttribute("tone") || "",
      disabled: button.disabled || button.hasAttribute("loading"),
      loading: button.hasAttribute("loading"),
    };
  }
  function cloneButton(original) {
    const clone = document.createElement("button");
    clone.type = "button";
    clone.textContent = original.textContent.trim();
    clone.disabled = original.disabled;
    const primary = original.getAttribute("variant") === "primary";
    clone.style.cssText = `margin-left:8px;padding:6px 12px;border-radius:8px;border:1px solid #8a8a8a;cursor:pointer;font:inherit;${primary ? "background:#303030;color:#fff;" : "background:#fff;color:#303030;"}`;
    clone.addEventListener("click", () => original.click());
    return clone;
  }

  class NavMenu extends HTMLElement {
    connectedCallback() {
      this.style.display = "none";
      this.observer = observe(this, () => this.report());
      this.report();
    }
    disconnectedCallback() {
      if (this.observer) this.observer.disconnect();
      post({ type: "nav", items: [] });
    }
    report() {
      const items = Array.from(this.querySelectorAll("a")).map((a) => ({
        label: a.textContent.trim(),
        href: a.getAttribute("href") || "",
        rel: a.getAttribute("rel") || "",
      }));
      post({ type: "nav", items });
    }
  }

  let currentTitleBar = null;
  function clickTitleBarAction(index) {
    const target = currentTitleBar && buttonsOf(currentTitleBar)[index];
    if (target) target.click();
  }
  class TitleBar extends HTMLElement {
    static get observedAttributes() {
      return ["title"];
    }
    connectedCallback() {
      this.style.display = "none";
      if (this.closest("ui-modal")) return; // a modal's own header
      currentTitleBar = this;
      this.observer = observe(this, () => this.report());
      this.report();
    }
    attributeChangedCallback() {
      if (this.isConnected && currentTitleBar === this) this.report();
    }
    disconnectedCallback() {
      if (this.observer) this.observer.disconnect();
      if (currentTitleBar === this) {
        currentTitleBar = null;
        post({ type: "title", title: "", actions: [] });
      }
    }
    report() {
      const breadcrumb = this.querySelector('a[variant="breadcrumb"]');
      post({
        type: "title",
        title: this.getAttribute("title") || "",
        breadcrumb: breadcrumb ? { label: breadcrumb.textContent.trim(), href: breadcrumb.getAttribute("href") || "" } : null,
        actions: buttonsOf(this).map(describeButton),
      });
    }
  }

  /** Overlays drawn inside the app's frame: enough for <Modal> to work. */
  class Overlay extends HTMLElement {
    constructor() {
      super();
      this.content = document.createElement("div");
      this.layer = null;
    }
    connectedCallback() {
      this.style.display = "none";
    }
    disconnectedCallback() {
      this.hide();
    }
    get open() {
      return Boolean(this.layer);
    }
    show() {
      if (this.layer) return Promise.resolve();
      this.layer = this.render();
      document.body.appendChild(this.layer);
      this.dispatchEvent(new CustomEvent("show"));
      return Promise.resolve();
    }
    hide() {
      if (!this.layer) return Promise.resolve();
      this.layer.remove();
      this.layer = null;
      this.dispatchEvent(new CustomEvent("hide"));
      return Promise.resolve();
    }
    toggle() {
      return this.layer ? this.hide() : this.show();
    }
  }

  class Modal extends Overlay {
    render() {
      const backdrop = document.createElement("div");
      backdrop.style.cssText = "position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center;z-index:2147483000";
      const dialog = document.createElement("div");
      dialog.setAttribute("role", "dialog");
      dialog.setAttribute("aria-modal", "true");
      dialog.style.cssText = "background:#fff;border-radius:12px;min-width:320px;max-width:min(620px,92vw);max-height:90vh;overflow:auto;font:14px system-ui,sans-serif;box-shadow:0 8px 32px rgba(0,0,0,.3)";
      const titleBar = this.querySelector("ui-title-bar");
      const header = document.createElement("div");
      header.style.cssText = "display:flex;justify-content:space-between;align-items:center;padding:12px 16px;border-bottom:1px solid #e3e3e3;font-weight:600";
      header.textContent = (titleBar && titleBar.getAttribute("title")) || "";
      const close = document.createElement("button");
      close.type = "button";
      close.setAttribute("aria-label", "Close");
      close.textContent = "×";
      close.style.cssText = "border:0;background:none;font-size:20px;cursor:pointer";
      close.addEventListener("click", () => this.hide());
      header.appendChild(close);
      const footer = document.createElement("div");
      footer.style.cssText = "display:flex;justify-content:flex-end;padding:12px 16px;border-top:1px solid #e3e3e3";
      if (titleBar) buttonsOf(titleBar).forEach((b) => footer.appendChild(cloneButton(b)));
      dialog.append(header, this.content, footer);
      backdrop.appendChild(dialog);
      return backdrop;
    }
  }

  // The admin draws the save bar in its own top bar, as Shopify's does; the element only tells it what to show.
  const shownSaveBars = new Set();
  function currentSaveBar() {
    return Array.from(shownSaveBars).pop() || null;
  }
  function reportSaveBar() {
    const bar = currentSaveBar();
    const buttons = bar ? buttonsOf(bar).map(describeButton) : [];
    post({ type: "saveBar", open: Boolean(bar), id: bar ? bar.id : "", buttons });
  }
  function clickSaveBarAction(index) {
    const bar = currentSaveBar();
    const target = bar && buttonsOf(bar)[index];
    if (target && !target.disabled) target.click();
  }
  function dismissSaveBars() {
    for (const bar of Array.from(shownSaveBars)) bar.hide();
  }
  /** Resolves when no save bar shows or the merchant chooses to leave; if they stay, it never settles. */
  function leaveConfirmation() {
    if (shownSaveBars.size === 0 || !embedded) return Promise.resolve();
    return new Promise((resolve) => {
      request("leaveConfirmation", {}, 0).then(
        (reply) => {
          if (!reply.leave) return;
          dismissSaveBars();
          resolve();
        },
        () => {},
      );
    });
  }
  class SaveBar extends HTMLElement {
    connectedCallback() {
      this.style.display = "none";
      this.observer = observe(this, () => {
        if (this.showing) reportSaveBar();
      });
    }
    disconnectedCallback() {
      if (this.observer) this.observer.disconnect();
      this.hide();
    }
    get showing() {
      return shownSaveBars.has(this);
    }
    show() {
      if (!this.showing) {
        shownSaveBars.add(this);
        reportSaveBar();
        this.dispatchEvent(new CustomEvent("show"));
      }
      return Promise.resolve();
    }
    hide() {
      if (this.showing) {
        shownSaveBars.delete(this);
        reportSaveBar();
        this.dispatchEvent(new CustomEvent("hide"));
      }
      return Promise.resolve();
    }
    toggle() {
      return this.showing ? this.hide() : this.show();
    }
  }

  const elements = { "ui-nav-menu": NavMenu, "ui-title-bar": TitleBar, "ui-modal": Modal, "ui-save-bar": SaveBar };
  for (const [name, element] of Object.entries(elements)) {
    if (!customElements.get(name)) customElements.define(name, element);
  }

  // ------------------------------------------------- bounce and exit pages
  // shopify-app-remix sends document requests without an id_token to a page that renders
  // only this script with ?shopify-reload=<url>; come back with a fresh token.
  const reload = params.get("shopify-reload");
  const exitIframe = params.get("exitIframe");
  if (reload) {
    const target = new URL(reload, location.href);
    if (target.origin === location.origin) {
      idToken()
        .then((token) => {
          target.searchParams.set("id_token", token);
          location.replace(target.toString());
        })
        .catch((error) => {
          document.documentElement.append(document.createTextNode(error.message));
        });
    }
  } else if (exitIframe) {
    const target = new URL(exitIframe, location.href);
    if (target.origin === location.origin) redirectTop(target.toString());
  } else {
    reportLocation();
    // A new document starts with no unsaved changes, whatever the last one showed.
    reportSaveBar();
  }
})();
