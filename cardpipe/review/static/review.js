// cardpipe review: the page's only script (no libraries, nothing from the network).
"use strict";

const TOKEN = document.querySelector('meta[name="cardpipe-token"]').content;
// [field, label, the OCR evidence it is outlined by, the confidence it is shown with]
const FIELDS = [
  ["full_name", "Name", "full_name", "full_name"], ["title", "Title", "title", "title"],
  ["company", "Company", "company", "company"], ["department", "Department", "company", null],
  ["emails", "E-mail", "emails", "emails"], ["phones", "Phone", "phones", "phones"],
  ["websites", "Website", "websites", "websites"], ["street", "Street", "address", "address"],
  ["postcode", "Postcode", "address", null], ["locality", "City", "address", null],
  ["region", "Region", "address", null], ["country", "Country", "address", null],
];
const MULTI = new Set(["emails", "phones", "websites"]);
const ACTIONS = [
  ["accept", "Accept", "a"], ["merge", "Merge with candidate", "m"],
  ["separate", "Keep separate", "s"], ["edit", "Save edits", "Ctrl+Enter"],
  ["skip", "Skip", "n"], ["undo", "Undo", "u"],
];

const state = { items: [], history: [], current: 0, detail: null, low: 0.6, busy: false };
const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

async function api(path, body) {
  const options = { headers: { "X-Cardpipe-Token": TOKEN } };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function say(text, error = false) {
  const m = $("message");
  m.textContent = text;
  m.className = error ? "error" : "";
}

// -- the list ---------------------------------------------------------------------
function flags(item) {
  const out = [];
  if (item.marked) out.push("possible duplicate");
  if (item.low.length) out.push("unsure: " + item.low.join(", "));
  return out.join(" · ");
}

function renderList() {
  const list = $("items");
  list.replaceChildren(...state.items.map((item, i) => el("li", {
    class: i === state.current ? "current" : "", dataset: { uid: item.uid },
    onclick: () => { select(i); $("list").classList.remove("open"); },
  }, item.name || "(no name)", el("span", { class: "flags" }, flags(item)))));
  const n = state.items.length;
  $("progress").textContent = n ? `${Math.min(state.current + 1, n)} of ${n} to review` :
    "all reviewed";
  renderHistory();
}

function renderHistory() {
  const words = { accept: "accepted", edit: "edited", merge: "merged", separate: "kept apart",
                  skip: "skipped" };
  $("history").replaceChildren(...state.history.slice().reverse().map((d) => el("li",
    { dataset: { id: String(d.id), kind: d.kind } },
    `${words[d.kind] || d.kind}: ${d.name}` + (d.other ? ` / ${d.other_name}` : "") +
      (d.fields && d.fields.length ? ` (${d.fields.join(", ")})` : ""),
    el("button", { type: "button", class: "undo", onclick: () => undo(d.id) }, "undo"))));
}

// -- one card ---------------------------------------------------------------------
async function select(i) {
  state.current = Math.max(0, Math.min(i, state.items.length - 1));
  renderList();
  const item = state.items[state.current];
  if (!item) {
    state.detail = null;
    $("detail").hidden = true;
    $("empty").hidden = false;
    return;
  }
  $("empty").hidden = true;
  const detail = await api("api/card/" + encodeURIComponent(item.uid));
  state.detail = detail;
  renderDetail(detail);
}

function renderDetail(d) {
  $("detail").hidden = false;
  $("name").textContent = d.name || "(no name)";
  const why = [];
  if (d.marked) why.push("The matcher was unsure: " + (d.note || "a possible duplicate"));
  const low = Object.entries(d.confidence).filter(([, v]) => v < state.low).map(([k]) => k);
  if (low.length) why.push("Read with low confidence: " + low.join(", "));
  $("why").textContent = why.join(". ");
  renderCard(d.card);
  renderFields(d);
  renderCandidate(d);
  renderActions(d);
}

function renderCard(card) {
  const img = $("image");
  const boxes = $("boxes");
  boxes.replaceChildren();
  if (!card || !card.image) {
    $("figure").hidden = !card;
    img.removeAttribute("src");
    $("caption").textContent = card ? "no image was kept of this card" : "";
    return;
  }
  $("figure").hidden = false;
  img.src = card.image + "?token=" + encodeURIComponent(TOKEN);
  $("caption").textContent = card.photo;
  card.lines.forEach((line, i) => {
    const [x, y, w, h] = line.box;
    const box = el("div", { dataset: { line: String(i) }, title: line.text });
    box.style.left = (100 * x / card.width) + "%";
    box.style.top = (100 * y / card.height) + "%";
    box.style.width = (100 * w / card.width) + "%";
    box.style.height = (100 * h / card.height) + "%";
    boxes.append(box);
  });
}

function outline(evidence, on) {
  const card = state.detail && state.detail.card;
  const lines = (card && card.fields && card.fields[evidence]) || [];
  for (const box of $("boxes").children) {
    box.classList.toggle("on", on && lines.includes(Number(box.dataset.line)));
  }
}

function renderFields(d) {
  const form = $("fields");
  form.replaceChildren();
  for (const [name, label, evidence, confKey] of FIELDS) {
    const conf = confKey ? d.confidence[confKey] : undefined;
    const isLow = conf !== undefined && conf < state.low;
    const id = "f-" + name;
    const input = MULTI.has(name) ? el("textarea", { id, name, rows: "2" }) :
      el("input", { id, name, type: "text" });
    input.value = d.fields[name] || "";
    input.dataset.original = input.value;
    input.dataset.evidence = evidence;
    if (isLow) input.classList.add("low");
    const lab = el("label", { for: id, class: isLow ? "low" : "" }, label);
    if (conf !== undefined) lab.append(el("span", { class: "conf" }, `read ${Math.round(conf * 100)}%`));
    for (const target of [input, lab]) {
      target.addEventListener("mouseenter", () => outline(evidence, true));
      target.addEventListener("mouseleave", () => outline(evidence, document.activeElement === input));
    }
    input.addEventListener("focus", () => outline(evidence, true));
    input.addEventListener("blur", () => outline(evidence, false));
    input.addEventListener("input", () => {
      input.classList.toggle("changed", input.value !== input.dataset.original);
    });
    form.append(lab, input);
  }
}

function edits() {
  const out = {};
  for (const input of $("fields").elements) {
    if (input.value !== input.dataset.original) out[input.name] = input.value;
  }
  return out;
}

function renderCandidate(d) {
  const c = d.candidate;
  $("candidate").hidden = !c;
  if (!c) return;
  $("cand-name").textContent = c.name;
  $("cand-prob").textContent = `(match ${Math.round(c.probability * 100)}%)`;
  const rows = FIELDS.filter(([name]) => d.fields[name] || c.fields[name]).map(([name, label]) =>
    el("tr", { class: (d.fields[name] || "") === (c.fields[name] || "") ? "" : "differ" },
      el("td", {}, label), el("td", {}, d.fields[name] || "—"), el("td", {}, c.fields[name] || "—")));
  $("compare").tBodies[0].replaceChildren(...rows);
  $("reasons").replaceChildren(...c.reasons.map((r) => el("li",
    { class: r.conflict ? "conflict" : r.weight > 0 ? "for" : "" },
    `${r.field}: ${r.level} (${r.detail}) ${r.weight > 0 ? "+" : ""}${r.weight}`)));
}

function renderActions(d) {
  $("actions").replaceChildren(...ACTIONS.map(([kind, label, key]) => {
    const button = el("button", { type: "button", id: "do-" + kind, dataset: { kind },
      onclick: () => act(kind) }, label, el("kbd", {}, key));
    if ((kind === "merge" || kind === "separate") && !d.candidate) button.disabled = true;
    if (kind === "undo" && !state.history.length) button.disabled = true;
    return button;
  }));
}

// -- deciding ---------------------------------------------------------------------
function take(data) {
  state.items = data.items;
  state.history = data.history;
  state.low = data.low;
}

async function followup() {
  // an action with its date ("Call about the pilot", "30d" or "2027-01-15"), kept in the card
  const d = state.detail;
  if (state.busy || !d) return;
  const text = window.prompt(`Follow-up for ${d.name}: what to do?`);
  if (!text || !text.trim()) return;
  const due = window.prompt("Due (30d, 2w, 12h or a date such as 2027-01-15):", "30d");
  if (due === null) return;
  state.busy = true;
  try {
    const data = await api("api/decide", { kind: "followup", uid: d.uid, values: { text, due } });
    take(data);
    await select(state.current);  // the history and the card as written
    say(`Follow-up for ${d.name}, due ${data.decision.followup.due}`);
  } catch (err) {
    say(err.message, true);
  } finally {
    state.busy = false;
  }
}

async function act(kind) {
  if (state.busy) return;
  if (kind === "undo") return undo();
  if (kind === "followup") return followup();
  const d = state.detail;
  if (!d) return;
  const values = edits();
  const edited = Object.keys(values).length > 0;
  if ((kind === "merge" || kind === "separate") && !d.candidate) {
    return say("no candidate to " + (kind === "merge" ? "merge" : "keep apart") + " with", true);
  }
  if (kind === "edit" && !edited) return say("nothing edited", true);
  state.busy = true;
  try {
    let data = null;
    // Edits are saved first (an edit also accepts the card); then the decision itself.
    if (edited && kind !== "skip") data = await api("api/decide", { kind: "edit", uid: d.uid, values });
    if (kind === "merge" || kind === "separate") {
      data = await api("api/decide", { kind, uid: d.uid, other: d.candidate.uid });
    } else if (!data) {
      data = await api("api/decide", { kind, uid: d.uid });
    }
    take(data);
    const words = { accept: "Accepted", edit: "Saved", merge: "Merged", separate: "Kept separate",
                    skip: "Skipped" };
    say(`${words[data.decision.kind]}: ${d.name}`);
    let next = state.items.findIndex((it) => it.uid === d.uid);
    if (next >= 0 && kind === "skip") next += 1;
    if (next < 0) next = state.current;
    await select(next >= state.items.length ? 0 : next);
  } catch (err) {
    say(err.message, true);
  } finally {
    state.busy = false;
  }
}

async function undo(id) {
  if (state.busy) return;
  state.busy = true;
  try {
    const data = await api("api/undo", id === undefined ? {} : { id });
    take(data);
    say(`Undone: ${data.undone.kind} of ${data.undone.uid}`);
    const back = state.items.findIndex((it) => it.uid === data.undone.uid);
    await select(back >= 0 ? back : state.current);
  } catch (err) {
    say(err.message, true);
  } finally {
    state.busy = false;
  }
}

// -- keys -------------------------------------------------------------------------
document.addEventListener("keydown", (ev) => {
  const typing = ev.target instanceof HTMLInputElement || ev.target instanceof HTMLTextAreaElement;
  if (typing) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); act("edit"); }
    else if (ev.key === "Escape") ev.target.blur();
    return;
  }
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const keys = { a: "accept", m: "merge", s: "separate", n: "skip", u: "undo", f: "followup" };
  if (keys[ev.key]) { ev.preventDefault(); act(keys[ev.key]); }
  else if (ev.key === "e") {
    ev.preventDefault();
    const first = $("fields").querySelector(".low") || $("fields").elements[0];
    if (first) first.focus();
  } else if (ev.key === "j" || ev.key === "ArrowDown") { ev.preventDefault(); select(state.current + 1); }
  else if (ev.key === "k" || ev.key === "ArrowUp") { ev.preventDefault(); select(state.current - 1); }
});

async function start() {
  $("toggle-list").addEventListener("click", () => $("list").classList.toggle("open"));
  try {
    const data = await api("api/items");
    take(data);
    $("keys").replaceChildren(...data.keys.map(([k, what]) => el("span", {}, el("kbd", {}, k), " " + what)));
    await select(0);
    document.body.dataset.ready = "1";
  } catch (err) {
    say(err.message, true);
  }
}

start();
