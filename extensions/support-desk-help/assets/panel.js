// Support Desk help panel, loaded by help.js on first open. It builds its own markup with DOM
// calls and textContent only: no data is ever parsed as markup into the page.
(() => {
  // h("p", { className: "x", "aria-live": "polite" }, "text", child): properties where the element has them, attributes otherwise.
  const h = (tag, props, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) if (v != null && v !== false) k in e ? (e[k] = v) : e.setAttribute(k, v === true ? "" : v);
    e.append(...kids.flat().filter((k) => k != null && k !== false));
    return e;
  };
  const button = (text, props) => h("button", { type: "button", className: "sd-btn", ...props }, text);
  const heading = (tag, text) => h(tag, { className: "sd-h", tabIndex: -1 }, text);
  // The tags the app's answer renderer writes; anything else keeps only its text.
  const ANSWER_TAGS = /^(p|br|ul|ol|li|strong|em|a)$/;
  const SAFE_HREF = /^(https?:|mailto:|tel:|\/(?!\/))/i;

  const SupportDesk = (window.SupportDesk ||= {});
  SupportDesk.h = h;

  SupportDesk.Panel = class {
    constructor(host, d, t) {
      Object.assign(this, { host, d, t, api: d.proxy, loc: d.locale, uid: host.id, n: 0 });
      this.build();
      // The launcher's own click bubbles here too; tap() ignores buttons without a data action.
      host.onkeydown = (e) => this.key(e);
      host.onclick = (e) => this.tap(e);
      host.onsubmit = (e) => this.submit(e);
      this.chat = d.chat && SupportDesk.Chat ? new SupportDesk.Chat(this) : null;
    }

    build() {
      const { t, d, uid } = this;
      const q = uid + "-q";
      this.s = h("input", { id: q, type: "search", maxLength: 200, autocomplete: "off", "aria-describedby": q + "-hint" });
      this.out = h("div", { className: "sd-results", "aria-live": "polite" });
      const top = (d.top || []).map((a) => h("li", null, h("button", { type: "button", className: "sd-q", "data-article": a.id }, a.question)));
      this.actions = h(
        "div",
        { className: "sd-actions" },
        d.track && button(t.track_order, { "data-go": "track" }),
        d.contact && button(t.contact_us, { "data-go": "contact" }),
      );
      this.home = h(
        "div",
        null,
        h(
          "div",
          { className: "sd-field" },
          h("label", { htmlFor: q }, t.search_label),
          this.s,
          h("p", { className: "sd-hint", id: q + "-hint" }, t.search_hint),
        ),
        this.out,
        top.length > 0 && [h("h3", { className: "sd-h" }, t.top_questions), h("ul", { className: "sd-list" }, top)],
        this.actions,
        this.reach(),
      );
      this.view = h("div");
      this.back = h(
        "button",
        { type: "button", className: "sd-icon", "data-back": true, hidden: true },
        h("span", { "aria-hidden": "true" }, "←"),
        " " + t.back,
      );
      this.p = h(
        "div",
        { className: "sd-panel", id: uid + "-panel", role: "dialog", "aria-modal": "true", "aria-labelledby": uid + "-title", hidden: true },
        h(
          "div",
          { className: "sd-top" },
          this.back,
          h("h2", { className: "sd-title", id: uid + "-title" }, t.title),
          h("button", { type: "button", className: "sd-icon", "data-close": true, "aria-label": t.close }, h("span", { "aria-hidden": "true" }, "×")),
        ),
        h("div", { className: "sd-body" }, this.home, this.view),
      );
      this.host.append(this.p);
      this.host.b.setAttribute("aria-controls", this.p.id);
      this.s.oninput = () => {
        this.stop();
        this.d1 = setTimeout(() => this.search(), 150);
        // Record only after a pause, not half-typed words.
        this.d2 = setTimeout(() => this.search(1), 1000);
      };
      this.s.onkeydown = (e) => {
        if (e.key === "Enter") e.preventDefault(), this.search(1);
      };
    }

    // The merchant's own email, phone and opening hours, for shoppers who would rather not use the form.
    reach() {
      const { t, d } = this;
      if (!d.email && !d.phone && !d.hours) return null;
      const dl = h("dl");
      const row = (term, value) => dl.append(h("dt", null, term), h("dd", null, value));
      if (d.email) row(t.email_us, h("a", { href: "mailto:" + d.email }, d.email));
      if (d.phone) row(t.call_us, h("a", { href: "tel:" + d.phone.replace(/ /g, "") }, d.phone));
      if (d.hours) row(t.hours, d.hours);
      return h("div", { className: "sd-reach" }, h("h3", { className: "sd-h" }, t.reach_us), dl);
    }

    // A labelled field whose error message is linked to it with aria-describedby.
    field(name, label, { type, hint, required, max, value, auto } = {}) {
      const id = `${this.uid}-${name}`;
      const area = type === "textarea";
      const input = h(area ? "textarea" : "input", {
        id,
        name,
        required,
        maxLength: max,
        ...(area ? { rows: 5 } : { type: type || "text", autocomplete: auto || "off" }),
        "aria-describedby": id + "-err" + (hint ? ` ${id}-hint` : ""),
      });
      if (value) input.value = value;
      return h(
        "div",
        { className: "sd-field" },
        h("label", { htmlFor: id }, label),
        hint && h("p", { className: "sd-hint", id: id + "-hint" }, hint),
        input,
        h("p", { className: "sd-err", id: id + "-err" }),
      );
    }

    get visit() {
      try {
        this.v ||= sessionStorage.sd_visit ||= crypto.randomUUID();
      } catch {
        this.v ||= crypto.randomUUID();
      }
      return this.v;
    }

    stop() {
      clearTimeout(this.d1);
      clearTimeout(this.d2);
    }

    el(tag, cls, text) {
      return h(tag, { className: cls || "" }, text ?? "");
    }

    fill(key, n) {
      return this.t[key].replace("{n}", n);
    }

    msg(code) {
      return this.t["e_" + code] || this.t.e_generic;
    }

    code(c) {
      return this.t["c_" + c] || String(c).toLowerCase().replace(/_/g, " ");
    }

    date(iso) {
      return new Intl.DateTimeFormat(this.loc, { dateStyle: "medium" }).format(new Date(iso));
    }

    // [status, json] for 2xx/404/422; anything else throws an error code.
    async call(path, body, params) {
      const url = new URL(this.api + path, location.href);
      for (const k in params) url.searchParams.set(k, params[k]);
      const headers = { "Content-Type": "application/json", Accept: "application/json" };
      const init = body ? { method: "POST", headers, body: JSON.stringify(body) } : { headers };
      // A network failure has no status: a generic error.
      const r = await fetch(url, init).catch(() => ({}));
      if (r.status === 429) throw Error("rate_limited");
      if (!r.ok && r.status !== 404 && r.status !== 422) throw Error("generic");
      return [r.status, await r.json().catch(() => ({}))];
    }

    toggle(open) {
      const b = this.host.b;
      this.p.hidden = !open;
      b.setAttribute("aria-expanded", !!open);
      this.chat?.shown(!!open);
      if (!open) return b.focus();
      if (!this.seen) {
        this.seen = 1;
        this.call("/visit", { visit: this.visit, locale: this.loc }).catch(() => {});
      }
      (this.home.hidden ? this.view.querySelector("[tabindex='-1']") : this.s).focus();
    }

    key(e) {
      if (this.p.hidden) return;
      if (e.key === "Escape") {
        e.preventDefault();
        this.toggle();
      } else if (e.key === "Tab") {
        const list = [...this.p.querySelectorAll("a[href],button,input:not([tabindex='-1']),textarea")].filter((x) => x.getClientRects().length);
        const at = document.activeElement;
        if (e.shiftKey ? at === list[0] || !this.p.contains(at) : at === list.at(-1)) {
          e.preventDefault();
          list.at(e.shiftKey ? -1 : 0).focus();
        }
      }
    }

    tap(e) {
      const b = e.target.closest("button");
      const d = b?.dataset || {};
      if ("close" in d) this.toggle();
      else if ("back" in d) this.show();
      else if (d.article) this.article(d.article);
      else if (d.go) this.show(d.go, d.prefill);
      else if (d.vote) this.vote(b);
    }

    // Views are built one at a time, so each id in them is unique in the page.
    views(name) {
      const { t, d } = this;
      const c = d.customer;
      const err = () => h("p", { className: "sd-err", role: "alert", "data-err": true });
      const submit = (text) => h("button", { type: "submit", className: "sd-btn sd-primary" }, text);
      if (name === "article") {
        const id = this.uid + "-vote";
        return h(
          "article",
          { className: "sd-article" },
          heading("h3", t.loading),
          h("div", { className: "sd-answer", "data-a": true }),
          h(
            "div",
            { className: "sd-vote", role: "group", "aria-labelledby": id, "data-vote-box": true, hidden: true },
            h("p", { id }, t.did_this_help),
            button(t.yes, { "data-vote": "1" }),
            button(t.no, { "data-vote": "0" }),
            h("p", { role: "status", "data-status": true }),
          ),
        );
      }
      if (name === "track") {
        return [
          h(
            "form",
            { className: "sd-form", "data-form": "order-status", noValidate: true },
            heading("h3", t.track_order),
            this.field("orderNumber", t.order_number, { hint: t.order_number_hint, required: true, max: 20 }),
            this.field("email", t.email, { type: "email", auto: "email", required: !c, max: 254, value: c?.email }),
            err(),
            submit(t.track),
          ),
          h("div", { className: "sd-order", "data-result": true }),
        ];
      }
      if (name === "contact") {
        return h(
          "form",
          { className: "sd-form", "data-form": "contact", noValidate: true },
          heading("h3", t.contact_us),
          this.field("name", t.name, { auto: "name", max: 200, value: c?.name }),
          this.field("email", t.email, { type: "email", auto: "email", required: true, max: 254, value: c?.email }),
          this.field("orderNumber", t.order_number_optional, { max: 20 }),
          this.field("message", t.message, { type: "textarea", required: true, max: 5000 }),
          h(
            "div",
            { className: "sd-vh" },
            h("label", { htmlFor: this.uid + "-website" }, t.honeypot),
            h("input", { id: this.uid + "-website", name: "website", type: "text", tabIndex: -1, autocomplete: "off" }),
          ),
          err(),
          submit(t.send),
        );
      }
      if (name === "chat") return this.chat.view();
    }

    show(view, prefill) {
      const s = this.view;
      s.replaceChildren();
      this.home.hidden = !!view;
      this.back.hidden = !view;
      this.chat?.left();
      if (!view) return this.s.focus();
      s.append(...[this.views(view)].flat());
      if (prefill) s.querySelector("textarea").value = prefill;
      s.querySelector("h3").focus();
      return s;
    }

    async search(record) {
      const v = this.s.value.trim();
      const params = { q: v, locale: this.loc, visit: this.visit };
      if (record) {
        this.stop();
        if (this.rec === v) return;
        this.rec = v;
        params.record = 1;
      }
      const n = ++this.n;
      if (!v) return this.out.replaceChildren();
      try {
        const [, d] = await this.call("/faq/search", 0, params);
        if (n !== this.n) return;
        const list = h("ul", { className: "sd-list" });
        for (const r of d.results || []) {
          list.append(
            h("li", null, h("button", { type: "button", className: "sd-q", "data-article": r.id }, r.question, r.snippet && h("small", null, r.snippet))),
          );
        }
        if (list.firstChild) return this.out.replaceChildren(list);
        this.out.replaceChildren(h("p", null, this.t.no_results), this.d.contact && button(this.t.ask_us, { "data-go": "contact", "data-prefill": v }));
      } catch (x) {
        if (n === this.n) this.out.replaceChildren(this.el("p", "sd-err", this.msg(x.message)));
      }
    }

    async article(id) {
      const s = this.show("article");
      const q = s.querySelector("h3");
      const a = s.querySelector("[data-a]");
      s.firstElementChild.dataset.id = id;
      try {
        const [st, d] = await this.call("/faq/articles/" + encodeURIComponent(id), 0, { locale: this.loc, visit: this.visit });
        if (st !== 200) throw Error("article");
        q.textContent = d.question;
        a.replaceChildren(this.answer(d.answerHtml || ""));
        s.querySelector("[data-vote-box]").hidden = false;
      } catch (x) {
        q.textContent = "";
        a.replaceChildren(this.el("p", "sd-err", this.msg(x.message)));
      }
    }

    // The app's answer HTML, parsed inert and rebuilt from the few tags it may hold.
    answer(html) {
      const copy = (from, to) => {
        for (const n of from.childNodes) {
          if (n.nodeType === 3) to.append(n.data);
          if (n.nodeType !== 1 || /^(script|style|template)$/.test(n.localName)) continue;
          let e = to;
          if (ANSWER_TAGS.test(n.localName)) to.append((e = document.createElement(n.localName)));
          const href = n.localName === "a" && n.getAttribute("href");
          if (href && SAFE_HREF.test(href)) {
            e.href = href;
            if (/^https?:/i.test(href)) Object.assign(e, { target: "_blank", rel: "noopener nofollow" });
          }
          copy(n, e);
        }
        return to;
      };
      return copy(new DOMParser().parseFromString(html, "text/html").body, document.createDocumentFragment());
    }

    async vote(b) {
      const box = b.parentNode;
      if (box.dataset.done) return;
      box.dataset.done = b.ariaPressed = true;
      const id = encodeURIComponent(this.view.querySelector("[data-id]").dataset.id);
      const body = { helpful: b.dataset.vote === "1", visit: this.visit, locale: this.loc };
      box.querySelector("[data-status]").textContent = await this.call(`/faq/articles/${id}/vote`, body).then(
        ([st]) => (st === 200 ? this.t.vote_thanks : this.msg()),
        (x) => this.msg(x.message),
      );
    }

    async submit(e) {
      const f = e.target;
      e.preventDefault();
      if (f.busy) return;
      if (f.dataset.form === "chat") return this.chat.submit(f);
      if (!this.check(f)) return;
      const body = { ...Object.fromEntries(new FormData(f)), locale: this.loc };
      if (f.dataset.form === "contact") body.visit = this.visit;
      f.busy = 1;
      try {
        const [, d] = await this.call("/" + f.dataset.form, body);
        if (!d.ok) this.errors(f, d.errors || { form: 0 });
        else if (d.order) this.order(d.order, f.nextElementSibling);
        else this.sent(d, f);
      } catch (x) {
        this.errors(f, { form: x.message });
      }
      f.busy = 0;
    }

    // Clears the form's errors and shows the browser's own findings: true when there are none.
    check(f) {
      for (const x of f.querySelectorAll(".sd-err")) x.textContent = "";
      for (const x of f.elements) x.removeAttribute("aria-invalid");
      const bad = {};
      for (const i of f.elements) {
        if (i.name && !i.checkValidity()) bad[i.name] = i.validity.valueMissing ? "required" : i.type === "email" ? "invalid_email" : "too_long";
      }
      return !Object.keys(bad).length || this.errors(f, bad);
    }

    errors(f, errors) {
      let first;
      for (const [name, code] of Object.entries(errors)) {
        const i = f.elements[name];
        const field = i?.id && document.getElementById(i.id + "-err");
        (field || f.querySelector("[data-err]")).textContent = this.msg(code);
        if (field) {
          i.setAttribute("aria-invalid", "true");
          first ||= i;
        }
      }
      first?.focus();
    }

    order(o, box) {
      const add = (tag, text, cls, parent = box) => parent.appendChild(this.el(tag, cls, text));
      box.replaceChildren();
      add("h4", this.fill("order_title", o.name), "sd-h").tabIndex = -1;
      if (o.placedAt) add("p", this.fill("placed", this.date(o.placedAt)));
      add("p", o.cancelled ? this.t.cancelled : this.code(o.fulfillmentStatus), "sd-badge");
      if (o.holds?.length) add("p", this.fill("on_hold", o.holds.map((c) => this.code(c)).join(", ")), "sd-note");
      for (const d of o.delayNotices || []) add("p", (d.sentAt ? this.date(d.sentAt) + " · " : "") + d.message, "sd-note");
      const items = add("ul", null, "sd-items");
      for (const i of o.items || []) add("li", `${i.quantity} × ${i.title}${i.variant ? " – " + i.variant : ""}`, "", items);
      for (const s of o.shipments || []) {
        const ship = add("div", null, "sd-ship");
        add("p", s.status ? this.code(s.status) : this.t.shipped, "sd-badge", ship);
        if (s.deliveredAt) add("p", this.fill("delivered", this.date(s.deliveredAt)), "", ship);
        else if (s.estimatedDeliveryAt) add("p", this.fill("expected", this.date(s.estimatedDeliveryAt)), "", ship);
        for (const tr of s.tracking || []) {
          const text = [tr.company, tr.number].filter(Boolean).join(" ");
          // Carrier URLs are outside data: web links only.
          const url = /^https?:\/\//i.test(tr.url) && tr.url;
          const a = add(url ? "a" : "p", text, "", ship);
          if (url) Object.assign(a, { href: url, target: "_blank", rel: "noopener noreferrer" });
        }
      }
      box.firstChild.focus();
    }

    sent(d, f) {
      const t = this.t;
      const title = heading("h4", t.sent_title);
      const line = (key, n) => n != null && h("p", null, t[key].replace("{n}", n));
      f.replaceWith(
        h(
          "div",
          { className: "sd-done", role: "status" },
          title,
          line("sent_ticket", d.ticketNumber),
          line("sent_answer_by", d.answerBy),
          line("sent_response", d.answerWithinHours),
        ),
      );
      title.focus();
    }
  };
})();
