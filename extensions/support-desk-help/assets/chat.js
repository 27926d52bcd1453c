// Support Desk chat, loaded with the panel. It talks over a WebSocket to the app when it can and
// through the App Proxy (POST {proxy}/chat) when it cannot; both carry the same intents.
(() => {
  // Scripts loaded together run in any order: panel.js's builder is looked up when first used.
  const SupportDesk = (window.SupportDesk ||= {});
  const h = (...args) => SupportDesk.h(...args);
  const KEY = "sd-chat-visitor";
  const SECRET = /^[\w-]{32}$/;
  // 24 random bytes as base64url: 32 characters.
  const random = (bytes) =>
    btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");

  SupportDesk.Chat = class {
    constructor(p) {
      Object.assign(this, { p, t: p.t, items: [], ids: new Set(), queue: [], fails: 0, readAt: "", typed: 0 });
      const c = p.d.customer;
      // A logged-in customer is known already: no pre-chat step.
      this.who = c && c.email ? { name: c.name || "", email: c.email } : null;
      this.btn = h("button", { type: "button", className: "sd-btn", "data-go": "chat", hidden: true });
      p.actions.prepend(this.btn);
      addEventListener("online", () => this.ws || this.polling || this.connect());
    }

    // The visitor's secret: kept in localStorage, else sessionStorage, else only for this page.
    get visitor() {
      if (this.v) return this.v;
      for (const name of ["localStorage", "sessionStorage"]) {
        try {
          const store = window[name];
          let v = store.getItem(KEY);
          if (!SECRET.test(v || "")) store.setItem(KEY, (v = random(24)));
          return (this.v = v);
        } catch {
          // storage refused: try the next
        }
      }
      return (this.v = random(24));
    }

    post(intent, extra) {
      return this.p.call("/chat", { intent, visitor: this.visitor, ...extra });
    }

    // The panel opened or closed.
    shown(open) {
      this.open = open;
      if (open) this.context(1);
      if (open && !this.started) {
        this.started = 1;
        this.poll();
      }
      this.read();
      this.schedule();
    }

    // The panel moved to another view.
    left() {
      this.log = this.ta = this.typ = this.note = this.after = null;
    }

    since() {
      const at = this.items.filter((m) => m.id).at(-1)?.at;
      return at ? { since: at } : {};
    }

    async poll() {
      try {
        const [st, s] = await this.post("state", this.since());
        if (st !== 200) return;
        this.apply(s);
        if (s.conversation && !this.polling) this.connect();
        this.flush();
        this.context();
      } catch {
        // the next poll or the socket tries again
      }
    }

    schedule() {
      clearTimeout(this.pt);
      const every = this.polling && (this.open ? 3e3 : this.conv ? 15e3 : 0);
      if (every) this.pt = setTimeout(() => this.poll().finally(() => this.schedule()), every);
    }

    apply(s) {
      const t = this.t;
      this.s = s;
      this.conv = s.conversation;
      this.btn.textContent = s.available ? t.chat_start : t.chat_leave;
      this.btn.hidden = false;
      this.add(s.messages || []);
      this.status();
    }

    // ---------------------------------------------------------------- the direct connection
    async connect() {
      if (this.ws || this.polling === 2 || this.dialing) return;
      if (!window.WebSocket) return this.fallback(2);
      this.dialing = 1;
      clearTimeout(this.rt);
      try {
        if (!this.tok || Date.parse(this.tok.expiresAt) - Date.now() < 6e4) {
          const [st, tok] = await this.post("token");
          if (st !== 200 || !tok.socketUrl) throw Error();
          this.tok = tok;
        }
        const ws = (this.ws = new WebSocket(this.tok.socketUrl + "?token=" + encodeURIComponent(this.tok.token)));
        ws.onopen = () => ws.send(JSON.stringify({ t: "hello", ...this.since() }));
        ws.onmessage = (e) => {
          try {
            this.frame(JSON.parse(e.data));
          } catch {
            // not a frame of ours
          }
        };
        ws.onclose = (e) => this.dropped(ws, e.code);
      } catch {
        this.retry();
      }
      this.dialing = 0;
    }

    dropped(ws, code) {
      if (this.ws !== ws) return;
      const was = this.live;
      this.ws = this.live = null;
      clearInterval(this.beat);
      for (const q of this.queue) q.busy = 0;
      if (code === 4403) return this.fallback(2);
      if (code === 4401) {
        this.tok = null;
        if (!this.renewed) return (this.renewed = 1), this.connect();
      }
      if (was) {
        this.fails = 0;
        this.rt = setTimeout(() => this.connect(), 1e3);
      } else this.retry();
    }

    // 1 s, 2 s, 4 s … 30 s between attempts; after 3 failures in a row the proxy carries the chat meanwhile.
    retry() {
      if (++this.fails >= 3) this.fallback(1);
      this.rt = setTimeout(() => this.connect(), Math.min(3e4, 1e3 * 2 ** (this.fails - 1)));
    }

    // 1: poll while the socket keeps trying; 2: poll only (the socket refused this page).
    fallback(mode) {
      if (!this.polling) {
        this.polling = mode;
        this.flush();
        this.schedule();
      }
      this.polling = Math.max(this.polling, mode);
    }

    frame(f) {
      const q = this.queue.find((x) => x.clientId === f.clientId);
      if (f.t === "state") {
        const ws = this.ws;
        Object.assign(this, { live: 1, fails: 0, renewed: 0, polling: 0 });
        clearTimeout(this.pt);
        // A quiet connection can be dead without a close: no answer to a ping in 10 s ends it.
        clearInterval(this.beat);
        this.beat = setInterval(() => {
          if (this.pong < Date.now() - 35e3) return ws.close(), this.dropped(ws, 1006);
          this.say({ t: "ping" });
        }, 25e3);
        this.pong = Date.now();
        this.apply(f);
        this.flush();
        this.read();
        this.context(1);
      } else if (f.t === "pong") this.pong = Date.now();
      else if (f.t === "messages") this.add(f.messages);
      else if (f.t === "ack") this.acked(q, f);
      else if (f.t === "error" && q) this.refused(q, f.error, f.errors);
      else if (f.t === "typing") this.typing(f.name);
      else if (f.t === "seen" && this.conv) (this.conv.agentSeenAt = f.at), this.seen();
      else if (f.t === "conversation") (this.conv = f.conversation), this.status();
    }

    say(frame) {
      if (this.live && this.ws.readyState === 1) return this.ws.send(JSON.stringify(frame)), 1;
    }

    // ---------------------------------------------------------------- messages
    // Sends what waits, in order: over the socket all at once, through the proxy one at a time.
    flush() {
      for (const q of this.queue) {
        if (q.busy) continue;
        const { name, email } = this.who || {};
        const frame = { clientId: q.clientId, body: q.body, name, email, locale: this.p.loc, pagePath: location.pathname };
        if (this.say({ t: "send", ...frame })) q.busy = 1;
        else if (this.polling) {
          q.busy = 1;
          this.post("send", frame).then(
            ([st, d]) => (st === 200 ? this.acked(q, d) : this.refused(q, st === 422 ? "invalid" : "failed", d.errors)),
            (x) => this.refused(q, x.message),
          );
          return;
        } else return;
      }
    }

    add(list) {
      let agent;
      for (const m of list) {
        if (this.ids.has(m.id)) continue;
        this.ids.add(m.id);
        // Our own message pushed back before its ack: it is the one on its way, not another.
        const q = m.from === "shopper" && this.queue.find((x) => !x.id && x.body === m.body);
        if (q) {
          Object.assign(q, { id: m.id, at: m.at });
          this.place(q);
          continue;
        }
        this.place(m);
        if (m.from === "agent") agent = 1;
      }
      if (agent) this.typing();
      this.seen();
      this.read();
    }

    acked(q, d) {
      if (!q) return;
      this.queue.splice(this.queue.indexOf(q), 1);
      this.conv = d.conversation;
      if (this.ids.has(d.message.id) && q.id !== d.message.id) {
        // Shown already (pushed from another tab's send, say): this copy goes.
        this.items.splice(this.items.indexOf(q), 1);
        q.el?.remove();
      } else {
        this.ids.add(d.message.id);
        Object.assign(q, { id: d.message.id, at: d.message.at });
        this.place(q);
      }
      this.context(1);
      if (d.offline) this.tell([this.p.fill("sent_ticket", d.conversation.ticketNumber), this.p.fill("chat_by_email", this.s?.responseHours ?? 24)].join(" "));
      this.seen();
      this.flush();
    }

    refused(q, error, errors) {
      q.busy = 0;
      if (error === "rate_limited") {
        this.tell(this.p.msg(error));
        return void setTimeout(() => this.flush(), 1e4);
      }
      if (error !== "invalid") return void setTimeout(() => this.flush(), 3e3);
      // Not a message the app takes: it goes back to the box with the reason.
      this.queue.splice(this.queue.indexOf(q), 1);
      this.items.splice(this.items.indexOf(q), 1);
      q.el?.remove();
      if (errors?.email && !this.p.d.customer) {
        this.who = null;
        this.s = { ...this.s, requireEmail: true };
        this.draft = q.body;
        const f = this.p.show("chat").querySelector("form");
        return this.p.errors(f, { email: "email" });
      }
      if (this.ta) {
        this.ta.value ||= q.body;
        this.p.errors(this.ta.form, { body: errors?.body ? "body" : "generic" });
      }
    }

    // ---------------------------------------------------------------- the view
    view() {
      const { t, p } = this;
      const s = this.s || {};
      const title = h("h3", { className: "sd-h", tabIndex: -1 }, s.available ? t.chat_start : t.chat_leave);
      const intro = h("p", { className: "sd-hint" }, s.available ? t.chat_online : p.fill("chat_offline", s.responseHours));
      const err = h("p", { className: "sd-err", role: "alert", "data-err": true });
      if (!this.conv && !this.who && !this.items.length) {
        const need = !!s.requireEmail;
        return h(
          "form",
          { className: "sd-form", "data-form": "chat", "data-step": "who", noValidate: true },
          title,
          intro,
          p.field("name", t.chat_name, { auto: "name", max: 200 }),
          p.field("email", need ? t.email : t.chat_email_optional, { type: "email", auto: "email", required: need, max: 254 }),
          err,
          h("button", { type: "submit", className: "sd-btn sd-primary" }, t.chat_begin),
        );
      }
      const id = p.uid + "-body";
      this.log = h("div", { className: "sd-log", role: "log" });
      this.typ = h("p", { className: "sd-typing", "aria-live": "polite" });
      this.note = h("p", { className: "sd-note", role: "status", hidden: true });
      this.after = h("div", { className: "sd-after", hidden: true });
      this.ta = h("textarea", { id, name: "body", rows: 2, maxLength: 2000, required: true, "aria-describedby": id + "-err" });
      this.ta.onkeydown = (e) => {
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) e.preventDefault(), this.ta.form.requestSubmit();
      };
      this.ta.oninput = () => this.typingSignal();
      this.ta.value = this.draft || "";
      this.draft = "";
      for (const m of this.items) this.draw(m);
      const view = [
        title,
        intro,
        this.log,
        this.typ,
        this.note,
        this.after,
        h(
          "form",
          { className: "sd-say", "data-form": "chat", noValidate: true },
          h("label", { className: "sd-vh", htmlFor: id }, t.chat_input),
          this.ta,
          h("button", { type: "submit", className: "sd-btn sd-primary" }, t.chat_send),
          h("p", { className: "sd-err", id: id + "-err" }),
        ),
      ];
      queueMicrotask(() => {
        this.seen();
        this.status();
        this.scroll();
        this.read();
        this.connect();
      });
      return view;
    }

    submit(f) {
      const p = this.p;
      if (f.dataset.step === "transcript") {
        if (p.check(f)) this.transcript(f.elements.email.value.trim(), f);
        return;
      }
      if (f.dataset.step === "who") {
        if (!p.check(f)) return;
        this.who = { name: f.elements.name.value.trim(), email: f.elements.email.value.trim() };
        p.show("chat");
        return this.ta.focus();
      }
      for (const x of f.querySelectorAll(".sd-err")) x.textContent = "";
      this.ta.removeAttribute("aria-invalid");
      const body = this.ta.value.trim();
      if (!body) return p.errors(f, { body: "body" });
      this.ta.value = "";
      const q = { clientId: random(18), body, from: "shopper", at: new Date().toISOString() };
      this.queue.push(q);
      this.place(q);
      this.flush();
      this.connect();
    }

    // In the server's order; messages on their way stay last until it has them.
    place(m) {
      const i = this.items.indexOf(m);
      if (i >= 0) this.items.splice(i, 1);
      const j = m.id ? this.items.findIndex((x) => !x.id || x.at > m.at) : -1;
      j < 0 ? this.items.push(m) : this.items.splice(j, 0, m);
      this.draw(m);
    }

    draw(m) {
      if (!this.log) return;
      const { t } = this;
      const time = new Intl.DateTimeFormat(this.p.loc, { timeStyle: "short" }).format(new Date(m.at));
      const who = m.from === "agent" ? m.name || t.chat_team : t.chat_you;
      const el = h("div", { className: "sd-msg sd-msg--" + m.from }, h("small", null, `${who} · ${m.id ? time : t.chat_sending}`), h("span", null, m.body));
      const next = this.items[this.items.indexOf(m) + 1]?.el;
      m.el?.remove();
      next?.isConnected ? next.before(el) : this.log.append(el);
      m.el = el;
      this.scroll();
    }

    scroll() {
      this.log && (this.log.scrollTop = this.log.scrollHeight);
    }

    // "Seen" under the last of the shopper's messages the agent has read.
    seen() {
      if (!this.log) return;
      const at = this.conv?.agentSeenAt;
      const last = at && this.items.filter((m) => m.from === "shopper" && m.id && m.at <= at).at(-1);
      this.seenEl ||= h("p", { className: "sd-seen" }, this.t.chat_seen);
      if (last?.el?.isConnected) last.el.after(this.seenEl);
      else this.seenEl.remove();
    }

    status() {
      if (!this.note) return;
      if (this.conv?.status === "solved") this.tell(this.t.chat_solved);
      else if (this.note.textContent === this.t.chat_solved) this.note.hidden = true;
      this.wrap();
    }

    // Once solved: the rating (when the team asks for one) and the conversation by email on request.
    wrap() {
      const { after: a, conv: c, t, p } = this;
      if (!a) return;
      a.hidden = c?.status !== "solved";
      if (a.hidden) return (this.mailed = 0), (this.wk = ""), a.replaceChildren();
      // Built again only when what it shows changed: a conversation frame must not wipe a typed address.
      const key = [c.status, c.survey, c.rating, c.email, this.mailed].join();
      if (key === this.wk && a.firstChild) return;
      this.wk = key;
      const kids = [];
      if (c.survey) {
        const id = p.uid + "-rate";
        const pick = (n) => h("button", { type: "button", className: "sd-btn", "aria-pressed": String(c.rating === n), onclick: () => this.rate(n) }, t["chat_r" + n]);
        kids.push(h("div", { className: "sd-rate", role: "group", "aria-labelledby": id }, h("p", { id }, t.chat_rate), [1, 2, 3, 4, 5].map(pick)));
        if (c.rating) kids.push(h("p", { className: "sd-hint", role: "status" }, p.fill("chat_rated", c.rating)));
      }
      if (this.mailed) kids.push(h("p", { className: "sd-hint", role: "status" }, t.chat_transcript_sent));
      else if (c.email) kids.push(h("button", { type: "button", className: "sd-btn", onclick: () => this.transcript() }, t.chat_transcript));
      else
        kids.push(
          h(
            "form",
            { className: "sd-form", "data-form": "chat", "data-step": "transcript", noValidate: true },
            p.field("email", t.email, { type: "email", auto: "email", required: true, max: 254 }),
            h("p", { className: "sd-err", role: "alert", "data-err": true }),
            h("button", { type: "submit", className: "sd-btn" }, t.chat_transcript),
          ),
        );
      a.replaceChildren(...kids);
    }

    // Through the App Proxy: one-off requests, answered with the conversation as it is now.
    async ask(intent, extra, f) {
      try {
        const [st, d] = await this.post(intent, extra);
        if (st === 200) return (this.conv = d.conversation), 1;
        if (f && d.errors) this.p.errors(f, Object.fromEntries(Object.keys(d.errors).map((k) => [k, k === "email" ? "invalid_email" : "generic"])));
        else this.tell(this.p.msg());
      } catch (x) {
        this.tell(this.p.msg(x.message));
      }
    }

    async rate(n) {
      if (await this.ask("rate", { rating: n })) this.wrap();
    }

    async transcript(email, f) {
      if (await this.ask("transcript", email ? { email } : {}, f)) (this.mailed = 1), this.wrap();
    }

    tell(text) {
      if (this.note) Object.assign(this.note, { textContent: text, hidden: false });
    }

    // The agent typing, shown for 5 s or until their message comes.
    typing(name) {
      clearTimeout(this.tt);
      if (!this.typ) return;
      this.typ.textContent = name ? this.p.fill("chat_typing", name) : "";
      if (name) this.tt = setTimeout(() => this.typing(), 5e3);
    }

    // The shopper's cart as the storefront's Ajax API has it, summarised; undefined when it cannot be read.
    async cart() {
      try {
        const r = await fetch((window.Shopify?.routes?.root || "/") + "cart.js", { headers: { Accept: "application/json" } });
        const c = r.ok && (await r.json());
        if (!c || !/^[A-Z]{3}$/.test(c.currency || "")) return;
        const items = (c.items || [])
          .filter((i) => (i.product_title || i.title) && i.quantity > 0)
          .slice(0, 10)
          .map((i) => ({
            title: String(i.product_title || i.title).slice(0, 120),
            variant: i.variant_title ? String(i.variant_title).slice(0, 80) : null,
            quantity: i.quantity | 0,
            price: Math.max(0, (i.final_line_price ?? i.line_price) | 0),
            url: /^\/\S*$/.test(i.url || "") ? i.url.slice(0, 300) : null,
          }));
        return { count: c.item_count | 0, total: Math.max(0, c.total_price | 0), currency: c.currency, items };
      } catch {
        // no cart on this storefront
      }
    }

    // Where the shopper is and what is in their cart, for the agent: when the panel opens, with each
    // message, and every 30 s while the page is in view; sent only when it changed.
    async context(now) {
      if (!this.conv || (!now && Date.now() - (this.ctxAt || 0) < 3e4)) return;
      this.ctxAt = Date.now();
      this.ctxBeat ||= setInterval(() => document.visibilityState === "visible" && this.context(), 3e4);
      const cart = await this.cart();
      const frame = { pagePath: location.pathname, ...(cart ? { cart } : {}) };
      const key = JSON.stringify(frame);
      if (key === this.ctx) return;
      // Over the socket, or through the proxy when that carries the chat; otherwise the socket's state sends it.
      if (this.say({ t: "context", ...frame })) this.ctx = key;
      else if (this.polling) {
        this.ctx = key;
        this.post("context", { pagePath: frame.pagePath, ...(cart ? { cart: JSON.stringify(cart) } : {}) }).catch(() => {});
      }
    }

    // Tells the agent the shopper types: at most every 3 s, and only in a conversation they can see.
    typingSignal() {
      const now = Date.now();
      if (!this.conv || now - this.typed < 3e3) return;
      this.typed = now;
      this.say({ t: "typing" }) || this.post("typing").catch(() => {});
    }

    // The shopper has read the agent's messages: told when they are on screen.
    read() {
      const last = this.items.filter((m) => m.from === "agent").at(-1)?.at;
      if (!this.open || !this.log?.isConnected || !last || last <= this.readAt) return;
      this.readAt = last;
      this.say({ t: "seen" }) || this.post("seen").catch(() => {});
    }
  };
})();
