// Support Desk help panel; its text and view markup come from the block's templates.
customElements.get("sd-help") || customElements.define("sd-help", class extends HTMLElement {
  connectedCallback() {
    if (this.t) return;
    const q = (s) => this.querySelector(s);
    this.t = {};
    for (const i of q("[data-tpl=i18n]").content.querySelectorAll("[data-k]")) this.t[i.dataset.k] = i.textContent;
    Object.assign(this, {
      b: q(".sd-launch"),
      p: q("[role=dialog]"),
      home: q("[data-home]"),
      view: q("[data-slot]"),
      back: q("[data-back]"),
      s: q("input[type=search]"),
      out: q("[data-results]"),
      api: this.dataset.proxy,
      loc: this.dataset.locale,
      n: 0,
    });
    this.b.onclick = () => this.toggle(this.p.hidden);
    // Handlers run with `this` = the element.
    Object.assign(this, { onkeydown: this.key, onclick: this.tap, onsubmit: this.submit });
    this.s.oninput = () => {
      this.stop();
      this.d1 = setTimeout(() => this.search(), 150);
      // Record only after a pause, not half-typed words.
      this.d2 = setTimeout(() => this.search(1), 1000);
    };
    this.s.onkeydown = (e) => {
      if (e.key === "Enter") e.preventDefault(), this.search(1);
    };
    for (const a of document.querySelectorAll("[data-sd-open]")) {
      a.hidden = false;
      a.onclick = () => this.toggle(1);
    }
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
    return Object.assign(document.createElement(tag), { className: cls || "", textContent: text ?? "" });
  }

  clone(name) {
    return this.querySelector(`[data-tpl=${name}]`).content.cloneNode(true);
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
    this.p.hidden = !open;
    this.b.setAttribute("aria-expanded", !!open);
    if (!open) return this.b.focus();
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

  show(view, prefill) {
    const s = this.view;
    s.replaceChildren();
    this.home.hidden = !!view;
    this.back.hidden = !view;
    if (!view) return this.s.focus();
    s.append(this.clone(view));
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
      const list = this.el("ul", "sd-list");
      for (const r of d.results || []) {
        const b = list.appendChild(this.el("li")).appendChild(this.el("button", "sd-q", r.question));
        b.type = "button";
        b.dataset.article = r.id;
        if (r.snippet) b.append(this.el("small", "", r.snippet));
      }
      if (list.firstChild) return this.out.replaceChildren(list);
      const empty = this.clone("empty");
      empty.querySelector("button")?.setAttribute("data-prefill", v);
      this.out.replaceChildren(empty);
    } catch (x) {
      if (n === this.n) this.out.replaceChildren(this.el("p", "sd-err", this.msg(x.message)));
    }
  }

  async article(id) {
    const s = this.show("article");
    const h = s.querySelector("h3");
    const a = s.querySelector("[data-a]");
    s.firstElementChild.dataset.id = id;
    try {
      const [st, d] = await this.call("/faq/articles/" + encodeURIComponent(id), 0, { locale: this.loc, visit: this.visit });
      if (st !== 200) throw Error("article");
      h.textContent = d.question;
      // The app sanitizes answerHtml.
      a.innerHTML = d.answerHtml;
      s.querySelector("[data-vote-box]").hidden = false;
    } catch (x) {
      h.textContent = "";
      a.replaceChildren(this.el("p", "sd-err", this.msg(x.message)));
    }
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
    for (const x of f.querySelectorAll(".sd-err")) x.textContent = "";
    for (const x of f.elements) x.removeAttribute("aria-invalid");
    const bad = {};
    for (const i of f.elements) {
      if (i.name && !i.checkValidity()) bad[i.name] = i.validity.valueMissing ? "required" : i.type === "email" ? "invalid_email" : "too_long";
    }
    if (Object.keys(bad).length) return this.errors(f, bad);
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
    const box = this.clone("sent");
    const h = box.querySelector("h4");
    for (const p of box.querySelectorAll("[data-n]")) {
      const n = d[p.dataset.n];
      if (n == null) p.remove();
      else p.textContent = p.textContent.replace("{n}", n);
    }
    f.replaceWith(box);
    h.focus();
  }
});
