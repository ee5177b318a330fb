// The admin console: sign-in, overview, online players, one player.
// Plain ES modules, no build step; everything it loads is served by the
// service itself under /admin/assets.
import { ApiError, graphql, secondsLeft, tokenStore, watchOnlineCount } from './api.js';
import { clearChart, datesEndingAt, dayStart, drawChart } from './charts.js';

const PAGE_SIZE = 20;
/** The players list reads at most this many online ids (then says it shows only these). */
const MAX_LISTED = 20_000;
const OVERVIEW_REFRESH_MS = 60_000;
const PLAYER_REFRESH_MS = 10_000;
const LIST_REFRESH_MIN_MS = 500;
const RETRY_MS = 3_000;

// ------------------------------------------------------------------ DOM helpers

/** Builds an element; children are nodes or text (never parsed as HTML). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value == null) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((child) => child != null && child !== false));
  return element;
}

const $ = (selector) => document.querySelector(selector);
const view = () => $('#view');

const number = (value, digits = 0) =>
  Number(value).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

function duration(seconds) {
  const s = Math.round(Number(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const hours = Math.floor(m / 60);
  return `${number(hours)} h ${String(m % 60).padStart(2, '0')} min`;
}

const time = (iso) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '—');
const humanize = (text) =>
  text
    .replace(/_/g, ' ')
    .toLowerCase()
    .replace(/^./, (c) => c.toUpperCase());

/** An event's details as readable "key value" pairs (durations and numbers formatted). */
function readableDetails(details) {
  const entries = Object.entries(details ?? {});
  if (entries.length === 0) return h('span', { class: 'muted' }, '—');
  return h(
    'div',
    { class: 'details' },
    entries.map(([key, value]) => {
      let shown;
      let label = key;
      if (typeof value === 'number' && key.endsWith('_seconds')) {
        shown = duration(value);
        label = key.slice(0, -'_seconds'.length);
      } else if (typeof value === 'number') shown = number(value, 2);
      else if (typeof value === 'string') shown = value;
      else shown = JSON.stringify(value);
      return h('span', {}, h('b', {}, `${humanize(label)}: `), shown);
    }),
  );
}

const stat = (label, value, attributes = {}) =>
  h('div', { class: 'stat', ...attributes }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value));

function facts(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
  );
}

// ------------------------------------------------------------------ banner and errors

let bannerKind = null;
function showBanner(text, kind = 'warning') {
  const banner = $('#banner');
  banner.textContent = text;
  banner.dataset.kind = kind;
  banner.hidden = false;
  bannerKind = kind;
}
function clearBanner() {
  $('#banner').hidden = true;
  bannerKind = null;
}

/**
 * What every failed call comes to: an expired token signs out, Redis or
 * the network being away shows a banner and retries, anything else is shown.
 * Returns true when the caller should retry.
 */
function handleError(error) {
  const code = error instanceof ApiError ? error.code : 'CLIENT';
  switch (code) {
    case 'UNAUTHENTICATED':
      signOut('Your token has expired or is no longer accepted. Sign in again.');
      return false;
    case 'SERVICE_UNAVAILABLE':
      showBanner('Redis is unavailable: the service cannot reach its data store. Retrying…');
      return true;
    case 'NETWORK':
      showBanner('The service cannot be reached. Retrying…');
      return true;
    case 'FORBIDDEN':
      showBanner('This token may not read game-wide data: sign in with an admin token.', 'error');
      return false;
    default:
      showBanner(`Something went wrong: ${error.message}`, 'error');
      return false;
  }
}

/** Runs `load` now and every `everyMs`; on a retryable failure, again after RETRY_MS. Returns a stop function. */
function keepLoaded(load, everyMs) {
  let timer;
  let stopped = false;
  const run = async () => {
    try {
      await load();
      if (!stopped && bannerKind === 'warning') clearBanner();
      if (!stopped && everyMs) timer = setTimeout(run, everyMs);
    } catch (error) {
      if (!stopped && handleError(error)) timer = setTimeout(run, RETRY_MS);
    }
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

// ------------------------------------------------------------------ session

const live = { count: null, listeners: new Set(), stop: null, expiry: null };

function startSession(token) {
  $('#nav').hidden = false;
  $('#session-tools').hidden = false;
  const left = secondsLeft(token);
  if (Number.isFinite(left)) {
    live.expiry = setTimeout(
      () => signOut('Your token has expired. Sign in again.'),
      Math.min(Math.max(0, left * 1000), 2 ** 31 - 1),
    );
  }
  live.stop = watchOnlineCount({
    token,
    onCount: (count) => {
      live.count = count;
      if (bannerKind === 'warning') clearBanner();
      for (const listener of live.listeners) listener(count);
    },
    onState: (state) => {
      const badge = $('#live');
      badge.dataset.state = state;
      badge.textContent = { live: 'live', connecting: 'connecting…', down: 'reconnecting…' }[state];
    },
    onError: handleError,
  });
  window.addEventListener('hashchange', route);
  route();
}

function signOut(message) {
  live.stop?.();
  clearTimeout(live.expiry);
  live.stop = null;
  live.count = null;
  live.listeners.clear();
  window.removeEventListener('hashchange', route);
  currentCleanup?.();
  currentCleanup = null;
  tokenStore.clear();
  clearBanner();
  $('#nav').hidden = true;
  $('#session-tools').hidden = true;
  showSignIn(message);
}

function showSignIn(message) {
  const error = h('p', { class: 'error', role: 'alert', id: 'sign-in-error' }, message ?? '');
  const input = h('input', {
    type: 'password',
    id: 'token',
    name: 'token',
    autocomplete: 'off',
    placeholder: 'eyJhbGciOi…',
    required: true,
  });
  const devButton = h(
    'button',
    { type: 'button', id: 'use-dev-token', hidden: true },
    'Use the development admin token',
  );
  const form = h(
    'form',
    {
      id: 'sign-in',
      onsubmit: (event) => {
        event.preventDefault();
        signIn(input.value);
      },
    },
    h('label', { for: 'token' }, 'Admin token'),
    input,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
    devButton,
    error,
  );
  view().replaceChildren(
    h(
      'section',
      { class: 'signin panel' },
      h('h1', {}, 'Sign in'),
      h(
        'p',
        { class: 'muted' },
        'Paste an admin token (a JWT with role "admin"). It is kept in this tab only and forgotten when the tab closes.',
      ),
      form,
    ),
  );
  input.focus();

  async function signIn(raw) {
    const token = raw.trim().replace(/^Bearer\s+/i, '');
    if (!token) return;
    error.textContent = '';
    try {
      await graphql('query ConsoleSignIn { globalDailyStats { date } }', {}, token);
    } catch (failure) {
      const code = failure instanceof ApiError ? failure.code : '';
      // SERVICE_UNAVAILABLE comes after authentication: the token is good, Redis is not.
      if (code !== 'SERVICE_UNAVAILABLE') {
        error.textContent =
          code === 'UNAUTHENTICATED'
            ? `This token is not accepted: ${failure.message}.`
            : code === 'FORBIDDEN'
              ? 'This token may not read game-wide data: use an admin token.'
              : failure.message;
        return;
      }
    }
    tokenStore.set(token);
    startSession(token);
  }

  // Outside production, a browser on the service's machine is offered the development admin token.
  fetch('/admin/dev-token')
    .then((response) => (response.ok ? response.json() : null))
    .then((body) => {
      if (!body?.token) return;
      devButton.hidden = false;
      devButton.addEventListener('click', () => signIn(body.token));
    })
    .catch(() => {});
}

// ------------------------------------------------------------------ routing

let currentCleanup = null;

function route() {
  currentCleanup?.();
  currentCleanup = null;
  const path = decodeURIComponent(location.hash.slice(1) || '/');
  const player = /^\/players\/(.+)$/.exec(path);
  const section = player ? 'players' : path === '/players' ? 'players' : 'overview';
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  currentCleanup = player ? playerView(player[1]) : section === 'players' ? playersView() : overviewView();
}

/** Calls `listener` with every live count while the view is shown. */
function onLiveCount(listener) {
  live.listeners.add(listener);
  return () => live.listeners.delete(listener);
}

// ------------------------------------------------------------------ overview

const GLOBAL_FIELDS = 'date activePlayers sessions playtimeSeconds actions trades tradeVolume combatEvents peakOnline';

function overviewView() {
  document.title = 'Overview — Player Activity console';
  const online = h('div', { class: 'value', id: 'online-count', 'data-testid': 'online-count' }, live.count ?? '…');
  const today = h('div', { class: 'grid', id: 'today' });
  const onlineChart = h('div', { class: 'chart', id: 'chart-online' });
  const dauChart = h('div', { class: 'chart', id: 'chart-dau' });
  const todayTitle = h('h2', {}, 'Today (UTC)');
  const onlineCard = h('div', { class: 'stat big' }, h('div', { class: 'label' }, 'Online now (live)'), online);
  today.append(onlineCard);
  view().replaceChildren(
    h('h1', {}, 'Overview'),
    todayTitle,
    today,
    h(
      'div',
      { class: 'charts' },
      h('section', { class: 'panel' }, h('h2', {}, 'Online players, last 24 h (peak per minute)'), onlineChart),
      h('section', { class: 'panel' }, h('h2', {}, 'Daily active players, last 14 days'), dauChart),
    ),
  );
  const unlisten = onLiveCount((count) => (online.textContent = number(count)));

  const stop = keepLoaded(async () => {
    const data = await graphql(
      `query ConsoleOverview { onlinePlayerCount today: globalDailyStats { ${GLOBAL_FIELDS} } onlineCountHistory { minute count } }`,
    );
    if (live.count === null) online.textContent = number(data.onlinePlayerCount);
    const t = data.today;
    todayTitle.textContent = `Today, ${t.date} (UTC)`;
    today.replaceChildren(
      onlineCard,
      stat('Active players', number(t.activePlayers), {
        title: 'Distinct players seen today (HyperLogLog estimate, ±0.81 %)',
      }),
      stat('Peak online', number(t.peakOnline)),
      stat('Sessions started', number(t.sessions)),
      stat('Playtime', duration(t.playtimeSeconds), { title: 'Of the sessions completed today' }),
      stat('Actions', number(t.actions)),
      stat('Trades', number(t.trades)),
      stat('Trade volume', number(t.tradeVolume, 2)),
      stat('Combat events', number(t.combatEvents)),
    );
    const points = data.onlineCountHistory;
    const xs = points.map((p) => Date.parse(p.minute) / 1000);
    const last = xs.at(-1) ?? Math.floor(Date.now() / 60_000) * 60;
    drawChart(onlineChart, {
      xs,
      xRange: [last - 24 * 3600, last],
      series: [{ label: 'Online', values: points.map((p) => p.count) }],
      emptyText: 'No online players recorded in the last 24 hours.',
    });
    const dates = datesEndingAt(t.date, 14);
    const daily = await graphql(
      `query ConsoleDailyActive { ${dates.map((date, i) => `d${i}: globalDailyStats(date: "${date}") { activePlayers }`).join(' ')} }`,
    );
    drawChart(dauChart, {
      xs: dates.map(dayStart),
      series: [{ label: 'Active players', values: dates.map((_, i) => daily[`d${i}`].activePlayers), bars: true }],
      emptyText: 'No active players in the last 14 days.',
    });
  }, OVERVIEW_REFRESH_MS);
  return () => {
    stop();
    unlisten();
    clearChart(onlineChart);
    clearChart(dauChart);
  };
}

// ------------------------------------------------------------------ players

function playersView() {
  document.title = 'Players — Player Activity console';
  let ids = [];
  let truncated = false;
  let page = 0;
  const search = h('input', {
    type: 'search',
    id: 'player-search',
    placeholder: 'Filter by player id, or type an id and press Enter',
    'aria-label': 'Search players',
  });
  const summary = h('span', { class: 'muted', id: 'players-summary' });
  const body = h('tbody');
  const table = h(
    'table',
    { id: 'players-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Online player'),
        h('th', {}, 'Logged in'),
        h('th', {}, 'Last activity'),
        h('th', {}, 'Actions'),
      ),
    ),
    body,
  );
  const previous = h(
    'button',
    {
      type: 'button',
      onclick: () => {
        page -= 1;
        render();
      },
    },
    '← Previous',
  );
  const next = h(
    'button',
    {
      type: 'button',
      onclick: () => {
        page += 1;
        render();
      },
    },
    'Next →',
  );
  const pageLabel = h('span', { class: 'muted', id: 'players-page' });
  const openOther = h('p', { class: 'muted' });
  search.addEventListener('input', () => {
    page = 0;
    render();
  });
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && search.value.trim())
      location.hash = `#/players/${encodeURIComponent(search.value.trim())}`;
  });
  view().replaceChildren(
    h('h1', {}, 'Players'),
    h('div', { class: 'toolbar' }, search, summary),
    h('section', { class: 'panel' }, table, h('div', { class: 'pager' }, previous, pageLabel, next), openOther),
  );
  search.focus();

  function render() {
    const filter = search.value.trim().toLowerCase();
    const matching = filter ? ids.filter((id) => id.toLowerCase().includes(filter)) : ids;
    const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
    page = Math.min(Math.max(0, page), pages - 1);
    const shown = matching.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    summary.textContent = `${truncated ? 'the first ' : ''}${number(ids.length)} online${filter ? `, ${number(matching.length)} matching` : ''}`;
    pageLabel.textContent = matching.length
      ? `${page * PAGE_SIZE + 1}–${page * PAGE_SIZE + shown.length} of ${number(matching.length)}`
      : '';
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
    const rows = shown.map((id) => {
      const cells = [h('td', {}, '…'), h('td', {}, '…'), h('td', { class: 'num' }, '…')];
      return {
        id,
        cells,
        row: h('tr', {}, h('td', {}, h('a', { href: `#/players/${encodeURIComponent(id)}` }, id)), cells),
      };
    });
    body.replaceChildren(
      ...(rows.length
        ? rows.map(({ row }) => row)
        : [
            h(
              'tr',
              {},
              h(
                'td',
                { class: 'empty', colspan: 4 },
                filter ? 'No online player matches.' : 'No players are online right now.',
              ),
            ),
          ]),
    );
    if (rows.length) fillSessions(rows).catch(handleError);
    openOther.replaceChildren(
      ...(filter && !ids.includes(search.value.trim())
        ? [
            'Offline players: ',
            h('a', { href: `#/players/${encodeURIComponent(search.value.trim())}` }, `open "${search.value.trim()}"`),
          ]
        : []),
    );
  }

  /** The open sessions of the players on the page, in one request (one alias each). */
  async function fillSessions(rows) {
    const variables = Object.fromEntries(rows.map(({ id }, i) => [`p${i}`, id]));
    const data = await graphql(
      `query ConsolePlayersPage(${rows.map((_, i) => `$p${i}: ID!`).join(', ')}) { ${rows
        .map((_, i) => `s${i}: playerSession(playerId: $p${i}) { loginAt lastActivityAt actionsCount }`)
        .join(' ')} }`,
      variables,
    );
    rows.forEach(({ cells }, i) => {
      const session = data[`s${i}`];
      cells[0].textContent = session ? time(session.loginAt) : '—';
      cells[1].textContent = session ? time(session.lastActivityAt) : '—';
      cells[2].textContent = session ? number(session.actionsCount) : '—';
    });
  }

  // Live: the list is read again after count changes (at most every LIST_REFRESH_MIN_MS).
  let loading = null;
  let again = false;
  let lastLoad = 0;
  let throttle;
  const load = async () => {
    // The online set a page at a time (SSCAN pages may repeat an id), up to MAX_LISTED ids.
    const seen = new Set();
    let after = null;
    do {
      const data = await graphql(
        'query ConsoleOnlinePlayers($after: String) { onlinePlayerIds(first: 1000, after: $after) { playerIds nextCursor } }',
        { after },
      );
      for (const id of data.onlinePlayerIds.playerIds) seen.add(id);
      after = data.onlinePlayerIds.nextCursor;
    } while (after && seen.size < MAX_LISTED);
    truncated = after !== null;
    ids = [...seen].sort();
    render();
  };
  const reload = () => {
    if (loading) {
      again = true;
      return;
    }
    const wait = lastLoad + LIST_REFRESH_MIN_MS - Date.now();
    if (wait > 0) {
      throttle ??= setTimeout(() => {
        throttle = undefined;
        reload();
      }, wait);
      return;
    }
    lastLoad = Date.now();
    loading = load()
      .catch(handleError)
      .finally(() => {
        loading = null;
        if (again) {
          again = false;
          reload();
        }
      });
  };
  const stop = keepLoaded(load, 30_000);
  const unlisten = onLiveCount(reload);
  return () => {
    stop();
    unlisten();
    clearTimeout(throttle);
  };
}

// ------------------------------------------------------------------ one player

const SESSION_FIELDS =
  'loginAt lastActivityAt lastSeenAt actionsCount tradesCount tradeVolume combatEvents sectorsVisited';
const SUMMARY_FIELDS =
  'totalSessions totalPlaytimeSeconds totalActions totalTrades totalTradeVolume totalCombatEvents uniqueSectorsVisited lastUpdated';
const DAILY_FIELDS = 'date sessions playtimeSeconds actions trades tradeVolume combatEvents';

function playerView(playerId) {
  document.title = `${playerId} — Player Activity console`;
  const badge = h('span', { class: 'badge', id: 'player-status' }, '…');
  const session = h('section', { class: 'panel', id: 'player-session' }, h('h2', {}, 'Open session'));
  const summary = h('section', { class: 'panel', id: 'player-summary' }, h('h2', {}, 'Summary (last 30 days)'));
  const chart = h('div', { class: 'chart', id: 'chart-player-daily' });
  const events = h('section', { class: 'panel', id: 'player-events' }, h('h2', {}, 'Recent events'));
  view().replaceChildren(
    h('p', {}, h('a', { href: '#/players' }, '← Players')),
    h('h1', {}, `Player ${playerId} `, badge),
    h('div', { class: 'two' }, session, summary),
    h('section', { class: 'panel' }, h('h2', {}, 'Last 14 days (UTC, completed sessions)'), chart),
    events,
  );
  const stop = keepLoaded(async () => {
    const data = await graphql(
      `query ConsolePlayer($id: ID!) {
        playerSession(playerId: $id) { ${SESSION_FIELDS} }
        playerSummary(playerId: $id) { ${SUMMARY_FIELDS} }
        recentEvents(playerId: $id, limit: 50) { eventType timestamp details }
        today: dailyStats(playerId: $id) { date }
      }`,
      { id: playerId },
    );
    const s = data.playerSession;
    badge.textContent = s ? 'online' : 'offline';
    badge.className = s ? 'badge online' : 'badge';
    session.replaceChildren(
      h('h2', {}, 'Open session'),
      s
        ? facts([
            ['Logged in', time(s.loginAt)],
            ['Last activity', time(s.lastActivityAt)],
            ['Last heartbeat', time(s.lastSeenAt)],
            ['Actions', number(s.actionsCount)],
            ['Trades', `${number(s.tradesCount)} (volume ${number(s.tradeVolume, 2)})`],
            ['Combat events', number(s.combatEvents)],
            ['Sectors visited', s.sectorsVisited.length ? s.sectorsVisited.join(', ') : '—'],
          ])
        : h('p', { class: 'muted' }, 'No open session: the player is offline.'),
    );
    const m = data.playerSummary;
    summary.replaceChildren(
      h('h2', {}, 'Summary (last 30 days)'),
      m.totalSessions > 0
        ? facts([
            ['Sessions', number(m.totalSessions)],
            ['Playtime', duration(m.totalPlaytimeSeconds)],
            ['Actions', number(m.totalActions)],
            ['Trades', `${number(m.totalTrades)} (volume ${number(m.totalTradeVolume, 2)})`],
            ['Combat events', number(m.totalCombatEvents)],
            ['Distinct sectors', number(m.uniqueSectorsVisited)],
            ['Updated', time(m.lastUpdated)],
          ])
        : h('p', { class: 'muted' }, 'No completed sessions yet.'),
    );
    events.replaceChildren(
      h('h2', {}, `Recent events (${data.recentEvents.length ? `newest ${data.recentEvents.length}` : 'none'})`),
      data.recentEvents.length
        ? h(
            'table',
            { id: 'events-table' },
            h('thead', {}, h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'Event'), h('th', {}, 'Details'))),
            h(
              'tbody',
              {},
              data.recentEvents.map((event) =>
                h(
                  'tr',
                  {},
                  h('td', {}, time(event.timestamp)),
                  h('td', {}, humanize(event.eventType)),
                  h('td', {}, readableDetails(event.details)),
                ),
              ),
            ),
          )
        : h('p', { class: 'empty' }, 'No events recorded for this player in the last 7 days.'),
    );
    const dates = datesEndingAt(data.today.date, 14);
    const daily = await graphql(
      `query ConsolePlayerDaily($id: ID!) { ${dates.map((date, i) => `d${i}: dailyStats(playerId: $id, date: "${date}") { ${DAILY_FIELDS} }`).join(' ')} }`,
      { id: playerId },
    );
    const days = dates.map((_, i) => daily[`d${i}`]);
    drawChart(chart, {
      xs: dates.map(dayStart),
      series: [
        { label: 'Playtime (min)', values: days.map((d) => Math.round(d.playtimeSeconds / 6) / 10), bars: true },
        { label: 'Actions', values: days.map((d) => d.actions), scale: 'actions' },
      ],
      emptyText: 'No completed sessions in the last 14 days.',
    });
  }, PLAYER_REFRESH_MS);
  return () => {
    stop();
    clearChart(chart);
  };
}

// ------------------------------------------------------------------ start

$('#sign-out').addEventListener('click', () => signOut('Signed out.'));
const saved = tokenStore.get();
if (saved && secondsLeft(saved) > 0) startSession(saved);
else {
  tokenStore.clear();
  showSignIn(saved ? 'Your token has expired. Sign in again.' : undefined);
}
