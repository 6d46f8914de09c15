// Machine checks for issue 5 item 10: WCAG AA contrast and no layout shift.
// Used by journeys.mjs on the main pages; each function returns what it found, and the
// journeys collect the failures and fail one step that lists them all.
//
// Contrast (WCAG 2.x, 1.4.3 and 1.4.11): every visible element with its own text is
// measured against the background painted behind it, found by walking its ancestors and
// compositing every translucent background-color over the next one down (the canvas is
// white). Text over a background image or gradient is skipped with that reason, never
// guessed. Text needs 4.5:1, large text (≥ 24 px, or ≥ 18.66 px and bold) 3:1; text
// fields, selects and textareas need their border at 3:1 against what surrounds them, and
// their typed text and placeholder 4.5:1 against their own fill. Disabled controls and
// anything inside them are exempt, as WCAG says. Keyboard focus: Tab walks the page and
// every focus stop must show an outline at 3:1 against the background around it.
//
// Layout shift: the page's own `layout-shift` entries (PerformanceObserver, buffered).
// CLS counts only shifts without recent input (a click or a key in the last 500 ms); the
// raw sum counts them all, because a partial update answering a click is recent input.

// Runs in the page: with "contrast", the contrast audit of what it shows (the open modal
// dialog only, when there is one); with "focus", how the focused element shows its focus.
function audit(task) {
  const parse = (s) => {
    const m = /^rgba?\(([^)]*)\)$/.exec(s.trim());
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    if (p.length < 3 || p.some(Number.isNaN)) return null;
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  // `top` over an opaque `bottom`.
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const channel = (v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const lum = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const ratio = (x, y) => {
    const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p);
    return (a + 0.05) / (b + 0.05);
  };
  const hex = (c) =>
    "#" + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      let p = e.tagName.toLowerCase();
      if (e.id) p += `#${e.id}`;
      else if (typeof e.className === "string" && e.className.trim())
        p += "." + e.className.trim().split(/\s+/).join(".");
      parts.unshift(p);
    }
    return parts.join(" > ");
  };
  const snippet = (t) => {
    const s = t.replace(/\s+/g, " ").trim();
    return s.length > 40 ? `${s.slice(0, 40)}…` : s;
  };

  // The opaque colour painted behind `el`'s content, or why it cannot be known.
  const backdrop = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage !== "none") return { skip: `over a background image on ${path(e)}` };
      const c = parse(s.backgroundColor);
      if (!c) return { skip: `unreadable background ${s.backgroundColor} on ${path(e)}` };
      if (c.a > 0) layers.push(c);
      if (c.a >= 1) break;
    }
    let color = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) color = over(layer, color);
    return { color };
  };
  // Opacity multiplies down the tree.
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };
  // Seen by a sighted user: rendered, not transparent, not clipped to a pixel
  // (.visually-hidden), not moved off the page (the skip link until focused).
  const shown = (el) => {
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;
    if (r.right + window.scrollX <= 0 || r.bottom + window.scrollY <= 0) return false;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.clip !== "auto" && s.position === "absolute") return false;
      const b = e.getBoundingClientRect();
      if (s.overflow !== "visible" && (b.width <= 1 || b.height <= 1)) return false;
    }
    return true;
  };
  const disabled = (el) => el.closest(":disabled") !== null;

  if (task === "focus") {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    // Each walk keeps the stops it has seen, to stop when Tab comes round again. Tab also
    // walks the parts of one control (a date field's day, month, year and picker button).
    const walk = (window.__rapportFocusWalk ??= { seen: new WeakSet(), last: null });
    const part = walk.last === el;
    if (walk.seen.has(el) && !part) return { again: true };
    walk.seen.add(el);
    walk.last = el;
    const label = (el.textContent || el.getAttribute("aria-label") || el.name || "").trim();
    const name = `${path(el)}${label ? ` "${snippet(label)}"` : ""}`;
    const s = getComputedStyle(el);
    const width = parseFloat(s.outlineWidth);
    const colour = parse(s.outlineColor);
    if (s.outlineStyle === "none" || !(width > 0) || !colour) {
      return { name, part, problem: `shows no focus outline (${s.outlineStyle} ${s.outlineWidth})` };
    }
    // The outline is drawn outside the element (outline-offset): on the parent's backdrop.
    const around = backdrop(el.parentElement);
    if (around.skip) return { name, part, skip: around.skip };
    const edge = over({ ...colour, a: colour.a * opacity(el) }, around.color);
    const r = ratio(edge, around.color);
    if (r < 3) {
      const was = `${hex(edge)} on ${hex(around.color)} is ${r.toFixed(2)}:1`;
      return { name, part, problem: `focus outline ${was}, needs 3:1` };
    }
    return { name, part };
  }

  const modal = document.querySelector("dialog:modal");
  const root = modal || document.body;
  const failures = [];
  const skipped = [];
  let texts = 0;
  let controls = 0;
  const check = (el, what, fg, bg, need, extra = "") => {
    const r = ratio(fg, bg);
    if (r + 1e-9 < need)
      failures.push(
        `${what} ${path(el)}${extra}: ${hex(fg)} on ${hex(bg)} is ${r.toFixed(2)}:1, needs ${need}:1`,
      );
  };
  const textColour = (el, s, bg) => {
    const c = parse(s.color);
    if (!c) return null;
    return over({ ...c, a: c.a * opacity(el) }, bg);
  };

  for (const el of [root, ...root.querySelectorAll("*")]) {
    if (["SCRIPT", "STYLE", "TEMPLATE", "OPTION", "OPTGROUP", "TITLE"].includes(el.tagName)) continue;
    const own = [...el.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent)
      .join(" ");
    const field =
      el.tagName === "SELECT" ||
      el.tagName === "TEXTAREA" ||
      (el.tagName === "INPUT" &&
        !["hidden", "checkbox", "radio", "range", "color", "file", "image"].includes(el.type));
    if (!own.trim() && !field) continue;
    if (disabled(el) || !shown(el)) continue;
    const s = getComputedStyle(el);
    const back = backdrop(el);
    if (back.skip) {
      skipped.push(`${path(el)}: ${back.skip}`);
      continue;
    }
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    const need = large ? 3 : 4.5;
    const fg = textColour(el, s, back.color);
    if (!fg) {
      skipped.push(`${path(el)}: unreadable colour ${s.color}`);
      continue;
    }
    if (own.trim()) {
      texts += 1;
      check(el, "text", fg, back.color, need, ` "${snippet(own)}"`);
    }
    if (!field) continue;
    controls += 1;
    if (!own.trim()) check(el, "field text", fg, back.color, need);
    if (el.placeholder) {
      const ps = getComputedStyle(el, "::placeholder");
      const pc = parse(ps.color);
      if (pc) {
        const eff = over({ ...pc, a: pc.a * Number(ps.opacity) * opacity(el) }, back.color);
        check(el, "placeholder", eff, back.color, need, ` "${snippet(el.placeholder)}"`);
      } else skipped.push(`${path(el)}: unreadable placeholder colour ${ps.color}`);
    }
    // 1.4.11: the field's edge against what surrounds it.
    const around = el.parentElement ? backdrop(el.parentElement) : { color: back.color };
    if (around.skip) {
      skipped.push(`${path(el)} border: ${around.skip}`);
      continue;
    }
    const width = parseFloat(s.borderTopWidth);
    const border = parse(s.borderTopColor);
    const edge =
      width > 0 && s.borderTopStyle !== "none" && border
        ? over(border, around.color)
        : back.color; // no border: the field's own fill is its edge
    check(el, "field border", edge, around.color, 3);
  }
  return { failures, skipped, texts, controls };
}

// Runs in the page: layout-shift entries since `since` (a performance.now() reading).
function shiftsSince(since) {
  return new Promise((resolve) => {
    const seen = [];
    const po = new PerformanceObserver((list) => seen.push(...list.getEntries()));
    po.observe({ type: "layout-shift", buffered: true });
    setTimeout(() => {
      seen.push(...po.takeRecords());
      po.disconnect();
      const describe = (n) => {
        if (!n || n.nodeType !== Node.ELEMENT_NODE) return n ? n.nodeName : "?";
        let p = n.tagName.toLowerCase();
        if (n.id) p += `#${n.id}`;
        else if (typeof n.className === "string" && n.className.trim())
          p += "." + n.className.trim().split(/\s+/).join(".");
        return p;
      };
      const mine = seen.filter((e) => e.startTime >= since);
      const cls = mine.filter((e) => !e.hadRecentInput).reduce((a, e) => a + e.value, 0);
      const raw = mine.reduce((a, e) => a + e.value, 0);
      const sources = mine
        .slice(0, 5)
        .map(
          (e) =>
            `${e.value.toFixed(5)}${e.hadRecentInput ? " (input)" : ""}: ` +
            (e.sources || [])
              .map((s) => `${describe(s.node)} ${Math.round(s.previousRect.y)}→${Math.round(s.currentRect.y)}`)
              .join(", "),
        );
      resolve({ cls, raw, count: mine.length, sources });
    }, 100);
  });
}

// The contrast audit of what `page` shows now.
export async function contrast(page) {
  return page.evaluate(audit, "contrast");
}

// Walks the page with Tab (at most `limit` presses) and checks every focus indicator.
// The walk starts wherever Tab goes next and ends when it comes round to a stop again:
// past the last stop focus leaves the page once, and the next Tab starts at the top.
export async function focusStops(page, limit = 80) {
  await page.evaluate(() => {
    window.__rapportFocusWalk = { seen: new WeakSet(), last: null };
  });
  const failures = new Set();
  const skipped = new Set();
  let stops = 0;
  let outside = 0;
  let whole = false;
  for (let i = 0; i < limit && !whole; i += 1) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(audit, "focus");
    if (!f) {
      outside += 1;
      whole = outside > 1;
      continue;
    }
    whole = Boolean(f.again);
    if (whole) break;
    if (!f.part) stops += 1;
    if (f.problem) failures.add(`focus ${f.name}: ${f.problem}`);
    if (f.skip) skipped.add(`focus ${f.name}: ${f.skip}`);
  }
  return { failures: [...failures], skipped: [...skipped], stops, whole };
}

// Milliseconds since the page's time origin, to measure shifts from.
export async function now(page) {
  return page.evaluate(() => performance.now());
}

// Layout shift since `since` (0: since the page started loading), after the page settles.
export async function layoutShift(page, since = 0) {
  // Two frames, so that a shift caused by the last change has been recorded.
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
  );
  return page.evaluate(shiftsSince, since);
}
