// AppHost dashboard: resources, console logs (Server-Sent Events) and metrics charts (inline SVG), no dependencies.
"use strict";

const palette = ["#512bd4", "#1a73e8", "#e8710a", "#188038", "#d01884", "#12b5cb", "#9334e6", "#c5221f", "#5f6368"];
const state = { view: "resources", resources: [], now: Date.now(), skew: 0, logs: [], logSource: null, offline: false };
const $ = (selector) => document.querySelector(selector);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    if (key === "class") node.className = value; else if (key === "text") node.textContent = value; else node.setAttribute(key, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

async function getJson(path) {
  const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (response.status === 401) { location.href = "/login"; throw new Error("signed out"); }
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function setOffline(offline) {
  state.offline = offline;
  $("#offline").hidden = !offline;
}

// ---------- navigation ----------
function showView(view) {
  if (!["resources", "console", "metrics"].includes(view)) view = "resources";
  state.view = view;
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== `view-${view}`;
  for (const tab of document.querySelectorAll(".tabs a")) tab.classList.toggle("active", tab.dataset.view === view);
  document.body.dataset.view = view;
  if (view === "console") openLogStream();
  if (view === "metrics") refreshMetrics();
}
window.addEventListener("hashchange", () => showView(location.hash.slice(1)));

// ---------- resources ----------
const stateClass = (s) => ({ Running: "s-run", Starting: "s-warn", Waiting: "s-idle", NotStarted: "s-idle", Restarting: "s-warn", Stopping: "s-idle", Finished: "s-idle", Exited: "s-bad", FailedToStart: "s-bad" })[s] || "s-idle";
const healthClass = (h) => ({ Healthy: "s-ok", Unhealthy: "s-bad" })[h] || "s-idle";
const stateLabel = (s) => s.replace(/([a-z])([A-Z])/g, "$1 $2");

function formatDuration(ms) {
  if (ms < 0) ms = 0;
  const s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s % 60}s`;
}

function renderResources() {
  const body = $("#resources-table tbody");
  body.replaceChildren();
  if (state.resources.length === 0) {
    body.append(el("tr", {}, el("td", { colspan: "9", class: "muted", text: "No resources yet." })));
  }
  const now = Date.now() + state.skew;
  for (const r of state.resources) {
    const running = r.state === "Running";
    const uptime = running && r.startedAt ? formatDuration(now - Date.parse(r.startedAt)) : "—";
    const links = el("td", { class: "endpoints" });
    for (const url of r.urls || []) {
      links.append(r.kind === "Container" || url.startsWith("tcp") ? el("code", { text: url }) : el("a", { href: url, target: "_blank", rel: "noopener", text: url }));
    }
    const details = r.message || (r.exitCode !== null && r.exitCode !== undefined ? `exit code ${r.exitCode}` : "");
    body.append(el("tr", { "data-resource": r.resource, "data-instance": r.instance, "data-state": r.state, "data-health": r.health },
      el("td", { class: "name" }, r.instance, r.instance !== r.resource ? el("small", { text: `replica ${r.replica} of ${r.resource}` }) : null),
      el("td", { text: r.kind }),
      el("td", {}, el("span", { class: `badge ${stateClass(r.state)}`, text: stateLabel(r.state) })),
      el("td", {}, el("span", { class: `badge ${healthClass(r.health)}`, text: r.health })),
      el("td", { class: "num", text: r.pid ?? "—" }),
      el("td", { class: "num uptime", text: uptime }),
      el("td", { class: "num", text: String(r.restarts) }),
      links,
      el("td", { class: "details", text: details })));
  }
  const healthy = state.resources.filter((r) => r.state === "Running" && r.health === "Healthy").length;
  const failed = state.resources.filter((r) => ["Exited", "FailedToStart"].includes(r.state)).length;
  const summary = $("#summary");
  summary.textContent = `${healthy}/${state.resources.length} healthy`;
  summary.className = `pill ${failed ? "bad" : healthy === state.resources.length && healthy > 0 ? "ok" : "warn"}`;
  updateInstanceOptions();
}

async function refreshResources() {
  try {
    const data = await getJson("/api/resources");
    state.skew = Date.parse(data.now) - Date.now();
    state.resources = data.resources;
    setOffline(false);
    renderResources();
  } catch (error) {
    setOffline(true);
  }
}

// ---------- console ----------
const colorOfInstance = {};
function instanceColor(instance) {
  if (!(instance in colorOfInstance)) colorOfInstance[instance] = ["#b39dff", "#80cbc4", "#ffcc80", "#90caf9", "#f48fb1", "#c5e1a5"][Object.keys(colorOfInstance).length % 6];
  return colorOfInstance[instance];
}

function updateInstanceOptions() {
  const select = $("#log-instance");
  const known = new Set([...select.options].map((o) => o.value));
  for (const r of state.resources) {
    if (!known.has(r.instance)) select.append(el("option", { value: r.instance, text: r.instance }));
  }
}

function severity(line) {
  const text = line.text;
  if (/^\s*(fail|crit):|level=(error|fatal)|\berror\b|exception/i.test(text)) return "err";
  if (/^\s*warn:|level=warn/i.test(text)) return "warn";
  return line.isError && !/level=info/.test(text) ? "err" : "";
}

function lineFilter() {
  const text = $("#log-filter").value.trim();
  const errorsOnly = $("#log-errors").checked;
  let matcher = null;
  if (text.length > 2 && text.startsWith("/") && text.endsWith("/")) {
    try { const re = new RegExp(text.slice(1, -1), "i"); matcher = (s) => re.test(s); } catch { matcher = null; }
  }
  if (!matcher && text) { const needle = text.toLowerCase(); matcher = (s) => s.toLowerCase().includes(needle); }
  return (line) => (!errorsOnly || severity(line) !== "") && (!matcher || matcher(line.text) || matcher(line.instance));
}

function logRow(line) {
  const time = new Date(line.time).toLocaleTimeString([], { hour12: false });
  return el("div", { class: `log-line ${severity(line)}`, "data-instance": line.instance },
    el("span", { class: "t", text: time }),
    el("span", { class: "i", style: `color:${instanceColor(line.instance)}`, text: line.instance, title: line.instance }),
    el("span", { class: "x", text: line.text }));
}

function renderLogs() {
  const container = $("#log-lines");
  const keep = lineFilter();
  const rows = state.logs.filter(keep).slice(-3000).map(logRow);
  container.replaceChildren(...(rows.length ? rows : [el("div", { class: "log-empty", text: state.logs.length ? "No line matches the filter." : "Waiting for output…" })]));
  $("#log-count").textContent = `${rows.length} of ${state.logs.length} lines`;
  if ($("#log-follow").checked) container.scrollTop = container.scrollHeight;
}

let renderPending = false;
function scheduleLogRender() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => { renderPending = false; renderLogs(); });
}

function openLogStream() {
  if (state.logSource) state.logSource.close();
  state.logs = [];
  renderLogs();
  const instance = $("#log-instance").value;
  const source = new EventSource(`/api/logs/stream${instance ? `?instance=${encodeURIComponent(instance)}` : ""}`);
  source.addEventListener("log", (event) => {
    state.logs.push(JSON.parse(event.data));
    if (state.logs.length > 10000) state.logs.splice(0, state.logs.length - 10000);
    scheduleLogRender();
  });
  source.onerror = () => { if (source.readyState === EventSource.CLOSED) setOffline(true); };
  state.logSource = source;
}

// ---------- metrics ----------
function formatValue(value, unit) {
  if (value === null || value === undefined) return "—";
  if (unit === "s") return formatDuration(value * 1000);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}`;
}

function svg(tag, attributes = {}) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

function drawChart(chart) {
  const definition = chart.definition;
  const card = el("div", { class: "chart", "data-chart": definition.id, "data-series": String(chart.series.length),
    "data-points": String(chart.series.reduce((n, s) => n + s.points.length, 0)) },
    el("h3", {}, el("span", { text: definition.title }), el("span", { class: "unit", text: definition.unit })),
    el("div", { class: "desc", text: definition.description }));
  const withPoints = chart.series.filter((s) => s.points.length > 0);
  if (withPoints.length === 0) {
    card.append(el("div", { class: "nodata", text: "No data yet — the services have not reported this metric." }));
    return card;
  }
  const width = 560, height = 170, left = 46, right = 8, top = 8, bottom = 20;
  const all = withPoints.flatMap((s) => s.points);
  const tMax = Math.max(...all.map((p) => p[0])), tMin = Math.min(...all.map((p) => p[0]), tMax - 60000);
  let vMax = Math.max(...all.map((p) => p[1]));
  vMax = vMax <= 0 ? 1 : vMax * 1.15;
  const x = (t) => left + (t - tMin) / Math.max(1, tMax - tMin) * (width - left - right);
  const y = (v) => top + (1 - v / vMax) * (height - top - bottom);
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": definition.title });
  const axis = svg("g", { class: "axis" });
  for (let i = 0; i <= 3; i++) {
    const v = vMax * i / 3, yy = y(v);
    axis.append(svg("line", { x1: left, x2: width - right, y1: yy, y2: yy }));
    const label = svg("text", { x: left - 6, y: yy + 3, "text-anchor": "end" });
    label.textContent = formatValue(v, definition.unit);
    axis.append(label);
  }
  for (const [t, anchor] of [[tMin, "start"], [tMax, "end"]]) {
    const label = svg("text", { x: x(t), y: height - 4, "text-anchor": anchor });
    label.textContent = new Date(t).toLocaleTimeString([], { hour12: false });
    axis.append(label);
  }
  root.append(axis);
  const legend = el("div", { class: "legend" });
  chart.series.forEach((series, index) => {
    const color = palette[index % palette.length];
    if (series.points.length > 0) {
      const path = series.points.map((p, i) => `${i ? "L" : "M"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(" ");
      root.append(svg("path", { d: path, fill: "none", stroke: color, "stroke-width": "2", "stroke-linejoin": "round", class: "series", "data-series": series.name }));
      if (series.points.length === 1) {
        const p = series.points[0];
        root.append(svg("circle", { cx: x(p[0]), cy: y(p[1]), r: 3, fill: color }));
      }
    }
    const last = series.points.length ? series.points[series.points.length - 1][1] : null;
    legend.append(el("span", {}, el("i", { style: `background:${color}` }), `${series.name} `, el("b", { text: formatValue(last, definition.unit) })));
  });
  card.append(root, legend);
  return card;
}

async function refreshMetrics() {
  if (state.view !== "metrics") return;
  try {
    const data = await getJson("/api/metrics");
    setOffline(false);
    $("#charts").replaceChildren(...data.charts.map(drawChart));
    const body = $("#targets-table tbody");
    body.replaceChildren(...(data.targets.length ? data.targets.map((t) => el("tr", { "data-target": t.instance, "data-up": String(t.up) },
      el("td", { class: "name", text: t.instance }),
      el("td", {}, el("a", { href: t.url, target: "_blank", rel: "noopener", text: t.url })),
      el("td", {}, el("span", { class: `badge ${t.up ? "s-ok" : "s-bad"}`, text: t.up ? "Up" : "Down" }), t.error ? el("span", { class: "details", text: ` ${t.error}` }) : null),
      el("td", { class: "num", text: t.lastScrape ? new Date(t.lastScrape).toLocaleTimeString([], { hour12: false }) : "—" })))
      : [el("tr", {}, el("td", { colspan: "4", class: "muted", text: "No running service to scrape yet." }))]));
  } catch (error) {
    setOffline(true);
  }
}

// ---------- start ----------
async function loadInfo() {
  try {
    const info = await getJson("/api/info");
    $("#app-name").textContent = info.application;
    document.title = `${info.application} · AppHost dashboard`;
    const link = $("#prometheus-link");
    const banner = $("#banner");
    if (info.prometheusUrl) {
      link.href = info.prometheusUrl;
      link.hidden = false;
      banner.hidden = true;
    } else {
      link.hidden = true;
      banner.hidden = false;
      banner.textContent = info.prometheusUnavailable;
    }
  } catch (error) {
    setOffline(true);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("#log-instance").addEventListener("change", openLogStream);
  $("#log-filter").addEventListener("input", renderLogs);
  $("#log-errors").addEventListener("change", renderLogs);
  $("#log-clear").addEventListener("click", () => { state.logs = []; renderLogs(); });
  loadInfo();
  refreshResources();
  setInterval(refreshResources, 1000);
  setInterval(refreshMetrics, 2000);
  showView(location.hash.slice(1) || "resources");
});
