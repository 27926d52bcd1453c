// Support Desk launcher: all that loads with every page. The panel's markup, code and text load on first open.
customElements.get("sd-help") ||
  customElements.define(
    "sd-help",
    class extends HTMLElement {
      connectedCallback() {
        if (this.b) return;
        this.b = this.querySelector(".sd-launch");
        this.b.onclick = () => this.open();
        for (const a of document.querySelectorAll("[data-sd-open]")) {
          a.hidden = false;
          a.onclick = () => this.open(1);
        }
      }

      // The panel toggles; the FAQ block's button only opens it. Clicks while it loads wait for the same load.
      open(only) {
        this.ready ||= this.load().catch((x) => {
          this.ready = null;
          throw x;
        });
        this.b.ariaBusy = true;
        this.ready.then(
          (p) => ((this.b.ariaBusy = null), p.toggle(only || p.p.hidden)),
          () => (this.b.ariaBusy = null),
        );
      }

      load() {
        const d = JSON.parse(this.querySelector("[data-sd-data]").textContent);
        const lang = (d.locale || "").split("-")[0].toLowerCase();
        // Siblings of panel.js: Shopify's CDN keeps an extension version's assets in one folder (its URL may lack a scheme).
        const url = (name) => new URL(name, new URL(d.panel, location.href)).href;
        const get = (tag, props) =>
          new Promise((onload, onerror) => document.head.append(Object.assign(document.createElement(tag), props, { onload, onerror })));
        const files = [d.panel, url(`strings-${["sw", "et", "ta", "ro", "tr"].includes(lang) ? lang : "en"}.js`)];
        if (d.chat) files.push(url("chat.js"));
        return Promise.all([get("link", { rel: "stylesheet", href: url("panel.css") }), ...files.map((src) => get("script", { src }))]).then(
          () => new SupportDesk.Panel(this, d, SupportDesk.strings),
        );
      }
    },
  );
